"""Jury members cast their own votes on the portal: each member once per application, changeable until staff
record the decision; recusal refused by the form; only members whose term covers today and the session day;
the staff's decision form starts from the cast votes and its result is what stays. Messages in German."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from initiatives.fund import services
from initiatives.fund.models import FundApplication, FundAuditEntry, Vote

from ..factories import make_user
from ..initiatives.factories import make_initiative, make_membership
from .factories import make_application, make_call, make_fund, make_jury_member

pytestmark = pytest.mark.django_db
Status = FundApplication.Status


@pytest.fixture
def session(db, office):
    fund = make_fund(total=Decimal("10000.00"))
    call = make_call(fund=fund, title="Frühjahrsaufruf")
    jurors = [make_user(display_name=f"Jury {n}") for n in range(3)]
    members = [make_jury_member(fund=fund, user=user) for user in jurors]
    application = make_application(call=call, applicant=make_user(), title="Hoffest", status=Status.ELIGIBLE)
    return {"fund": fund, "call": call, "jurors": jurors, "members": members, "application": application}


def _vote_url(application):
    return reverse("fund:vote", args=[application.pk])


def test_a_member_casts_and_changes_their_vote_until_the_decision(client, session, staff):
    juror, application = session["jurors"][0], session["application"]
    client.force_login(juror)
    page = client.get(reverse("fund:session", args=[session["call"].pk])).content.decode()
    assert _vote_url(application) in page
    response = client.post(_vote_url(application), {"choice": "for"})
    assert response.status_code == 302 and response["Location"] == reverse("fund:session", args=[session["call"].pk])
    response = client.post(_vote_url(application), {"choice": "against"})
    assert response.status_code == 302
    vote = Vote.objects.get()
    assert vote.member == session["members"][0] and vote.choice == "against"
    changes = list(
        FundAuditEntry.objects.filter(object_id=vote.pk, content_type__model="vote")
        .order_by("at", "pk")
        .values_list("action", "by")
    )
    assert changes == [("created", juror.pk), ("changed", juror.pk)]
    assert "dagegen" in client.get(reverse("fund:session", args=[session["call"].pk])).content.decode()

    services.decide_application(
        application=application, votes=services_votes(session, "for"), amount=Decimal("500.00"), note="", by=staff
    )
    response = client.post(_vote_url(application), {"choice": "for"})
    assert response.status_code == 302
    with pytest.raises(ValidationError, match="Entscheidung"):
        services.cast_vote(application=application, by=juror, choice="for")
    assert Vote.objects.get(member=session["members"][0]).choice == "for"  # as staff recorded it


def services_votes(session, choice):
    return {member.pk: choice for member in session["members"]}


def test_a_member_sees_only_their_own_vote_before_the_decision(client, session):
    first, second = session["jurors"][:2]
    services.cast_vote(application=session["application"], by=first, choice="against")
    client.force_login(second)
    page = client.get(reverse("fund:session", args=[session["call"].pk])).content.decode()
    assert "dagegen" not in page and "Abstimmen" in page


@pytest.mark.parametrize("relation", ["applicant", "lead"])
def test_the_form_refuses_a_vote_on_ones_own_or_ones_initiatives_application(client, session, relation):
    juror = session["jurors"][0]
    if relation == "applicant":
        application = make_application(call=session["call"], applicant=juror, status=Status.ELIGIBLE)
    else:
        initiative = make_initiative()
        make_membership(initiative=initiative, user=juror, role="lead")
        application = make_application(
            call=session["call"], applicant=make_user(), initiative=initiative, status=Status.ELIGIBLE
        )
    client.force_login(juror)
    page = client.get(_vote_url(application)).content.decode()
    assert "nicht abstimmen" in page and 'name="choice"' not in page
    response = client.post(_vote_url(application), {"choice": "for"})
    assert response.status_code == 400 and "nicht abstimmen" in response.content.decode()
    with pytest.raises(ValidationError):
        services.cast_vote(application=application, by=juror, choice="for")
    assert not Vote.objects.exists()
    session_page = client.get(reverse("fund:session", args=[session["call"].pk])).content.decode()
    assert "Interessenkonflikt" in session_page


@pytest.mark.parametrize("term", ["ended", "not begun", "ends before the session"])
def test_only_members_in_office_today_and_on_the_session_day_vote(client, session, term):
    today, call = timezone.localdate(), session["call"]
    terms = {
        "ended": (today - timedelta(days=400), today - timedelta(days=1)),
        "not begun": (today + timedelta(days=1), call.session_date + timedelta(days=300)),
        "ends before the session": (today - timedelta(days=10), call.session_date - timedelta(days=1)),
    }
    user = make_user()
    make_jury_member(fund=session["fund"], user=user, term_from=terms[term][0], term_until=terms[term][1])
    client.force_login(user)
    assert client.get(_vote_url(session["application"])).status_code == 404
    assert client.post(_vote_url(session["application"]), {"choice": "for"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.cast_vote(application=session["application"], by=user, choice="for")
    assert not Vote.objects.exists()


def test_members_of_another_funds_jury_and_staff_do_not_vote(client, session, staff):
    other = make_user()
    make_jury_member(fund=make_fund(), user=other)
    for user in (other, staff):
        client.force_login(user)
        assert client.post(_vote_url(session["application"]), {"choice": "for"}).status_code == 404
    assert not Vote.objects.exists()


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.DRAFT, Status.INELIGIBLE])
def test_applications_before_the_jury_cannot_be_voted_on(client, session, status):
    application = make_application(call=session["call"], applicant=make_user(), status=status)
    client.force_login(session["jurors"][0])
    assert client.get(_vote_url(application)).status_code == 404
    assert client.post(_vote_url(application), {"choice": "for"}).status_code == 404


@pytest.mark.parametrize("data", [{}, {"choice": "vielleicht"}, {"choice": ""}, {"choice": "x" * 5000}])
def test_bad_input_is_a_400_and_stores_nothing(client, session, data):
    client.force_login(session["jurors"][0])
    assert client.post(_vote_url(session["application"]), data).status_code == 400
    assert not Vote.objects.exists()


def test_the_staff_decision_starts_from_the_cast_votes_and_its_result_stays(client, session, staff):
    application, members = session["application"], session["members"]
    services.cast_vote(application=application, by=session["jurors"][0], choice="for")
    services.cast_vote(application=application, by=session["jurors"][1], choice="against")
    client.force_login(staff)
    page = client.get(reverse("fund:decide", args=[application.pk])).content.decode()
    assert "Auf dem Portal abgegeben" in page
    assert '<option value="for" selected>' in page.split(f'name="vote_{members[0].pk}"')[1].split("</select>")[0]
    # At the session the second member changes their mind, the third votes for; the first is absent after all.
    response = client.post(
        reverse("fund:decide", args=[application.pk]),
        {
            f"vote_{members[0].pk}": "",
            f"vote_{members[1].pk}": "for",
            f"vote_{members[2].pk}": "for",
            "amount": "500,00",
            "note": "",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED and (application.votes_for, application.votes_against) == (2, 0)
    assert dict(Vote.objects.values_list("member", "choice")) == {members[1].pk: "for", members[2].pk: "for"}
