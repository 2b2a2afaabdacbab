"""A booking journey with the keyboard only, and the account pages at phone and desktop widths."""

import pytest
from django.urls import reverse

from rooms.models import Booking

from ..browser import axe_check
from ..factories import PASSWORD, make_user
from .factories import days_ahead, local, make_booking, make_room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "(() => { const el = document.activeElement; return %s; })()"


class Keyboard:
    """Presses Tab until the wanted element has focus, and counts every press of the journey."""

    def __init__(self, page):
        self.page = page
        self.presses = 0

    def tab_to(self, predicate_js: str, limit: int = 200) -> None:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            self.presses += 1
            if self.page.evaluate(FOCUSED % predicate_js):
                return
        pytest.fail(f"never reached by keyboard: {predicate_js}")

    def skip_to(self, target: str) -> None:
        """Use the page's skip link to `target` (#main, #ergebnisse), as a keyboard user would."""
        self.tab_to(f"el.classList.contains('skip-link') && el.getAttribute('href') === {target!r}")
        self.page.keyboard.press("Enter")

    def focused(self, predicate_js: str) -> bool:
        return self.page.evaluate(FOCUSED % predicate_js)


def _log_in(page, email):
    page.goto(reverse("account_login"))
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_booking_with_calendar_file_and_cancellation_takes_few_tab_presses(page, live_server, office):
    user = make_user(email="tastatur@example.org", display_name="Kim Tastatur")
    make_room(name="Nachbarschaftscafé", capacity=30)
    room = make_room(name="Besprechungsraum", capacity=12)
    day = days_ahead(9)
    _log_in(page, user.email)
    keys = Keyboard(page)

    page.goto(reverse("rooms:list"))
    keys.skip_to("#main")
    keys.tab_to("el.id === 'id_date'")
    page.locator("#id_date").fill(day.isoformat())
    keys.tab_to("el.id === 'id_start'")
    page.locator("#id_start").fill("10:00")
    keys.tab_to("el.id === 'id_end'")
    page.locator("#id_end").fill("12:00")
    keys.tab_to("el.id === 'id_attendees'")
    page.keyboard.type("8")
    keys.tab_to("el.tagName === 'BUTTON' && el.closest('form.room-search')")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # on the results, the next Tab goes into the results, not through the page's header and the form
    assert keys.focused("el.id === 'ergebnisse'"), "the results have focus after the search"
    slot = f"/raeume/{room.slug}/"
    keys.tab_to(f"el.tagName === 'A' && el.pathname.startsWith({slot!r}) && el.search.includes('start=10:00')")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # a refused form: the error summary has focus, its link leads to the field
    keys.skip_to("#main")
    keys.tab_to("el.id === 'id_title'")
    page.keyboard.type("Treffen der Hausgemeinschaft")
    keys.tab_to("el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert keys.focused("el.classList.contains('form-errors')"), "the error summary has focus"
    keys.tab_to("el.tagName === 'A' && el.closest('.form-errors') && el.hash === '#id_attendees'")
    page.keyboard.press("Enter")
    assert keys.focused("el.id === 'id_attendees'")
    page.keyboard.type("8")
    keys.tab_to("el.id === 'id_responsible_phone'")
    page.keyboard.type("0231 445566")
    keys.tab_to("el.id === 'id_accept_rules'")
    page.keyboard.press("Space")
    keys.tab_to("el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    booking = Booking.objects.get(booked_by=user)
    assert booking.status == Booking.Status.CONFIRMED
    assert "Treffen der Hausgemeinschaft" in page.locator("h1").inner_text()
    keys.skip_to("#main")
    keys.tab_to("el.tagName === 'A' && el.pathname.endsWith('.ics')")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".ics")
    keys.tab_to("el.tagName === 'A' && el.pathname.endsWith('/stornieren/')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    keys.skip_to("#main")
    keys.tab_to("el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    print(f"Tab presses for the journey: {keys.presses}")
    # 150 presses before the results took focus and the error summary did (88 when using the skip links as
    # here); now 113 without skip links, 72 with them: what remains is the form's own fields (a date input
    # takes one Tab per part: day, month, year).
    assert keys.presses <= 75
    assert page.problems.console_errors == []
