"""Workflows of the fund: saving and submitting applications, the formal check, the jury decision under the fund's
row lock, money entries and their corrections, receipts, report and closing; each one audited and mailed."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from initiatives.models import Membership
from quartier import mail
from quartier.audit import diff, snapshot
from quartier.money import CENT, ZERO, check_amount, euro

from .models import (
    Call,
    CostLine,
    Fund,
    FundApplication,
    FundAuditEntry,
    FundEntry,
    JuryMember,
    Receipt,
    ReportPhoto,
    Vote,
)

Status = FundApplication.Status
STAFF_PERMISSION = "fund.change_fundapplication"


def is_fund_staff(user) -> bool:
    return user.is_authenticated and user.has_perm(STAFF_PERMISSION)


def _require_staff(user) -> None:
    if not is_fund_staff(user):
        raise PermissionDenied


def _fund_of(obj) -> Fund | None:
    for path in ("fund", "call.fund", "application.call.fund"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        if isinstance(value, Fund):
            return value
    return obj if isinstance(obj, Fund) else None


def record_change(*, obj: models.Model, by, action: str, changes: dict | None = None) -> FundAuditEntry:
    """Writes one audit entry (who, when, what) for a record of the fund."""
    return FundAuditEntry.record(obj=obj, by=by, action=action, changes=changes, fund=_fund_of(obj))


def _mail_applicant(application: FundApplication, *, subject: str, template: str, **context) -> None:
    """Queues the mail to the applicant, in their language, in the transaction of the step it reports."""
    mail.send(application.applicant, template, {"application": application, **context}, subject=lambda: _(subject))


# --- Applications ----------------------------------------------------------------------------------------


def may_apply_for(user, initiative) -> bool:
    return initiative is None or initiative.is_led_by(user)


@transaction.atomic
def save_application(*, application: FundApplication, lines: list[dict], by, goals=None) -> FundApplication:
    """Applicant or lead saves a draft (or an application sent back for changes) with its cost plan."""
    is_new = application.pk is None
    if not is_new:
        FundApplication.objects.select_for_update().get(pk=application.pk)
        if FundApplication.objects.get(pk=application.pk).status not in FundApplication.EDITABLE_STATES:
            raise ValidationError(_("This application can no longer be changed."))
    if not application.call.is_open() and (is_new or application.status == Status.DRAFT):
        raise ValidationError(_("The deadline of this call has passed. It takes no more applications."))
    if not may_apply_for(by, application.initiative):
        raise PermissionDenied
    before = {} if is_new else snapshot(FundApplication.objects.get(pk=application.pk))
    application.full_clean()
    application.save()
    if goals is not None:
        application.goals.set(goals)
    application.cost_lines.all().delete()  # the cost plan of a draft is replaced as a whole
    CostLine.objects.bulk_create(CostLine(application=application, **line) for line in lines)
    after = snapshot(application)
    record_change(
        obj=application,
        by=by,
        action=FundAuditEntry.Action.CREATED if is_new else FundAuditEntry.Action.CHANGED,
        changes=after if is_new else diff(before, after),
    )
    return application


def submission_problems(application: FundApplication) -> list[str]:
    """What keeps an application from being submitted: missing parts, the session date, cap and co-financing."""
    fund, call = application.call.fund, application.call
    problems = []
    if not application.description.strip():
        problems.append(_("Please describe what happens, and when."))
    if not application.benefit.strip():
        problems.append(_("Please describe the benefit for the district."))
    if not application.cost_lines.exists():
        problems.append(_("Please add at least one line to the cost plan."))
    if not application.confirms_eligibility:
        problems.append(_("Please confirm that you are at least 18 and live or are active in the district."))
    if application.planned_start is None:
        problems.append(_("Please enter the planned start."))
    elif application.planned_start <= call.session_date:
        problems.append(
            _("The project can only start after the jury session on %(date)s.")
            % {"date": date_format(call.session_date, "SHORT_DATE_FORMAT")}
        )
    requested = application.requested
    if requested > fund.max_per_project:
        problems.append(
            _("You ask for %(requested)s; the fund gives at most %(max)s per project.")
            % {"requested": euro(requested), "max": euro(fund.max_per_project)}
        )
    required = (application.cost_total * fund.cofinancing_share / 100).quantize(CENT)
    if application.own_contribution_value < required:
        problems.append(
            _(
                "The fund needs an own contribution of %(share)s %% of the costs (%(required)s); yours is "
                "worth %(own)s. Volunteer hours count at %(rate)s each."
            )
            % {
                "share": fund.cofinancing_share.normalize(),
                "required": euro(required),
                "own": euro(application.own_contribution_value),
                "rate": euro(fund.hour_value),
            }
        )
    return problems


@transaction.atomic
def submit_application(*, application: FundApplication, by, now=None) -> FundApplication:
    """Submission before the call's deadline only (a revised one after 'needs changes' too); a draft stays a draft."""
    application = FundApplication.objects.select_for_update().select_related("call__fund").get(pk=application.pk)
    if not FundApplication.objects.editable_by(by).filter(pk=application.pk).exists():
        raise PermissionDenied
    if application.status not in FundApplication.EDITABLE_STATES:
        raise ValidationError(_("This application has already been submitted."))
    if application.status == Status.DRAFT and not application.call.is_open(now):
        raise ValidationError(
            _("The deadline of this call has passed. Your draft is kept, but it can no longer be submitted.")
        )
    if problems := submission_problems(application):
        raise ValidationError(problems)
    application.status = Status.SUBMITTED
    application.submitted_at = now or timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    record_change(obj=application, by=by, action=FundAuditEntry.Action.CHANGED, changes={"status": "submitted"})
    _mail_applicant(
        application, subject=gettext_noop("Your application has been received"), template="fund/mail/submitted.txt"
    )
    return application


