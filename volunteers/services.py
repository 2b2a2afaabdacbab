"""Workflows of the allowances: booking a payment under the cap rule, reversing it, declarations, audit entries."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.audit import diff, snapshot
from quartier.money import CENT, ZERO, check_amount, euro

from .models import (
    AllowanceType,
    AuditEntry,
    Cap,
    CapTable,
    Declaration,
    Engagement,
    Payment,
    Usage,
    Volunteer,
    compute_usage,
    payer_problem,
)


def record_change(*, obj: models.Model, by, action: str, changes: dict | None = None) -> AuditEntry:
    """Writes one audit entry (who, when, what) for a record of this app, filed under its volunteer."""
    volunteer_id = obj.pk if isinstance(obj, Volunteer) else getattr(obj, "volunteer_id", None)
    if volunteer_id is None and isinstance(obj, Payment):
        volunteer_id = obj.engagement.volunteer_id
    return AuditEntry.record(obj=obj, by=by, action=action, changes=changes, volunteer_id=volunteer_id)


# --- The cap rule -------------------------------------------------------------------------------------------


def usage_for(*, volunteer: Volunteer, year: int, allowance_type: str) -> Usage:
    """Used and remaining amount of one person, year and type, read from the database (three queries)."""
    payments = Payment.objects.filter(
        engagement__volunteer=volunteer, paid_on__year=year, engagement__allowance_type=allowance_type
    ).select_related("engagement")
    declarations = Declaration.objects.filter(volunteer=volunteer, year=year, allowance_type=allowance_type)
    return compute_usage(
        year=year,
        allowance_type=allowance_type,
        cap=Cap.objects.for_year(year),
        payments=payments,
        declarations=declarations,
    )


@dataclass(frozen=True)
class Split:
    """How a payment would be booked: its tax-free and taxable parts, and why it does not fit, if it does not."""

    tax_free: Decimal
    taxable: Decimal
    problem: str | None


def split_payment(*, engagement: Engagement, paid_on, amount: Decimal) -> Split:
    """The tax-free room left for this payment: cap − used, within the share declared to this payer, if any."""
    year, kind = paid_on.year, engagement.allowance_type
    usage = usage_for(volunteer=engagement.volunteer, year=year, allowance_type=kind)
    if usage.cap is None:
        raise ValidationError(
            _("No allowance cap is recorded for %(year)s. Staff can add it under allowance caps.") % {"year": year}
        )
    declaration = (
        Declaration.objects.for_payer(engagement.payer_initiative)
        .filter(volunteer=engagement.volunteer, year=year, allowance_type=kind)
        .first()
    )
    if declaration is None:
        problem = _(
            "%(name)s has no declaration for %(payer)s and %(year)s, so this payment cannot be booked tax-free."
        ) % {"name": engagement.volunteer, "payer": engagement.payer_name, "year": year}
        return Split(tax_free=ZERO, taxable=amount, problem=problem)
    room = max(usage.remaining, ZERO)
    share_note = ""
    if declaration.share is not None:
        from_payer = usage_from_payer(engagement=engagement, year=year)
        room = min(room, max(declaration.share - from_payer, ZERO))
        share_note = " " + _("Share declared for this payer: %(share)s, of which paid: %(paid)s.") % {
            "share": euro(declaration.share),
            "paid": euro(from_payer),
        }
    if amount <= room:
        return Split(tax_free=amount, taxable=ZERO, problem=None)
    problem = _(
        "This payment exceeds the remaining tax-free amount. %(type)s %(year)s: cap %(cap)s, paid in the portal "
        "%(paid)s, declared elsewhere %(elsewhere)s, remaining %(remaining)s; this payment %(amount)s."
    ) % {
        "type": usage.allowance_type_label,
        "year": year,
        "cap": euro(usage.cap),
        "paid": euro(usage.paid),
        "elsewhere": euro(usage.elsewhere),
        "remaining": euro(usage.remaining),
        "amount": euro(amount),
    }
    return Split(tax_free=room, taxable=amount - room, problem=problem + share_note)


def usage_from_payer(*, engagement: Engagement, year: int) -> Decimal:
    """Tax-free amount this engagement's payer has paid the volunteer in a year for the engagement's type."""
    payments = Payment.objects.for_payer(engagement.payer_initiative).filter(
        engagement__volunteer=engagement.volunteer_id,
        engagement__allowance_type=engagement.allowance_type,
        paid_on__year=year,
    )
    return sum((p.amount - p.taxable_amount for p in payments.only("amount", "taxable_amount")), ZERO)


def _check_input(*, engagement: Engagement, paid_on, amount: Decimal) -> None:
    check_amount(amount)
    if paid_on > timezone.localdate():
        raise ValidationError(_("The payment date cannot be in the future."))
    if problem := payer_problem(engagement.payer_initiative):
        raise ValidationError(problem)


def check_payment(*, engagement: Engagement, paid_on, amount: Decimal) -> Split:
    """What booking would do now, without a lock (for forms); `record_payment` decides again under the lock."""
    _check_input(engagement=engagement, paid_on=paid_on, amount=amount)
    return split_payment(engagement=engagement, paid_on=paid_on, amount=amount)


@transaction.atomic
def record_payment(
    *,
    engagement: Engagement,
    paid_on,
    amount: Decimal,
    purpose: str,
    entered_by,
    reference: str = "",
    book_excess_as_taxable: bool = False,
    taxable_reason: str = "",
) -> Payment:
    """A payment over the remaining tax-free amount is refused; staff may book the excess as taxable, with a reason.

    The volunteer's row is locked first, so two payments for the same person are decided one after the other.
    """
    Volunteer.objects.select_for_update().get(pk=engagement.volunteer_id)
    _check_input(engagement=engagement, paid_on=paid_on, amount=amount)
    amount = amount.quantize(CENT)  # 768.000 is 768.00
    split = split_payment(engagement=engagement, paid_on=paid_on, amount=amount)
    if split.problem and not book_excess_as_taxable:
        raise ValidationError(split.problem)
    if split.taxable and book_excess_as_taxable:
        if not entered_by.has_perm("volunteers.add_payment"):
            raise PermissionDenied
        if not taxable_reason.strip():
            raise ValidationError(_("Please give the reason why the excess is booked as taxable."))
    payment = Payment(
        engagement=engagement,
        paid_on=paid_on,
        amount=amount,
        taxable_amount=split.taxable,
        taxable_reason=taxable_reason.strip() if split.taxable else "",
        purpose=purpose,
        reference=reference,
        entered_by=entered_by,
    )
    payment.full_clean()
    payment.save()
    record_change(obj=payment, by=entered_by, action=AuditEntry.Action.CREATED, changes=snapshot(payment))
    return payment


@transaction.atomic
def reverse_payment(*, payment: Payment, by, reason: str) -> Payment:
    """A reversal negates the original on the original's date, so the year's sums and remaining amount are restored."""
    Volunteer.objects.select_for_update().get(pk=payment.engagement.volunteer_id)
    payment = Payment.objects.select_related("engagement__volunteer").get(pk=payment.pk)
    if not reason.strip():
        raise ValidationError(_("Please give the reason for the reversal."))
    if payment.is_reversal:
        raise ValidationError(_("A reversal cannot be reversed. Book a new payment instead."))
    if Payment.objects.filter(reverses=payment).exists():
        raise ValidationError(_("This payment has already been reversed."))
    reversal = Payment(
        engagement=payment.engagement,
        paid_on=payment.paid_on,
        amount=-payment.amount,
        taxable_amount=-payment.taxable_amount,
        taxable_reason=payment.taxable_reason,
        purpose=(_("Reversal: %(reason)s") % {"reason": reason.strip()})[:200],
        reference=payment.reference,
        reverses=payment,
        entered_by=by,
    )
    reversal.full_clean()
    reversal.save()
    record_change(
        obj=payment,
        by=by,
        action=AuditEntry.Action.REVERSED,
        changes={"reason": reason.strip(), "reversal": reversal.pk},
    )
    return reversal


# --- Declarations ---------------------------------------------------------------------------------------------


@transaction.atomic
def submit_declaration(
    *,
    volunteer: Volunteer,
    payer_initiative,
    year: int,
    allowance_type: str,
    received_elsewhere: Decimal,
    signed_on,
    by,
    share: Decimal | None = None,
    document=None,
) -> Declaration:
    """One declaration per volunteer, payer, year and type: a new one replaces the former, and the audit keeps both."""
    Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if problem := payer_problem(payer_initiative):
        raise ValidationError(problem)
    declaration = (
        Declaration.objects.for_payer(payer_initiative)
        .filter(volunteer=volunteer, year=year, allowance_type=allowance_type)
        .first()
    )
    before = snapshot(declaration) if declaration else {}
    declaration = declaration or Declaration(
        volunteer=volunteer, payer_initiative=payer_initiative, year=year, allowance_type=allowance_type
    )
    declaration.received_elsewhere = received_elsewhere
    declaration.share = share
    declaration.signed_on = signed_on
    declaration.submitted_by = by if by.is_authenticated else None
    if document:
        declaration.document = document
    declaration.full_clean()
    declaration.save()
    after = snapshot(declaration)
    action = AuditEntry.Action.CHANGED if before else AuditEntry.Action.CREATED
    record_change(obj=declaration, by=by, action=action, changes=diff(before, after) if before else after)
    return declaration


# --- Read models for the pages (a fixed number of queries, whatever the number of payments) --------------------


@dataclass
class YearSummary:
    """One year of one volunteer: usage per allowance type, the payments, and the totals per payer and type."""

    year: int
    usages: list[Usage]
    payments: list[Payment]
    by_payer: list[dict]
    declarations: list[Declaration]

    @property
    def tax_free(self) -> Decimal:
        return sum((p.tax_free_amount for p in self.payments), ZERO)

    @property
    def taxable(self) -> Decimal:
        return sum((p.taxable_amount for p in self.payments), ZERO)


def volunteer_years(volunteer: Volunteer, *, years: list[int] | None = None) -> list[YearSummary]:
    """The volunteer's years, newest first (the current year always), in four queries."""
    engagements = list(Engagement.objects.filter(volunteer=volunteer).select_related("payer_initiative"))
    by_id = {engagement.pk: engagement for engagement in engagements}
    payments = list(Payment.objects.filter(engagement__volunteer=volunteer).order_by("paid_on", "pk"))
    for payment in payments:
        payment.engagement = by_id[payment.engagement_id]  # no query per payment
    declarations = list(Declaration.objects.filter(volunteer=volunteer).select_related("payer_initiative"))
    caps = CapTable()
    if years is None:
        years = {timezone.localdate().year} | {p.paid_on.year for p in payments} | {d.year for d in declarations}
    summaries = []
    for year in sorted(years, reverse=True):
        in_year = [p for p in payments if p.paid_on.year == year]
        types = [t for t in AllowanceType if any(e.allowance_type == t for e in engagements)]
        usages = [
            compute_usage(
                year=year, allowance_type=t, cap=caps.for_year(year), payments=in_year, declarations=declarations
            )
            for t in types
        ]
        summaries.append(
            YearSummary(
                year=year,
                usages=usages,
                payments=in_year,
                by_payer=_by_payer(in_year),
                declarations=[d for d in declarations if d.year == year],
            )
        )
    return summaries


