from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.allowances import AllowanceType
from quartier.dates import span_constraint
from quartier.images import validate_image
from quartier.models import WebAddressField
from quartier.staff import is_office_staff


class Topic(models.Model):
    """A field of work (culture, sport, youth…); staff extend the list."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name"), unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Audience(models.Model):
    """Who an initiative is for (children, seniors, families…); staff extend the list."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name"), unique=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["name"]

    def __str__(self):
        return self.name


class InitiativeQuerySet(models.QuerySet):
    def visible(self):
        """What the public sees: verified by staff and not hidden."""
        return self.filter(is_verified=True, is_hidden=False)

    def may_book_for(self, user):
        """Initiatives the user books rooms on behalf of: verified by staff, not hidden, and she is a member."""
        if not user.is_authenticated:
            return self.none()
        return self.visible().filter(memberships__user=user)

    def led_by(self, user):
        """The initiatives the user leads: the one spelling of "leads" for querysets (see Initiative.is_led_by)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role=Membership.Role.LEAD)

    def editable_by(self, user):
        """Leads edit their own initiatives, staff all."""
        if not user.is_authenticated:
            return self.none()
        return self.all() if is_office_staff(user) else self.led_by(user)

    def visible_to(self, user):
        """Public ones, plus (unverified or hidden) ones the user belongs to; staff see all."""
        if is_office_staff(user):
            return self.all()
        if user.is_authenticated:
            return self.filter(Q(is_verified=True, is_hidden=False) | Q(memberships__user=user)).distinct()
        return self.visible()

    def with_listing_data(self):
        return self.prefetch_related("topics", "audiences")


class Initiative(models.Model):
    """An initiative, association, local business or public partner of the district."""

    class Kind(models.TextChoices):
        INITIATIVE = "initiative", _("initiative")
        ASSOCIATION = "association", _("association (Verein)")
        BUSINESS = "business", _("local business")
        SOCIAL = "social", _("social institution")
        PUBLIC = "public", _("public partner")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name"), unique=True, max_length=160)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.INITIATIVE)
    short_description = models.CharField(_("short description"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="initiativen/", blank=True, validators=[validate_image])
    logo_alt = models.CharField(_("logo description"), max_length=200, blank=True)
    logo_thumbnail = models.ImageField(_("logo for lists"), upload_to="initiativen/klein/", blank=True, editable=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="initiatives", verbose_name=_("topics"))
    audiences = models.ManyToManyField(Audience, blank=True, related_name="initiatives", verbose_name=_("audiences"))
    languages = models.CharField(_("languages spoken"), max_length=150, blank=True)
    meets_where = models.CharField(_("where it meets"), max_length=200, blank=True)
    meets_when = models.CharField(_("when it meets"), max_length=200, blank=True)
    website = WebAddressField(_("website"), blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), help_text=_("Never shown: messages from the contact form go there.")
    )
    # Both set by staff only: residents cannot make their initiative free of charge or a tax-free payer.
    is_nonprofit = models.BooleanField(
        _("non-profit (gemeinnützig)"),
        default=False,
        help_text=_("Set by the office after checking the tax office's notice (Freistellungsbescheid)."),
    )
    is_verified = models.BooleanField(
        _("verified by staff"),
        default=False,
        help_text=_(
            "The office has checked the initiative and its kind. Only verified initiatives are public "
            "and book rooms on their behalf."
        ),
    )
    is_hidden = models.BooleanField(_("hidden by staff"), default=False)
    hidden_note = models.TextField(_("note to the leads (why hidden)"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.is_verified and not self.is_hidden

    @property
    def counts_as_nonprofit(self) -> bool:
        """The one rule for free rooms and tax-free allowances: verified by staff, and non-profit as staff confirmed
        or a public body (the kind staff checked when verifying, which leads cannot change afterwards)."""
        return self.is_verified and (self.is_nonprofit or self.kind == self.Kind.PUBLIC)

    def is_led_by(self, user) -> bool:
        """Whether the user leads this initiative (for one object; querysets: `Initiative.objects.led_by`)."""
        return user.is_authenticated and self.memberships.leads().filter(user=user).exists()


class MembershipQuerySet(models.QuerySet):
    def leads(self):
        """The memberships of leads (`initiative.memberships.leads()`: the people who lead it)."""
        return self.filter(role=Membership.Role.LEAD)


class Membership(models.Model):
    """A person's role in an initiative: lead or member."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        MEMBER = "member", _("member")

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="memberships", verbose_name=_("initiative"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["initiative", "role", "joined_at"]
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="initiatives_membership_once")]

    def __str__(self):
        return f"{self.user} – {self.initiative} ({self.get_role_display()})"

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD


