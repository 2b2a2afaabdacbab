"""Mails about registrations, in the recipient's language, with the event as .ics."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from quartier.tasks import enqueue_mail

from .ics import event_ics

CANCEL_SALT = "events.cancel-by-link"


def cancel_token(registration) -> str:
    return signing.dumps({"registration": registration.pk, "user": registration.user_id}, salt=CANCEL_SALT)


def _send(registration, subject_text, intro_text, *, cancelled=False, cancel_link="") -> None:
    user = registration.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject, intro = subject_text(), intro_text()
        body = render_to_string("events/mail/registration.txt", {
            "registration": registration, "event": registration.event, "intro": intro,
            "recipient": user, "site_url": settings.SITE_URL, "cancel_link": cancel_link,
        })
        message = EmailMessage(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, to=[user.email])
        message.attach(f"veranstaltung-{registration.event_id}.ics", event_ics(registration.event, cancelled=cancelled),
                       "text/calendar")
        enqueue_mail(message)


def registration_received(registration) -> None:
    if registration.status == "registered":
        _send(registration, lambda: _("You are registered"), lambda: _("You are registered for this event."))
    else:
        _send(registration, lambda: _("You are on the waiting list"),
              lambda: _("The event is full. You are on the waiting list. We will write to you when a place is free."))


def moved_up(registration) -> None:
    _send(registration, lambda: _("A place is free for you"),
          lambda: _("Good news: someone cancelled. You have moved up from the waiting list and are registered now."))


def registration_cancelled(registration) -> None:
    _send(registration, lambda: _("Your registration is cancelled"),
          lambda: _("Your registration is cancelled."), cancelled=True)


def event_cancelled(registration) -> None:
    _send(registration, lambda: _("The event is cancelled"),
          lambda: _("We are sorry: this event is cancelled."), cancelled=True)


def reminder(registration) -> None:
    link = settings.SITE_URL + reverse("events:cancel_by_link", args=[cancel_token(registration)])
    _send(registration, lambda: _("Reminder: your event tomorrow"),
          lambda: _("We look forward to seeing you. You cannot come? Please cancel, so that someone from the "
                    "waiting list gets your place:"), cancel_link=link)


def organiser_message(registration, *, subject: str, text: str) -> None:
    user = registration.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = render_to_string("events/mail/message.txt", {
            "registration": registration, "event": registration.event, "text": text, "recipient": user,
            "site_url": settings.SITE_URL,
        })
    enqueue_mail(EmailMessage(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, to=[user.email]))
