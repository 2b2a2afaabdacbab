"""Mail goes through quartier.mail: a row in the caller's transaction, delivered by the worker with leases,
retries and back-off; staff see what failed. (The subprocess fault tests are in test_mail_faults.py.)"""

import base64
from datetime import timedelta
from io import StringIO
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from initiatives.fund import services as fund_services
from quartier import mail
from quartier.mail import deserialize_message, serialize_message
from quartier.models import OutgoingMail
from rooms import services

from ..events.factories import make_event
from ..factories import make_staff, make_user
from ..fund.factories import make_application
from ..rooms.factories import booking_data, days_ahead, local, make_booking, make_room

Status = OutgoingMail.Status


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def queued(settings):
    """Production delivery: mails wait in the outbox for the worker."""
    settings.MAIL_DELIVERY = "worker"


def run_worker():
    call_command("send_mails", "--once", stdout=StringIO())


def _book(resident, **room_fields):
    return services.book_room(
        room=make_room(**room_fields),
        booked_by=resident,
        starts_at=local(days_ahead(5), 18),
        ends_at=local(days_ahead(5), 20),
        **booking_data(),
    )


def test_a_message_survives_the_trip_through_json_with_text_and_binary_attachments():
    message = EmailMessage(
        "Betreff",
        "Text",
        "office@example.org",
        ["a@example.org"],
        reply_to=["r@example.org"],
        headers={"X-Quartier": "1"},
    )
    message.attach("termin.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("scan.pdf", b"%PDF-1.4 \x00\xff", "application/pdf")
    copy = deserialize_message(serialize_message(message))
    assert (copy.subject, copy.body, copy.from_email, copy.to, copy.reply_to) == (
        "Betreff",
        "Text",
        "office@example.org",
        ["a@example.org"],
        ["r@example.org"],
    )
    assert copy.extra_headers == {"X-Quartier": "1"}
    assert [a[0] for a in copy.attachments] == ["termin.ics", "scan.pdf"]
    assert copy.attachments[1][1] == b"%PDF-1.4 \x00\xff"


@pytest.mark.django_db
def test_a_booking_mail_is_a_row_of_the_booking_transaction_and_waits_for_the_worker(queued, resident, staff):
    _book(resident, requires_approval=True)
    assert django_mail.outbox == []  # the request sent nothing
    assert sorted(OutgoingMail.objects.filter(status=Status.PENDING).values_list("to", flat=True)) == [
        "resident@example.org",
        "staff@example.org",
    ]

    run_worker()

    assert sorted(m.to[0] for m in django_mail.outbox) == ["resident@example.org", "staff@example.org"]
    to_booker = next(m for m in django_mail.outbox if m.to == ["resident@example.org"])
    assert to_booker.attachments[0][2] == "text/calendar"
    assert OutgoingMail.objects.filter(status=Status.SENT).count() == 2
    assert all(row.message == {} for row in OutgoingMail.objects.all())  # a sent mail keeps only its envelope


@pytest.mark.django_db
def test_a_rolled_back_booking_leaves_no_mail(queued, resident):
    with pytest.raises(RuntimeError), transaction.atomic():
        _book(resident)
        raise RuntimeError("the request fails after the booking")
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_a_24_date_series_queues_its_mail_in_the_series_transaction(queued, resident, staff):
    room = make_room(requires_approval=True)
    starts = local(days_ahead(3), 18)
    dates = [(starts + timedelta(weeks=week), starts + timedelta(weeks=week, hours=2)) for week in range(24)]
    with pytest.raises(RuntimeError), transaction.atomic():  # killed before the commit: neither series nor mail
        services.book_series(room=room, booked_by=resident, frequency="weekly", dates=dates, **booking_data())
        raise RuntimeError
    assert not OutgoingMail.objects.exists()

    # No on_commit callback runs in this test: the rows exist because the series' transaction wrote them.
    series = services.book_series(room=room, booked_by=resident, frequency="weekly", dates=dates, **booking_data())
    assert series.bookings.count() == 24
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == [resident.email, staff.email]
    # One calendar file for the whole series (issue 13 point 11), with its 24 dates.
    (attachment,) = OutgoingMail.objects.get(to=resident.email).message["attachments"]
    content = attachment.get("text") or base64.b64decode(attachment["base64"]).decode()
    assert content.count("BEGIN:VEVENT") == 24


@pytest.mark.django_db
def test_the_reminder_command_queues_its_mails_in_its_own_transaction(queued, resident):
    make_booking(
        room=make_room(),
        booked_by=resident,
        starts_at=timezone.now() + timedelta(hours=30),
        ends_at=timezone.now() + timedelta(hours=32),
    )
    call_command("send_booking_reminders", stdout=StringIO())
    assert django_mail.outbox == []
    assert OutgoingMail.objects.filter(status=Status.PENDING).count() == 1
    run_worker()
    assert [m.to for m in django_mail.outbox] == [["resident@example.org"]]


@pytest.mark.django_db
def test_allauth_mails_are_queued_too(queued, client, office):
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "password1": "Ein-gutes-Passwort-77",
            "password2": "Ein-gutes-Passwort-77",
            "display_name": "Neu",
        },
    )
    assert django_mail.outbox == []
    assert OutgoingMail.objects.get().to == "neu@example.org"
    run_worker()
    assert [m.to for m in django_mail.outbox] == [["neu@example.org"]]