class JoinRequest(models.Model):
    """A resident asks to join; a lead accepts or refuses."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    initiative = models.ForeignKey(
        Initiative, models.CASCADE, related_name="join_requests", verbose_name=_("initiative")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("person"))
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"], condition=Q(status="open"), name="initiatives_joinrequest_one_open"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.initiative}"


class Invitation(models.Model):
    """A lead invites someone by e-mail; the signed link lets the account with that verified address join, until a
    lead withdraws it."""

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="invitations", verbose_name=_("initiative"))
    email = models.EmailField(_("e-mail"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.initiative}"


class ProjectQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_hidden=False, initiative__is_verified=True, initiative__is_hidden=False)


class Project(models.Model):
    """A project an initiative runs or plans; its news reach the people who follow it."""

    class Status(models.TextChoices):
        IDEA = "idea", _("idea")
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="projects", verbose_name=_("initiative"))
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("short name"), max_length=160)
    summary = models.CharField(_("summary"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="projekte/", blank=True, validators=[validate_image])
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.IDEA)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="projects", verbose_name=_("topics"))
    helpers_wanted = models.BooleanField(_("helpers wanted"), default=False)
    is_hidden = models.BooleanField(_("hidden by staff"), default=False)
    hidden_note = models.TextField(_("note to the leads (why hidden)"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "slug"], name="initiatives_project_unique_slug"),
            span_constraint(
                "initiatives_project_dates", "starts_on", "ends_on", days=True, may_be_empty=("ends_on", "starts_on")
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:project", args=[self.initiative.slug, self.slug])


class ProjectNews(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="news", verbose_name=_("project"))
    text = models.TextField(_("news"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("project news")
        verbose_name_plural = _("project news")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:50]


class Follow(models.Model):
    """A resident follows an initiative or a project and is mailed its news."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="follows", verbose_name=_("person"))
    initiative = models.ForeignKey(Initiative, models.CASCADE, null=True, blank=True, related_name="followers")
    project = models.ForeignKey(Project, models.CASCADE, null=True, blank=True, related_name="followers")

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "initiative"],
                condition=Q(initiative__isnull=False),
                name="initiatives_follow_initiative_once",
            ),
            models.UniqueConstraint(
                fields=["user", "project"], condition=Q(project__isnull=False), name="initiatives_follow_project_once"
            ),
            models.CheckConstraint(
                condition=Q(initiative__isnull=True) ^ Q(project__isnull=True), name="initiatives_follow_one_target"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.initiative or self.project}"


class Report(models.Model):
    """Anyone logged in reports an initiative or project to staff."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("reported by")
    )
    initiative = models.ForeignKey(
        Initiative, models.CASCADE, null=True, blank=True, related_name="reports", verbose_name=_("initiative")
    )
    project = models.ForeignKey(
        Project, models.CASCADE, null=True, blank=True, related_name="reports", verbose_name=_("project")
    )
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["handled", "-created_at"]

    def __str__(self):
        return f"{self.initiative or self.project}: {self.reason[:40]}"


class OfferQuerySet(models.QuerySet):
    def open(self):
        return self.filter(
            is_open=True, until__gte=timezone.localdate(), initiative__is_verified=True, initiative__is_hidden=False
        )


class Offer(models.Model):
    """A volunteering offer (Mitmachen): what, when, how much time, skills, how many helpers, until when."""

    # The allowance types of the volunteers' engagements (quartier/allowances.py); an offer says one is possible.
    NO_ALLOWANCE = "none"
    ALLOWANCE_CHOICES = [
        (NO_ALLOWANCE, _("no allowance")),
        (AllowanceType.TRAINER.value, _("Übungsleiterpauschale possible")),
        (AllowanceType.HONORARY.value, _("Ehrenamtspauschale possible")),
    ]

    initiative = models.ForeignKey(Initiative, models.CASCADE, related_name="offers", verbose_name=_("initiative"))
    title = models.CharField(_("what"), max_length=150)
    description = models.TextField(_("description"), max_length=3000)
    when = models.CharField(_("when"), max_length=150)
    time_needed = models.CharField(_("how much time"), max_length=100)
    skills = models.CharField(_("skills wanted"), max_length=200, blank=True)
    helpers_needed = models.PositiveSmallIntegerField(_("helpers needed"), default=1)
    until = models.DateField(_("open until"))
    allowance = models.CharField(_("allowance"), max_length=15, choices=ALLOWANCE_CHOICES, default=NO_ALLOWANCE)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteering offer")
        verbose_name_plural = _("volunteering offers")
        ordering = ["until", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:offer", args=[self.pk])


class OfferResponse(models.Model):
    """A resident's "Ich mache mit"; the lead accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    offer = models.ForeignKey(Offer, models.CASCADE, related_name="responses", verbose_name=_("offer"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="offer_responses", verbose_name=_("person")
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["offer", "user"], name="initiatives_response_once")]

    def __str__(self):
        return f"{self.user} → {self.offer}"
