"""Mails about bookings, each rendered in the recipient's language, with an .ics attachment."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from quartier import mail
from quartier.counter import Addressee
from quartier.staff import office_staff_users

from .ics import booking_ics, bookings_ics

CANCEL_LINK_SALT = "rooms.cancel-by-link"


def cancel_token(booking) -> str:
    return signing.dumps({"booking": booking.pk, "user": booking.booked_by_id}, salt=CANCEL_LINK_SALT)


def _recipient(booking):
    """Who hears about a booking: its account, or the address given at the office counter (none: nobody, the office
    hands over a printed confirmation instead)."""
    return booking.booked_by or booking.responsible_email or None


def _series_recipient(series, bookings):
    """Who hears about a series: its account, or the address given at the office counter (see `_recipient`)."""
    if series.booked_by_id is not None or not bookings:
        return series.booked_by
    return _recipient(bookings[0])


def _greeting(recipient, bookings) -> dict:
    """The mail greets an account by its name (quartier.mail sets it), an address by the booking's name."""
    if hasattr(recipient, "email") or not bookings:
        return {}
    return {"recipient": Addressee(bookings[0].responsible_name)}


def _send(
    *,
    recipient,
    subject,
    intro,
    bookings,
    method: str = "REQUEST",
    extra="",
    cancel_link: str = "",
    series=None,
    skipped=(),
) -> None:
    """One mail through quartier.mail: subject and texts are lazy, so they are rendered in the recipient's language.

    A booking comes with its calendar file; the dates of a series with one file for all of them. No recipient
    (booked at the office counter without an address): no mail, the office hands over a printed confirmation."""
    if recipient is None:
        return
    if not method:
        attachments = []
    elif series is not None:
        attachments = [(f"buchungsserie-{series.pk}.ics", lambda: bookings_ics(bookings, method), "text/calendar")]
    else:
        attachments = [
            (f"buchung-{booking.pk}.ics", lambda booking=booking: booking_ics(booking, method), "text/calendar")
            for booking in bookings
        ]
    mail.send(
        recipient,
        "rooms/mail/booking.txt",
        {
            "intro": intro,
            "bookings": bookings,
            "skipped": list(skipped),
            "extra": extra,
            "cancel_link": cancel_link,
            **_greeting(recipient, bookings),
        },
        subject=subject,
        attachments=attachments,
    )


def booking_received(booking) -> None:
    """To the booker: confirmed at once, or received and waiting for approval (then staff are told too)."""
    user = _recipient(booking)
    if booking.status == "confirmed":
        subject, intro = (_("Your booking is confirmed"), _("Your room booking is confirmed."))
    else:
        subject, intro = (
            _("We have received your booking request"),
            _("We have received your request. The office will check it and write to you."),
        )
        notify_staff([booking])
    _send(recipient=user, subject=subject, intro=intro, bookings=[booking])


def series_received(series, skipped=()) -> None:
    """One mail for the whole series: its dates, the dates of the plan it skipped, one calendar file."""
    bookings = list(series.bookings.select_related("room__location").order_by("starts_at"))
    user = _series_recipient(series, bookings)
    if bookings and bookings[0].status == "requested":
        subject, intro = (
            _("We have received your request for a booking series"),
            _("We have received your request for these dates. The office will check it and write to you."),
        )
        notify_staff(bookings)
    else:
        subject, intro = (_("Your booking series is confirmed"), _("Your bookings for these dates are confirmed."))
    _send(recipient=user, subject=subject, intro=intro, bookings=bookings, series=series, skipped=skipped)


def booking_confirmed(booking) -> None:
    user = _recipient(booking)
    subject, intro = (_("Your booking is confirmed"), _("The office has confirmed your room booking."))
    _send(recipient=user, subject=subject, intro=intro, bookings=[booking])


def booking_declined(booking) -> None:
    user = _recipient(booking)
    subject, intro, extra = (
        _("Your booking request was declined"),
        _("The office has declined your request."),
        format_lazy(_("Reason: {reason}"), reason=booking.decline_reason),
    )
    _send(recipient=user, subject=subject, intro=intro, bookings=[booking], method="CANCEL", extra=extra)


def booking_cancelled(booking, reason: str = "") -> None:
    user = _recipient(booking)
    subject, intro = (_("Your booking is cancelled"), _("This room booking is cancelled. The room is free again."))
    extra = format_lazy(_("Reason: {reason}"), reason=reason) if reason else ""
    _send(recipient=user, subject=subject, intro=intro, bookings=[booking], method="CANCEL", extra=extra)


def series_cancelled(series, bookings) -> None:
    bookings = list(bookings)
    user = _series_recipient(series, bookings)
    subject, intro = (_("Your bookings are cancelled"), _("These dates of your series are cancelled."))
    _send(recipient=user, subject=subject, intro=intro, bookings=list(bookings), method="CANCEL", series=series)


