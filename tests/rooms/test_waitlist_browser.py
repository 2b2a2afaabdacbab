"""The waiting list in a real browser: a resident joins for a taken time, the holder cancels, the first in line
gets the mail with the link and takes the slot. The pages pass axe and the Nu HTML Checker."""

import re

import pytest
from django.urls import reverse

from quartier.models import OutgoingMail
from rooms.models import Booking, WaitlistEntry

from ..browser import axe_check, nu_check
from ..factories import PASSWORD, make_user
from .factories import days_ahead, local, make_booking, make_room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email):
    page.goto(reverse("account_login"))
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_resident_joins_the_holder_cancels_and_the_first_takes_the_slot(
    page, browser, live_server, office, tmp_path, mailoutbox
):
    room = make_room(name="Saal")
    holder = make_user(email="halter@example.org", display_name="Hal Halter")
    day = days_ahead(9)
    monday = day.fromordinal(day.toordinal() - day.weekday())
    booking = make_booking(room=room, booked_by=holder, starts_at=local(day, 18), ends_at=local(day, 20))
    resident = make_user(email="wartend@example.org", display_name="Wanda Wartend")
    documents = {}

    _log_in(page, resident.email)
    page.goto(reverse("rooms:detail", args=[room.slug]) + f"?week={monday.isoformat()}")
    link = page.locator(".week-grid a.cell-waitlist").first
    assert link.is_visible()
    with page.expect_navigation():
        link.click()
    assert page.locator("#id_start").input_value() == "18:00"
    page.fill("#id_title", "Lesekreis")
    page.fill("#id_attendees", "6")
    page.fill("#id_responsible_phone", "0231 2")
    axe_check(page, context="waiting list form")
    documents["join"] = page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Auf die Warteliste").click()
    assert "Platz 1 auf der Liste." in page.locator("main").inner_text()
    documents["my bookings"] = page.content()
    assert WaitlistEntry.objects.get(user=resident).state == "waiting"

    # The holder cancels in her own browser.
    other = browser.new_context(base_url=live_server.url)
    holder_page = other.new_page()
    _log_in(holder_page, holder.email)
    holder_page.goto(reverse("rooms:booking_cancel", args=[booking.pk]))
    with holder_page.expect_navigation():
        holder_page.get_by_role("button", name="Ja, stornieren").click()
    other.close()

    assert OutgoingMail.objects.filter(to=resident.email).exists()
    mail = next(m for m in reversed(mailoutbox) if m.to == [resident.email])
    assert "frei" in mail.subject
    offer_url = re.search(r"https?://\S+/warteliste/angebot/\S+/", mail.body)[0]
    page.goto(reverse("rooms:waitlist_offer", args=[offer_url.rstrip("/").rsplit("/", 1)[1]]))
    axe_check(page, context="waiting list offer")
    documents["offer"] = page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Annehmen").click()
    assert "Die Zeit gehört Ihnen" in page.locator("h1").inner_text()
    assert Booking.objects.get(booked_by=resident, room=room).status == "confirmed"
    page.goto(reverse("rooms:my_bookings"))
    assert page.get_by_role("link", name="Lesekreis", exact=True).is_visible()
    nu_check(documents, tmp_path)
    assert page.problems.console_errors == []
