"""Hostile and random input to the portal's forms: never a server error, nothing stored that should be refused."""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import Conference, Proposal, Registration
from rooms.models import Booking

from .events.factories import make_event
from .rooms.factories import make_room

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\x00abc",
        "a" * 5000,
        "<script>alert(1)</script>",
        "'; DROP TABLE rooms_booking; --",
        "\u202eevil\u202c",
        "😀" * 50,
        "ＡＢＣ",
        "-1",
        "0",
        "99999999999999999999",
        "1e400",
        "NaN",
        "2026-02-30",
        "0001-01-01",
        "9999-12-31",
        "24:00",
        "25:61",
        "18:00:00.999999",
        "\r\n\t",
        "{{ 7*7 }}",
        "%s%s%n",
        "../../etc/passwd",
        "null",
        "true",
        "[]",
        "İ",
        "ß" * 100,
    ]
)
TEXT = st.one_of(HOSTILE, st.text(max_size=200))
FAST = settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(db):
    return make_room(slug="fuzz-raum", capacity=10)


def _no_5xx(response):
    assert response.status_code < 500, response.status_code


@FAST
@given(
    data=st.fixed_dictionaries(
        {
            name: TEXT
            for name in (
                "date",
                "start",
                "end",
                "title",
                "attendees",
                "responsible_name",
                "responsible_phone",
                "responsible_email",
                "show_title",
                "private_use",
                "repeat",
                "until",
                "count",
                "accept_rules",
                "step",
            )
        }
    )
)
def test_booking_form_survives_anything(client, office, resident, room, data):
    client.force_login(resident)
    before = Booking.objects.count()
    response = client.post(reverse("rooms:book", args=[room.slug]), data)
    _no_5xx(response)
    if response.status_code == 200:
        assert Booking.objects.count() == before
        assert "<script>alert(1)</script>" not in response.content.decode()
    for booking in Booking.objects.all():
        assert booking.ends_at > booking.starts_at and booking.attendees <= room.capacity
        assert booking.starts_at > timezone.now()


@FAST
@given(
    params=st.fixed_dictionaries(
        {name: TEXT for name in ("date", "start", "end", "attendees", "equipment", "step_free", "page")}
    ),
    week=TEXT,
)
def test_room_finder_and_week_page_survive_anything(client, office, room, params, week):
    _no_5xx(client.get(reverse("rooms:list"), params))
    _no_5xx(client.get(reverse("rooms:detail", args=[room.slug]), {"week": week}))


@FAST
@given(
    params=st.fixed_dictionaries({name: TEXT for name in ("category", "date_from", "date_to", "page", "archiv")}),
    month=TEXT,
)
def test_event_list_and_month_survive_anything(client, office, params, month):
    _no_5xx(client.get(reverse("events:list"), params))
    _no_5xx(client.get(reverse("events:month"), {"monat": month}))
    _no_5xx(client.get(reverse("events:decisions"), {"status": params["category"], "conference": params["page"]}))


@FAST
@given(companions=TEXT)
def test_event_registration_survives_anything(client, office, resident, companions):
    event = make_event(capacity=5, max_companions=2)
    client.force_login(resident)
    _no_5xx(client.post(reverse("events:register", args=[event.slug]), {"companions": companions}))
    for registration in Registration.objects.filter(event=event):
        assert 0 <= registration.companions <= 2


@FAST
@given(title=TEXT, description=TEXT)
def test_topic_proposal_survives_anything(client, office, resident, title, description):
    conference = Conference.objects.filter(event__slug="fuzz-konferenz").first() or Conference.objects.create(
        event=make_event(slug="fuzz-konferenz"), proposal_deadline=timezone.now() + timezone.timedelta(days=3)
    )
    client.force_login(resident)
    before = Proposal.objects.count()
    response = client.post(
        reverse("events:conference_propose", args=[conference.event.slug]), {"title": title, "description": description}
    )
    _no_5xx(response)
    if response.status_code == 200:
        assert Proposal.objects.count() == before
    for proposal in Proposal.objects.all():
        assert proposal.title.strip() and "\x00" not in proposal.title


@FAST
@given(display_name=TEXT, language=TEXT, email=TEXT, password=TEXT)
def test_profile_and_signup_survive_anything(client, office, resident, display_name, language, email, password):
    client.force_login(resident)
    _no_5xx(client.post(reverse("profile"), {"display_name": display_name, "language": language}))
    resident.refresh_from_db()
    assert resident.language in {"de", "en"}
    client.logout()
    _no_5xx(client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password}))
    _no_5xx(client.post(reverse("account_login"), {"login": email, "password": password}))
    _no_5xx(client.post(reverse("set_language"), {"language": language, "next": email}))


@FAST
@given(
    data=st.fixed_dictionaries(
        {
            name: TEXT
            for name in (
                "initiative",
                "title",
                "description",
                "benefit",
                "own_money",
                "own_hours",
                "own_rooms",
                "planned_start",
                "planned_end",
                "confirms_eligibility",
                "lines-TOTAL_FORMS",
                "lines-INITIAL_FORMS",
                "lines-0-description",
                "lines-0-amount",
                "lines-1-amount",
            )
        }
    )
)
def test_fund_application_form_survives_anything(client, office, resident, data):
    from initiatives.fund.models import CostLine

    from .fund.factories import make_call

    call = make_call()
    client.force_login(resident)
    _no_5xx(client.post(reverse("fund:apply", args=[call.pk]), data))
    for line in CostLine.objects.all():
        assert line.amount > 0
