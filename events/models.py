from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from initiatives.models import Initiative
from quartier.dates import check_span, span_constraint
from quartier.documents import DocumentName, validate_pdf
from quartier.images import validate_image
from quartier.models import WebAddressField
from quartier.staff import is_office_staff


class Category(models.Model):
    """A kind of event (culture, sport, counselling…); staff extend the list."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name"), unique=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EventQuerySet(models.QuerySet):
    def published(self):
        """What the public sees (lists, month, event page, feeds, home page): published and not cancelled, by the
        office or by an initiative staff verified and have not hidden. The one rule: hiding an initiative takes its
        events off every public page, showing it again brings them back."""
        return self.filter(is_published=True, is_cancelled=False).filter(
            Q(initiative__isnull=True) | Q(initiative__is_verified=True, initiative__is_hidden=False)
        )

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def matching(self, *, category=None, initiative=None, room=None, date_from=None, date_to=None):
        """The filters of the event list, the iCalendar feeds and the open-data API: a category's, an
        initiative's and a room's short name (slug), and local days that the event touches (from, until)."""
        queryset = self
        if category:
            queryset = queryset.filter(category__slug=category)
        if initiative:
            queryset = queryset.filter(initiative__slug=initiative)
        if room:
            queryset = queryset.filter(room__slug=room)
        tz = timezone.get_current_timezone()
        if date_from:
            queryset = queryset.filter(ends_at__gte=timezone.make_aware(datetime.combine(date_from, time.min), tz))
        if date_to:
            queryset = queryset.filter(starts_at__lte=timezone.make_aware(datetime.combine(date_to, time.max), tz))
        return queryset

    def open_for_registration(self, now=None):
        """Events that take registrations now (`Event.registration_open`): not cancelled, before the deadline."""
        now = now or timezone.now()
        return self.filter(registration_required=True, is_cancelled=False, starts_at__gt=now).filter(
            Q(registration_until__isnull=True) | Q(registration_until__gt=now)
        )

    def editable_by(self, user):
        """Staff edit every event, the leads of an initiative its events."""
        if not user.is_authenticated:
            return self.none()
        if is_office_staff(user):
            return self.all()
        return self.filter(initiative__in=Initiative.objects.led_by(user))

    def with_availability(self):
        """The registered places and the length of the waiting list of each event (for `Event.places_left` and
        `Event.is_full`), in the same query. Subqueries per event rather than a join with GROUP BY: PostgreSQL
        then counts only the events of the page shown, not the registrations of every upcoming event before
        the LIMIT."""
        registrations = Registration.objects.filter(event=OuterRef("pk")).order_by().values("event")
        taken = registrations.filter(status=Registration.Status.REGISTERED).annotate(total=Sum("places"))
        waiting = registrations.filter(status=Registration.Status.WAITING).annotate(n=Count("pk"))
        return self.annotate(
            places_taken=Coalesce(Subquery(taken.values("total")), 0),
            waiting_count=Coalesce(Subquery(waiting.values("n")), 0),
        )

    def with_listing_data(self):
        """Category, room and availability, in one query."""
        return self.select_related("category", "room__location", "initiative").with_availability()


class Event(models.Model):
    """A public event of the office, in a room of the portal, at an address or online."""

    class Place(models.TextChoices):
        ROOM = "room", _("a room of the portal")
        ADDRESS = "address", _("an address")
        ONLINE = "online", _("online")

    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("short name"), unique=True, max_length=160)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("category")
    )
    image = models.ImageField(_("image"), upload_to="veranstaltungen/", blank=True, validators=[validate_image])
    image_alt = models.CharField(
        _("image description (alternative text)"),
        max_length=200,
        blank=True,
        help_text=_("Describe the image for people who cannot see it."),
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organised by initiative"),
        help_text=_("Empty: the neighbourhood office organises it."),
    )
    organiser = models.CharField(
        _("organiser"), max_length=150, blank=True, help_text=_("Empty: the neighbourhood office.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=10, choices=Place, default=Place.ADDRESS)
    room = models.ForeignKey(
        "rooms.Room", models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("room")
    )
    booking = models.OneToOneField(
        "rooms.Booking",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="event",
        editable=False,
        verbose_name=_("room booking"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    online_url = WebAddressField(_("online link"), blank=True)
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    languages = models.CharField(
        _("languages"), max_length=150, blank=True, help_text=_("For example: Deutsch, Türkçe")
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("Empty: no limit.")
    )
    registration_required = models.BooleanField(_("registration required"), default=True)
    registration_until = models.DateTimeField(_("registration until"), null=True, blank=True)
    max_companions = models.PositiveSmallIntegerField(
        _("companions per registration"), default=2, validators=[MaxValueValidator(20)]
    )
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    is_published = models.BooleanField(_("published"), default=True)
    is_cancelled = models.BooleanField(pgettext_lazy("event", "cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            span_constraint("events_event_ends_after_start", "starts_at", "ends_at"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    def clean(self):
        errors = check_span(self)
        if self.place == self.Place.ROOM and not self.room_id:
            errors["room"] = _("Choose the room.")
        if self.place == self.Place.ADDRESS and not self.address.strip():
            errors["address"] = _("Give the address.")
        if self.place == self.Place.ONLINE and not self.online_url:
            errors["online_url"] = _("Give the link.")
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = _("Describe the image for people who cannot see it.")
        if self.registration_until and self.starts_at and self.registration_until > self.starts_at:
            errors["registration_until"] = _("Registration must close before the event starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def organiser_name(self) -> str:
        return self.organiser or (self.initiative.name if self.initiative_id else "")

    @property
    def where(self) -> str:
        if self.place == self.Place.ROOM and self.room_id:
            return f"{self.room.name}, {self.room.location.address}"
        if self.place == self.Place.ONLINE:
            return str(_("online"))
        return self.address

    @property
    def registration_deadline(self):
        return self.registration_until or self.starts_at

    def _availability(self) -> tuple[int, int]:
        """(registered places, people waiting): annotated by `with_availability()`, else counted now."""
        if not hasattr(self, "waiting_count"):
            self.places_taken = self.registrations.registered().aggregate(total=Sum("places", default=0))["total"]
            self.waiting_count = self.registrations.waiting().count()
        return self.places_taken, self.waiting_count

    @property
    def places_left(self) -> int | None:
        """The places a new registration can still get (None: no limit). Nobody overtakes the waiting list
        (events/services.py `register`): while anyone waits, there are none, whatever is left over."""
        if self.capacity is None:
            return None
        taken, waiting = self._availability()
        return 0 if waiting else max(self.capacity - taken, 0)

    @property
    def is_full(self) -> bool:
        """A new registration would go on the waiting list."""
        return self.places_left == 0

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_required and not self.is_cancelled and now < self.registration_deadline


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def registered(self):
        return self.filter(status=Registration.Status.REGISTERED)

    def waiting(self):
        """The waiting list in its order: first come, first served (`promote_waiting`)."""
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")

    def with_waiting_position(self):
        """`waiting_position` on each registration in one query: its place in the waiting list (None if not
        waiting), counted in the order of `waiting()`."""
        ahead = (
            Registration.objects.waiting()
            .filter(event=OuterRef("event"))
            .filter(
                Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
            )
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            waiting_position=Case(
                When(status=Registration.Status.WAITING, then=Coalesce(Subquery(ahead), 0) + 1), default=None
            )
        )


class Registration(models.Model):
    """A person's registration for an event, with companions; beyond the capacity it waits in line."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration", "cancelled")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("the portal")
        OFFICE = "office", _("the office counter")

    event = models.ForeignKey(Event, models.CASCADE, related_name="registrations", verbose_name=_("event"))
    # Empty for a person registered at the office counter without an account: the registration joins her account
    # once she confirms its e-mail address (quartier/counter.py); until then `name`, `phone` and `email` say who.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    channel = models.CharField(_("registered through"), max_length=10, choices=Channel, default=Channel.PORTAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by staff"),
    )
    companions = models.PositiveSmallIntegerField(_("companions"), default=0)
    places = models.PositiveSmallIntegerField(_("places"), default=1, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.REGISTERED)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled"),
                name="events_registration_once_per_person",
                violation_error_message=_("You are already registered for this event."),
            ),
            models.CheckConstraint(condition=Q(places=models.F("companions") + 1), name="events_registration_places"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="events_registration_account_or_name"
            ),
        ]

    def __str__(self):
        return f"{self.person_name} – {self.event}"

    @property
    def person_name(self) -> str:
        """The account's name, or the name given at the office counter."""
        return str(self.user) if self.user_id else self.name

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user_id else self.email

    def get_waiting_position(self) -> int | None:
        """The place in the waiting list (1: next to move up), None if not waiting; annotated by
        `with_waiting_position()` on lists."""
        if hasattr(self, "waiting_position"):
            return self.waiting_position
        if self.status != Registration.Status.WAITING:
            return None
        ahead = self.event.registrations.waiting().filter(
            Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        )
        return ahead.count() + 1

    def cache_topics(self) -> list[str]:
        """The cached pages this write concerns besides the event list (quartier/caching.py)."""
        return [f"event:{self.event_id}"]