@pytest.mark.django_db
def test_allauth_mails_are_in_the_account_holders_language(client, office, mailoutbox):
    make_user(email="english@example.org", language="en")
    make_user(email="deutsch@example.org", language="de")
    for address in ("english@example.org", "deutsch@example.org"):  # the German page for both
        client.post(reverse("account_reset_password"), {"email": address})
    assert [(m.to[0], "Password Reset" in m.subject, "Passwort" in m.subject) for m in mailoutbox] == [
        ("english@example.org", True, False),
        ("deutsch@example.org", False, True),
    ]


@pytest.mark.django_db
def test_every_sent_mail_has_the_stable_message_id_of_its_row(queued, resident):
    _book(resident)
    row = OutgoingMail.objects.get()
    run_worker()
    assert django_mail.outbox[0].extra_headers["Message-ID"] == f"<{row.uid}@quartier.example>"
    assert f"Message-ID: <{row.uid}@quartier.example>" in django_mail.outbox[0].message().as_string()


@pytest.mark.django_db
def test_a_failed_send_is_retried_with_back_off_then_failed(queued, settings, resident):
    settings.EMAIL_BACKEND = "tests.quartier.test_mail.RefusingBackend"
    settings.MAIL_RETRY_DELAYS = [60, 300]
    _book(resident)
    row = OutgoingMail.objects.get()

    before = timezone.now()
    run_worker()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert before + timedelta(seconds=59) < row.next_attempt_at < timezone.now() + timedelta(seconds=61)
    assert "Connection unexpectedly closed" in row.last_error
    run_worker()  # not due yet: nothing happens
    row.refresh_from_db()
    assert row.attempts == 1

    for expected_delay in (300, None):
        OutgoingMail.objects.update(next_attempt_at=timezone.now())
        run_worker()
        row.refresh_from_db()
        if expected_delay:
            assert row.status == Status.PENDING
            assert row.next_attempt_at > timezone.now() + timedelta(seconds=expected_delay - 5)
    assert (row.status, row.attempts) == (Status.FAILED, 3)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.send_again(OutgoingMail.objects.all())
    run_worker()
    row.refresh_from_db()
    assert row.status == Status.SENT and len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_a_claim_of_a_dead_worker_is_taken_up_after_its_lease(queued, resident):
    _book(resident)
    assert [row.pk for row in mail.claim(worker="dead")] == [OutgoingMail.objects.get().pk]
    assert mail.claim(worker="other") == []  # claimed, lease running
    run_worker()
    assert django_mail.outbox == []
    OutgoingMail.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    run_worker()
    assert len(django_mail.outbox) == 1
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts) == (Status.SENT, 2)
    # the first worker, only slow, comes back: the claim is no longer its own, so it sends nothing
    assert mail.deliver(row, worker="dead") is False
    row.refresh_from_db()
    assert row.status == Status.SENT and len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_smtp_down_during_a_fund_step_fails_neither_the_request_nor_the_mail(
    settings, resident, django_capture_on_commit_callbacks
):
    """Today the fund sent inside the request: the mail server down gave a 500 after the change committed."""
    settings.MAIL_DELIVERY = "after_commit"  # as in development: sent right after the commit
    settings.EMAIL_BACKEND = "tests.quartier.test_mail.RefusingBackend"
    application = make_application(applicant=resident)
    with django_capture_on_commit_callbacks(execute=True):
        fund_services.submit_application(application=application, by=resident)
    row = OutgoingMail.objects.get()
    assert (row.to, row.status, row.attempts) == (resident.email, Status.PENDING, 1)  # the worker retries it


@pytest.mark.django_db
def test_staff_see_failed_mails_on_the_dashboard_and_send_them_again_in_the_admin(client, office, resident):
    staff = make_staff()
    mail.send(resident, "rooms/mail/booking.txt", {"bookings": []}, subject="Test")
    OutgoingMail.objects.update(status=Status.FAILED, attempts=6, last_error="SMTPRecipientsRefused")
    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert "1 Mail konnte nicht gesendet werden." in page
    changelist = reverse("admin:quartier_outgoingmail_changelist")
    assert "SMTPRecipientsRefused" in client.get(changelist + "?status__exact=failed").content.decode()
    row = OutgoingMail.objects.get()
    response = client.post(changelist, {"action": "send_again", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)


@pytest.mark.django_db
def test_the_dashboard_says_when_all_mails_were_sent(client, office):
    client.force_login(make_staff())
    assert "Alle Mails wurden gesendet." in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", ["Your booking is confirmed", "You are registered", "Your application has been received"]),
        ("de", ["Ihre Buchung ist bestätigt", "Sie sind angemeldet", "Ihr Antrag ist eingegangen"]),
    ],
)
def test_every_mail_is_in_the_recipients_language(mailoutbox, language, texts):
    person = make_user(email=f"{language}@example.org", language=language)
    _book(person)
    event_services.register(event=make_event(), user=person)
    fund_services.submit_application(application=make_application(applicant=person), by=person)
    subjects = [message.subject for message in mailoutbox]
    assert len(subjects) == 3
    for text, subject in zip(texts, subjects, strict=True):
        assert text in subject, subjects


@pytest.mark.django_db
def test_sent_mails_are_pruned_after_the_keeping_time(queued, resident):
    _book(resident)
    run_worker()
    OutgoingMail.objects.update(sent_at=timezone.now() - timedelta(days=31))
    assert mail.prune() == 1 and not OutgoingMail.objects.exists()
