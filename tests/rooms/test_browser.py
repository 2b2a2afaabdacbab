"""Rooms in a real browser: a resident books with the keyboard only; every rooms page passes axe and Nu."""

import re

import pytest
from django.urls import reverse

from rooms.mails import cancel_token
from rooms.models import Booking, BookingSeries

from ..browser import axe_check, nu_check
from ..factories import PASSWORD, make_user
from .factories import days_ahead, form_data, local, make_booking, make_closure, make_room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email):
    page.goto(reverse("account_login"))
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _tab_to(page, predicate_js: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches; fail if it never does (keyboard reachability)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate_js}; }})()"):
            return
    pytest.fail(f"never reached by keyboard: {predicate_js}")


def test_resident_books_a_free_slot_with_the_keyboard_only(page, live_server, office):
    user = make_user(email="tastatur@example.org", display_name="Kim Tastatur")
    room = make_room(name="Besprechungsraum", capacity=12)
    week = days_ahead(10)  # its Monday is at least four days ahead, past the 48 hours' notice
    monday = week.fromordinal(week.toordinal() - week.weekday())
    _log_in(page, user.email)
    page.goto(reverse("rooms:detail", args=[room.slug]) + f"?week={monday.isoformat()}")
    slot = f"date={monday.isoformat()}&start=10:00&end=11:00"
    _tab_to(page, f"el.tagName === 'A' && el.getAttribute('href').endsWith({slot!r})")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#id_date").input_value() == monday.isoformat()
    assert page.locator("#id_start").input_value() == "10:00"

    _tab_to(page, "el.id === 'id_title'")
    page.keyboard.type("Treffen der Hausgemeinschaft")
    _tab_to(page, "el.id === 'id_attendees'")
    page.keyboard.type("8")
    _tab_to(page, "el.id === 'id_responsible_phone'")
    page.keyboard.type("0231 445566")
    _tab_to(page, "el.id === 'id_accept_rules'")
    page.keyboard.press("Space")
    _tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Treffen der Hausgemeinschaft" in page.locator("h1").inner_text()
    assert Booking.objects.filter(booked_by=user, status="confirmed").count() == 1
    page.goto(reverse("rooms:my_bookings"))
    assert page.get_by_role("link", name="Treffen der Hausgemeinschaft", exact=True).is_visible()
    page.goto(reverse("rooms:detail", args=[room.slug]) + f"?week={monday.isoformat()}")
    assert "Ihre Buchung: Treffen der Hausgemeinschaft" in page.locator(".week-grid").inner_text()
    assert page.problems.console_errors == []


