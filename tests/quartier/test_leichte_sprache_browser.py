"""The page in Leichte Sprache in a real browser: axe-core clean, large text, pictures beside the text that move
above it on a phone, and no sideways scrolling at 320 px."""

import pytest

from ..browser import axe_check, nu_check
from ..test_crawl import WIDER_THAN_VIEWPORT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT_SIZES = """() => {
    const body = parseFloat(getComputedStyle(document.body).fontSize);
    const texts = [...document.querySelectorAll(".easy p, .easy li")];
    return {
        body,
        smallest: Math.min(...texts.map((element) => parseFloat(getComputedStyle(element).fontSize))),
        lineHeights: texts.map((element) => {
            const style = getComputedStyle(element);
            return parseFloat(style.lineHeight) / parseFloat(style.fontSize);
        }),
        alignments: [...new Set(texts.map((element) => getComputedStyle(element).textAlign))],
        count: texts.length,
    };
}"""
# Where each section's picture stands against its text: beside it (left of it) or above it.
PICTURE_PLACES = """() => [...document.querySelectorAll(".easy__section")].filter((section) =>
    section.querySelector(".easy__picture")).map((section) => {
        const picture = section.querySelector(".easy__picture").getBoundingClientRect();
        const text = section.querySelector(".easy__text").getBoundingClientRect();
        return picture.right <= text.left ? "beside" : picture.bottom <= text.top ? "above" : "overlapping";
    })"""


def test_leichte_sprache_is_large_accessible_and_fits_a_phone(page, live_server, office):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.get_by_role("link", name="Leichte Sprache").click()
    page.wait_for_url("**/leichte-sprache/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text() == "Leichte Sprache"
    sizes = page.evaluate(TEXT_SIZES)
    assert sizes["count"] > 20
    assert sizes["smallest"] >= 1.2 * sizes["body"], sizes  # the text is at least 1.2 times the body size
    assert min(sizes["lineHeights"]) >= 1.5, sizes
    assert sizes["alignments"] in (["start"], ["left"])
    assert set(page.evaluate(PICTURE_PLACES)) == {"beside"}
    axe_check(page, context="Leichte Sprache, 1280 px")

    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    assert page.evaluate(WIDER_THAN_VIEWPORT) is None  # what sticks out, if anything
    assert set(page.evaluate(PICTURE_PLACES)) == {"above"}
    assert page.get_by_role("link", name="Leichte Sprache").is_visible()  # the header link on a phone too
    axe_check(page, context="Leichte Sprache, 320 px")


def test_in_english_the_page_stays_german_and_says_so(page, live_server, office):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    page.get_by_role("link", name="Easy-to-read German").click()
    page.wait_for_url("**/leichte-sprache/")
    assert page.locator("html").get_attribute("lang") == "de"
    note = page.locator(".easy__note")
    assert note.get_attribute("lang") == "en"
    assert note.inner_text() == "This page is in Leichte Sprache, easy-to-read German."
    assert page.evaluate(WIDER_THAN_VIEWPORT) is None
    axe_check(page, context="Leichte Sprache from the English interface, 320 px")


def test_the_sign_language_video_and_link_fit_a_phone_and_are_valid(page, live_server, office, tmp_path):
    office.sign_language_video.name = "office/0123456789abcdef0123456789abcdef.mp4"  # the page only needs its name
    office.sign_language_url = "https://gebaerden.example.org/quartier-nordstadt-leichte-sprache-film"
    office.save()
    page.route("**/media/**", lambda route: route.fulfill(status=200, content_type="video/mp4", body=b""))
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/leichte-sprache/")
    video = page.locator("video")
    assert video.get_attribute("controls") is not None and video.get_attribute("autoplay") is None
    box = video.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert page.evaluate(WIDER_THAN_VIEWPORT) is None
    assert page.locator("iframe").count() == 0
    axe_check(page, context="Leichte Sprache with video and link, 320 px")
    nu_check({"/leichte-sprache/ with video and link": page.content()}, tmp_path)
