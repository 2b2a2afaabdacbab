"""Mails about registrations, in the recipient's language, with the event as .ics."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from quartier import mail
from quartier.counter import Addressee

from .ics import event_ics

CANCEL_SALT = "events.cancel-by-link"


def cancel_token(registration) -> str:
    return signing.dumps({"registration": registration.pk, "user": registration.user_id}, salt=CANCEL_SALT)


def _recipient(registration):
    """Who hears about a registration: its account, or the address given at the office counter (none: nobody, the
    office hands over a printed confirmation instead)."""
    return registration.user or registration.email or None


def _greeting(registration) -> dict:
    """An account is greeted by its name (quartier.mail sets it), an address by the name given at the counter."""
    return {} if registration.user_id else {"recipient": Addressee(registration.name)}


def _send(registration, subject, intro, *, cancelled=False, cancel_link="", reason="") -> None:
    """One mail through quartier.mail; the lazy subject and intro are rendered in the recipient's language."""
    recipient = _recipient(registration)
    if recipient is None:
        return
    event = registration.event
    mail.send(
        recipient,
        "events/mail/registration.txt",
        {
            "registration": registration,
            "event": event,
            "intro": intro,
            "cancel_link": cancel_link,
            "reason": reason,
            **_greeting(registration),
        },
        subject=subject,
        attachments=[(f"veranstaltung-{event.pk}.ics", lambda: event_ics(event, cancelled=cancelled), "text/calendar")],
    )


def registration_received(registration) -> None:
    if registration.status == "registered":
        _send(registration, _("You are registered"), _("You are registered for this event."))
    else:
        _send(
            registration,
            _("You are on the waiting list"),
            format_lazy(
                _(
                    "The event is full. You are on the waiting list, in place {position}. "
                    "We will write to you when a place is free."
                ),
                position=registration.get_waiting_position(),
            ),
        )


def moved_up(registration) -> None:
    _send(
        registration,
        _("A place is free for you"),
        _("Good news: someone cancelled. You have moved up from the waiting list and are registered now."),
    )


def registration_cancelled(registration) -> None:
    _send(registration, _("Your registration is cancelled"), _("Your registration is cancelled."), cancelled=True)


def event_cancelled(registration, reason: str = "") -> None:
    _send(
        registration,
        _("The event is cancelled"),
        _("We are sorry: this event is cancelled."),
        cancelled=True,
        reason=reason,
    )


def reminder(registration) -> None:
    if registration.user_id is None:  # registered at the counter without an account: a link could not tell who
        _send(
            registration,
            _("Reminder: your event tomorrow"),
            _(
                "We look forward to seeing you. You cannot come? Please call the office, so that someone from the "
                "waiting list gets your place."
            ),
        )
        return
    link = settings.SITE_URL + reverse("events:cancel_by_link", args=[cancel_token(registration)])
    _send(
        registration,
        _("Reminder: your event tomorrow"),
        _(
            "We look forward to seeing you. You cannot come? Please cancel, so that someone from the "
            "waiting list gets your place:"
        ),
        cancel_link=link,
    )


def organiser_message(registration, *, subject: str, text: str) -> None:
    """The organiser's own words (subject and text as typed), framed in the recipient's language."""
    recipient = _recipient(registration)
    if recipient is None:
        return
    mail.send(
        recipient,
        "events/mail/message.txt",
        {
            "registration": registration,
            "event": registration.event,
            "text": text,
            **_greeting(registration),
        },
        subject=subject,
    )
