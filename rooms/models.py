from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from quartier.audit import AuditEntryBase
from quartier.dates import check_span, ends_before_start, implausible_fields, span_constraint
from quartier.images import validate_image
from quartier.money import CENT, NOT_NEGATIVE, ZERO, MoneyField
from quartier.sql import plain_rows
from quartier.staff import is_office_staff

SLOT_MINUTES = 30  # the slot grid: free times and the earliest start are offered at :00 and :30


def on_slot_grid(moment: datetime, minutes: int = SLOT_MINUTES) -> datetime:
    """The moment rounded up to the slot grid (20:17 becomes 20:30, 20:30:10 becomes 21:00; 20:30 stays)."""
    whole_minute = moment.replace(second=0, microsecond=0)
    if whole_minute != moment:
        whole_minute += timedelta(minutes=1)
    return whole_minute + timedelta(minutes=(-whole_minute.minute) % minutes)


class TsTzRange(models.Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL; on other databases (SQLite) its SQL is empty.

    The locked check in `services.book_room` covers SQLite; PostgreSQL refuses overlaps even if a
    code path forgets the check.
    """

    def _is_postgres(self, schema_editor):
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._is_postgres(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._is_postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._is_postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using="default"):
        """No Python-side validation: `services.check_booking` names the conflicting time (which this
        could not), and forms without a `status` field would trip over the condition."""


class ConcernsItsRoom:
    """A record of one room (its `room_id`): a write renews the cached pages of every room's list and its own
    room's page, not the other rooms' (quartier/caching.py)."""

    def cache_topics(self) -> list[str]:
        return [f"room:{self.room_id}"]


class Equipment(models.Model):
    """Something a room offers (kitchen, projector…); staff extend the list."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name"), unique=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["name_de"]  # the German name (rooms/translation.py): one order in every language

    def __str__(self):
        return self.name