class ConferenceQuerySet(models.QuerySet):
    def with_event(self):
        return self.select_related("event__room__location").filter(event__is_published=True)


class Conference(models.Model):
    """A Stadtteilkonferenz: an event with an agenda, topic proposals beforehand, minutes and decisions after."""

    event = models.OneToOneField(Event, models.PROTECT, related_name="conference", verbose_name=_("event"))
    proposal_deadline = models.DateTimeField(_("topic proposals until"))
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_pdf = models.FileField(
        _("minutes (PDF)"), upload_to=DocumentName("protokolle", "minutes_pdf"), blank=True, validators=[validate_pdf]
    )
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("district conference")
        verbose_name_plural = _("district conferences")
        ordering = ["-event__starts_at"]

    def __str__(self):
        return self.event.title

    def get_absolute_url(self):
        return reverse("events:conference", args=[self.event.slug])

    def proposals_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.proposal_deadline and not self.event.is_cancelled

    def clean(self):
        """Minutes are published after the conference took place, never before."""
        if self.minutes_published_at and self.event_id:
            if self.event.ends_at > timezone.now() or self.minutes_published_at < self.event.ends_at:
                raise ValidationError(
                    {"minutes_published_at": _("Minutes can be published only after the conference took place.")}
                )


class AgendaItem(models.Model):
    """A numbered item (TOP) of a conference's agenda."""

    conference = models.ForeignKey(Conference, models.CASCADE, related_name="agenda", verbose_name=_("conference"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    presenter = models.CharField(_("presented by"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["conference", "number"]
        constraints = [models.UniqueConstraint(fields=["conference", "number"], name="events_agendaitem_unique_number")]

    def __str__(self):
        return f"TOP {self.number}: {self.title}"


class Proposal(models.Model):
    """A resident's topic proposal for a conference; others support it, staff take it onto the agenda or decline."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("on the agenda")
        DECLINED = "declined", _("declined")

    conference = models.ForeignKey(Conference, models.CASCADE, related_name="proposals", verbose_name=_("conference"))
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("why it matters"), max_length=3000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("proposed by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    decline_reason = models.TextField(_("public reason for declining"), blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic proposal")
        verbose_name_plural = _("topic proposals")
        ordering = ["conference", "created_at"]

    def __str__(self):
        return self.title


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="supports", verbose_name=_("proposal"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("person"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="events_support_once")]

    def __str__(self):
        return f"{self.user} → {self.proposal}"


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    REJECTED = "rejected", _("rejected")


class DecisionQuerySet(models.QuerySet):
    def public(self):
        """What the public sees (the decisions page, the open-data API): the decisions of published conferences."""
        return self.filter(conference__event__is_published=True)

    def with_history(self):
        return self.select_related("conference__event").prefetch_related("updates")


class Decision(models.Model):
    """A Beschluss of a conference with its votes, who is responsible and what became of it."""

    conference = models.ForeignKey(Conference, models.PROTECT, related_name="decisions", verbose_name=_("conference"))
    number = models.PositiveSmallIntegerField(_("number"))
    wording = models.TextField(_("wording"))
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    votes_abstaining = models.PositiveIntegerField(_("abstentions"), default=0)
    responsible = models.CharField(_("responsible"), max_length=150, help_text=_("An initiative or the office."))
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus, default=DecisionStatus.OPEN)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-conference__event__starts_at", "number"]
        constraints = [models.UniqueConstraint(fields=["conference", "number"], name="events_decision_unique_number")]

    def __str__(self):
        return f"{self.conference}: {self.number}"

    @property
    def adopted(self) -> bool:
        return self.votes_for > self.votes_against


class DecisionUpdate(models.Model):
    """A dated step in following up a decision; the latest one sets the decision's status."""

    decision = models.ForeignKey(Decision, models.CASCADE, related_name="updates", verbose_name=_("decision"))
    date = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus)
    note = models.TextField(_("what happened"))

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["decision", "date", "pk"]

    def __str__(self):
        return f"{self.date}: {self.get_status_display()}"
