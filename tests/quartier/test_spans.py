"""One "ends after it starts" rule with one message: the database checks of every span (quartier.dates.span_constraint)
say what the forms and `clean()` say, in the models' validation and in the admin alike."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from events.models import Event
from initiatives.fund.models import Call, FundApplication, JuryMember
from initiatives.models import Project
from quartier.dates import END_BEFORE_START
from rooms.models import BookableHours, Booking, Closure
from tests.fund.factories import make_fund
from tests.rooms.factories import make_room
from tests.volunteers.factories import make_engagement, make_volunteer
from volunteers.models import Engagement

pytestmark = pytest.mark.django_db

LATE, EARLY = datetime(2026, 6, 1, 18, tzinfo=UTC), datetime(2026, 6, 1, 17, tzinfo=UTC)
SPANS = [
    (Booking, "starts_at", "ends_at", LATE, EARLY),
    (Booking, "starts_at", "ends_at", LATE, LATE),  # a span of times must not end when it starts
    (Closure, "starts_at", "ends_at", LATE, EARLY),
    (BookableHours, "opens", "closes", time(18), time(8)),
    (Event, "starts_at", "ends_at", LATE, EARLY),
    (Call, "opens_at", "deadline", LATE, EARLY),
    (Project, "starts_on", "ends_on", date(2026, 6, 2), date(2026, 6, 1)),
    (FundApplication, "planned_start", "planned_end", date(2026, 6, 2), date(2026, 6, 1)),
    (Engagement, "starts_on", "ends_on", date(2026, 6, 2), date(2026, 6, 1)),
    (JuryMember, "term_from", "term_until", date(2026, 6, 2), date(2026, 6, 1)),
]


def _span_errors(model, start, end, starts, ends) -> list[str]:
    instance = model(**{start: starts, end: ends})
    constraints = [c for c in model._meta.constraints if getattr(c, "violation_error_code", None) == "end_before_start"]
    assert len(constraints) == 1, f"{model.__name__} has one database check of its span"
    try:
        constraints[0].validate(model, instance)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(("model", "start", "end", "starts", "ends"), SPANS)
def test_every_database_check_of_a_span_has_the_one_message(model, start, end, starts, ends):
    with translation.override("de"):
        assert _span_errors(model, start, end, starts, ends) == ["Das Ende muss nach dem Beginn liegen."]
    with translation.override("en"):
        assert _span_errors(model, start, end, starts, ends) == ["The end must be after the start."]


@pytest.mark.parametrize("model", [Project, FundApplication, Engagement, JuryMember])
def test_a_span_of_dates_may_end_on_the_day_it_starts(model):
    start, end = next((s, e) for m, s, e, *_ in SPANS if m is model)
    assert _span_errors(model, start, end, date(2026, 6, 1), date(2026, 6, 1)) == []


def test_full_clean_of_a_model_without_its_own_check_names_the_rule():
    engagement = make_engagement(starts_on=date(2026, 6, 2))
    engagement.ends_on = date(2026, 6, 1)
    with pytest.raises(ValidationError) as caught:
        engagement.full_clean()
    assert str(END_BEFORE_START) in caught.value.messages


def _errors_on(response) -> str:
    assert response.status_code == 200  # the form again, nothing saved
    return response.content.decode()


def test_the_admin_shows_the_same_message_for_closures_engagements_and_jury_terms(client, staff):
    client.force_login(staff)
    room = make_room()
    closure = client.post(
        reverse("admin:rooms_closure_add"),
        {
            "reason": "Renovierung",
            "room": room.pk,
            "starts_at_0": "2026-06-02",
            "starts_at_1": "18:00",
            "ends_at_0": "2026-06-02",
            "ends_at_1": "17:00",
        },
    )
    engagement = client.post(
        reverse("admin:volunteers_engagement_add"),
        {
            "volunteer": make_volunteer().pk,
            "activity": "Hausaufgabenhilfe",
            "allowance_type": "honorary",
            "starts_on": "2026-06-02",
            "ends_on": "2026-06-01",
        },
    )
    jury = client.post(
        reverse("admin:fund_jurymember_add"),
        {"user": staff.pk, "fund": make_fund().pk, "term_from": "2026-06-02", "term_until": "2026-06-01"},
    )
    for response in (closure, engagement, jury):
        assert "Das Ende muss nach dem Beginn liegen." in _errors_on(response)
    assert not Closure.objects.exists() and not JuryMember.objects.exists()
    assert not Engagement.objects.filter(activity="Hausaufgabenhilfe").exists()
