"""Everyday journeys in a real browser (issue 13): an English-speaking resident on a phone, office staff at
1280 px in an English admin. The browser's own language is German (tests/browser.py), as on a shared
computer in the Stadtteilbüro: what the portal shows must come from the person's choice, not the browser."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from rooms.models import Booking

from .browser import axe_check
from .factories import PASSWORD, make_staff, make_user
from .rooms.factories import days_ahead, local, make_booking, make_room
from .test_crawl import _log_in as _session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
NO_SIDEWAYS_SCROLLING = "document.documentElement.scrollWidth <= window.innerWidth"


def _log_in_with_the_form(page, email):
    page.goto(reverse("account_login"))
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()


def test_an_english_resident_stays_english_across_logins_on_a_german_browser_and_gets_english_mail(page, office):
    """Points 3 and 4: the language of her profile at every login; her cancelled booking leaves "Upcoming"."""
    page.set_viewport_size(PHONE)
    resident = make_user(email="amira@example.org", display_name="Amira", language="en")
    room = make_room(name="Nachbarschaftscafé")
    day = days_ahead(10)
    booking = make_booking(
        room=room, booked_by=resident, title="Homework club", starts_at=local(day, 16), ends_at=local(day, 18)
    )
    make_booking(
        room=room,
        booked_by=resident,
        title="Knitting circle",
        starts_at=local(days_ahead(12), 10),
        ends_at=local(days_ahead(12), 12),
    )

    for _attempt in range(2):  # logged out in between: the second login keeps English just the same
        _log_in_with_the_form(page, resident.email)
        assert page.locator("html").get_attribute("lang") == "en"
        page.goto(reverse("rooms:my_bookings"))
        assert page.locator("h1").inner_text() == "My bookings"
        page.context.clear_cookies()

    _log_in_with_the_form(page, resident.email)
    page.goto(reverse("rooms:booking_cancel", args=[booking.pk]))
    mail.outbox.clear()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert [message.subject for message in mail.outbox] == ["[Quartier] Your booking is cancelled"]

    page.goto(reverse("rooms:my_bookings"))
    upcoming = page.locator("main section").filter(has=page.locator("#upcoming-title"))
    withdrawn = page.locator("main section").filter(has=page.locator("#withdrawn-title"))
    assert "Knitting circle" in upcoming.inner_text() and "Homework club" not in upcoming.inner_text()
    assert "Homework club" in withdrawn.inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLLING)
    axe_check(page, context="my bookings with a cancelled booking, 375 px, English")


def _english_admin(page, live_server, staff):
    _session_for(page.context, live_server, staff)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.set_viewport_size(DESKTOP)


def test_an_amount_typed_with_a_comma_in_the_english_admin_is_one_euro_fifty(page, live_server, office):
    """Point 14: `1,50` in an English admin is 1.50 €, not 150 €; an ambiguous `1.500` is refused and kept."""
    staff = make_staff(email="kasse@example.org", language="en")
    room = make_room(name="Saal", fee_per_hour=Decimal("12.00"))
    _english_admin(page, live_server, staff)
    page.goto(reverse("admin:rooms_room_change", args=[room.pk]))
    field = page.locator("#id_fee_per_hour")
    assert field.get_attribute("type") == "text" and field.get_attribute("inputmode") == "decimal"

    field.fill("1.500")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    assert page.locator("#id_fee_per_hour").input_value() == "1.500"
    assert "ambiguous" in page.locator(".errorlist").first.inner_text().lower()
    room.refresh_from_db()
    assert room.fee_per_hour == Decimal("12.00")

    page.locator("#id_fee_per_hour").fill("1,50")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    room.refresh_from_db()
    assert room.fee_per_hour == Decimal("1.50")


def test_cancelling_bookings_in_the_admin_first_lists_them_and_asks_for_the_reason(page, live_server, office):
    """Point 16: no cancel without seeing the list and giving the reason that goes into the mail."""
    staff = make_staff(email="buero2@example.org", language="en")
    resident = make_user(email="jan@example.org", display_name="Jan")
    day = days_ahead(8)
    booking = make_booking(
        room=make_room(name="Werkstatt"),
        booked_by=resident,
        title="Bike repair",
        starts_at=local(day, 9),
        ends_at=local(day, 11),
    )
    _english_admin(page, live_server, staff)
    page.goto(reverse("admin:rooms_booking_changelist"))
    page.locator(f"input[name=_selected_action][value='{booking.pk}']").check()
    page.select_option("select[name=action]", "cancel_selected")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    confirmation = page.locator("#content").inner_text()
    assert "Bike repair" in confirmation and "reason" in confirmation.lower()
    booking.refresh_from_db()
    assert booking.status != Booking.Status.CANCELLED  # nothing happened yet
    axe_check(page, context="admin: cancel bookings, confirmation")

    mail.outbox.clear()
    page.locator("textarea[name=reason], input[name=reason]").fill("Water damage in the workshop")
    with page.expect_navigation():
        page.locator("#content form [type=submit]").last.click()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert any("Water damage in the workshop" in message.body for message in mail.outbox)
    assert page.evaluate(NO_SIDEWAYS_SCROLLING)


def test_the_admin_booking_list_shows_status_key_and_deposit_at_1280_px(page, live_server, office):
    """Point 19 together with 17: the office's columns are on the screen, the key filter is there."""
    staff = make_staff(email="buero3@example.org")
    day = days_ahead(3)
    make_booking(
        room=make_room(name="Saal"),
        booked_by=make_user(email="k@example.org"),
        starts_at=local(day, 18),
        ends_at=local(day, 20),
    )
    _session_for(page.context, live_server, staff)
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("admin:rooms_booking_changelist"))
    assert page.evaluate(NO_SIDEWAYS_SCROLLING)
    for column in ("column-status", "column-key_state", "column-deposit_state"):
        box = page.locator(f"th.{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= DESKTOP["width"], column
