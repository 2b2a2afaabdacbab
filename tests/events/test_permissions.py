"""Permission matrix: every events and conference URL × role → the answer a person gets."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Conference

from ..factories import make_staff, make_user
from .factories import make_event

pytestmark = pytest.mark.django_db

OK, LOGIN, NOT_FOUND, NOT_ALLOWED = 200, "login", 404, 405


@pytest.fixture
def world(office):
    owner = make_user(email="owner@example.org")
    event = make_event(capacity=5)
    hidden = make_event(is_published=False)
    deadline = timezone.now() + timezone.timedelta(days=3)
    conference = Conference.objects.create(event=make_event(), proposal_deadline=deadline)
    proposal = services.propose_topic(conference=conference, user=owner, title="Bänke", description="x")
    registration = services.register(event=event, user=owner)
    return {
        "owner": owner,
        "event": event,
        "hidden": hidden,
        "conference": conference,
        "proposal": proposal,
        "registration": registration,
    }


def _urls(w):
    return [
        ("GET", reverse("events:list"), {"anonymous": OK, "resident": OK, "owner": OK, "staff": OK}),
        ("GET", reverse("events:month"), {"anonymous": OK, "resident": OK, "owner": OK, "staff": OK}),
        ("GET", reverse("events:feed"), {"anonymous": OK, "resident": OK, "owner": OK, "staff": OK}),
        ("GET", w["event"].get_absolute_url(), {"anonymous": OK, "resident": OK, "owner": OK, "staff": OK}),
        (
            "GET",
            w["hidden"].get_absolute_url(),
            {"anonymous": NOT_FOUND, "resident": NOT_FOUND, "owner": NOT_FOUND, "staff": NOT_FOUND},
        ),
        (
            "GET",
            reverse("events:ics", args=[w["event"].slug]),
            {"anonymous": OK, "resident": OK, "owner": OK, "staff": OK},
        ),
        (
            "GET",
            reverse("events:register", args=[w["event"].slug]),
            {"anonymous": LOGIN, "resident": OK, "owner": OK, "staff": OK},
        ),
        ("GET", reverse("events:my_registrations"), {"anonymous": LOGIN, "resident": OK, "owner": OK, "staff": OK}),
        (
            "GET",
            reverse("events:registration_cancel", args=[w["registration"].pk]),
            {"anonymous": LOGIN, "resident": NOT_FOUND, "owner": OK, "staff": NOT_FOUND},
        ),
        ("GET", reverse("events:conferences"), {"anonymous": OK, "resident": OK, "owner": OK, "staff": OK}),
        ("GET", w["conference"].get_absolute_url(), {"anonymous": OK, "resident": OK, "owner": OK, "staff": OK}),
        (
            "GET",
            reverse("events:conference_propose", args=[w["conference"].event.slug]),
            {"anonymous": LOGIN, "resident": OK, "owner": OK, "staff": OK},
        ),
        ("GET", reverse("events:decisions"), {"anonymous": OK, "resident": OK, "owner": OK, "staff": OK}),
        (
            "GET",
            reverse("events:proposal_support", args=[w["proposal"].pk]),
            {"anonymous": LOGIN, "resident": NOT_ALLOWED, "owner": NOT_ALLOWED, "staff": NOT_ALLOWED},
        ),
        ("GET", reverse("events:create"), {"anonymous": LOGIN, "resident": NOT_FOUND, "owner": NOT_FOUND, "staff": OK}),
        (
            "GET",
            reverse("events:edit", args=[w["event"].slug]),
            {"anonymous": LOGIN, "resident": NOT_FOUND, "owner": NOT_FOUND, "staff": OK},
        ),
        ("GET", reverse("events:counter"), {"anonymous": LOGIN, "resident": 403, "owner": 403, "staff": OK}),
        (
            "GET",
            reverse("events:counter_confirmation", args=[w["registration"].pk]),
            {"anonymous": LOGIN, "resident": NOT_FOUND, "owner": OK, "staff": OK},
        ),
        (
            "GET",
            reverse("events:counter_confirmation_pdf", args=[w["registration"].pk]),
            {"anonymous": LOGIN, "resident": NOT_FOUND, "owner": OK, "staff": OK},
        ),
        (
            "GET",
            reverse("admin:events_event_changelist"),
            {"anonymous": LOGIN, "resident": LOGIN, "owner": LOGIN, "staff": OK},
        ),
    ]


@pytest.mark.parametrize("role", ["anonymous", "resident", "owner", "staff"])
def test_permission_matrix(client, world, role):
    if role == "resident":
        client.force_login(make_user())
    elif role == "owner":
        client.force_login(world["owner"])
    elif role == "staff":
        client.force_login(make_staff())
    for _method, url, expected in _urls(world):
        response = client.get(url)
        want = expected[role]
        if want == LOGIN:
            assert response.status_code == 302 and "login" in response["Location"], (role, url, response.status_code)
        else:
            assert response.status_code == want, (role, url, response.status_code)


def test_every_events_url_is_in_the_matrix(world):
    from django.urls import get_resolver

    names = {name for name in get_resolver().reverse_dict.keys() if isinstance(name, str)}
    events_names = {
        name for name in get_resolver(None).namespace_dict["events"][1].reverse_dict.keys() if isinstance(name, str)
    }
    covered = {
        "list",
        "month",
        "feed",
        "detail",
        "ics",
        "register",
        "my_registrations",
        "registration_cancel",
        "conferences",
        "conference",
        "conference_propose",
        "decisions",
        "proposal_support",
        "cancel_by_link",
        "create",
        "edit",
        "initiative_feed",
        "counter",
        "counter_confirmation",
        "counter_confirmation_pdf",
    }
    assert events_names <= covered, f"URLs without a permission entry: {events_names - covered}"
    assert names  # resolver works


def test_month_view_shows_events_and_survives_bad_months(client, office):
    event = make_event(title="Fairness-Cup")
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    assert "Fairness-Cup" in client.get(reverse("events:month"), {"monat": month}).content.decode()
    for bad in ["2026-13", "kaputt", "99999-01", "0-0", "2026"]:
        assert client.get(reverse("events:month"), {"monat": bad}).status_code == 200


@pytest.mark.parametrize("scale", [1, 10])
def test_month_view_queries_do_not_grow(client, office, django_assert_max_num_queries, scale):
    for _n in range(3 * scale):
        make_event()
    client.get("/")
    with django_assert_max_num_queries(5):
        client.get(reverse("events:month"))
