"""Mails go through one django-tasks task: in production a worker sends them, not the request."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quartier.tasks import deserialize_message, serialize_message
from rooms import services

from ..rooms.factories import booking_data, days_ahead, local, make_booking, make_room

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def run_worker(monkeypatch):
    """The real db_worker, once through the queue. It closes "old" connections between tasks, which inside
    a test's transaction would close the test's own: that step is left out here."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_message_survives_the_trip_through_json_with_text_and_binary_attachments():
    message = EmailMessage("Betreff", "Text", "office@example.org", ["a@example.org"], reply_to=["r@example.org"],
                           headers={"X-Quartier": "1"})
    message.attach("termin.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("scan.pdf", b"%PDF-1.4 \x00\xff", "application/pdf")
    copy = deserialize_message(serialize_message(message))
    assert (copy.subject, copy.body, copy.from_email, copy.to, copy.reply_to) == (
        "Betreff", "Text", "office@example.org", ["a@example.org"], ["r@example.org"])
    assert copy.extra_headers == {"X-Quartier": "1"}
    assert [a[0] for a in copy.attachments] == ["termin.ics", "scan.pdf"]
    assert copy.attachments[1][1] == b"%PDF-1.4 \x00\xff"


@pytest.mark.django_db
def test_with_the_database_backend_a_booking_mail_waits_for_the_worker(settings, run_worker, resident, staff,
                                                                       django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_TASKS
    room = make_room(requires_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.book_room(room=room, booked_by=resident, starts_at=local(days_ahead(5), 18),
                           ends_at=local(days_ahead(5), 20), **booking_data())
    assert mail.outbox == []  # the request sent nothing
    assert DBTaskResult.objects.ready().count() == 2  # to the booker and to the staff member

    run_worker()

    assert sorted(m.to[0] for m in mail.outbox) == ["resident@example.org", "staff@example.org"]
    to_booker = next(m for m in mail.outbox if m.to == ["resident@example.org"])
    assert to_booker.attachments[0][2] == "text/calendar"
    assert DBTaskResult.objects.successful().count() == 2


@pytest.mark.django_db
def test_the_reminder_command_enqueues_its_mails_in_its_own_transaction(settings, run_worker, resident):
    settings.TASKS = DATABASE_TASKS
    make_booking(room=make_room(), booked_by=resident, starts_at=timezone.now() + timedelta(hours=30),
                 ends_at=timezone.now() + timedelta(hours=32))
    call_command("send_booking_reminders", stdout=StringIO())
    assert mail.outbox == []
    assert DBTaskResult.objects.ready().count() == 1
    run_worker()
    assert [m.to for m in mail.outbox] == [["resident@example.org"]]


@pytest.mark.django_db
def test_allauth_mails_are_queued_too(settings, run_worker, client, office):
    settings.TASKS = DATABASE_TASKS
    client.post(reverse("account_signup"), {"email": "neu@example.org", "password1": "Ein-gutes-Passwort-77",
                                            "password2": "Ein-gutes-Passwort-77", "display_name": "Neu"})
    assert mail.outbox == []
    run_worker()
    assert [m.to for m in mail.outbox] == [["neu@example.org"]]
