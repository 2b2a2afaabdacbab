"""Volunteers, their engagements with payers, the yearly caps, declarations, payments and the audit history.

Money is `Decimal` with two places everywhere; sums are made in Python from the stored values, never with
a database SUM (SQLite keeps decimals as binary floats, and a float sum of many cents drifts).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quartier.allowances import AllowanceType
from quartier.audit import AuditEntryBase
from quartier.dates import span_constraint
from quartier.documents import DocumentName, private_storage, validate_document
from quartier.models import Office
from quartier.money import CENT, ZERO, MoneyField, euro

# --- Caps ---------------------------------------------------------------------------------------------


class CapQuerySet(models.QuerySet):
    def for_year(self, year: int) -> "Cap | None":
        """The cap in force in a year: the row with the latest 'from year' not after it."""
        return self.filter(from_year__lte=year).order_by("-from_year").first()


class Cap(models.Model):
    """The tax-free amounts per person and calendar year from a year on, until a later row replaces them."""

    from_year = models.PositiveSmallIntegerField(_("from year"), unique=True, validators=[MinValueValidator(2000)])
    trainer_amount = MoneyField(_("Übungsleiter cap (EUR)"), max_digits=8, validators=[MinValueValidator(CENT)])
    honorary_amount = MoneyField(_("Ehrenamt cap (EUR)"), max_digits=8, validators=[MinValueValidator(CENT)])

    objects = CapQuerySet.as_manager()

    class Meta:
        verbose_name = _("allowance cap")
        verbose_name_plural = _("allowance caps")
        ordering = ["-from_year"]

    def __str__(self):
        return gettext("Caps from %(year)s") % {"year": self.from_year}

    def amount_for(self, allowance_type: str) -> Decimal:
        return self.trainer_amount if allowance_type == AllowanceType.TRAINER else self.honorary_amount


class CapTable:
    """All cap rows loaded once (one query), answering 'which cap in year Y' in Python."""

    def __init__(self, caps=None):
        self.caps = sorted(caps if caps is not None else Cap.objects.all(), key=lambda cap: -cap.from_year)

    def for_year(self, year: int) -> Cap | None:
        return next((cap for cap in self.caps if cap.from_year <= year), None)


# --- People -------------------------------------------------------------------------------------------


def normalise_iban(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_iban(value: str) -> None:
    """An IBAN: country, check digits and account, with a valid mod-97 checksum (ISO 13616)."""
    iban = normalise_iban(value)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", iban) or (iban.startswith("DE") and len(iban) != 22):
        raise ValidationError(_("Please enter a complete IBAN, e.g. DE89 3704 0044 0532 0130 00."), code="format")
    digits = "".join(str(int(char, 36)) for char in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        raise ValidationError(
            _("This IBAN is not valid: its check digits do not match. Please check it."), code="checksum"
        )


class VolunteerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see everybody; a volunteer sees only their own record; anonymous nobody."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("volunteers.view_volunteer"):
            return self.all()
        return self.filter(user=user)


class Volunteer(models.Model):
    """A person who receives allowances, with or without an account on the portal."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("portal account"),
    )
    name = models.CharField(_("name"), max_length=150)
    street = models.CharField(_("street and number"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    iban = models.CharField(_("IBAN"), max_length=42, blank=True, validators=[validate_iban])
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        self.iban = normalise_iban(self.iban)

    @property
    def masked_iban(self) -> str:
        """Only the country, check digits and the last four characters are ever shown."""
        if not self.iban:
            return ""
        return f"{self.iban[:4]} •••• {self.iban[-4:]}"

    @property
    def address_lines(self) -> list[str]:
        return [self.street, f"{self.postcode} {self.city}".strip()]


# --- Payers and engagements -----------------------------------------------------------------------


def payer_name(initiative) -> str:
    """An engagement's payer is an initiative, or the office when there is none."""
    if initiative is None:
        office = Office.load()
        return f"{office.name} {office.district}"
    return initiative.name


def payer_problem(initiative) -> str | None:
    """Only the office, public bodies and non-profit (gemeinnützig) initiatives may pay tax-free allowances, as
    staff confirmed them (`Initiative.counts_as_nonprofit`, the rule that makes rooms free as well)."""
    if initiative is None or initiative.counts_as_nonprofit:
        return None
    return gettext(
        "%(payer)s is neither non-profit (gemeinnützig) nor a public body, so it cannot pay tax-free allowances."
    ) % {"payer": initiative.name}


class EngagementQuerySet(models.QuerySet):
    def with_payer(self):
        return self.select_related("payer_initiative", "volunteer")


class Engagement(models.Model):
    """A volunteer's activity for one payer, with one allowance type; an activity never carries both."""

    volunteer = models.ForeignKey(Volunteer, models.PROTECT, related_name="engagements", verbose_name=_("volunteer"))
    payer_initiative = models.ForeignKey(
        "initiatives.Initiative",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("paying initiative"),
        help_text=_("Leave empty when the office pays."),
    )
    activity = models.CharField(_("activity"), max_length=200)
    allowance_type = models.CharField(_("allowance type"), max_length=10, choices=AllowanceType)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["volunteer", "-starts_on", "pk"]
        _same = _("This activity for this payer already exists; one activity cannot carry both allowances.")
        constraints = [
            span_constraint(
                "volunteers_engagement_ends_after_start", "starts_on", "ends_on", days=True, may_be_empty=("ends_on",)
            ),
            # One row per activity and payer, so the same activity can never hold both allowance types.
            models.UniqueConstraint(
                Lower("activity"),
                "volunteer",
                "payer_initiative",
                condition=Q(payer_initiative__isnull=False),
                name="volunteers_engagement_one_type_per_activity",
                violation_error_message=_same,
            ),
            models.UniqueConstraint(
                Lower("activity"),
                "volunteer",
                condition=Q(payer_initiative__isnull=True),
                name="volunteers_engagement_one_type_per_office_activity",
                violation_error_message=_same,
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} – {self.activity} ({self.payer_name})"

    def clean(self):
        if self.payer_initiative_id and (problem := payer_problem(self.payer_initiative)):
            raise ValidationError({"payer_initiative": problem})

    @property
    def payer_name(self) -> str:
        return payer_name(self.payer_initiative)


# --- Declarations -------------------------------------------------------------------------------------


class DeclarationQuerySet(models.QuerySet):
    def for_payer(self, initiative):
        return self.filter(payer_initiative=initiative) if initiative else self.filter(payer_initiative__isnull=True)


class Declaration(models.Model):
    """The volunteer's signed yearly statement to one payer that the allowance (or a share) is not used elsewhere."""

    volunteer = models.ForeignKey(Volunteer, models.PROTECT, related_name="declarations", verbose_name=_("volunteer"))
    payer_initiative = models.ForeignKey(
        "initiatives.Initiative",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paying initiative"),
        help_text=_("Leave empty when the office pays."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    allowance_type = models.CharField(_("allowance type"), max_length=10, choices=AllowanceType)
    received_elsewhere = MoneyField(
        _("already received from payers outside the portal (EUR)"),
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    share = MoneyField(
        _("share claimed from this payer (EUR)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(CENT)],
        help_text=_("Leave empty to claim the whole remaining allowance."),
    )
    signed_on = models.DateField(_("signed on"))
    document = models.FileField(
        _("signed document"),
        upload_to=DocumentName("erklaerungen", "document"),
        storage=private_storage,
        blank=True,
        validators=[validate_document],
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-year", "volunteer", "pk"]
        _once = _("There is already a declaration for this payer, year and allowance.")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "payer_initiative", "year", "allowance_type"],
                condition=Q(payer_initiative__isnull=False),
                name="volunteers_declaration_once",
                violation_error_message=_once,
            ),
            models.UniqueConstraint(
                fields=["volunteer", "year", "allowance_type"],
                condition=Q(payer_initiative__isnull=True),
                name="volunteers_declaration_once_office",
                violation_error_message=_once,
            ),
            models.CheckConstraint(condition=Q(received_elsewhere__gte=0), name="volunteers_declaration_elsewhere"),
        ]

    def __str__(self):
        return f"{self.volunteer} – {self.payer_name} {self.year} ({self.get_allowance_type_display()})"

    def clean(self):
        if self.payer_initiative_id and (problem := payer_problem(self.payer_initiative)):
            raise ValidationError({"payer_initiative": problem})
        if self.signed_on and self.year and self.signed_on.year > self.year + 1:
            raise ValidationError({"signed_on": _("A declaration must be signed by the end of the following year.")})
        if self.signed_on and self.signed_on > timezone.localdate():
            raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})

    @property
    def payer_name(self) -> str:
        return payer_name(self.payer_initiative)


# --- Payments -----------------------------------------------------------------------------------------


class PaymentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see all; a volunteer their own; an initiative's leads the payments their initiative made."""
        from initiatives.models import Initiative

        if not user.is_authenticated:
            return self.none()
        if user.has_perm("volunteers.view_payment"):
            return self.all()
        return self.filter(
            Q(engagement__volunteer__user=user) | Q(engagement__payer_initiative__in=Initiative.objects.led_by(user))
        )

    def in_year(self, year: int):
        return self.filter(paid_on__year=year)

    def for_payer(self, initiative):
        if initiative is None:
            return self.filter(engagement__payer_initiative__isnull=True)
        return self.filter(engagement__payer_initiative=initiative)

    def with_details(self):
        return self.select_related("engagement__volunteer", "engagement__payer_initiative", "entered_by", "reverses")


class Payment(models.Model):
    """An allowance paid out. Never edited or deleted: a correction is a reversal entry pointing to the original.

    A reversal carries the negated amounts and the original's date, so that every sum over all entries of a
    year is the net amount of that year.
    """

    engagement = models.ForeignKey(Engagement, models.PROTECT, related_name="payments", verbose_name=_("engagement"))
    paid_on = models.DateField(_("paid on"))
    amount = MoneyField(_("amount (EUR)"))
    taxable_amount = MoneyField(_("of which taxable (EUR)"), default=ZERO)
    taxable_reason = models.TextField(_("reason for the taxable part"), blank=True)
    purpose = models.CharField(_("period or purpose"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversal", verbose_name=_("reverses")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        permissions = [("reverse_payment", _("Can reverse payments"))]
        constraints = [
            # An original is positive; its reversal is exactly negative. Taxable part has the same sign, no more.
            models.CheckConstraint(
                condition=(
                    Q(reverses__isnull=True, amount__gt=0, taxable_amount__gte=0, taxable_amount__lte=F("amount"))
                    | Q(reverses__isnull=False, amount__lt=0, taxable_amount__lte=0, taxable_amount__gte=F("amount"))
                ),
                name="volunteers_payment_signs",
            ),
        ]

    def __str__(self):
        return f"{self.paid_on:%d.%m.%Y} {self.engagement.volunteer} {euro(self.amount)}"

    @property
    def tax_free_amount(self) -> Decimal:
        return self.amount - self.taxable_amount

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


# --- Usage of the caps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """For a volunteer, year and type: paid in the portal + declared elsewhere = used; cap − used = remaining."""

    year: int
    allowance_type: str
    cap: Decimal | None
    paid: Decimal  # tax-free part paid through the portal, all payers together
    taxable: Decimal
    elsewhere: Decimal

    @property
    def used(self) -> Decimal:
        return self.paid + self.elsewhere

    @property
    def remaining(self) -> Decimal | None:
        return None if self.cap is None else self.cap - self.used

    @property
    def share_used(self) -> Decimal | None:
        """Fraction of the cap used (1 = reached), for the 80 % warning."""
        return None if not self.cap else self.used / self.cap

    @property
    def allowance_type_label(self) -> str:
        return AllowanceType(self.allowance_type).label


def compute_usage(*, year: int, allowance_type: str, cap: Cap | None, payments, declarations) -> Usage:
    """The one place where the cap rule is summed. `payments`/`declarations` are the person's rows (any year/type).

    What was received elsewhere is a fact about the person and year: several declarations to different payers
    repeat it, so the highest declared amount counts (never the sum, which would count it twice).
    """
    rows = [p for p in payments if p.paid_on.year == year and p.engagement.allowance_type == allowance_type]
    elsewhere = max(
        (d.received_elsewhere for d in declarations if d.year == year and d.allowance_type == allowance_type),
        default=ZERO,
    )
    return Usage(
        year=year,
        allowance_type=allowance_type,
        cap=cap.amount_for(allowance_type) if cap else None,
        paid=sum((p.amount - p.taxable_amount for p in rows), ZERO),
        taxable=sum((p.taxable_amount for p in rows), ZERO),
        elsewhere=elsewhere,
    )


# --- Audit history --------------------------------------------------------------------------------------


class AuditEntry(AuditEntryBase):
    """Who changed what when: written by the services and the admin for every change in this app."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        REVERSED = "reversed", _("reversed")

    action = models.CharField(_("action"), max_length=10, choices=Action)
    # without the base's related_name="+", as the table was made (no migration for a name nobody uses)
    content_type = models.ForeignKey(ContentType, models.PROTECT, verbose_name=_("record type"))
    volunteer = models.ForeignKey(
        Volunteer, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("volunteer")
    )

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit history")
