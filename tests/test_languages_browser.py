"""The portal in Arabic and Turkish in a real browser (issue 17): Arabic pages run right to left (the header, the
room's week grid and the booking form mirror, measured by bounding boxes, no screenshots) and fit a 375 px phone;
a Turkish resident books a room and gets the confirmation page and the mail in Turkish. The browser itself is
German (tests/browser.py): the language comes from the person's profile or the switch, never from the browser."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from rooms.models import Booking

from .browser import axe_check
from .factories import PASSWORD, make_user
from .rooms.factories import days_ahead, make_room
from .test_crawl import _log_in as _session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}

# Every element that sticks out of the viewport on either side (in a right-to-left page overflow goes to the
# left), leaving out what scrolls inside its own box (the week grid's table-wrap) and what is visually hidden.
OUTSIDE_THE_VIEWPORT = """() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") return true; } return false; };
    const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ?
        "." + el.className.trim().split(/\\s+/).join(".") : "");
    return [...document.body.querySelectorAll("*")].filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || box.width <= 1 || el.closest(".visually-hidden, .skip-link")) {
            return false;
        }
        return (box.left < -1 || box.right > width + 1) && !scrolls(el);
    }).map(name).slice(0, 5);
}"""


def _box(page, selector):
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return box


def _text_box(page, selector):
    """Where the text of an element is (not its box): a block label spans the column in both directions."""
    return page.locator(selector).first.evaluate(
        """(el) => { const range = document.createRange(); range.selectNodeContents(el);
                     const box = range.getBoundingClientRect(); return {x: box.x, right: box.right}; }"""
    )


def _arabic(page, live_server, user=None):
    if user is not None:
        _session_for(page.context, live_server, user)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])


def test_arabic_pages_run_right_to_left_and_mirror_the_header_week_grid_and_form(page, live_server, office):
    resident = make_user(email="layla@example.org", display_name="Layla", language="ar")
    room = make_room(name="Nachbarschaftscafé")
    _arabic(page, live_server, resident)
    page.set_viewport_size(DESKTOP)
    width = DESKTOP["width"]

    page.goto(reverse("rooms:detail", args=[room.slug]))
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # the header: the brand at the right edge, the navigation to its left
    brand, nav = _box(page, ".site-brand"), _box(page, ".main-nav")
    assert brand["x"] > width / 2 and brand["x"] + brand["width"] > width - 120
    assert nav["x"] + nav["width"] <= brand["x"] + 1
    # the week grid: the time column at the right, then Monday, Tuesday... leftwards
    header = "section.week .week-grid thead th"
    times, monday, tuesday = (_box(page, f"{header}:nth-child({n})") for n in (1, 2, 3))
    assert times["x"] > monday["x"] > tuesday["x"]
    # "previous week" points right (backwards in Arabic), "next week" left
    back = page.locator(".week-nav .go-back").evaluate("a => getComputedStyle(a, '::before').content")
    on = page.locator(".week-nav .go-on").evaluate("a => getComputedStyle(a, '::after').content")
    assert "→" in back and "←" in on
    # a booking's times stay in their order inside the Arabic text
    assert page.locator(".week-list .period bdi[dir=ltr]").count() > 0
    axe_check(page, context="room week page, Arabic")

    page.goto(reverse("rooms:book", args=[room.slug]))
    field = _box(page, "#id_title")
    label = _text_box(page, "label[for=id_title]")
    main = _box(page, "main .page__body")
    assert field["x"] + field["width"] == pytest.approx(main["x"] + main["width"], abs=2)  # the field at the right
    assert label["right"] == pytest.approx(field["x"] + field["width"], abs=2)  # the label's text ends there too
    assert label["x"] > field["x"] + field["width"] / 2  # and reads leftwards from there
    axe_check(page, context="booking form, Arabic")

    page.set_viewport_size(PHONE)
    for path in ("/", reverse("rooms:list"), reverse("rooms:detail", args=[room.slug]), page.url):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert page.evaluate(OUTSIDE_THE_VIEWPORT) == [], path
    # the language switch opens to the eight languages without widening the phone's page
    page.locator(".language-switch summary").click()
    assert page.locator(".language-switch li").count() == 8
    assert page.locator(".language-switch [lang=ar]").first.get_attribute("dir") == "rtl"
    assert page.evaluate(OUTSIDE_THE_VIEWPORT) == []
    assert page.problems.console_errors == []


def test_a_turkish_resident_books_a_room_and_gets_the_page_and_the_mail_in_turkish(page, live_server, office):
    resident = make_user(email="elif@example.org", display_name="Elif", language="tr")
    room = make_room(name="Gemeinschaftsraum")
    day = days_ahead(9)
    page.set_viewport_size(PHONE)
    page.goto(reverse("account_login"))  # the German browser's first page is German ...
    assert page.locator("html").get_attribute("lang") == "de"
    page.fill("#id_login", resident.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "tr"  # ... the login brings her language

    page.goto(f"{reverse('rooms:list')}?date={day.isoformat()}&start=18:00&end=20:00&attendees=12")
    slot = page.locator(f"main a[href^='{reverse('rooms:book', args=[room.slug])}']").first
    with page.expect_navigation():
        slot.click()
    assert page.locator("#id_date").input_value() == day.isoformat()  # the finder's answers are carried over
    assert page.locator("#id_start").input_value() == "18:00" and page.locator("#id_attendees").input_value() == "12"
    assert page.locator("#id_responsible_name").input_value() == "Elif"  # and her name from the profile
    page.fill("#id_title", "Komşu buluşması")
    page.fill("#id_responsible_phone", "0231 445566")
    page.locator("#id_accept_rules").check()
    mail.outbox.clear()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()

    booking = Booking.objects.get(booked_by=resident)
    assert booking.status == Booking.Status.CONFIRMED
    assert page.locator("html").get_attribute("lang") == "tr"
    assert page.locator("h1").inner_text() == "Komşu buluşması"
    with translation.override("tr"):
        confirmed_page = translation.gettext("Your booking is confirmed. We have sent you an e-mail.")
        subject = translation.gettext("Your booking is confirmed")
        intro = translation.gettext("Your room booking is confirmed.")
    with translation.override("de"):  # an untranslated msgid falls back to German (LANGUAGE_CODE), not English
        german = {
            translation.gettext("Your booking is confirmed"),
            translation.gettext("Your room booking is confirmed."),
        }
    assert {subject, intro}.isdisjoint({"Your booking is confirmed", "Your room booking is confirmed.", *german})
    assert confirmed_page in page.locator(".messages").inner_text()
    assert [message.subject for message in mail.outbox] == [f"[Quartier] {subject}"]
    assert intro in mail.outbox[0].body and "Your room booking" not in mail.outbox[0].body
    axe_check(page, context="booking confirmation, Turkish")
    assert page.problems.console_errors == []