def test_week_calendar_becomes_a_list_on_a_phone(browser, live_server, office):
    room = make_room()
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    phone = context.new_page()
    phone.goto(reverse("rooms:detail", args=[room.slug]))
    assert phone.locator(".week-list").is_visible()
    assert not phone.locator(".week-grid").is_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    context.close()


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_rooms_page_is_accessible_and_valid(page, live_server, tmp_path, office, language):
    user = make_user(email=f"pruefung-{language}@example.org", language=language)
    other = make_user()
    room = make_room(name="Saal", fee_per_hour="20.00", deposit="150.00", house_rules="Besenrein verlassen.")
    day = days_ahead(7)
    monday = day.fromordinal(day.toordinal() - day.weekday())
    make_booking(room=room, booked_by=other, starts_at=local(monday, 10), ends_at=local(monday, 12))
    make_closure(
        room=room,
        starts_at=local(monday.fromordinal(monday.toordinal() + 2), 0),
        ends_at=local(monday.fromordinal(monday.toordinal() + 2), 23),
        reason="Reinigung",
    )
    own = make_booking(
        room=room, booked_by=user, starts_at=local(monday, 14), ends_at=local(monday, 16), title="Chorprobe"
    )
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    _log_in(page, user.email)
    documents = {}

    def check(label):
        assert page.locator("html").get_attribute("lang") == language
        axe_check(page, context=f"{label} [{language}]")
        documents[f"{label} [{language}]"] = page.content()

    series = BookingSeries.objects.create(room=room, booked_by=user, frequency="weekly")
    dated = [
        make_booking(
            room=room,
            booked_by=user,
            series=series,
            title="Schreibwerkstatt",
            starts_at=local(monday.fromordinal(monday.toordinal() + 7 * n + 3), 18),
            ends_at=local(monday.fromordinal(monday.toordinal() + 7 * n + 3), 20),
        )
        for n in range(2)
    ]
    pages = {
        "series booking": reverse("rooms:booking_detail", args=[dated[0].pk]),
        "series cancel": reverse("rooms:series_cancel", args=[dated[0].pk]),
        "cancel link": reverse("rooms:cancel_by_link", args=[cancel_token(own)]),
        "cancel link invalid": reverse("rooms:cancel_by_link", args=["kaputt:token"]),
        "room list": reverse("rooms:list"),
        "room list filtered": reverse("rooms:list") + f"?date={monday.isoformat()}&start=10:00&end=12:00&attendees=5",
        "room list with errors": reverse("rooms:list") + "?date=nix&start=25:00",
        "room page": reverse("rooms:detail", args=[room.slug]) + f"?week={monday.isoformat()}",
        "booking form": reverse("rooms:book", args=[room.slug]) + f"?date={day.isoformat()}&start=18:00&end=20:00",
        "booking detail": reverse("rooms:booking_detail", args=[own.pk]),
        "cancel confirmation": reverse("rooms:booking_cancel", args=[own.pk]),
        "my bookings": reverse("rooms:my_bookings"),
        "home": "/",
    }
    for label, url in pages.items():
        page.goto(url)
        check(label)

    page.goto(pages["booking form"])
    page.fill("#id_title", "Probe")
    page.fill("#id_attendees", "500")
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([value=price])").click()
    assert page.locator(".form-errors").is_visible()
    check("booking form with errors")

    page.goto(pages["booking form"])
    page.fill("#id_title", "Familienfeier")
    page.fill("#id_attendees", "15")
    page.fill("#id_responsible_phone", "0231 445566")
    page.check("#id_private_use")
    with page.expect_navigation():
        page.locator("main form button[value=price]").click()
    assert "40" in page.locator("#price-result").inner_text()
    check("booking form with price")

    page.goto(pages["booking form"])
    for name, value in form_data(day, "18:00", "20:00", attendees="8").items():
        if name in {"title", "responsible_phone"}:
            page.fill(f"#id_{name}", value)
    page.fill("#id_attendees", "8")
    page.check("#id_repeat_1")
    page.fill("#id_count", "3")
    page.check("#id_accept_rules")
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([value=price])").click()
    assert page.locator("input[name=dates]").count() == 3
    check("series preview")
    # The invalid cancel link answers 404 on purpose: its own status is the only failed resource.
    assert [e for e in page.problems.console_errors if "kaputt" not in e] == []
    nu_check(documents, tmp_path)
    assert re.search(r"Saal", documents[f"room page [{language}]"])


def test_the_loser_of_a_race_for_a_slot_sees_other_times_and_rooms_on_a_phone(browser, live_server, office):
    """Issue 13 point 8: at 375 px the race loser reads what happened and can pick another time or room."""
    user = make_user(email="knapp@example.org", display_name="Kim Knapp")
    rival = make_user()
    room = make_room(name="Saal", capacity=30)
    make_room(name="Nachbarsaal", capacity=30)
    day = days_ahead(7)
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="de-DE", base_url=live_server.url)
    phone = context.new_page()
    _log_in(phone, user.email)
    phone.goto(reverse("rooms:book", args=[room.slug]) + f"?date={day.isoformat()}&start=18:00&end=20:00&attendees=12")
    assert phone.locator("#id_attendees").input_value() == "12"
    phone.fill("#id_title", "Nachbarschaftstreffen")
    phone.fill("#id_responsible_phone", "0231 445566")
    phone.check("#id_accept_rules")
    make_booking(room=room, booked_by=rival, starts_at=local(day, 18), ends_at=local(day, 20))  # a moment quicker
    with phone.expect_navigation():
        phone.locator("main button[type=submit]").first.click()

    alert = phone.locator("#slot-taken")
    assert alert.is_visible()
    assert "Dieser Zeitraum wurde gerade von jemand anderem gebucht." in alert.inner_text()
    assert phone.locator("#id_title").input_value() == "Nachbarschaftstreffen"
    other_room = alert.get_by_role("link", name=re.compile("^Nachbarsaal"))
    assert other_room.is_visible()
    assert len(alert.locator("ul.slots").first.get_by_role("link").all()) == 3
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    axe_check(phone, context="race loser at 375 px")
    with phone.expect_navigation():
        other_room.click()
    assert "Nachbarsaal" in phone.locator("h1").inner_text()
    assert phone.locator("#id_start").input_value() == "18:00"
    assert phone.locator("#id_attendees").input_value() == "12"
    context.close()
