"""Series reconfirmation: asked before the period ends, reminded, released without an answer (the waiting list is
asked), signed links tampered / replayed / expired, the cron command twice; no-shows and the office's alert."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quartier.models import OutgoingMail
from rooms import reconfirm, services, waitlist
from rooms.models import Booking, BookingSeries, WaitlistEntry

from ..factories import make_staff, make_user
from .factories import days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


def _series(room, booker, first_day, count=12):
    series = BookingSeries.objects.create(room=room, booked_by=booker, frequency="weekly")
    for n in range(count):
        day = first_day + timedelta(weeks=n)
        make_booking(room=room, booked_by=booker, series=series, starts_at=local(day, 18), ends_at=local(day, 20))
    return series


@pytest.fixture
def setting(office):
    room = make_room(reconfirm_every_weeks=8, reconfirm_notice_days=14, reconfirm_reminder_days=7)
    booker = make_user(display_name="Chorleiterin")
    series = _series(room, booker, days_ahead(-20), count=16)  # dates from three weeks ago on
    series.confirmed_until = timezone.localdate() + timedelta(days=10)  # the period ends in 10 days: ask now
    series.save()
    return room, booker, series


def _run(now=None):
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=now or timezone.now()):
        call_command("reconfirm_series", stdout=out)
    return out.getvalue()


def _mails(user):
    return list(OutgoingMail.objects.filter(to=user.email).order_by("pk"))


def test_asked_once_then_reminded_once_then_released(setting):
    room, booker, series = setting
    waiting, member = make_user(), make_staff()
    later = list(reconfirm.unconfirmed_dates(series))
    entry = waitlist.join(
        room=room,
        user=waiting,
        starts_at=later[0].starts_at,
        ends_at=later[0].ends_at,
        title="Yoga",
        attendees=5,
        responsible_name="W",
        responsible_phone="1",
    )
    assert "1 asked" in _run()
    assert "0 asked, 0 reminded, 0 released" in _run()  # twice: no second mail
    assert len(_mails(booker)) == 1
    body = _mails(booker)[0].message["body"]
    slot = f"{timezone.localtime(later[0].starts_at):%H:%M}–{timezone.localtime(later[0].ends_at):%H:%M}"
    assert "Benötigen Sie" in body and slot in body and reverse("rooms:series_reconfirm", args=["x"])[:-3] in body
    now = timezone.now()
    assert "1 reminded" in _run(now + timedelta(days=7))
    assert "0 reminded" in _run(now + timedelta(days=8))
    assert len(_mails(booker)) == 2
    out = _run(now + timedelta(days=12))
    assert "1 released" in out
    assert "0 released" in _run(now + timedelta(days=13))
    series.refresh_from_db()
    assert series.released_at is not None
    assert all(b.status == "cancelled" for b in Booking.objects.filter(pk__in=[b.pk for b in later]))
    # The confirmed dates stay; the office and the booker hear about the release; the waiting list is asked.
    assert series.bookings.filter(status="confirmed", starts_at__gt=timezone.now()).exists()
    assert len(_mails(booker)) == 3
    assert [m.subject for m in _mails(member)] == ["[Quartier] Serientermine freigegeben (nicht bestätigt)"] or any(
        "freigegeben" in m.subject for m in _mails(member)
    )
    entry.refresh_from_db()
    assert entry.state == "offered"


def test_confirm_link_confirms_the_next_period_and_replays_change_nothing(client, setting):
    room, booker, series = setting
    _run()
    url = reverse("rooms:series_reconfirm", args=[reconfirm.token(series)])
    page = client.get(url)
    assert page.status_code == 200 and "Benötigen Sie den Raum noch?" in page.content.decode()
    before = reconfirm.period_end(series)
    client.post(url, {"answer": "confirm"})
    series.refresh_from_db()
    assert series.confirmed_until == before + timedelta(weeks=8)
    assert series.reconfirm_asked_at is None
    replay = client.post(url, {"answer": "release"})  # the old link: nothing released
    assert replay.status_code == 200
    series.refresh_from_db()
    assert series.released_at is None
    assert not series.bookings.filter(status="cancelled").exists()
    # After the confirmation nobody is released at the old deadline.
    assert "0 released" in _run(timezone.now() + timedelta(days=12))


def test_release_link_frees_the_later_dates_at_once(client, setting):
    room, booker, series = setting
    url = reverse("rooms:series_reconfirm", args=[reconfirm.token(series)])
    client.post(url, {"answer": "release"})
    series.refresh_from_db()
    assert series.released_at is not None
    assert series.bookings.filter(status="cancelled").count() == len(
        [b for b in series.bookings.all() if b.starts_at >= reconfirm._end_of(reconfirm.period_end(series))]
    )
    assert client.post(url, {"answer": "confirm"}).status_code == 200
    series.refresh_from_db()
    assert series.confirmed_until == timezone.localdate() + timedelta(days=10)  # unchanged by the replay


def test_tampered_foreign_and_expired_reconfirm_links(client, setting):
    room, booker, series = setting
    value = reconfirm.token(series)
    assert client.get(reverse("rooms:series_reconfirm", args=[value[:-2] + "xy"])).status_code == 404
    foreign = signing.dumps(
        {"series": series.pk, "user": booker.pk + 77, "until": "2030-01-01"}, salt=reconfirm.RECONFIRM_SALT
    )
    assert client.post(reverse("rooms:series_reconfirm", args=[foreign]), {"answer": "release"}).status_code == 404
    later = __import__("time").time() + 61 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(reverse("rooms:series_reconfirm", args=[value]), {"answer": "release"})
    assert response.status_code == 410
    series.refresh_from_db()
    assert series.released_at is None


def test_term_dates_end_the_period(office):
    room = make_room(reconfirm_term_dates="2027-02-01\nkein Datum\n2027-07-15")
    from datetime import date

    assert room.next_reconfirmation(date(2027, 1, 10)) == date(2027, 2, 1)
    assert room.next_reconfirmation(date(2027, 2, 1)) == date(2027, 7, 15)
    assert room.next_reconfirmation(date(2027, 8, 1)) == date(2027, 8, 1) + timedelta(weeks=8)


def test_no_shows_in_a_row_alert_the_office(client, setting):
    room, booker, series = setting
    staff = make_staff()
    past = list(series.bookings.filter(ends_at__lte=timezone.now()).order_by("starts_at"))
    assert len(past) == 3
    with pytest.raises(ValidationError):
        reconfirm.record_no_show(booking=past[0], by=booker)  # only the office
    future = series.bookings.filter(starts_at__gt=timezone.now()).first()
    with pytest.raises(ValidationError):
        reconfirm.record_no_show(booking=future, by=staff)
    for booking in past[1:]:
        reconfirm.record_no_show(booking=booking, by=staff)
    assert series.no_shows_in_a_row_count() == 2
    client.force_login(staff)
    assert "in Folge" not in client.get(reverse("dashboard")).content.decode()
    reconfirm.record_no_show(booking=past[0], by=staff)
    assert series.no_shows_in_a_row_count() == 3
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "in Folge" in dashboard and booker.display_name in dashboard


def test_admin_action_records_a_no_show(client, setting):
    room, booker, series = setting
    staff = make_staff()
    client.force_login(staff)
    booking = series.bookings.filter(ends_at__lte=timezone.now()).first()
    response = client.post(
        reverse("admin:rooms_booking_changelist"),
        {"action": "record_no_show", "_selected_action": [booking.pk]},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.no_show and booking.no_show_recorded_by == staff


def test_cancelling_series_dates_keeps_working_with_waiting_people(setting):
    room, booker, series = setting
    date = series.bookings.filter(starts_at__gt=timezone.now() + timedelta(days=3)).first()
    waitlist.join(
        room=room,
        user=make_user(),
        starts_at=date.starts_at,
        ends_at=date.ends_at,
        title="x",
        attendees=2,
        responsible_name="x",
        responsible_phone="1",
    )
    services.cancel_series(series=series, by=booker)
    assert WaitlistEntry.objects.get().state == "offered"
