"""At 1280 px, the width of an office laptop, the lists staff and residents come for show every column: the admin's
bookings (status, key, deposit) and payments, and the resident's "Meine Pauschalen" with "Verbleibend" (there a row
heading: one column per allowance, the figures as rows).

Nothing is cut off: the page does not scroll sideways, and the named heading lies inside the window and inside the
box that holds its table (a table that only scrolls sideways inside its box hides the column too)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rooms.models import Booking
from tests.factories import make_staff, make_user
from tests.initiatives.factories import make_initiative
from tests.rooms.factories import local, make_booking, make_room
from tests.volunteers.factories import make_declaration, make_engagement, make_volunteer, pay
from volunteers import services
from volunteers.models import AllowanceType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280

# The heading's box against the window and against each box around it that clips (scrolls or hides) its content.
MEASURE = r"""(heading) => {
  const text = (el) => el.textContent.replace(/\s+/g, " ").trim().toLowerCase();
  const cells = [...document.querySelectorAll("th")].filter((th) => text(th) === heading.toLowerCase());
  if (!cells.length) return {found: false};
  const th = cells[0], box = th.getBoundingClientRect();
  const clipped = [];
  for (let el = th.parentElement; el && el !== document.documentElement; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) {
      const outer = el.getBoundingClientRect();
      if (box.right > outer.right + 1 || box.left < outer.left - 1 || el.scrollWidth > el.clientWidth + 1) {
        clipped.push(`${el.tagName}.${el.className} (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
  }
  return {
    found: true,
    right: box.right,
    width: innerWidth,
    pageWidth: document.documentElement.scrollWidth,
    clipped,
  };
}"""


def _log_in(page, live_server, user, language):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


def _assert_columns_fit(page, url, headings):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    response = page.goto(url)
    assert response.status == 200
    for heading in headings:
        seen = page.evaluate(MEASURE, heading)
        assert seen["found"], f"no column {heading!r} on {url}"
        assert seen["pageWidth"] <= seen["width"], f"{url} scrolls sideways: {seen}"
        assert seen["right"] <= seen["width"], f"{heading!r} lies outside the window on {url}: {seen}"
        assert seen["clipped"] == [], f"{heading!r} is hidden in a box that scrolls sideways on {url}: {seen}"


def _bookings(staff):
    resident = make_user(email="jana.mustermann-oberhausen@example.org", display_name="Jana Mustermann-Oberhausen")
    room = make_room(name="Großer Saal im Nachbarschaftshaus am Borsigplatz")
    day = timezone.localdate() + timedelta(days=10)
    for index, status in enumerate(["requested", "confirmed", "confirmed", "declined", "cancelled"]):
        booking = make_booking(
            room=room,
            booked_by=resident,
            starts_at=local(day + timedelta(days=index), 17),
            ends_at=local(day + timedelta(days=index), 21),
            title="Geburtstagsfeier mit Familie und Nachbarschaft",
            status=status,
            private_use=True,
            fee="120.00",
            deposit="150.00",
        )
        if index == 1:
            Booking.objects.filter(pk=booking.pk).update(key_issued_at=timezone.now(), key_issued_by=staff)


def _allowances(staff, resident):
    volunteer = make_volunteer(user=resident, name="Maria Kowalski-Schmidtbauer")
    club = make_initiative(is_nonprofit=True, name="Sportgemeinschaft Nordstadt-Borsigplatz e. V.")
    trainer = make_engagement(
        volunteer=volunteer, payer_initiative=club, activity="Training der U12", allowance_type=AllowanceType.TRAINER
    )
    honorary = make_engagement(volunteer=volunteer, activity="Kasse beim Stadtteilfest")
    make_declaration(trainer, 2025, received_elsewhere="1250.00")
    make_declaration(honorary, 2025, received_elsewhere="120.50")
    pay(trainer, "1250.00", date(2025, 3, 1), staff, purpose="Trainingsstunden Januar bis März")
    wrong = pay(honorary, "300.00", date(2025, 4, 1), staff, purpose="Frühjahr und Sommerfest")
    services.reverse_payment(payment=wrong, reason="Doppelt gebucht", by=staff)
    return volunteer


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_admin_lists_show_status_key_deposit_and_amounts_at_1280_px(page, live_server, office, language):
    staff = make_staff(email="buero.nordstadt@example.org")
    _bookings(staff)
    _allowances(staff, make_user())
    _log_in(page, live_server, staff, language)
    de = language == "de"
    _assert_columns_fit(
        page,
        live_server.url + reverse("admin:rooms_booking_changelist"),
        ["Status", "Schlüssel" if de else "key", "Kaution" if de else "deposit"],
    )
    _assert_columns_fit(
        page,
        live_server.url + reverse("admin:volunteers_payment_changelist"),
        ["Betrag (EUR)" if de else "amount (EUR)", "Storniert" if de else "reverses"],
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_my_allowances_show_what_remains_at_1280_px(page, live_server, office, resident, language):
    _allowances(make_staff(), resident)
    _log_in(page, live_server, resident, language)
    de = language == "de"
    _assert_columns_fit(
        page,
        live_server.url + reverse("volunteers:my_allowances"),
        ["Verbleibend" if de else "Remaining", "Steuerpflichtig" if de else "Taxable"]
        + ["davon steuerpflichtig" if de else "of which taxable"],
    )
