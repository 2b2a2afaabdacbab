"""The office counter's pages in a real browser, as office staff see them: the event registration (with a full
event's waiting list), its printable confirmation, the rooms counter's series preview and the day list with the
no-show button. axe, the Nu checker, and no sideways scrolling at 320 and 1280 px."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Registration
from rooms.models import Booking

from ..browser import axe_check, nu_check
from ..factories import make_staff, make_user
from ..rooms.factories import days_ahead, make_booking, make_room
from .factories import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


# The page's own content: the header's language switch (all eight languages) is the base template's and is
# measured by the crawl; here what these pages add must not push the main column wider than the screen.
MAIN_OVERFLOW = """() => {
    const main = document.querySelector("main");
    return main.scrollWidth - main.clientWidth;
}"""


def _fits(page) -> None:
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(MAIN_OVERFLOW)
        assert overflow <= 0, f"{page.url}: the content is {overflow}px wider than the screen at {width} px"


def test_the_counter_pages_are_clean_and_fit_a_phone(page, live_server, office, tmp_path):
    staff = make_staff(email="schalter@example.org")
    full = make_event(title="Nachbarschaftsfrühstück mit sehr langem Titel für das Handy", capacity=1)
    services.register(event=full, user=make_user())
    room = make_room(name="Saal")
    start = timezone.localtime() - timedelta(hours=2)
    make_booking(room=room, booked_by=None, channel="office", starts_at=start, ends_at=start + timedelta(hours=1))
    _log_in(page, live_server, staff)
    documents = {}

    page.goto(reverse("events:counter") + f"?event={full.pk}")
    axe_check(page)
    _fits(page)
    documents["counter"] = page.content()
    page.fill("#id_name", "Emine Yıldız")
    page.fill("#id_phone", "0231 778899")
    page.click("button[type=submit]:has-text('Anmelden')")
    page.wait_for_url("**/bestaetigung/")
    assert Registration.objects.get(name="Emine Yıldız").status == Registration.Status.WAITING
    assert "Warteliste" in page.inner_text("main")
    axe_check(page)
    _fits(page)
    documents["confirmation"] = page.content()

    page.goto(reverse("rooms:counter_day") + f"?datum={start.date().isoformat()}")
    axe_check(page)
    _fits(page)
    documents["day"] = page.content()
    page.click("button:has-text('Als nicht erschienen eintragen')")
    page.wait_for_load_state()
    assert Booking.objects.get().no_show

    page.goto(reverse("rooms:counter"))
    page.select_option("#id_room", str(room.pk))
    page.fill("#id_date", days_ahead(3).isoformat())
    page.fill("#id_start", "18:00")
    page.fill("#id_end", "20:00")
    page.fill("#id_title", "Chorprobe")
    page.fill("#id_attendees", "12")
    page.fill("#id_responsible_name", "Emine Yıldız")
    page.fill("#id_responsible_phone", "0231 778899")
    page.check("input[name=repeat][value=weekly]")
    page.fill("#id_count", "3")
    page.click("button[type=submit]:has-text('Buchen')")
    assert page.locator("input[name=dates]").count() == 3
    axe_check(page)
    _fits(page)
    documents["series preview"] = page.content()
    page.click("button[name=step][value=confirm]")
    page.wait_for_url("**/bestaetigung/")
    assert Booking.objects.filter(series__isnull=False).count() == 3
    assert "3 Termine" in page.inner_text("main")
    nu_check(documents, tmp_path)
