"""The door sign, the entrance screen and the notice sheet in a real browser: axe, Nu, screenshots at the sizes
of a tablet in landscape and portrait, a phone, and the notice sheet printed on A4."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from rooms.models import Booking

from ..browser import axe_check, nu_check
from ..factories import make_user
from .factories import local, make_booking, make_closure, make_location, make_room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEDNESDAY = date(2026, 12, 9)
A4_AT_96_DPI = (794, 1123)


@pytest.fixture
def house(monkeypatch, office):
    """A house with two rooms on Wednesday 9 December 2026 at 10:15: one taken now, one free until 15:00."""
    moment = local(WEDNESDAY, 10, 15)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    user = make_user(email="door@example.org")
    location = make_location(name="Nachbarschaftshaus", slug="nachbarschaftshaus", contact_phone="0231 555 66")
    saal = make_room(location=location, name="Saal", slug="saal", house_rules="Bitte die Stühle hochstellen.")
    werkstatt = make_room(location=location, name="Werkstatt", slug="werkstatt")

    def book(room, day, start, end, title, **fields):
        make_booking(
            room=room, booked_by=user, starts_at=local(day, start), ends_at=local(day, end), title=title, **fields
        )

    book(saal, WEDNESDAY, 10, 12, "Ligarat der Nordstadtliga", show_title=True)
    book(saal, WEDNESDAY, 14, 16, "Geburtstag")
    book(saal, WEDNESDAY, 18, 20, "Anfrage", status=Booking.Status.REQUESTED)
    book(werkstatt, WEDNESDAY, 15, 18, "Street-Art: Schablonen schneiden", show_title=True)
    book(saal, date(2026, 12, 12), 15, 19, "Feier")
    make_closure(room=saal, starts_at=local(date(2026, 12, 11), 0), ends_at=local(date(2026, 12, 12), 0))
    return {"saal": saal, "location": location}


def _screenshot(page, path, width, height) -> Image.Image:
    page.set_viewport_size({"width": width, "height": height})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {width}×{height}"
    image = Image.open(io.BytesIO(page.screenshot(path=str(path), full_page=True)))
    colours = image.convert("L").getextrema()
    assert colours[0] < 40 and colours[1] > 215, "the screenshot is blank"  # dark and light pixels: text drawn
    return image


def test_door_sign_is_clean_and_fits_a_tablet_either_way_and_a_phone(page, live_server, house, tmp_path):
    page.goto(reverse("rooms:today", args=["saal"]) + "?bildschirm=1")  # the screen at the door
    assert page.locator('meta[http-equiv="refresh"]').get_attribute("content") == "60"
    with page.expect_navigation():
        page.get_by_role("link", name="Neuladen beenden").click()
    # What a person sees who opens the sign from the room's page: the same, without reloading (WCAG 2.2.1)
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert page.locator("h1").inner_text() == "Saal"
    assert "Ligarat der Nordstadtliga" in page.locator(".door-now").inner_text()
    axe_check(page, context="door sign")
    for width, height in ((1280, 800), (800, 1280), (320, 640)):
        image = _screenshot(page, tmp_path / f"door-{width}x{height}.png", width, height)
        assert image.width == width
        qr = page.locator("svg.qr").bounding_box()
        assert qr["width"] >= 100 and qr["width"] == pytest.approx(qr["height"], abs=1)  # scannable, square
        big = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.door-now__state')).fontSize)")
        assert big >= 28  # readable from a few steps away
    landscape = page.evaluate("document.querySelector('.door-qr').getBoundingClientRect().top")
    assert landscape >= 0
    documents = {"door sign": page.content()}

    page.goto(reverse("rooms:location_today", args=[house["location"].slug]))
    assert page.locator(".door-room h2").all_inner_texts() == ["Saal", "Werkstatt"]
    assert "frei bis 15:00" in page.locator(".door-room").nth(1).inner_text()
    axe_check(page, context="entrance screen")
    for width, height in ((1920, 1080), (1080, 1920), (320, 640)):
        _screenshot(page, tmp_path / f"house-{width}x{height}.png", width, height)
    documents["entrance screen"] = page.content()
    nu_check(documents, tmp_path)


def test_notice_sheet_is_clean_and_prints_on_one_a4_page(page, live_server, house, tmp_path):
    page.goto(reverse("rooms:notice", args=["saal"]) + "?woche=2026-W50")
    axe_check(page, context="notice sheet")
    documents = {"notice sheet": page.content()}
    _screenshot(page, tmp_path / "notice-phone.png", 320, 640)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".notice-nav").is_visible()
    width, height = A4_AT_96_DPI
    image = _screenshot(page, tmp_path / "notice-a4.png", width, height)
    assert (image.width, image.height) == (width, height)  # the week fits one A4 page
    text = page.locator(".notice").inner_text()
    for expected in ("Ligarat der Nordstadtliga", "10:00–12:00", "belegt", "vorgemerkt", "ganztägig", "0231 555 66"):
        assert expected in text
    assert "Geburtstag" not in text and "Feier" not in text
    nu_check(documents, tmp_path)
