"""WCAG 2.2, 2.5.8 Target Size (Minimum), measured in a real browser on the pages people tap most: every link,
button, checkbox, radio button and disclosure is at least 24 x 24 CSS px, or has room around it (a 24 px circle
around its centre touches no other target). Links inside running text are exempt, as the criterion says.
And 2.4.11 Focus Not Obscured: nothing on these pages is sticky or fixed that could cover the focused element
(whoever makes a header sticky adds `scroll-padding` and changes this test)."""

import pytest
from django.urls import reverse

from .factories import make_user
from .rooms.factories import days_ahead, local, make_booking, make_room
from .test_crawl import _log_in as _session_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOO_SMALL = """() => {
    const selector = 'a[href], button, summary, select, textarea, input:not([type="hidden"]), [tabindex="0"]';
    const words = (el) => (el.textContent || "").replace(/\\s+/g, " ").trim();
    const targets = [];
    for (const el of document.querySelectorAll(selector)) {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        // not shown (also inside a closed <details>, whose boxes keep their place but are not rendered)
        if (box.width === 0 || box.height === 0 || !el.checkVisibility({visibilityProperty: true})) continue;
        if (el.closest(".visually-hidden") || (el.classList.contains("skip-link") && box.bottom <= 0)) continue;
        if (el.tagName === "A" && style.display === "inline") {
            // a link in a sentence: its block holds other words than the link's own
            const block = el.parentElement.closest("p, li, dd, dt, td, th, address, label, legend, h1, h2, h3, div");
            if (block && words(block).length > words(el).length) continue;
        }
        targets.push({el, box});
    }
    const small = targets.filter(({box}) => box.width < 23.5 || box.height < 23.5);
    const distance = (x, y, box) => Math.hypot(
        Math.max(box.left - x, 0, x - box.right), Math.max(box.top - y, 0, y - box.bottom));
    const centre = (box) => [box.left + box.width / 2, box.top + box.height / 2];
    return small.filter(({el, box}) => {
        const [x, y] = centre(box);
        return targets.some((other) => other.el !== el && !other.el.contains(el) && !el.contains(other.el) && (
            distance(x, y, other.box) < 12 ||
            (small.includes(other) && Math.hypot(x - centre(other.box)[0], y - centre(other.box)[1]) < 24)));
    }).map(({el, box}) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${words(el).slice(0, 30)}" ` +
        `${Math.round(box.width)}x${Math.round(box.height)}`);
}"""

STUCK = """() => [...document.querySelectorAll("body *")].filter((el) =>
    ["sticky", "fixed"].includes(getComputedStyle(el).position))
    .map((el) => el.tagName.toLowerCase() + "." + el.className)"""


@pytest.mark.parametrize("width", [375, 1280])
def test_targets_on_the_key_pages_are_at_least_24_px(page, live_server, office, width):
    resident = make_user(email="finger@example.org", display_name="Finger")
    room = make_room(name="Nachbarschaftscafé")
    day = days_ahead(7)
    make_booking(room=room, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12))
    make_booking(
        room=room,
        booked_by=make_user(email="other@example.org"),
        starts_at=local(day, 14),
        ends_at=local(day, 16),
    )
    page.set_viewport_size({"width": width, "height": 800})
    pages = {
        "login": reverse("account_login"),
        "home": reverse("home"),
        "room list": reverse("rooms:list"),
        "room search": f"{reverse('rooms:list')}?date={day.isoformat()}&start=18:00&end=20:00",
    }
    problems = []
    for name, path in pages.items():
        page.goto(path)
        page.locator(".language-switch summary").click()  # the open switch's buttons count too
        problems += [f"{name}: {target}" for target in page.evaluate(TOO_SMALL)]
        problems += [f"{name}: {element} is sticky or fixed at {width} px" for element in page.evaluate(STUCK)]
    _session_for(page.context, live_server, resident)
    for name, path in {
        "room week page": f"{room.get_absolute_url()}?week={day.isoformat()}",
        "booking form": reverse("rooms:book", args=[room.slug]),
        "my bookings": reverse("rooms:my_bookings"),
    }.items():
        page.goto(path)
        problems += [f"{name}: {target}" for target in page.evaluate(TOO_SMALL)]
        problems += [f"{name}: {element} is sticky or fixed at {width} px" for element in page.evaluate(STUCK)]
    assert problems == [], "\n".join(problems)


def test_the_measure_finds_a_small_button_beside_another(page, live_server, office):
    """The check itself: two 16 px buttons side by side fail, a 16 px link in a sentence does not."""
    page.goto(reverse("home"))
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("afterbegin",
            '<p><button id="tiny" style="all: unset; width: 16px; height: 16px">x</button>' +
            '<button id="tiny2" style="all: unset; width: 16px; height: 16px">y</button></p>' +
            '<p>Read <a href="/" style="font-size: 12px">the text</a> first.</p>')"""
    )
    found = page.evaluate(TOO_SMALL)
    assert any(target.startswith("button#tiny ") for target in found)
    assert not any("the text" in target for target in found)
