"""Who may see and change what, over every rooms page: anonymous, the booker, another resident, an
initiative lead, staff. Others' bookings are a 404 (not a 403: their existence stays private)."""

import pytest
from django.test import Client
from django.urls import reverse

from rooms.models import Booking, BookingSeries

from .factories import days_ahead, form_data, local, make_booking, make_room

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "owner", "other_resident", "initiative_lead", "staff"]


@pytest.fixture
def situation(office, resident, initiative_lead, staff):
    """A room, a single booking and a two-date series of `resident`, ten days ahead (cancellable)."""
    from ..factories import make_user

    room = make_room(slug="saal")
    day = days_ahead(10)
    booking = make_booking(room=room, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12))
    series = BookingSeries.objects.create(room=room, booked_by=resident, frequency="weekly")
    dated = [
        make_booking(
            room=room,
            booked_by=resident,
            series=series,
            starts_at=local(day, 18 + 2 * n),
            ends_at=local(day, 19 + 2 * n),
        )
        for n in range(2)
    ]
    users = {"owner": resident, "other_resident": make_user(), "initiative_lead": initiative_lead, "staff": staff}
    return {"room": room, "booking": booking, "series_booking": dated[0], "users": users}


def _client_for(actor, situation) -> Client:
    client = Client()
    if actor != "anonymous":
        client.force_login(situation["users"][actor])
    return client


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", ["rooms:list", "rooms:detail", "rooms:room_feed"])
def test_everyone_can_see_the_public_room_pages(situation, actor, name):
    args = [] if name == "rooms:list" else [situation["room"].slug]
    assert _client_for(actor, situation).get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize("actor", ACTORS)
def test_only_logged_in_users_can_open_the_booking_form(situation, actor):
    response = _client_for(actor, situation).get(reverse("rooms:book", args=["saal"]))
    assert _is_login_redirect(response) if actor == "anonymous" else response.status_code == 200


def test_anonymous_cannot_book(situation):
    response = Client().post(reverse("rooms:book", args=["saal"]), form_data(days_ahead(12), "10:00", "12:00"))
    assert _is_login_redirect(response)
    assert Booking.objects.count() == 3


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    "name", ["rooms:booking_detail", "rooms:booking_cancel", "rooms:series_cancel", "rooms:booking_ics"]
)
def test_booking_pages_are_for_the_owner_and_staff_only(situation, actor, name):
    response = _client_for(actor, situation).get(reverse(name, args=[situation["series_booking"].pk]))
    expected = {"anonymous": "login", "owner": 200, "staff": 200}.get(actor, 404)
    assert _is_login_redirect(response) if expected == "login" else response.status_code == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_owner_and_staff_can_cancel_a_booking(situation, actor):
    booking = situation["booking"]
    response = _client_for(actor, situation).post(reverse("rooms:booking_cancel", args=[booking.pk]))
    booking.refresh_from_db()
    if actor in ("owner", "staff"):
        assert response.status_code == 302 and booking.status == Booking.Status.CANCELLED
    else:
        assert _is_login_redirect(response) if actor == "anonymous" else response.status_code == 404
        assert booking.status == Booking.Status.CONFIRMED


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_owner_and_staff_can_cancel_a_series(situation, actor):
    first = situation["series_booking"]
    response = _client_for(actor, situation).post(reverse("rooms:series_cancel", args=[first.pk]))
    cancelled = first.series.bookings.filter(status=Booking.Status.CANCELLED).count()
    if actor in ("owner", "staff"):
        assert response.status_code == 302 and cancelled == 2
    else:
        assert _is_login_redirect(response) if actor == "anonymous" else response.status_code == 404
        assert cancelled == 0


def test_series_cancel_of_a_single_booking_is_not_found(situation):
    client = _client_for("owner", situation)
    assert client.get(reverse("rooms:series_cancel", args=[situation["booking"].pk])).status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_my_bookings_shows_only_ones_own_bookings(situation, actor):
    response = _client_for(actor, situation).get(reverse("rooms:my_bookings"))
    if actor == "anonymous":
        assert _is_login_redirect(response)
        return
    listed = {booking.pk for booking in response.context["upcoming"]}
    own = set(Booking.objects.filter(booked_by=situation["users"][actor]).values_list("pk", flat=True))
    assert listed == own


def test_inactive_room_is_not_found_for_anyone(situation):
    Booking.objects.update(status=Booking.Status.CANCELLED)
    situation["room"].is_active = False
    situation["room"].save()
    client = _client_for("staff", situation)
    assert client.get(reverse("rooms:detail", args=["saal"])).status_code == 404
    assert client.get(reverse("rooms:book", args=["saal"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("rooms:list", "post"),
        ("rooms:detail", "post"),
        ("rooms:book", "put"),
        ("rooms:book", "delete"),
        ("rooms:booking_detail", "post"),
        ("rooms:booking_cancel", "put"),
        ("rooms:series_cancel", "delete"),
        ("rooms:my_bookings", "post"),
    ],
)
def test_views_answer_only_their_http_methods(situation, name, method):
    args = {"rooms:list": [], "rooms:my_bookings": [], "rooms:detail": ["saal"], "rooms:book": ["saal"]}.get(
        name, [situation["series_booking"].pk]
    )
    response = getattr(_client_for("owner", situation), method)(reverse(name, args=args))
    assert response.status_code == 405


@pytest.mark.parametrize("name", ["rooms:booking_cancel", "rooms:series_cancel"])
def test_changes_need_the_csrf_token(situation, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(situation["users"]["owner"])
    response = client.post(reverse(name, args=[situation["series_booking"].pk]))
    assert response.status_code == 403
    assert not Booking.objects.filter(status=Booking.Status.CANCELLED).exists()


def test_booking_needs_the_csrf_token(situation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(situation["users"]["owner"])
    response = client.post(reverse("rooms:book", args=["saal"]), form_data(days_ahead(12), "10:00", "12:00"))
    assert response.status_code == 403
    assert Booking.objects.count() == 3


def test_pages_that_change_data_carry_a_csrf_token(situation):
    client = _client_for("owner", situation)
    for url in (
        reverse("rooms:book", args=["saal"]),
        reverse("rooms:booking_cancel", args=[situation["booking"].pk]),
        reverse("rooms:series_cancel", args=[situation["series_booking"].pk]),
    ):
        assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode()
