"""The portal's one way to send mail: `send()` renders it in the recipient's language and queues it.

`send()` writes an `OutgoingMail` row in the caller's transaction: the mail commits with the change it reports,
or neither does. Delivery is separate and survives faults (`deliver_due`, run by `manage.py send_mails`):

- a worker claims due rows with `SELECT … FOR UPDATE SKIP LOCKED` and a lease, so two workers never send the
  same row (SQLite: its IMMEDIATE transactions serialise the claims);
- a row whose worker died (lease over, still "sending") is claimed again;
- a failed send waits its back-off (`MAIL_RETRY_DELAYS`) and is tried again; after the last attempt it is
  "failed", listed in the admin (with "send again") and on the staff dashboard;
- every row has a stable Message-ID: a worker killed after the server accepted the mail but before it noted
  that sends it again, with the same Message-ID, so the copy can be recognised.

`MAIL_DELIVERY` says who delivers: `worker` (production), `after_commit` (development: the process sends right
after its commit, a worker takes up what failed) or `immediate` (tests: sent inside `send()`).
"""

import base64
import logging
import os
import socket
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Office, OutgoingMail

logger = logging.getLogger(__name__)
Status = OutgoingMail.Status


def send(
    recipient,
    template: str,
    context: dict | None = None,
    *,
    subject=None,
    subject_template: str = "",
    html_template: str = "",
    language: str | None = None,
    attachments=(),
    reply_to=(),
) -> OutgoingMail:
    """Render `template` (and the subject) in the recipient's language and queue the mail in this transaction.

    `recipient` is a User (its address and `language`) or an address (`language`, default German). `subject`
    is a lazy translation or a callable, rendered in that language; or the subject comes from `subject_template`.
    Attachments are (filename, content, mimetype); content may be a callable, called in the language.
    """
    user, address = (recipient, recipient.email) if hasattr(recipient, "email") else (None, recipient)
    language = getattr(user, "language", "") or language or settings.LANGUAGE_CODE
    with translation.override(language):
        # mail/base.txt greets the recipient by name and closes with the office's name and contact.
        context = {"recipient": user, "office": Office.load(), "site_url": settings.SITE_URL, **(context or {})}
        body = render_to_string(template, context)
        if subject is None:
            title = render_to_string(subject_template, context)
        else:
            title = subject() if callable(subject) else str(subject)
        message = EmailMultiAlternatives(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(title.split()),  # one line, whatever is typed
            body=body,
            to=[address],
            reply_to=list(reply_to),
        )
        if html_template:
            try:
                message.attach_alternative(render_to_string(html_template, context), "text/html")
            except TemplateDoesNotExist:
                pass
        for filename, content, mimetype in attachments:
            message.attach(filename, content() if callable(content) else content, mimetype)
    return queue(message, recipient=user, language=language)


def queue(message: EmailMultiAlternatives, *, recipient=None, language: str = "") -> OutgoingMail:
    """Store a rendered message (one address) as a row of this transaction; `send()` is the way to use it."""
    row = OutgoingMail.objects.create(
        recipient=recipient,
        to=message.to[0],
        language=language or settings.LANGUAGE_CODE,
        subject=str(message.subject)[:300],
        message=serialize_message(message),
    )
    if settings.MAIL_DELIVERY == "immediate":
        deliver_due(only=[row.pk])
    elif settings.MAIL_DELIVERY == "after_commit":
        # Only a shortcut: the row is committed already when this runs, a worker sends it if this process dies.
        transaction.on_commit(lambda: deliver_due(only=[row.pk]), robust=True)
    logger.debug("Mail %r to %s queued as %s", row.subject, row.to, row.uid)
    return row


def message_id(row: OutgoingMail) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "quartier.invalid"
    return f"<{row.uid}@{domain}>"


def erase_for(user) -> int:
    """Delete the rendered mails to `user` (sent and waiting): erasure leaves no copy of them behind."""
    deleted, _kinds = OutgoingMail.objects.filter(Q(recipient=user) | Q(to__iexact=user.email)).delete()
    return deleted