@transaction.atomic
def check_application(*, application: FundApplication, by, result: str, comment: str = "") -> FundApplication:
    """The formal check by staff: eligible, needs changes (with a comment) or ineligible (with a reason)."""
    _require_staff(by)
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.SUBMITTED:
        raise ValidationError(_("Only submitted applications can be checked."))
    if result not in (Status.ELIGIBLE, Status.NEEDS_CHANGES, Status.INELIGIBLE):
        raise ValidationError(_("Please choose the result of the check."))
    if result != Status.ELIGIBLE and not comment.strip():
        raise ValidationError(_("Please tell the applicant what to change, or why the application is ineligible."))
    application.status, application.check_comment, application.checked_at = result, comment.strip(), timezone.now()
    application.save(update_fields=["status", "check_comment", "checked_at"])
    record_change(
        obj=application,
        by=by,
        action=FundAuditEntry.Action.CHANGED,
        changes={"status": result, "check_comment": application.check_comment},
    )
    _mail_applicant(
        application, subject=gettext_noop("The formal check of your application"), template="fund/mail/checked.txt"
    )
    return application


# --- The jury's decision ------------------------------------------------------------------------------------


def voters(application: FundApplication) -> list[tuple[JuryMember, str]]:
    """The fund's jury in office on the session day, each with the reason they may not vote ('' if they may)."""
    call = application.call
    lead_ids = set()
    if application.initiative_id:
        lead_ids = set(
            Membership.objects.leads().filter(initiative=application.initiative_id).values_list("user_id", flat=True)
        )
    members = JuryMember.objects.filter(fund=call.fund_id).active_on(call.session_date).select_related("user")
    return [(member, member.recusal_reason(application, lead_ids)) for member in members]


def check_grant(*, fund: Fund, application: FundApplication, amount: Decimal) -> None:
    """A grant is positive, within the request, the cap per project and the budget left."""
    check_amount(amount)
    if amount > fund.max_per_project:
        raise ValidationError(
            _("The grant of %(amount)s exceeds the maximum of %(max)s per project.")
            % {"amount": euro(amount), "max": euro(fund.max_per_project)}
        )
    if amount > application.requested:
        raise ValidationError(
            _("The grant of %(amount)s exceeds the amount requested (%(requested)s).")
            % {"amount": euro(amount), "requested": euro(application.requested)}
        )
    if amount > fund.budget_left:
        raise ValidationError(
            _("The grant of %(amount)s exceeds the budget left (%(left)s).")
            % {"amount": euro(amount), "left": euro(fund.budget_left)}
        )


