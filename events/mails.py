"""Mails about registrations, in the recipient's language, with the event as .ics."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .ics import event_ics


def _send(registration, subject_text, intro_text, *, cancelled=False) -> None:
    user = registration.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject, intro = subject_text(), intro_text()
        body = render_to_string("events/mail/registration.txt", {
            "registration": registration, "event": registration.event, "intro": intro,
            "recipient": user, "site_url": settings.SITE_URL,
        })
        message = EmailMessage(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, to=[user.email])
        message.attach(f"veranstaltung-{registration.event_id}.ics", event_ics(registration.event, cancelled=cancelled),
                       "text/calendar")
        message.send()


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