def booking_reminder(booking) -> None:
    user = _recipient(booking)
    subject, intro = (
        _("Reminder: your room booking"),
        _("This is a reminder of your room booking. Please pick up the key at the office."),
    )
    if booking.booked_by_id is None:  # booked at the counter without an account: a link could not tell who cancels
        extra, link = _("You cannot come? Please call the office so that others can use the room."), ""
    else:
        extra = _("You cannot come? Please cancel so that others can use the room:")
        link = settings.SITE_URL + reverse("rooms:cancel_by_link", args=[cancel_token(booking)])
    _send(recipient=user, subject=subject, intro=intro, bookings=[booking], extra=extra, cancel_link=link)


def notify_staff(bookings) -> None:
    """Staff with mail get one message per new request that needs their approval."""
    staff = office_staff_users().exclude(email="")
    for member in staff:
        subject, intro = (
            _("New room request waiting for approval"),
            _("A resident has requested a room. Please confirm or decline it in the administration."),
        )
        admin_link = settings.SITE_URL + reverse("admin:rooms_booking_changelist") + "?status__exact=requested"
        _send(recipient=member, subject=subject, intro=intro, bookings=bookings, method="", extra=admin_link)


def waitlist_offer(entry, token: str) -> None:
    """To the first in line: the freed slot is held for her until the hold ends, with one link to take it or not."""
    booking = entry.offer
    link = settings.SITE_URL + reverse("rooms:waitlist_offer", args=[token])
    subject, intro = (
        _("A slot you are waiting for is free"),
        _("The time you are waiting for has become free. We are holding it for you."),
    )
    extra = format_lazy(
        _("Please take it or decline it by {until}. After that it goes to the next person waiting:"),
        until=_local(booking.offer_expires_at),
    )
    _send(
        recipient=entry.user, subject=subject, intro=intro, bookings=[booking], method="", extra=extra, cancel_link=link
    )


def waitlist_offer_lapsed(entry) -> None:
    subject, intro = (
        _("The slot held for you has gone to the next person"),
        _("You did not take the slot in time, so it has been offered to the next person waiting."),
    )
    _send(recipient=entry.user, subject=subject, intro=intro, bookings=[entry.offer], method="")


def _local(moment) -> str:
    from django.utils import timezone
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "SHORT_WEEKDAY_DATETIME_FORMAT")


def _weekly_slot(series, dates) -> str:
    """ "Tuesdays 18:00–20:00" of a series, from its first date."""
    from django.utils import timezone
    from django.utils.formats import date_format

    first = dates[0] if dates else series.bookings.order_by("starts_at").first()
    start, end = timezone.localtime(first.starts_at), timezone.localtime(first.ends_at)
    return f"{date_format(start, 'l')} {start:%H:%M}–{end:%H:%M}"


def series_reconfirm(series, token: str, dates, reminder: bool = False) -> None:
    """To the booker of a series: do you still need these dates? Confirm or release, by the end of the period."""
    from .reconfirm import period_end

    dates = list(dates)
    confirm = settings.SITE_URL + reverse("rooms:series_reconfirm", args=[token])
    subject = _("Reminder: do you still need your room?") if reminder else _("Do you still need your room?")
    intro = format_lazy(
        _("Do you still need {slot} in {room}? Please confirm by {deadline}. Otherwise these dates are released:"),
        slot=_weekly_slot(series, dates),
        room=series.room.name,
        deadline=_local_date(period_end(series)),
    )
    extra = _("Confirm or release the dates here:")
    recipient = _series_recipient(series, dates)
    if recipient is not None:
        _send(
            recipient=recipient,
            subject=subject,
            intro=intro,
            bookings=dates,
            method="",
            extra=extra,
            cancel_link=confirm,
        )
        return
    # Booked at the office counter without an address: the office asks the person by phone and answers the link.
    first = dates[0] if dates else series.bookings.order_by("starts_at").first()
    ask = format_lazy(
        _("Booked at the office counter without an e-mail address. Please call {name} ({phone}) and answer here:"),
        name=first.responsible_name,
        phone=first.responsible_phone,
    )
    for member in office_staff_users().exclude(email=""):
        _send(recipient=member, subject=subject, intro=intro, bookings=dates, method="", extra=ask, cancel_link=confirm)


def series_released(series, dates) -> None:
    """The unconfirmed dates of a series are released: to the booker, and to the office."""
    subject, intro = (
        _("Your series dates have been released"),
        _("You did not confirm these dates of your series, so they are cancelled and free for others:"),
    )
    dates = list(dates)
    _send(
        recipient=_series_recipient(series, dates),
        subject=subject,
        intro=intro,
        bookings=dates,
        method="CANCEL",
        series=series,
    )
    for member in office_staff_users().exclude(email=""):
        _send(
            recipient=member,
            subject=_("Series dates released (not reconfirmed)"),
            intro=_("These dates of a series were not reconfirmed and have been released:"),
            bookings=list(dates),
            method="",
        )


def _local_date(day) -> str:
    from django.utils.formats import date_format

    return date_format(day, "SHORT_WEEKDAY_DATE_FORMAT")
