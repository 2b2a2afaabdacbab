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

    # a refused form: the error summary has focus, its link leads to the field (the finder carried the number of
    # people into the form; without it the form is refused)
    page.evaluate("document.getElementById('id_attendees').value = ''")  # without moving the focus
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


OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("width", [375, 1280])
def test_a_message_on_my_bookings_keeps_the_table_in_the_main_column(browser, live_server, office, width):
    user = make_user(email="konto@example.org")
    room = make_room(name="Gemeinschaftsraum mit Küche")
    bookings = [
        make_booking(
            room=room,
            booked_by=user,
            title=title,
            starts_at=local(days_ahead(7 + n), 18),
            ends_at=local(days_ahead(7 + n), 20),
        )
        for n, title in enumerate(["Elterncafé", "Hausversammlung", "Spieleabend"])
    ]
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="de-DE", base_url=live_server.url)
    page = context.new_page()
    _log_in(page, user.email)
    page.goto(reverse("rooms:booking_cancel", args=[bookings[0].pk]))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    assert page.url.endswith(reverse("rooms:my_bookings"))
    assert page.locator(".messages").is_visible()  # the cancellation's message is shown ...
    table = page.locator("table.bookings").bounding_box()
    body = page.locator(".page__body").bounding_box()
    main = page.locator("main").bounding_box()
    assert page.evaluate(OVERFLOW) <= 0
    assert page.locator("table.bookings").evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    cancel = page.locator(f"table.bookings a[href='{reverse('rooms:booking_cancel', args=[bookings[2].pk])}']")
    assert cancel.inner_text().startswith("Stornieren")
    assert cancel.is_visible()
    assert cancel.bounding_box()["x"] + cancel.bounding_box()["width"] <= width
    if width >= 1280:
        # ... and the table stays in the wide column beside the menu, as wide as that column
        menu = page.locator(".sub-nav__full").bounding_box()
        assert table["x"] >= menu["x"] + menu["width"]
        assert table["width"] >= body["width"] - 1
        assert body["width"] > main["width"] * 0.6
        assert page.locator(".messages").bounding_box()["x"] == pytest.approx(body["x"], abs=1)
    else:
        # on a phone: the menu is one folded line above the heading, each booking a card with its labels
        assert page.locator(".sub-nav__compact summary").is_visible()
        assert not page.locator(".sub-nav__full").is_visible()
        # the heading in the first screen, below the header (menu, Leichte Sprache, account, language switch)
        assert page.locator("h1").bounding_box()["y"] < 450
        assert table["width"] <= main["width"]
        room_cell = page.locator("table.bookings tbody tr").first.locator("td").nth(1)
        assert "Raum" in room_cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert room_cell.bounding_box()["width"] > main["width"] * 0.8  # a card: the cell spans the row
        assert page.locator("table.bookings thead").bounding_box()["height"] <= 1
    assert "Elterncafé" in page.locator("#withdrawn-title + ul").inner_text()
    assert "Elterncafé" not in page.locator("table.bookings").inner_text()
    axe_check(page, context=f"my bookings with a message at {width} px")
    context.close()


@pytest.mark.parametrize("width", [320, 375])
def test_the_booking_confirmation_fits_a_phone(browser, live_server, office, width):
    user = make_user(email="telefon@example.org")
    booking = make_booking(
        room=make_room(name="Nachbarschaftswerkstatt"),
        booked_by=user,
        starts_at=local(days_ahead(7), 18),
        ends_at=local(days_ahead(7), 20),
        responsible_email="kontaktperson.der.hausgemeinschaft.nordstadt@beispielverein-dortmund.example",
    )
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="de-DE", base_url=live_server.url)
    page = context.new_page()
    _log_in(page, user.email)
    page.goto(reverse("rooms:booking_detail", args=[booking.pk]))
    assert page.get_by_text("kontaktperson.der.hausgemeinschaft", exact=False).is_visible()
    assert page.evaluate(OVERFLOW) <= 0
    page.goto(reverse("rooms:my_bookings"))
    assert page.evaluate(OVERFLOW) <= 0
    cancel = page.locator(f"table.bookings a[href='{reverse('rooms:booking_cancel', args=[booking.pk])}']")
    assert cancel.is_visible()
    assert cancel.bounding_box()["x"] + cancel.bounding_box()["width"] <= width
    context.close()