def _locked_fund(fund_id: int) -> Fund:
    """Locks the fund's row, so that grants and money entries of one fund are decided one after the other."""
    Fund.objects.select_for_update().get(pk=fund_id)
    return Fund.objects.with_money().get(pk=fund_id)


@transaction.atomic
def decide_application(
    *, application: FundApplication, votes: dict[int, str], amount: Decimal | None, note: str, by
) -> FundApplication:
    """The jury's votes (member id → for/against/abstain) decide by simple majority; a recused member's vote is
    refused. An approval books the grant, within the cap and the budget left, under the fund's lock."""
    _require_staff(by)
    fund = _locked_fund(application.call.fund_id)
    application = FundApplication.objects.with_details().select_for_update(of=("self",)).get(pk=application.pk)
    if application.status != Status.ELIGIBLE:
        raise ValidationError(_("Only applications found eligible can be decided."))
    allowed = {}
    for member, reason in voters(application):
        if member.pk in votes and reason:
            raise ValidationError(reason)
        allowed[member.pk] = member
    if set(votes) - set(allowed):
        raise ValidationError(_("Only members of the jury in office on the session day can vote."))
    if not votes:
        raise ValidationError(_("Please record the votes of the jury."))
    if set(votes.values()) - set(Vote.Choice.values):
        raise ValidationError(_("Please choose for, against or abstention."))
    counts = {choice: sum(1 for c in votes.values() if c == choice) for choice in Vote.Choice.values}
    approved = counts[Vote.Choice.FOR] > counts[Vote.Choice.AGAINST]
    if approved:
        check_grant(fund=fund, application=application, amount=amount)
    # The votes the members cast on the portal are the starting point of the form; what staff record here is
    # the minuted result: changed votes are updated, votes left out (the member did not vote) removed.
    cast = {vote.member_id: vote for vote in Vote.objects.filter(application=application)}
    for member_id, choice in votes.items():
        vote = cast.pop(member_id, None) or Vote(application=application, member=allowed[member_id])
        vote.choice = choice
        vote.full_clean()
        vote.save()
    Vote.objects.filter(pk__in=[vote.pk for vote in cast.values()]).delete()
    application.votes_for, application.votes_against = counts[Vote.Choice.FOR], counts[Vote.Choice.AGAINST]
    application.votes_abstaining = counts[Vote.Choice.ABSTAIN]
    application.status = Status.APPROVED if approved else Status.REJECTED
    application.decision_note, application.decided_at = note.strip(), timezone.now()
    application.save(
        update_fields=["votes_for", "votes_against", "votes_abstaining", "status", "decision_note", "decided_at"]
    )
    if approved:
        entry = FundEntry.objects.create(
            application=application,
            kind=FundEntry.Kind.GRANT,
            amount=amount,
            entered_by=by,
            reason=_("Decision of the jury"),
        )
        record_change(obj=entry, by=by, action=FundAuditEntry.Action.CREATED, changes=snapshot(entry))
    record_change(
        obj=application,
        by=by,
        action=FundAuditEntry.Action.CHANGED,
        changes={"status": application.status, "votes": counts, "granted": str(amount) if approved else None},
    )
    _mail_applicant(
        application,
        subject=gettext_noop("The jury has decided on your application"),
        template="fund/mail/decided.txt",
        amount=amount if approved else None,
    )
    return application


def jury_seat(user, call: Call, day=None) -> JuryMember | None:
    """The user's seat in the call's jury if their term covers today and the session day (else None)."""
    if not user.is_authenticated:
        return None
    day = day or timezone.localdate()
    return (
        JuryMember.objects.filter(fund=call.fund_id, user=user)
        .active_on(day)
        .active_on(call.session_date)
        .select_related("user")
        .first()
    )


