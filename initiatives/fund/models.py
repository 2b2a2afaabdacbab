"""Funds per budget year, calls with their deciding session, applications with a cost plan, jury votes, money
entries (grant, payout, repayment), receipts, report photos and the audit history.

Money is `Decimal` with two places; sums are made in Python from the stored values (as in `volunteers`), never
with a database SUM, which SQLite computes in binary floats.
"""

from collections import namedtuple
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Membership
from quartier.audit import AuditEntryBase
from quartier.dates import span_constraint
from quartier.documents import DocumentName, private_storage, validate_document
from quartier.images import validate_image
from quartier.money import CENT, ZERO, MoneyField, euro
from quartier.sql import plain_rows

# --- Funds, calls, jury ---------------------------------------------------------------------------------

Money = namedtuple("Money", ["kind", "amount"])  # what the budget figures read of a money entry (load_money)


class FundQuerySet(models.QuerySet):
    def with_money(self):
        """Everything the budget figures need, in three more queries whatever the number of funds (a queryset:
        the admin's list). A list of funds takes `load_money`, one query."""
        return self.prefetch_related("calls__applications__entries")


def load_money(funds) -> list["Fund"]:
    """The money entries of many funds for their budget figures (`Fund.entries`): one query of plain values
    (fund, kind, amount), compiled once per process (quartier.sql.plain_rows), summed in Python like every
    amount."""
    funds = list(funds)
    by_fund: dict[int, list] = {fund.pk: [] for fund in funds}
    for fund_id, kind, amount in plain_rows("fund.money", _money_rows, list(by_fund)):
        by_fund[fund_id].append(Money(kind, amount))
    for fund in funds:
        fund._entries = by_fund[fund.pk]
    return funds


def _money_rows(fund_ids):
    entries = FundEntry.objects.filter(application__call__fund_id__any_of=fund_ids)
    return entries.order_by().values_list("application__call__fund_id", "kind", "amount")


