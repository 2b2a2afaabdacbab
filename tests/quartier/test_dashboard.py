"""The staff dashboard: what waits for a decision, room use today and tomorrow, events, reports."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Conference
from initiatives.fund import services as fund_services
from initiatives.fund.models import FundApplication, FundEntry, Receipt
from initiatives.models import Report
from rooms.models import Booking

from ..events.factories import make_event
from ..factories import make_staff, make_user
from ..fund.factories import make_application, make_call, make_fund, make_jury_member
from ..initiatives.factories import make_initiative
from ..rooms.factories import days_ahead, local, make_booking, make_room
from ..volunteers.factories import make_declaration, make_engagement, make_volunteer, pay

pytestmark = pytest.mark.django_db


def _fill(n: int, staff, resident):
    """n of everything the dashboard lists."""
    room = make_room(slug=f"raum-{n}", name=f"Saal {n}")
    for i in range(n):
        make_booking(
            room=room,
            booked_by=resident,
            starts_at=local(days_ahead(3 + i), 10),
            ends_at=local(days_ahead(3 + i), 11),
            status=Booking.Status.REQUESTED,
            title=f"Anfrage {i}",
        )
        today = timezone.localdate()
        make_booking(
            room=room,
            booked_by=resident,
            starts_at=local(today + timedelta(days=1), 8 + i),
            ends_at=local(today + timedelta(days=1), 8 + i, 30),
            responsible_name=f"Verantwortlich {i}",
        )
        event = make_event(title=f"Fest {n}-{i}", capacity=20)
        event_services.register(event=event, user=resident)
        club = make_initiative(name=f"Verein {n}-{i}", slug=f"verein-{n}-{i}", is_nonprofit=True)
        Report.objects.create(initiative=club, reporter=resident, reason=f"Werbung {i}")
        engagement = make_engagement(volunteer=make_volunteer(name=f"Trainerin {n}-{i}"), payer_initiative=club)
        make_declaration(engagement, date.today().year)
        pay(engagement, "900.00", date.today(), staff)
    _fill_fund(n, staff, resident)
    conference = Conference.objects.create(
        event=make_event(title=f"Konferenz {n}"), proposal_deadline=timezone.now() + timedelta(days=5)
    )
    for i in range(n):
        event_services.propose_topic(conference=conference, user=resident, title=f"Thema {n}-{i}", description="x")


def _fill_fund(n: int, staff, resident):
    """A fund with n applications in each state the dashboard lists, with votes, receipts and reports."""
    Status = FundApplication.Status
    fund = make_fund(name=f"Fonds {n}")
    call = make_call(fund=fund, title=f"Aufruf {n}")
    juror = make_user()
    make_jury_member(fund=fund, user=juror)
    long_ago = timezone.localdate() - timedelta(weeks=20)
    for i in range(n):
        make_application(
            call=call, applicant=resident, title=f"Prüfen {n}-{i}", status=Status.SUBMITTED, submitted_at=timezone.now()
        )
        eligible = make_application(call=call, applicant=resident, title=f"Jury {n}-{i}", status=Status.ELIGIBLE)
        fund_services.cast_vote(application=eligible, by=juror, choice="for")
        ready = make_application(
            call=call,
            applicant=resident,
            title=f"Bericht da {n}-{i}",
            status=Status.APPROVED,
            report="Gut.",
            report_submitted_at=timezone.now(),
        )
        Receipt.objects.create(
            application=ready,
            description="Farbe",
            amount="50.00",
            uploaded_by=resident,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="beleg.pdf"),
        )
        late = make_application(call=call, applicant=resident, title=f"Überfällig {n}-{i}", status=Status.APPROVED)
        FundApplication.objects.filter(pk=late.pk).update(planned_start=long_ago, planned_end=long_ago)
        for application in (ready, late):
            FundEntry.objects.create(application=application, kind="grant", amount="100.00", entered_by=staff)


def test_the_dashboard_is_for_staff_only(client, office):
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))
    client.force_login(make_user())
    assert client.get(reverse("dashboard")).status_code == 403
    client.force_login(make_staff(mfa=False))
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_activate_totp")


def test_the_dashboard_shows_what_waits_and_todays_rooms(client, office):
    staff, resident = make_staff(), make_user(display_name="Maria")
    _fill(2, staff, resident)
    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    for text in (
        "Anfrage 0",
        "Anfrage 1",
        "Verantwortlich 1",
        "Fest 2-0",
        "Thema 2-1",
        "Werbung 1",
        "Trainerin 2-0",
        "Morgen",
        "Übersicht für das Büro",
        "Prüfen 2-1",
        "Jury 2-0",
        "1 Stimme abgegeben",
        "Bericht da 2-1",
        "Belege und Bericht liegen vor",
        "Überfällig 2-0",
        "kein Bericht",
        "Fonds 2",
        "9.600,00 € von 10.000,00 € übrig",
    ):
        assert text in page, text
    assert client.get(reverse("admin:index")).content.decode().count(reverse("dashboard")) >= 1


def test_the_dashboard_runs_the_same_queries_for_more_data(client, office, django_assert_max_num_queries):
    staff, resident = make_staff(), make_user()
    _fill(1, staff, resident)
    client.force_login(staff)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard"))
    _fill(4, staff, resident)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("dashboard")).content.decode()
    assert "Fest 4-3" in page and "Überfällig 4-3" in page and "Jury 4-3" in page
