"""Background tasks (django-tasks): the portal's mail is sent by a worker, not by the request.

Every mail the portal sends, its own and allauth's, is rendered where it happens (in the recipient's
language, inside ``transaction.on_commit`` where there is a transaction) and handed to ``enqueue_mail``.
The task carries the finished message as JSON, so the worker needs no database row that might change or
vanish in between. With the database backend (production) the task is a row in the same database: a
reminder command that marks a booking as reminded and enqueues its mail commits both or neither.
"""

import base64
import logging

from django.core.mail import EmailMessage, EmailMultiAlternatives

try:  # Django 6 ships the tasks framework; on Django 5.2 the backport provides it under its own name
    from django.tasks import task
except ImportError:
    from django_tasks import task

logger = logging.getLogger(__name__)


def serialize_message(message: EmailMessage) -> dict:
    """The parts of a mail as JSON-safe values (binary attachments in base64)."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if content is None or filename is None:
            raise ValueError("Mail attachments must be (filename, content, mimetype) triples.")
        if isinstance(content, bytes):
            attachments.append({"filename": filename, "base64": base64.b64encode(content).decode(),
                                "mimetype": mimetype})
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
        subject=data["subject"], body=data["body"], from_email=data["from_email"], to=data["to"], cc=data["cc"],
        bcc=data["bcc"], reply_to=data["reply_to"], headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for attachment in data["attachments"]:
        content = base64.b64decode(attachment["base64"]) if "base64" in attachment else attachment["text"]
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


@task()
def send_mail_message(message: dict) -> None:
    """Send one rendered mail through the configured EMAIL_BACKEND (in the worker, or at once in development)."""
    deserialize_message(message).send()


def enqueue_mail(message: EmailMessage) -> None:
    """Hand a rendered mail to the task queue; every mail of the portal goes this way."""
    result = send_mail_message.enqueue(serialize_message(message))
    logger.debug("Mail %r to %s queued as task %s", message.subject, message.to, result.id)
