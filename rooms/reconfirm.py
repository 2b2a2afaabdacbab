"""Regular groups reconfirm their series: before the room's reconfirmation period ends the booker is asked (a mail
with confirm / release links and the dates), reminded after `reconfirm_reminder_days`, and without an answer by
the period's end the later dates are released (cancelled, mails to booker and office, the waiting list asked).
No-shows: staff record them per date; after `Room.no_show_alert_after` in a row the dashboard says so.

Each step changes a series' row under a row lock (skip_locked for the cron command, so parallel runs take other
series) and only when its condition still holds: a run twice, or two runs at once, mail and release once."""

from datetime import datetime, time, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.staff import is_office_staff

from . import mails, services, waitlist
from .models import Booking, BookingSeries

RECONFIRM_SALT = "rooms.series-reconfirm"
RECONFIRM_MAX_AGE = 60 * 24 * 3600  # longer than any notice; the period it names decides whether it still counts


def period_end(series: BookingSeries):
    """The last day of the confirmed period: `confirmed_until`, or the first period after the series was booked."""
    return series.confirmed_until or series.room.next_reconfirmation(timezone.localtime(series.created_at).date())


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def asks_at(series: BookingSeries) -> datetime:
    """When the booker is asked: the notice before the period ends."""
    return _end_of(period_end(series)) - timedelta(days=series.room.reconfirm_notice_days)


def unconfirmed_dates(series: BookingSeries):
    """The dates after the confirmed period that still hold their slot: what a release cancels."""
    return (
        series.bookings.holding()
        .filter(starts_at__gte=_end_of(period_end(series)))
        .select_related("room__location")
        .order_by("starts_at")
    )


def token(series: BookingSeries) -> str:
    """Names the period asked about: once it is confirmed or released, the link finds that and changes nothing."""
    return signing.dumps(
        {"series": series.pk, "user": series.booked_by_id, "until": period_end(series).isoformat()}, salt=RECONFIRM_SALT
    )


def series_from_token(value: str) -> tuple[BookingSeries, str]:
    """The series and the period end the link asks about; raises signing.SignatureExpired / BadSignature /
    BookingSeries.DoesNotExist."""
    data = signing.loads(value, salt=RECONFIRM_SALT, max_age=RECONFIRM_MAX_AGE)
    try:
        series = BookingSeries.objects.select_related("room__location", "booked_by").get(
            pk=data["series"], booked_by_id=data["user"]
        )
        return series, data["until"]
    except (KeyError, TypeError):
        raise signing.BadSignature from None


def _locked(series: BookingSeries) -> BookingSeries:
    # of=self: booked_by is empty for a series booked at the counter; PostgreSQL cannot lock an outer join's empty side.
    locked = BookingSeries.objects.select_for_update(of=("self",)).select_related("room__location", "booked_by")
    return locked.get(pk=series.pk)


@transaction.atomic
def confirm(*, series: BookingSeries, until: str) -> bool:
    """The group still needs the dates: the next period is confirmed. False when the link's period is no longer
    the one open (confirmed already, or released)."""
    series = _locked(series)
    if series.released_at or period_end(series).isoformat() != until:
        return False
    series.confirmed_until = series.room.next_reconfirmation(period_end(series))
    series.reconfirm_asked_at = series.reconfirm_reminded_at = None
    series.save(update_fields=["confirmed_until", "reconfirm_asked_at", "reconfirm_reminded_at"])
    return True


def release(*, series: BookingSeries, until: str | None = None, by=None) -> int:
    """Cancel the unconfirmed dates (after the confirmed period), tell booker and office, ask the waiting list.
    With `until` (from the link) only if that period is still the open one. Returns how many dates were released."""
    with transaction.atomic():
        services._lock_room(series.room)  # the lock order: room, series, bookings
        series = _locked(series)
        if series.released_at or (until is not None and period_end(series).isoformat() != until):
            return 0
        now = timezone.now()
        dates = list(unconfirmed_dates(series).select_for_update(of=("self",)))
        for booking in dates:
            booking.status, booking.cancelled_at, booking.cancelled_by = Booking.Status.CANCELLED, now, by
            booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        series.released_at = now
        series.save(update_fields=["released_at"])
        if dates:
            mails.series_released(series, dates)
            for booking in dates:
                waitlist.offer_freed(series.room, booking.starts_at, booking.ends_at, now=now)
        return len(dates)


def _next(queryset):
    return queryset.select_for_update(skip_locked=True, of=("self",)).select_related("room__location", "booked_by")


def _open_series(now):
    """Series that are not released and still have dates ahead."""
    return BookingSeries.objects.filter(
        released_at__isnull=True,
        bookings__status__in=Booking.HOLDING,
        bookings__starts_at__gt=now,
    ).distinct()


def run(now: datetime | None = None) -> dict:
    """The cron step: ask, remind and release where due; each series once per step, also with parallel runs."""
    now = now or timezone.now()
    done = {"asked": 0, "reminded": 0, "released": 0}
    seen = set()
    for series_id in _open_series(now).values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            series = _next(BookingSeries.objects.filter(pk=series_id, released_at__isnull=True)).first()
            if series is None or series.pk in seen:
                continue
            seen.add(series.pk)
            room = series.room
            end = _end_of(period_end(series))
            if series.reconfirm_asked_at is None:
                if now >= asks_at(series) and unconfirmed_dates(series).exists():
                    series.reconfirm_asked_at = now
                    series.save(update_fields=["reconfirm_asked_at"])
                    mails.series_reconfirm(series, token(series), unconfirmed_dates(series), reminder=False)
                    done["asked"] += 1
                continue
            if now < end:
                due = series.reconfirm_asked_at + timedelta(days=room.reconfirm_reminder_days)
                if series.reconfirm_reminded_at is None and room.reconfirm_reminder_days and now >= due:
                    series.reconfirm_reminded_at = now
                    series.save(update_fields=["reconfirm_reminded_at"])
                    mails.series_reconfirm(series, token(series), unconfirmed_dates(series), reminder=True)
                    done["reminded"] += 1
                continue
        # The period ended unanswered: release (its own transaction, the room locked first).
        if release(series=series, until=period_end(series).isoformat()):
            done["released"] += 1
    return done


@transaction.atomic
def record_no_show(*, booking: Booking, by) -> Booking:
    """Staff record that nobody came to a date (at the door or the next morning)."""
    if not is_office_staff(by):
        raise ValidationError(_("Only the office can record a no-show."))
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED or booking.starts_at > timezone.now():
        raise ValidationError(_("A no-show can be recorded for a confirmed booking that has begun."))
    booking.no_show, booking.no_show_recorded_by = True, by
    booking.save(update_fields=["no_show", "no_show_recorded_by"])
    return booking


def no_show_alerts(now: datetime | None = None) -> list[BookingSeries]:
    """Series whose latest dates in a row nobody came to, at least the room's `no_show_alert_after` times."""
    now = now or timezone.now()
    candidates = (
        BookingSeries.objects.filter(released_at__isnull=True, bookings__no_show=True)
        .distinct()
        .select_related("room", "booked_by")
    )
    alerts = []
    for series in candidates[:100]:
        series.no_shows_in_a_row = series.no_shows_in_a_row_count(now)
        if series.no_shows_in_a_row >= series.room.no_show_alert_after:
            alerts.append(series)
    return alerts