@transaction.atomic
def cast_vote(*, application: FundApplication, by, choice: str) -> Vote:
    """A jury member casts or changes their own vote on an eligible application, until staff record the decision.
    A member who applied, or leads the applying initiative, cannot vote on it."""
    application = FundApplication.objects.select_for_update().select_related("call__fund").get(pk=application.pk)
    member = jury_seat(by, application.call)
    if member is None:
        raise PermissionDenied
    if application.status != Status.ELIGIBLE:
        raise ValidationError(_("The decision on this application is recorded. Votes can no longer be changed."))
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Please choose for, against or abstention."))
    if reason := member.recusal_reason(application):
        raise ValidationError(reason)
    vote = Vote.objects.filter(application=application, member=member).first()
    before = vote.choice if vote else None
    if vote is None:
        vote = Vote(application=application, member=member)
    vote.choice = choice
    vote.full_clean()
    vote.save()
    if before != choice:
        record_change(
            obj=vote,
            by=by,
            action=FundAuditEntry.Action.CREATED if before is None else FundAuditEntry.Action.CHANGED,
            changes={"choice": [before, choice], "member": member.pk},
        )
    return vote


# --- Money after the decision ----------------------------------------------------------------------------------


def _check_totals(application: FundApplication, fund: Fund, kind: str, delta: Decimal) -> None:
    granted, paid, repaid = application.granted, application.paid_out, application.repaid
    if kind == FundEntry.Kind.GRANT:
        if granted + delta < ZERO:
            raise ValidationError(_("The grant cannot become negative."))
        if granted + delta > fund.max_per_project:
            raise ValidationError(
                _("The grant would exceed the maximum of %(max)s per project.") % {"max": euro(fund.max_per_project)}
            )
        if delta > fund.budget_left:
            raise ValidationError(
                _("The correction exceeds the budget left (%(left)s).") % {"left": euro(fund.budget_left)}
            )
        if granted + delta < paid - repaid:
            raise ValidationError(_("The grant cannot be lower than what has been paid out and not repaid."))
    elif kind == FundEntry.Kind.PAYOUT:
        if paid + delta < ZERO:
            raise ValidationError(_("The payouts cannot become negative."))
        if paid + delta - repaid > granted:
            raise ValidationError(
                _("Payouts of %(paid)s would exceed the grant of %(granted)s.")
                % {"paid": euro(paid + delta - repaid), "granted": euro(granted)}
            )
    else:
        if repaid + delta < ZERO:
            raise ValidationError(_("The repayments cannot become negative."))
        if repaid + delta > paid:
            raise ValidationError(_("More cannot be repaid than was paid out (%(paid)s).") % {"paid": euro(paid)})


@transaction.atomic
def book_entry(
    *, application: FundApplication, kind: str, amount: Decimal, by, booked_on=None, reason: str = ""
) -> FundEntry:
    """Staff record a payout or a repayment; nothing is paid before the approval, never more than granted."""
    _require_staff(by)
    fund = _locked_fund(application.call.fund_id)
    application = FundApplication.objects.with_details().get(pk=application.pk)
    if kind not in (FundEntry.Kind.PAYOUT, FundEntry.Kind.REPAYMENT):
        raise ValidationError(_("Grants are booked by the jury's decision."))
    if not application.is_funded:
        raise ValidationError(_("Nothing can be paid before the approval."))
    check_amount(amount)
    if booked_on and booked_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    _check_totals(application, fund, kind, amount)
    entry = FundEntry(
        application=application,
        kind=kind,
        amount=amount,
        reason=reason.strip(),
        entered_by=by,
        booked_on=booked_on or timezone.localdate(),
    )
    entry.full_clean()
    entry.save()
    record_change(obj=entry, by=by, action=FundAuditEntry.Action.CREATED, changes=snapshot(entry))
    return entry


@transaction.atomic
def correct_entry(*, entry: FundEntry, amount: Decimal, reason: str, by) -> FundEntry:
    """A correction is a further entry of the same kind (plus or minus) with a reason; the original stays."""
    _require_staff(by)
    if not by.has_perm("fund.correct_fundentry"):
        raise PermissionDenied
    fund = _locked_fund(entry.application.call.fund_id)
    application = FundApplication.objects.with_details().get(pk=entry.application_id)
    if not reason.strip():
        raise ValidationError(_("Please give the reason for the correction."))
    check_amount(
        amount, _("Enter the change in euros (negative to reduce), with at most two decimal places."), signed=True
    )
    _check_totals(application, fund, entry.kind, amount)
    correction = FundEntry(
        application=application, kind=entry.kind, amount=amount, reason=reason.strip(), corrects=entry, entered_by=by
    )
    correction.full_clean()
    correction.save()
    record_change(
        obj=entry,
        by=by,
        action=FundAuditEntry.Action.CORRECTED,
        changes={"reason": reason.strip(), "amount": str(amount), "correction": correction.pk},
    )
    return correction