# --- Delivery ----------------------------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(*, worker: str, limit: int = 20, only=None, now=None) -> list[OutgoingMail]:
    """Take up to `limit` due rows for this worker: waiting ones whose time has come, and stale claims."""
    now = now or timezone.now()
    due = Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(status=Status.SENDING, lease_until__lt=now)
    with transaction.atomic():
        rows = OutgoingMail.objects.select_for_update(skip_locked=True).filter(due)
        if only is not None:
            rows = rows.filter(pk__in=only)
        rows = list(rows.order_by("next_attempt_at", "pk")[:limit])
        for row in rows:
            row.status, row.claimed_by = Status.SENDING, worker
            row.lease_until = now + timedelta(seconds=settings.MAIL_LEASE_SECONDS)
            row.attempts += 1
            row.save(update_fields=["status", "claimed_by", "lease_until", "attempts"])
    return rows


def deliver(row: OutgoingMail, *, worker: str) -> bool:
    """Send one claimed row; note the outcome only if the claim is still this worker's."""
    mine = OutgoingMail.objects.filter(pk=row.pk, status=Status.SENDING, claimed_by=worker)
    # Renew the lease for this one send (bounded by EMAIL_TIMEOUT); a claim taken over meanwhile is left alone.
    if not mine.update(lease_until=timezone.now() + timedelta(seconds=settings.MAIL_LEASE_SECONDS)):
        return False
    try:
        message = deserialize_message(row.message)
        message.extra_headers["Message-ID"] = message_id(row)
        message.send()
    except Exception as error:  # any failure of the mail server or the network: try again later
        retry_delays = settings.MAIL_RETRY_DELAYS
        if row.attempts > len(retry_delays):
            logger.error("Mail %s to %s failed for good after %s attempts: %s", row.uid, row.to, row.attempts, error)
            mine.update(status=Status.FAILED, lease_until=None, last_error=repr(error)[:2000])
        else:
            delay = retry_delays[row.attempts - 1]
            logger.warning(
                "Mail %s to %s failed (attempt %s), next in %s s: %s", row.uid, row.to, row.attempts, delay, error
            )
            mine.update(
                status=Status.PENDING,
                lease_until=None,
                last_error=repr(error)[:2000],
                next_attempt_at=timezone.now() + timedelta(seconds=delay),
            )
        return False
    # The content goes once it is sent: the row keeps who, what subject, when (and the Message-ID).
    mine.update(status=Status.SENT, sent_at=timezone.now(), lease_until=None, last_error="", message={})
    return True


def deliver_due(*, worker: str = "", limit: int = 20, only=None) -> int:
    """Claim and send what is due; the number of rows taken."""
    worker = worker or worker_name()
    rows = claim(worker=worker, limit=limit, only=only)
    for row in rows:
        deliver(row, worker=worker)
    return len(rows)


def send_again(queryset) -> int:
    """Staff's "send again": failed and waiting mails are due now, with a fresh count of attempts."""
    return queryset.filter(status__in=[Status.FAILED, Status.PENDING]).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None, claimed_by=""
    )


def prune(*, days: int | None = None) -> int:
    """Sent mails are kept (without their content) for `MAIL_KEEP_DAYS`, then deleted."""
    days = settings.MAIL_KEEP_DAYS if days is None else days
    deleted, _kinds = OutgoingMail.objects.filter(
        status=Status.SENT, sent_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted


# --- The message as JSON -----------------------------------------------------------------------------------


def serialize_message(message) -> dict:
    """The parts of a mail as JSON-safe values (binary attachments in base64)."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if content is None or filename is None:
            raise ValueError("Mail attachments must be (filename, content, mimetype) triples.")
        if isinstance(content, bytes):
            attachments.append(
                {"filename": filename, "base64": base64.b64encode(content).decode(), "mimetype": mimetype}
            )
        else:
            attachments.append({"filename": filename, "text": str(content), "mimetype": mimetype})
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def deserialize_message(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for attachment in data["attachments"]:
        content = base64.b64decode(attachment["base64"]) if "base64" in attachment else attachment["text"]
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def user_for_address(address: str):
    """The account with this address, if any (its language is then the mail's)."""
    return get_user_model().objects.filter(email__iexact=address).first()
