"""The counter's day list: one day's bookings of every room for office staff, where a no-show is recorded by the
same rule as the admin action; after the room's number of no-shows in a row the dashboard alerts the office."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rooms.models import Booking, BookingSeries

from ..factories import TOTP, TOTP_SECRET, make_permission_holder, make_staff, make_user
from .factories import days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly(office):
    """A choir's weekly series: three dates over (the last one two hours ago), more ahead."""
    room = make_room(name="Saal", no_show_alert_after=3)
    booker = make_user(display_name="Chorleiterin")
    series = BookingSeries.objects.create(room=room, booked_by=booker, frequency="weekly")
    now = timezone.localtime()
    first = now - timedelta(weeks=2, hours=2)
    for n in range(5):
        start = first + timedelta(weeks=n)
        make_booking(
            room=room,
            booked_by=booker,
            series=series,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            title="Chorprobe",
            status="confirmed",
        )
    return series


def test_the_day_list_shows_the_days_bookings_with_a_no_show_button(client, office, staff, weekly):
    client.force_login(staff)
    latest = weekly.bookings.order_by("starts_at")[2]
    day = timezone.localdate(latest.starts_at)
    page = client.get(reverse("rooms:counter_day"), {"datum": day.isoformat()}).content.decode()
    assert "Chorprobe" in page and reverse("rooms:counter_no_show", args=[latest.pk]) in page
    assert latest.responsible_name in page  # who is responsible, with the phone to call
    assert latest.responsible_phone in page


def test_the_day_list_opens_on_today(client, office, staff):
    client.force_login(staff)
    page = client.get(reverse("rooms:counter_day")).content.decode()
    assert timezone.localdate().strftime("%d.%m.%Y") in page and "keine Buchungen" in page


def test_staff_record_a_no_show_and_the_third_in_a_row_alerts_the_dashboard(client, office, staff, weekly):
    client.force_login(staff)
    past = list(weekly.bookings.filter(starts_at__lte=timezone.now()).order_by("starts_at"))
    assert len(past) == 3
    for booking in past[:2]:
        response = client.post(reverse("rooms:counter_no_show", args=[booking.pk]))
        assert response.status_code == 302
    assert "in Folge" not in client.get(reverse("dashboard")).content.decode()
    response = client.post(reverse("rooms:counter_no_show", args=[past[2].pk]), follow=True)
    page = response.content.decode()
    assert "niemand gekommen" in page and "mehrmals in Folge" in page
    assert "Niemand gekommen (eingetragen)" in page  # back on the day list, the date shows it
    for booking in past:
        booking.refresh_from_db()
        assert booking.no_show and booking.no_show_recorded_by == staff
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "in Folge" in dashboard and "Chorleiterin" in dashboard


def test_a_date_that_has_not_begun_cannot_get_a_no_show(client, office, staff, weekly):
    client.force_login(staff)
    future = weekly.bookings.filter(starts_at__gt=timezone.now()).first()
    response = client.post(reverse("rooms:counter_no_show", args=[future.pk]), follow=True)
    assert "begonnen" in response.content.decode()
    future.refresh_from_db()
    assert not future.no_show


def test_another_day_is_chosen_by_date_and_a_bad_date_says_so(client, office, staff, weekly):
    client.force_login(staff)
    ahead = weekly.bookings.filter(starts_at__gt=timezone.now()).first()
    day = timezone.localdate(ahead.starts_at).isoformat()
    page = client.get(reverse("rooms:counter_day"), {"datum": day}).content.decode()
    assert "Chorprobe" in page and reverse("rooms:counter_no_show", args=[ahead.pk]) not in page  # not begun
    bad = client.get(reverse("rooms:counter_day"), {"datum": "31.02.2026x"})
    assert bad.status_code == 200 and "gültiges Datum" in bad.content.decode()


def _staff_flag_only():
    user = make_user(is_staff=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.mark.parametrize(
    "make_actor",
    [lambda: make_user(), _staff_flag_only, lambda: make_permission_holder("rooms.change_booking", mfa=True)],
    ids=["resident", "staff-flag-only", "some-permissions"],
)
def test_others_than_office_staff_cannot_see_the_day_or_record_no_shows(client, office, weekly, make_actor):
    booking = weekly.bookings.order_by("starts_at").first()
    client.force_login(make_actor())
    assert client.get(reverse("rooms:counter_day")).status_code == 403
    assert client.post(reverse("rooms:counter_no_show", args=[booking.pk])).status_code == 403
    assert client.get(reverse("rooms:counter")).status_code == 403
    booking.refresh_from_db()
    assert not booking.no_show


def test_office_staff_without_the_staff_flag_record_no_shows(client, office, weekly):
    member = make_staff(is_staff=False)
    assert not member.is_staff and Group.objects.filter(user=member).exists()
    booking = weekly.bookings.order_by("starts_at").first()
    client.force_login(member)
    assert client.get(reverse("rooms:counter_day")).status_code == 200
    assert client.post(reverse("rooms:counter_no_show", args=[booking.pk])).status_code == 302
    booking.refresh_from_db()
    assert booking.no_show


def test_an_unknown_booking_is_a_404_and_get_is_not_allowed(client, office, staff, weekly):
    client.force_login(staff)
    assert client.post(reverse("rooms:counter_no_show", args=[999999])).status_code == 404
    booking = weekly.bookings.order_by("starts_at").first()
    assert client.get(reverse("rooms:counter_no_show", args=[booking.pk])).status_code == 405


def test_recording_a_no_show_needs_the_csrf_token(office, staff, weekly):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    booking = weekly.bookings.order_by("starts_at").first()
    assert client.post(reverse("rooms:counter_no_show", args=[booking.pk])).status_code == 403
    booking.refresh_from_db()
    assert not booking.no_show


def test_the_day_list_costs_the_same_queries_for_many_bookings(client, office, staff, django_assert_max_num_queries):
    client.force_login(staff)
    day = days_ahead(3)
    rooms = [make_room(name=f"Raum {n}") for n in range(4)]
    make_booking(room=rooms[0], booked_by=make_user(), starts_at=local(day, 8), ends_at=local(day, 9))
    url = reverse("rooms:counter_day") + f"?datum={day.isoformat()}"
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n, room in enumerate(rooms):
        for hour in range(10, 20, 2):
            make_booking(
                room=room,
                booked_by=make_user() if n % 2 else None,
                starts_at=local(day, hour),
                ends_at=local(day, hour + 1),
                channel="portal" if n % 2 else "office",
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("<tr>") == 1 + 21 and Booking.objects.count() == 21