class Purpose(models.Model):
    """A kind of use a room suits (meetings, culture, celebrations…)."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name"), unique=True)

    class Meta:
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        ordering = ["name_de"]  # the German name (rooms/translation.py): one order in every language

    def __str__(self):
        return self.name


class Location(models.Model):
    """A building with rooms: the Stadtteilbüro, a Nachbarschaftshaus."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100, default="Dortmund")
    opening_hours = models.TextField(_("opening hours"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    key_pickup = models.TextField(_("how to get the key"), blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"


class RoomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_listing_data(self):
        return self.select_related("location").prefetch_related("equipment", "purposes", "photos", "bookable_hours")

    def fitting(self, attendees: int):
        return self.filter(capacity__gte=attendees)

    def with_equipment(self, slugs):
        queryset = self
        for slug in slugs:
            queryset = queryset.filter(equipment__slug=slug)
        return queryset.distinct() if slugs else queryset

    def step_free(self):
        return self.filter(step_free=True)


class Room(models.Model):
    """A bookable room with its booking rules as data (the Nutzungsordnung)."""

    class BookableBy(models.TextChoices):
        RESIDENTS = "residents", _("registered residents and initiatives")
        INITIATIVES = "initiatives", _("initiatives only")

    location = models.ForeignKey(Location, models.PROTECT, related_name="rooms", verbose_name=_("location"))
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"), validators=[MinValueValidator(1)])
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=6, decimal_places=1, null=True, blank=True)
    equipment = models.ManyToManyField(Equipment, blank=True, verbose_name=_("equipment"))
    purposes = models.ManyToManyField(Purpose, blank=True, verbose_name=_("suitable for"))
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    house_rules = models.TextField(_("house rules (Nutzungsordnung)"), blank=True)
    bookable_by = models.CharField(_("who may book"), max_length=20, choices=BookableBy, default=BookableBy.RESIDENTS)
    requires_approval = models.BooleanField(_("requests need staff approval"), default=True)
    min_duration_minutes = models.PositiveIntegerField(_("minimum length (minutes)"), default=30)
    max_duration_minutes = models.PositiveIntegerField(_("maximum length (minutes)"), default=360)
    min_notice_hours = models.PositiveIntegerField(_("minimum notice (hours)"), default=48)
    max_advance_days = models.PositiveIntegerField(_("bookable how far ahead (days)"), default=180)
    max_advance_days_private = models.PositiveIntegerField(
        _("private use: bookable how far ahead (days)"),
        null=True,
        blank=True,
        help_text=_("For example 60 days, while initiatives and non-profit use book 180 days ahead. Empty: the same."),
    )
    fee_per_hour = MoneyField(
        _("fee per hour for private use (€)"),
        max_digits=7,
        decimal_places=2,
        default=ZERO,
        validators=[NOT_NEGATIVE],
    )
    deposit = MoneyField(
        _("deposit for private use (€)"),
        max_digits=7,
        decimal_places=2,
        default=ZERO,
        validators=[NOT_NEGATIVE],
    )
    cancellation_deadline_hours = models.PositiveIntegerField(_("cancellation deadline (hours before)"), default=24)
    reconfirm_every_weeks = models.PositiveIntegerField(
        _("series: reconfirm every (weeks)"),
        default=8,
        validators=[MinValueValidator(1)],
        help_text=_("Groups with weekly dates confirm that they still need them."),
    )
    reconfirm_term_dates = models.TextField(
        _("series: reconfirm at term dates instead"),
        blank=True,
        help_text=_("Dates like 2027-02-01, one per line. Empty: every few weeks as set above."),
    )
    reconfirm_notice_days = models.PositiveIntegerField(
        _("series: days to reconfirm"), default=14, validators=[MinValueValidator(1)]
    )
    reconfirm_reminder_days = models.PositiveIntegerField(_("series: reminder after (days)"), default=7)
    no_show_alert_after = models.PositiveIntegerField(
        _("alert the office after this many no-shows in a row"), default=3, validators=[MinValueValidator(1)]
    )
    waitlist_hold_hours = models.PositiveIntegerField(
        _("waiting list: hold a freed slot for (hours)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_("Shorter when the slot is close: at most half the time until it starts."),
    )
    is_active = models.BooleanField(_("bookable"), default=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["location__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_duration_minutes__gte=F("min_duration_minutes")),
                name="rooms_room_max_duration_not_below_min",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.location})"

    def get_absolute_url(self):
        return reverse("rooms:detail", args=[self.slug])

    def bookable_hours_for(self, weekday: int) -> list[tuple[time, time]]:
        """Opening windows on a weekday (0 = Monday), sorted; uses the hours that `load_bookable_hours`
        attached or prefetched hours when available, and queries otherwise."""
        by_weekday = self.__dict__.get("_hours_by_weekday")
        if by_weekday is not None:
            return list(by_weekday.get(weekday, ()))
        return sorted((h.opens, h.closes) for h in self.bookable_hours.all() if h.weekday == weekday)

    @staticmethod
    def is_private_use(private_use: bool, initiative=None) -> bool:
        """Private use, and use on behalf of an initiative that does not count as non-profit (a business, one
        staff have not verified or confirmed), pays."""
        return bool(private_use) or (initiative is not None and not initiative.counts_as_nonprofit)

    def advance_days(self, private_use: bool = False) -> int:
        """How far ahead a kind of booker may book: initiatives and non-profit use `max_advance_days`, private
        use (also a business's) `max_advance_days_private` when set."""
        if private_use and self.max_advance_days_private is not None:
            return self.max_advance_days_private
        return self.max_advance_days

    def booking_window(
        self, now: datetime, *, staff: bool = False, private_use: bool = False
    ) -> tuple[datetime, datetime]:
        """The earliest and latest start this room offers: after the notice period (office staff: from now) and
        at most `advance_days` ahead for the kind of booker. The one place of the notice and advance rule
        (booking checks, free slots, the week calendar); the booking check lets office staff book beyond the
        advance limit."""
        earliest = now if staff else now + timedelta(hours=self.min_notice_hours)
        return earliest, now + timedelta(days=self.advance_days(private_use))

    def waitlist_hold_until(self, starts_at: datetime, now: datetime) -> datetime:
        """Until when a freed slot is held for the first person waiting: `waitlist_hold_hours`, but at most half
        the time until the slot starts (a slot tomorrow morning is not held all night)."""
        return min(now + timedelta(hours=self.waitlist_hold_hours), now + (starts_at - now) / 2)

    def term_dates(self) -> list:
        """The term dates of `reconfirm_term_dates`, sorted; lines that are not a date are left out."""
        days = []
        for line in self.reconfirm_term_dates.split():
            try:
                days.append(date.fromisoformat(line.strip()))
            except ValueError:
                continue
        return sorted(days)

    def next_reconfirmation(self, after: date) -> date:
        """The end of the reconfirmation period that follows `after`: the next term date, or `after` plus
        `reconfirm_every_weeks`."""
        later = [day for day in self.term_dates() if day > after]
        return later[0] if later else after + timedelta(weeks=self.reconfirm_every_weeks)

    def earliest_start(self, now: datetime, *, staff: bool = False) -> datetime:
        """The earliest start to offer and name: the booking window's, rounded up to the slot grid."""
        return on_slot_grid(self.booking_window(now, staff=staff)[0])

    def charges(
        self, starts_at: datetime, ends_at: datetime, *, private_use: bool, initiative=None
    ) -> tuple[bool, Decimal, Decimal]:
        """(private use, fee, deposit) of a booking: the one rule that the booking service charges and the
        booking form's price check shows."""
        private_use = self.is_private_use(private_use, initiative)
        return private_use, self.fee_for(starts_at, ends_at, private_use), self.deposit_for(private_use)

    def fee_for(self, starts_at: datetime, ends_at: datetime, private_use: bool) -> Decimal:
        """Private use pays the exact length at the hourly fee (real time, also across a daylight-saving
        change), rounded to the cent; non-profit use is free."""
        if not private_use or ends_before_start(starts_at, ends_at):
            return ZERO
        hours = Decimal(str(ends_at.timestamp() - starts_at.timestamp())) / Decimal(3600)  # real hours across DST
        return (self.fee_per_hour * hours).quantize(CENT, rounding=ROUND_HALF_UP)

    def deposit_for(self, private_use: bool) -> Decimal:
        return self.deposit if private_use else ZERO

    def is_free_of_charge_for(self, booking) -> bool:
        """Non-profit use (not private) is free; `booking` is a booking, a form's data dict or a bool."""
        if isinstance(booking, bool):
            private_use = booking
        elif isinstance(booking, dict):
            private_use = bool(booking.get("private_use"))
        else:
            private_use = bool(getattr(booking, "private_use", False))
        return not private_use or (not self.fee_per_hour and not self.deposit)


def last_responsible(user) -> dict:
    """Name and phone of the responsible adult of the user's newest booking ({} without one): what her next form
    fills in (WCAG 2.2, 3.3.7 redundant entry). One query compiled once (quartier.sql.plain_rows)."""
    if user.pk is None:
        return {}
    rows = plain_rows("rooms.last_responsible", _last_responsible_rows, user.pk)
    return dict(zip(("responsible_name", "responsible_phone"), rows[0], strict=True)) if rows else {}


def _last_responsible_rows(user_id):
    bookings = Booking.objects.filter(booked_by_id=user_id).order_by("-created_at")
    return bookings.values_list("responsible_name", "responsible_phone")[:1]


def bookable_hours_of(room_ids) -> dict[int, dict[int, list[tuple[time, time]]]]:
    """The bookable hours of many rooms by room id and weekday, sorted: one query of plain values (no model
    instances, no prefetch bookkeeping)."""
    by_room: dict[int, dict[int, list[tuple[time, time]]]] = {room_id: {} for room_id in room_ids}
    return _by_room_and_weekday(by_room, plain_rows("rooms.bookable_hours", _bookable_hours_rows, list(by_room)))


def bookable_hours_on(weekday: int) -> dict[int, list[tuple[time, time]]]:
    """Every active room's bookable windows on one weekday, sorted (a room without hours that day is missing):
    the rooms joined in the query, not passed as a list of some 200 ids, and sorted there."""
    by_room: dict[int, list[tuple[time, time]]] = {}
    for room_id, opens, closes in plain_rows("rooms.bookable_hours_on", _active_hours_rows, weekday):
        windows = by_room.get(room_id)
        if windows is None:
            by_room[room_id] = [(opens, closes)]
        else:
            windows.append((opens, closes))
    return by_room


def _by_room_and_weekday(by_room: dict, rows) -> dict:
    for room_id, weekday, opens, closes in rows:
        by_room.setdefault(room_id, {}).setdefault(weekday, []).append((opens, closes))
    for hours in by_room.values():
        for windows in hours.values():
            windows.sort()
    return by_room


def _bookable_hours_rows(room_ids):
    """The query of `bookable_hours_of` (compiled once per process: quartier.sql.plain_rows)."""
    rows = BookableHours.objects.filter(room_id__any_of=room_ids)  # one array parameter
    return rows.order_by().values_list("room_id", "weekday", "opens", "closes")


def _active_hours_rows(weekday):
    rows = BookableHours.objects.filter(room__in=Room.objects.active(), weekday=weekday)
    return rows.order_by("room_id", "opens", "closes").values_list("room_id", "opens", "closes")


def load_bookable_hours(rooms) -> None:
    """Attach the bookable hours of many rooms (`bookable_hours_of`): what a room list needs for
    `Room.bookable_hours_for`."""
    rooms = list(rooms)
    hours = bookable_hours_of([room.pk for room in rooms])
    for room in rooms:
        room._hours_by_weekday = hours[room.pk]


class BookableHours(models.Model):
    """A window on one weekday in which the room can be booked (default 08:00–22:00, Nachtruhe after)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    room = models.ForeignKey(Room, models.CASCADE, related_name="bookable_hours", verbose_name=_("room"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens = models.TimeField(_("from"), default=time(8))
    closes = models.TimeField(_("until"), default=time(22))

    class Meta:
        verbose_name = _("bookable hours")
        verbose_name_plural = _("bookable hours")
        ordering = ["room", "weekday", "opens"]
        constraints = [span_constraint("rooms_bookablehours_closes_after_opens", "opens", "closes")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


def room_photo_path(instance, filename):
    return f"rooms/{instance.room.slug}/{filename}"


class RoomPhoto(models.Model):
    room = models.ForeignKey(Room, models.CASCADE, related_name="photos", verbose_name=_("room"))
    image = models.ImageField(_("image"), upload_to=room_photo_path, validators=[validate_image])
    alt_text = models.CharField(
        _("alternative text"), max_length=200, help_text=_("Describe the photo for people who cannot see it.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["room", "position", "pk"]

    def __str__(self):
        return self.alt_text


class ClosureQuerySet(models.QuerySet):
    def affecting(self, room: Room):
        return self.filter(Q(room=room) | Q(location_id=room.location_id))

    def overlapping(self, starts_at: datetime, ends_at: datetime):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Closure(models.Model):
    """A time in which a room, or every room of a location, cannot be booked (holidays, renovation)."""

    location = models.ForeignKey(
        Location, models.CASCADE, null=True, blank=True, related_name="closures", verbose_name=_("whole location")
    )
    room = models.ForeignKey(
        Room, models.CASCADE, null=True, blank=True, related_name="closures", verbose_name=_("single room")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_at"]
        constraints = [
            span_constraint("rooms_closure_ends_after_start", "starts_at", "ends_at"),
            models.CheckConstraint(
                condition=(Q(room__isnull=True) & Q(location__isnull=False))
                | (Q(room__isnull=False) & Q(location__isnull=True)),
                name="rooms_closure_room_or_location",
                violation_error_message=_("Choose either a single room or a whole location."),
            ),
        ]

    def __str__(self):
        return f"{self.reason} ({self.room or self.location})"

    def clean(self):
        errors = implausible_fields(self, "starts_at", "ends_at") or check_span(self)
        if errors:
            raise ValidationError(errors)

    def cache_topics(self) -> list[str]:
        """The cached pages this write concerns besides the lists of every room (quartier/caching.py)."""
        return [f"room:{self.room_id}"] if self.room_id else [f"location:{self.location_id}"]


class BookingSeries(ConcernsItsRoom, models.Model):
    """Bookings of one room that repeat weekly or every two weeks, booked together."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        BIWEEKLY = "biweekly", _("every two weeks")

    room = models.ForeignKey(Room, models.PROTECT, related_name="series", verbose_name=_("room"))
    # Empty for a series booked at the office counter for someone without an account (as `Booking.booked_by`).
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="booking_series",
        verbose_name=_("booked by"),
    )
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Reconfirmation (rooms/reconfirm.py): dates up to `confirmed_until` are confirmed; before it the booker is
    # asked, reminded, and without an answer by then the later dates are released.
    confirmed_until = models.DateField(_("dates confirmed until"), null=True, blank=True)
    reconfirm_asked_at = models.DateTimeField(_("asked to reconfirm at"), null=True, blank=True)
    reconfirm_reminded_at = models.DateTimeField(_("reminded to reconfirm at"), null=True, blank=True)
    released_at = models.DateTimeField(_("later dates released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.room.name}: {self.get_frequency_display()}"

    def no_shows_in_a_row_count(self, now: datetime | None = None) -> int:
        """How many of the latest past dates in a row nobody came to (recorded by staff)."""
        count = 0
        past = self.bookings.filter(status=Booking.Status.CONFIRMED, ends_at__lte=now or timezone.now())
        for no_show in past.order_by("-starts_at").values_list("no_show", flat=True)[:50]:
            if not no_show:
                break
            count += 1
        return count


class BookingQuerySet(models.QuerySet):
    def holding(self):
        """Bookings that hold their slot: requested and confirmed."""
        return self.filter(status__in=Booking.HOLDING)

    def overlapping(self, starts_at: datetime, ends_at: datetime):
        """Strict overlap: 10–12 and 12–14 do not overlap.

        On PostgreSQL as a range overlap, the expression of the exclusion constraint, so that its GiST
        index answers it.
        """
        from django.db import connections

        if connections[self.db].vendor == "postgresql":
            return self.alias(period=TsTzRange("starts_at", "ends_at", RangeBoundary())).filter(
                period__overlap=DateTimeTZRange(starts_at, ends_at, "[)")
            )
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def for_room(self, room: Room):
        return self.filter(room=room)

    def of_user(self, user):
        return self.filter(booked_by=user) if user.pk is not None else self.none()

    # The id after the start: bookings starting at the same time (in different rooms) keep one order, so that a
    # page of them shows each exactly once.
    def upcoming(self, now: datetime | None = None):
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: datetime | None = None):
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")

    def with_related(self):
        return self.select_related("room__location", "booked_by", "series", "initiative")


class Booking(ConcernsItsRoom, models.Model):
    """A room held for a time; requested and confirmed bookings of a room never overlap."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", pgettext_lazy("booking", "cancelled")
        # Freed and held for the first person on the waiting list until `offer_expires_at` (rooms/waitlist.py).
        OFFERED = "offered", _("offered from the waiting list")

    class Inspection(models.TextChoices):
        NONE = "", _("not yet inspected")
        CLEAN = "clean", _("clean, no damage")
        DAMAGE = "damage", _("damage or not clean")

    class DepositState(models.TextChoices):
        NONE = "none", _("no deposit")
        DUE = "due", _("due")
        HELD = "held", _("held")
        RETURNED = "returned", _("returned")
        PARTLY_WITHHELD = "partly", _("partly withheld")
        WITHHELD = "withheld", _("withheld")

    WITHHOLDING = (DepositState.PARTLY_WITHHELD, DepositState.WITHHELD)

    HOLDING = (Status.REQUESTED, Status.CONFIRMED, Status.OFFERED)  # the exclusion constraint's condition

    # No index of its own: (room, ends_at) below and the exclusion constraint's GiST index serve room lookups.
    room = models.ForeignKey(Room, models.PROTECT, related_name="bookings", verbose_name=_("room"), db_index=False)

    class Channel(models.TextChoices):
        PORTAL = "portal", _("the portal")
        OFFICE = "office", _("the office counter")

    # Empty for a booking at the office counter for someone without an account: it joins her account once she
    # confirms the booking's e-mail address (quartier/counter.py).
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("booked by"),
    )
    channel = models.CharField(_("booked through"), max_length=10, choices=Channel, default=Channel.PORTAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by staff"),
    )
    series = models.ForeignKey(
        BookingSeries, models.SET_NULL, null=True, blank=True, related_name="bookings", verbose_name=_("series")
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("on behalf of initiative"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = models.CharField(_("purpose"), max_length=120)
    attendees = models.PositiveIntegerField(_("expected attendees"), validators=[MinValueValidator(1)])
    responsible_name = models.CharField(_("responsible adult"), max_length=120)
    responsible_phone = models.CharField(_("phone of the responsible adult"), max_length=40)
    responsible_email = models.EmailField(_("e-mail of the responsible adult"), blank=True)  # blank: at the counter
    show_title = models.BooleanField(_("show the purpose in the public calendar"), default=False)
    private_use = models.BooleanField(_("private use (fee applies)"), default=False)
    fee = MoneyField(_("fee (€)"), max_digits=8, default=ZERO)
    deposit = MoneyField(_("deposit (€)"), max_digits=8, default=ZERO)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.REQUESTED)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    key_issued_at = models.DateTimeField(_("key issued at"), null=True, blank=True)
    key_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key issued by"),
    )
    key_returned_at = models.DateTimeField(_("key returned at"), null=True, blank=True)
    key_returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key taken back by"),
    )
    return_inspection = models.CharField(
        _("inspection on return"), max_length=10, choices=Inspection, default=Inspection.NONE, blank=True
    )
    damage_notes = models.TextField(_("damage notes"), blank=True)
    deposit_state = models.CharField(_("deposit"), max_length=10, choices=DepositState, default=DepositState.NONE)
    deposit_note = models.TextField(_("deposit note (reason if withheld)"), blank=True)
    deposit_withheld = MoneyField(_("deposit withheld (€)"), max_digits=8, default=ZERO, validators=[NOT_NEGATIVE])
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    no_show = models.BooleanField(_("nobody came"), default=False)
    no_show_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("no-show recorded by"),
    )
    offer_expires_at = models.DateTimeField(_("offer to the waiting list expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        # (room, ends_at): a room's upcoming bookings; the overlap check combines it with the GiST index.
        indexes = [
            models.Index(fields=["room", "ends_at"], name="rooms_booking_room_ends"),
            models.Index(fields=["booked_by", "starts_at"], name="rooms_booking_booker_starts"),
        ]
        constraints = [
            span_constraint("rooms_booking_ends_after_start", "starts_at", "ends_at"),
            models.CheckConstraint(
                condition=~Q(deposit_state__in=["withheld", "partly"]) | ~Q(deposit_note=""),
                name="rooms_booking_withheld_deposit_has_reason",
                violation_error_message=_("Give a reason when the deposit is withheld."),
            ),
            models.CheckConstraint(
                condition=Q(deposit_withheld__gte=0, deposit_withheld__lte=F("deposit")),
                name="rooms_booking_withheld_within_deposit",
                violation_error_message=_("At most the deposit can be withheld."),
            ),
            PostgresExclusionConstraint(
                name="rooms_booking_no_overlap",
                expressions=[
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("room", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=["requested", "confirmed", "offered"]),
                violation_error_message=_("This room is already booked at that time."),
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.room.name}, {local:%d.%m.%Y %H:%M}: {self.title}"

    def get_absolute_url(self):
        return reverse("rooms:booking_detail", args=[self.pk])

    def clean(self):
        """The key comes back after it went out; damage found on return is described."""
        errors = implausible_fields(self, "starts_at", "ends_at", "key_issued_at", "key_returned_at")
        if errors:
            raise ValidationError(errors)
        errors = check_span(self)
        if self.key_returned_at and not self.key_issued_at:
            errors["key_issued_at"] = _("Enter when the key was issued before entering its return.")
        elif self.key_returned_at and self.key_returned_at < self.key_issued_at:
            errors["key_returned_at"] = _("The key cannot be returned before it was issued.")
        if self.return_inspection == self.Inspection.DAMAGE and not self.damage_notes.strip():
            errors["damage_notes"] = _("Describe the damage found on return.")
        self._clean_deposit(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_deposit(self, errors: dict) -> None:
        """A deposit withheld in full keeps the whole amount; a part withheld lies between nothing and all of it."""
        if self.deposit_state == self.DepositState.WITHHELD:
            self.deposit_withheld = self.deposit
        elif self.deposit_state == self.DepositState.PARTLY_WITHHELD:
            if not ZERO < self.deposit_withheld < self.deposit:
                errors["deposit_state"] = _("A part withheld is more than nothing and less than the whole deposit.")
        else:
            self.deposit_withheld = ZERO

    @property
    def deposit_paid_back(self) -> Decimal:
        """What the booker gets back of the deposit (all of it unless a part is withheld)."""
        return self.deposit - self.deposit_withheld

    @property
    def key_overdue(self) -> bool:
        """The key went out and has not come back although the booking is over."""
        return bool(self.key_issued_at and not self.key_returned_at and self.ends_at <= timezone.now())

    @property
    def holds_slot(self) -> bool:
        return self.status in self.HOLDING

    @property
    def is_held(self) -> bool:
        """A request awaiting the office's decision holds its slot: public pages show it as held, not booked."""
        return self.status == self.Status.REQUESTED

    @property
    def is_offered(self) -> bool:
        """Freed and held for someone on the waiting list (not `is_held`, a request awaiting the office)."""
        return self.status == self.Status.OFFERED

    @property
    def public_label(self) -> str:
        return self.title if self.show_title else pgettext_lazy("room calendar", "booked")

    @property
    def cancel_deadline(self) -> datetime:
        return self.starts_at - timedelta(hours=self.room.cancellation_deadline_hours)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    def can_be_cancelled_by(self, user) -> bool:
        if not self.holds_slot or self.is_offered or self.is_past:  # an offer is taken or declined by its link
            return False
        if is_office_staff(user):
            return True
        own = self.booked_by_id is not None and getattr(user, "pk", None) == self.booked_by_id  # counter: no account
        return own and timezone.now() < self.cancel_deadline

    def cancel_refusal(self, user) -> str:
        """Why `user` cannot cancel (empty when they can)."""
        if self.can_be_cancelled_by(user):
            return ""
        if not self.holds_slot:
            return gettext("This booking is no longer active.")
        if self.is_offered:
            return gettext("This slot is offered from the waiting list. Please take it or decline it.")
        if self.is_past:
            return gettext("This booking is in the past.")
        return gettext("The cancellation deadline has passed ({deadline}). Please call the office.").format(
            deadline=date_format(timezone.localtime(self.cancel_deadline), "SHORT_DATETIME_FORMAT")
        )


class AuditEntry(AuditEntryBase):
    """Who changed a booking's deposit when: the withholding of money is kept, never deleted."""

    class Action(models.TextChoices):
        CHANGED = "changed", _("changed")
        SETTLED = "settled", _("deposit settled")

    action = models.CharField(_("action"), max_length=10, choices=Action)
    booking = models.ForeignKey(
        Booking, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("booking")
    )

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit history")

    def cache_topics(self) -> list[str]:
        """No cached page shows the deposit history: only the app's whole topic (quartier/caching.py)."""
        return []


class WaitlistEntryQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(state=WaitlistEntry.State.WAITING)

    def open(self):
        """Still in line: waiting, or holding an offer not yet answered."""
        return self.filter(state__in=WaitlistEntry.OPEN)


class WaitlistEntry(ConcernsItsRoom, models.Model):
    """Someone waits for a taken time of a room; when it frees up, the first whose wish fits gets a hold
    (a booking with status `offered`, under the same exclusion constraint as every booking)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        OFFERED = "offered", _("slot offered")
        TAKEN = "taken", _("slot taken")
        DECLINED = "declined", _("offer declined")
        EXPIRED = "expired", _("offer not taken in time")
        LEFT = "left", _("left the list")

    OPEN = (State.WAITING, State.OFFERED)

    room = models.ForeignKey(Room, models.CASCADE, related_name="waitlist", verbose_name=_("room"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="room_waitlist", verbose_name=_("waiting person")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = models.CharField(_("purpose"), max_length=120)
    attendees = models.PositiveIntegerField(_("expected attendees"), validators=[MinValueValidator(1)])
    responsible_name = models.CharField(_("responsible adult"), max_length=120)
    responsible_phone = models.CharField(_("phone of the responsible adult"), max_length=40)
    private_use = models.BooleanField(_("private use (fee applies)"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.WAITING)
    offer = models.OneToOneField(
        Booking, models.SET_NULL, null=True, blank=True, related_name="waitlist_entry", verbose_name=_("offered hold")
    )
    created_at = models.DateTimeField(_("on the list since"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["created_at", "pk"]  # the line: first come, first offered
        indexes = [models.Index(fields=["room", "state", "starts_at"], name="rooms_waitlist_room_state")]
        constraints = [span_constraint("rooms_waitlist_ends_after_start", "starts_at", "ends_at")]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.room.name}, {local:%d.%m.%Y %H:%M}: {self.user}"

    def overlapping_open(self):
        """The open entries for the same room whose wished time overlaps this one (the line this entry stands in)."""
        return WaitlistEntry.objects.open().filter(
            room_id=self.room_id, starts_at__lt=self.ends_at, ends_at__gt=self.starts_at
        )

    @property
    def position(self) -> int:
        """1 = next in line among those waiting for an overlapping time of the room."""
        return (
            self.overlapping_open()
            .filter(Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk))
            .count()
            + 1
        )