def _by_payer(payments: list[Payment]) -> list[dict]:
    groups: dict[tuple, dict] = {}
    for payment in payments:
        engagement = payment.engagement
        key = (engagement.payer_name, engagement.allowance_type)
        group = groups.setdefault(
            key,
            {
                "payer": key[0],
                "allowance_type": engagement.get_allowance_type_display(),
                "tax_free": ZERO,
                "taxable": ZERO,
                "payments": [],
            },
        )
        group["tax_free"] += payment.tax_free_amount
        group["taxable"] += payment.taxable_amount
        group["payments"].append(payment)
    return [groups[key] for key in sorted(groups)]


@dataclass
class OverviewRow:
    volunteer: Volunteer
    usage: Usage


def staff_overview(year: int) -> dict:
    """Volunteers at ≥ 80 % of a cap, over a cap, and engagements of the year without a declaration (5 queries)."""
    cap = Cap.objects.for_year(year)
    payments = list(Payment.objects.in_year(year).select_related("engagement"))
    declarations = list(Declaration.objects.filter(year=year))
    engagements = list(
        Engagement.objects.with_payer().filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__year__gte=year), starts_on__year__lte=year
        )
    )
    volunteer_ids = {p.engagement.volunteer_id for p in payments} | {d.volunteer_id for d in declarations}
    volunteers = Volunteer.objects.in_bulk(volunteer_ids)
    near, over = [], []
    for volunteer_id, volunteer in sorted(volunteers.items(), key=lambda item: item[1].name):
        own = [p for p in payments if p.engagement.volunteer_id == volunteer_id]
        own_declarations = [d for d in declarations if d.volunteer_id == volunteer_id]
        for allowance_type in AllowanceType:
            usage = compute_usage(
                year=year, allowance_type=allowance_type, cap=cap, payments=own, declarations=own_declarations
            )
            if usage.cap is None or not (usage.used or usage.taxable):
                continue
            if usage.used > usage.cap or usage.taxable:
                over.append(OverviewRow(volunteer, usage))
            elif usage.share_used >= Decimal("0.8"):
                near.append(OverviewRow(volunteer, usage))
    declared = {(d.volunteer_id, d.payer_initiative_id, d.allowance_type) for d in declarations}
    missing = [e for e in engagements if (e.volunteer_id, e.payer_initiative_id, e.allowance_type) not in declared]
    return {"year": year, "near": near, "over": over, "missing": missing}