class Fund(models.Model):
    """A neighbourhood fund of one budget year: total, cap per project and the co-financing share required."""

    name = models.CharField(_("name"), max_length=150)
    year = models.PositiveSmallIntegerField(
        _("budget year"), validators=[MinValueValidator(2000), MaxValueValidator(2999)]
    )
    description = models.TextField(_("description"), blank=True)
    total = MoneyField(verbose_name=_("total budget (EUR)"), validators=[MinValueValidator(CENT)])
    max_per_project = MoneyField(verbose_name=_("maximum per project (EUR)"), validators=[MinValueValidator(CENT)])
    cofinancing_share = models.DecimalField(
        _("co-financing required (%)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("50"))],
        help_text=_("Share of the total costs the applicants bring themselves (money or volunteer hours), 0–50 %."),
    )
    hour_value = MoneyField(
        verbose_name=_("value of one volunteer hour (EUR)"),
        default=Decimal("15.00"),
        validators=[MinValueValidator(ZERO)],
        help_text=_("Volunteer hours count towards the own contribution at this rate."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("neighbourhood fund")
        verbose_name_plural = _("neighbourhood funds")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="initiatives_fund_once_per_year"),
            models.CheckConstraint(
                condition=Q(max_per_project__lte=F("total")),
                name="initiatives_fund_cap_le_total",
                violation_error_message=_("The maximum per project cannot exceed the total."),
            ),
            models.CheckConstraint(
                condition=Q(cofinancing_share__gte=0, cofinancing_share__lte=50), name="initiatives_fund_share_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"

    def get_absolute_url(self):
        return reverse("fund:overview", args=[self.pk])

    def entries(self) -> list:
        """The fund's money entries (each with `kind` and `amount`); after `load_money` or with `with_money()`
        prefetched this costs no query."""
        loaded = self.__dict__.get("_entries")
        if loaded is not None:
            return loaded
        return [e for call in self.calls.all() for a in call.applications.all() for e in a.entries.all()]

    @property
    def granted(self) -> Decimal:
        return sum((e.amount for e in self.entries() if e.kind == FundEntry.Kind.GRANT), ZERO)

    @property
    def repaid(self) -> Decimal:
        return sum((e.amount for e in self.entries() if e.kind == FundEntry.Kind.REPAYMENT), ZERO)

    @property
    def paid_out(self) -> Decimal:
        return sum((e.amount for e in self.entries() if e.kind == FundEntry.Kind.PAYOUT), ZERO)

    @property
    def budget_left(self) -> Decimal:
        """Total − granted + repaid: what the jury can still give."""
        return self.total - self.granted + self.repaid


class CallQuerySet(models.QuerySet):
    def open(self, now=None):
        return self.filter(opens_at__lte=now or timezone.now(), deadline__gt=now or timezone.now())


class Call(models.Model):
    """A call for applications with its deadline, and the jury session that decides on it."""

    fund = models.ForeignKey(Fund, models.PROTECT, related_name="calls", verbose_name=_("fund"))
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("applications from"), default=timezone.now)
    deadline = models.DateTimeField(_("application deadline"))
    session_date = models.DateField(_("date of the jury session"))
    session_place = models.CharField(_("place of the jury session"), max_length=200, blank=True)
    agenda_item = models.ForeignKey(
        "events.AgendaItem",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_calls",
        verbose_name=_("agenda item of a district conference"),
        help_text=_("If the jury decides during a district conference."),
    )
    minutes = models.TextField(_("minutes of the jury session"), blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-deadline"]
        constraints = [
            span_constraint("initiatives_call_deadline_after_open", "opens_at", "deadline"),
        ]

    def __str__(self):
        return f"{self.fund}: {self.title}"

    def get_absolute_url(self):
        return reverse("fund:call", args=[self.pk])

    def clean(self):
        if self.deadline and self.session_date and self.session_date < timezone.localdate(self.deadline):
            raise ValidationError({"session_date": _("The jury session must be after the application deadline.")})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.deadline


class JuryMemberQuerySet(models.QuerySet):
    def active_on(self, day=None):
        """Seats whose term covers the day (today if none): the one rule for who reads and votes as jury."""
        day = day or timezone.localdate()
        return self.filter(term_from__lte=day, term_until__gte=day)


class JuryMember(models.Model):
    """A resident elected to a fund's jury for a term; staff have no vote."""

    fund = models.ForeignKey(Fund, models.PROTECT, related_name="jury", verbose_name=_("fund"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="jury_seats", verbose_name=_("person")
    )
    term_from = models.DateField(_("term from"))
    term_until = models.DateField(_("term until"))

    objects = JuryMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury")
        ordering = ["fund", "user__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "user"], name="initiatives_jurymember_once"),
            span_constraint("initiatives_jurymember_term", "term_from", "term_until", days=True),
        ]

    def __str__(self):
        return f"{self.user} ({self.fund})"

    def recusal_reason(self, application: "FundApplication", lead_ids: set[int] | None = None) -> str:
        """Why this member may not vote on the application ('' if they may): they applied, or lead the applicant."""
        if application.applicant_id == self.user_id:
            return gettext("%(name)s applied and cannot vote on this application.") % {"name": self.user}
        if application.initiative_id:
            if lead_ids is None:
                lead_ids = set(
                    Membership.objects.leads()
                    .filter(initiative=application.initiative_id)
                    .values_list("user_id", flat=True)
                )
            if self.user_id in lead_ids:
                return gettext("%(name)s leads the applying initiative and cannot vote on this application.") % {
                    "name": self.user
                }
        return ""


# --- Applications --------------------------------------------------------------------------------------


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applicants and the leads of the applying initiative see theirs; jury members in office today the fund's
        ones from the formal check on (a former member no longer); staff all; anonymous nobody."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("fund.view_fundapplication"):
            return self.all()
        seated_funds = JuryMember.objects.filter(user=user).active_on().values("fund_id")
        return self.filter(
            Q(applicant=user)
            | Q(initiative__in=Initiative.objects.led_by(user))
            | Q(call__fund__in=seated_funds, status__in=FundApplication.JURY_STATES)
        ).distinct()

    def editable_by(self, user):
        """Applicant and leads change drafts and applications sent back for changes."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(applicant=user) | Q(initiative__in=Initiative.objects.led_by(user))).distinct()

    def funded(self):
        return self.filter(status__in=[FundApplication.Status.APPROVED, FundApplication.Status.CLOSED])

    def with_details(self):
        return self.select_related("call__fund", "applicant", "initiative").prefetch_related(
            "cost_lines", "entries", "goals"
        )


class FundApplication(models.Model):
    """A resident's or initiative's application for a grant; the cost plan's total is computed, never typed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        NEEDS_CHANGES = "needs_changes", _("needs changes")
        ELIGIBLE = "eligible", _("eligible, waiting for the jury")
        INELIGIBLE = "ineligible", _("ineligible")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected by the jury")
        CLOSED = "closed", _("closed")

    EDITABLE_STATES = [Status.DRAFT, Status.NEEDS_CHANGES]
    JURY_STATES = [Status.ELIGIBLE, Status.APPROVED, Status.REJECTED, Status.CLOSED]

    call = models.ForeignKey(Call, models.PROTECT, related_name="applications", verbose_name=_("call"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="fund_applications", verbose_name=_("applicant")
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_applications",
        verbose_name=_("applying initiative"),
        help_text=_("Leave empty if you apply as a resident."),
    )
    title = models.CharField(_("title of the project"), max_length=150)
    description = models.TextField(_("what happens, and when"), max_length=5000, blank=True)
    benefit = models.TextField(_("benefit for the district"), max_length=3000, blank=True)
    goals = models.ManyToManyField(
        "initiatives.Topic", blank=True, related_name="+", verbose_name=_("goals the project serves")
    )
    own_money = MoneyField(
        verbose_name=_("own contribution in money (EUR)"), default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    own_hours = models.PositiveIntegerField(
        _("own contribution in volunteer hours"), default=0, validators=[MaxValueValidator(100000)]
    )
    own_rooms = models.CharField(_("own contribution in rooms or material"), max_length=300, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    confirms_eligibility = models.BooleanField(
        _("I am at least 18 years old and live or am active in the district."), default=False
    )
    publish_name = models.BooleanField(
        _("If the project is funded, show my name on the public list of funded projects."),
        default=False,
        help_text=_("Only for applications as a resident. Without your consent the list says “private person”."),
    )
    status = models.CharField(_("status"), max_length=15, choices=Status, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    check_comment = models.TextField(_("comment of the formal check"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    votes_abstaining = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    decision_note = models.TextField(_("minutes of the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    report = models.TextField(_("short report"), max_length=5000, blank=True)
    report_submitted_at = models.DateTimeField(_("report submitted at"), null=True, blank=True)
    spending_note = models.TextField(_("result of the spending check"), blank=True)
    spending_checked_at = models.DateTimeField(_("spending checked at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund application")
        verbose_name_plural = _("fund applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            span_constraint(
                "initiatives_fundapp_dates",
                "planned_start",
                "planned_end",
                days=True,
                may_be_empty=("planned_end", "planned_start"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("fund:application", args=[self.pk])

    @property
    def fund(self) -> Fund:
        return self.call.fund

    @property
    def applicant_name(self) -> str:
        """Who applied, for the people who handle the application (staff, jury, the applicant's side)."""
        return self.initiative.name if self.initiative_id else str(self.applicant)

    @property
    def public_applicant_name(self) -> str:
        """Who applied, for the public list of funded projects: the initiative, or a resident's name only with her
        consent (`publish_name`), else "private person"."""
        if self.initiative_id:
            return self.initiative.name
        if self.publish_name and self.applicant.display_name and not self.applicant.deleted_at:
            return self.applicant.display_name
        return gettext("private person")

    @property
    def cost_total(self) -> Decimal:
        return sum((line.amount for line in self.cost_lines.all()), ZERO)

    @property
    def requested(self) -> Decimal:
        """The grant asked for: the costs the own money does not cover."""
        return max(self.cost_total - self.own_money, ZERO)

    @property
    def own_contribution_value(self) -> Decimal:
        return self.own_money + self.own_hours * self.call.fund.hour_value

    def _sum(self, kind) -> Decimal:
        return sum((e.amount for e in self.entries.all() if e.kind == kind), ZERO)

    @property
    def granted(self) -> Decimal:
        return self._sum(FundEntry.Kind.GRANT)

    @property
    def paid_out(self) -> Decimal:
        return self._sum(FundEntry.Kind.PAYOUT)

    @property
    def repaid(self) -> Decimal:
        return self._sum(FundEntry.Kind.REPAYMENT)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATES

    @property
    def is_funded(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.CLOSED)


class CostLine(models.Model):
    """One line of the cost plan."""

    application = models.ForeignKey(
        FundApplication, models.CASCADE, related_name="cost_lines", verbose_name=_("application")
    )
    description = models.CharField(_("what"), max_length=200)
    amount = MoneyField(verbose_name=_("amount (EUR)"), validators=[MinValueValidator(CENT)])

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost plan")
        ordering = ["application", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="initiatives_costline_positive")]

    def __str__(self):
        return f"{self.description}: {euro(self.amount)}"


class Vote(models.Model):
    """A jury member's vote on an application at the session; a recused member has none."""

    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        ABSTAIN = "abstain", _("abstention")

    application = models.ForeignKey(
        FundApplication, models.PROTECT, related_name="votes", verbose_name=_("application")
    )
    member = models.ForeignKey(JuryMember, models.PROTECT, related_name="votes", verbose_name=_("jury member"))
    choice = models.CharField(_("vote"), max_length=10, choices=Choice)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["application", "member"]
        constraints = [models.UniqueConstraint(fields=["application", "member"], name="initiatives_vote_once")]

    def __str__(self):
        return f"{self.member.user}: {self.get_choice_display()} ({self.application})"

    def clean(self):
        if self.member_id and self.application_id and (reason := self.member.recusal_reason(self.application)):
            raise ValidationError(reason)


# --- Money entries ---------------------------------------------------------------------------------------


class FundEntry(models.Model):
    """A grant, payout or repayment. Never edited or deleted: a correction is a further entry with a reason."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("grant")
        PAYOUT = "payout", _("payout")
        REPAYMENT = "repayment", _("repayment")

    application = models.ForeignKey(
        FundApplication, models.PROTECT, related_name="entries", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    amount = MoneyField(verbose_name=_("amount (EUR)"), signed=True)  # corrections may reduce
    booked_on = models.DateField(_("date"), default=timezone.localdate)
    reason = models.TextField(_("reason or note"), blank=True)
    corrects = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name=_("corrects entry")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("money entry")
        verbose_name_plural = _("money entries")
        ordering = ["-booked_on", "-pk"]
        permissions = [("correct_fundentry", _("Can correct money entries of the fund"))]
        constraints = [
            # An original entry is positive; a correction may go either way, but always with its reason.
            models.CheckConstraint(
                condition=Q(corrects__isnull=True, amount__gt=0)
                | (Q(corrects__isnull=False) & ~Q(amount=0) & ~Q(reason="")),
                name="initiatives_fundentry_sign_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {euro(self.amount)} – {self.application}"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None


# --- After the project -----------------------------------------------------------------------------------


class Receipt(models.Model):
    """A receipt (Beleg) for the spending; accounting data, kept, stored outside the public media folder."""

    application = models.ForeignKey(
        FundApplication, models.PROTECT, related_name="receipts", verbose_name=_("application")
    )
    description = models.CharField(_("what was bought"), max_length=200)
    amount = MoneyField(verbose_name=_("amount (EUR)"), validators=[MinValueValidator(CENT)])
    file = models.FileField(
        _("receipt (PDF or image)"),
        upload_to=DocumentName("foerderbelege", "file"),
        storage=private_storage,
        validators=[validate_document],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["application", "uploaded_at", "pk"]

    def __str__(self):
        return f"{self.description}: {euro(self.amount)}"


class ReportPhoto(models.Model):
    """A photo of the finished project, shown with the public report."""

    application = models.ForeignKey(
        FundApplication, models.CASCADE, related_name="photos", verbose_name=_("application")
    )
    image = models.ImageField(_("photo"), upload_to="foerderberichte/", validators=[validate_image])
    alt = models.CharField(_("photo description"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["application", "pk"]

    def __str__(self):
        return self.alt


# --- Audit history ----------------------------------------------------------------------------------------


class FundAuditEntry(AuditEntryBase):
    """Who changed what when in the fund: written by the services and the admin."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        CORRECTED = "corrected", _("corrected")

    action = models.CharField(_("action"), max_length=10, choices=Action)
    fund = models.ForeignKey(Fund, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("fund"))

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("fund audit entry")
        verbose_name_plural = _("fund audit history")