# --- After the project -------------------------------------------------------------------------------------


def _require_funded_and_own(application: FundApplication, by) -> FundApplication:
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    if not FundApplication.objects.editable_by(by).filter(pk=application.pk).exists():
        raise PermissionDenied
    if application.status != Status.APPROVED:
        raise ValidationError(_("Receipts and the report belong to approved projects that are not yet closed."))
    return application


@transaction.atomic
def add_receipt(*, application: FundApplication, description: str, amount: Decimal, file, by) -> Receipt:
    """The applicant uploads a receipt (PDF or image) of an approved project."""
    application = _require_funded_and_own(application, by)
    receipt = Receipt(application=application, description=description, amount=amount, file=file, uploaded_by=by)
    receipt.full_clean()
    receipt.save()
    record_change(obj=receipt, by=by, action=FundAuditEntry.Action.CREATED, changes=snapshot(receipt))
    return receipt


@transaction.atomic
def submit_report(*, application: FundApplication, report: str, photos: list[tuple], by) -> FundApplication:
    """The applicant's short report with photos ((image, description) pairs, already cleaned)."""
    application = _require_funded_and_own(application, by)
    if not report.strip():
        raise ValidationError(_("Please write a short report."))
    application.report, application.report_submitted_at = report.strip(), timezone.now()
    application.save(update_fields=["report", "report_submitted_at"])
    for image, alt in photos:
        photo = ReportPhoto(application=application, image=image, alt=alt)
        photo.full_clean()
        photo.save()
    record_change(
        obj=application,
        by=by,
        action=FundAuditEntry.Action.CHANGED,
        changes={"report": application.report, "photos": len(photos)},
    )
    return application


@transaction.atomic
def close_project(*, application: FundApplication, by, spending_note: str) -> FundApplication:
    """Staff close a project after checking the spending; only with receipts and a report."""
    _require_staff(by)
    application = FundApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.APPROVED:
        raise ValidationError(_("Only approved projects can be closed."))
    if not application.receipts.exists():
        raise ValidationError(_("The project cannot be closed without receipts."))
    if not application.report.strip():
        raise ValidationError(_("The project cannot be closed without a report."))
    if not spending_note.strip():
        raise ValidationError(_("Please note the result of the spending check."))
    now = timezone.now()
    application.status, application.spending_note = Status.CLOSED, spending_note.strip()
    application.spending_checked_at = application.closed_at = now
    application.save(update_fields=["status", "spending_note", "spending_checked_at", "closed_at"])
    record_change(
        obj=application,
        by=by,
        action=FundAuditEntry.Action.CHANGED,
        changes={"status": "closed", "spending_note": application.spending_note},
    )
    _mail_applicant(application, subject=gettext_noop("Your funded project is closed"), template="fund/mail/closed.txt")
    return application


# --- Read models for the pages -------------------------------------------------------------------------------


def fund_overview(fund: Fund) -> dict:
    """Budget, applications by state, calls with their sessions and open reports of one fund (a few queries)."""
    fund = Fund.objects.with_money().get(pk=fund.pk)
    applications = list(
        FundApplication.objects.with_details()
        .filter(call__fund=fund)
        .prefetch_related("receipts")
        .order_by("call", "title")
    )
    by_state = [
        {"status": status, "label": label, "applications": [a for a in applications if a.status == status]}
        for status, label in Status.choices
    ]
    calls = list(Call.objects.filter(fund=fund).select_related("agenda_item__conference__event"))
    open_reports = [a for a in applications if a.status == Status.APPROVED]
    jury = list(JuryMember.objects.filter(fund=fund).select_related("user"))
    return {"fund": fund, "by_state": by_state, "calls": calls, "open_reports": open_reports, "jury": jury}
