"""The fund's rules: cap and budget, repayment, recusal, deadline and drafts, no payout before approval,
corrections with reason, closing only with receipts and report; the applicant mailed at each step.
Messages are matched in German, the default language."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from initiatives.fund import services
from initiatives.fund.forms import DecisionForm
from initiatives.fund.models import FundApplication, FundAuditEntry, FundEntry

from ..factories import make_user
from ..initiatives.factories import make_initiative, make_membership
from .factories import make_application, make_call, make_fund, make_jury_member

pytestmark = pytest.mark.django_db
Status = FundApplication.Status
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def jury(db):
    return [make_user(display_name=f"Jury {n}") for n in range(3)]


def _eligible(fund, applicant, jury, **fields):
    for user in jury:
        if not fund.jury.filter(user=user).exists():
            make_jury_member(fund=fund, user=user)
    return make_application(call=make_call(fund=fund), applicant=applicant, status=Status.ELIGIBLE, **fields)


def _all_for(fund, application):
    return {member.pk: "for" for member, reason in services.voters(application) if not reason}


def test_grant_over_the_maximum_per_project_is_refused(resident, staff, jury):
    fund = make_fund(max_per_project=Decimal("1500.00"))
    application = _eligible(fund, resident, jury, lines=[("Bühne", "2000.00")])
    with pytest.raises(ValidationError, match="Höchstbetrag"):
        services.decide_application(
            application=application, votes=_all_for(fund, application), amount=Decimal("1500.01"), note="", by=staff
        )
    application.refresh_from_db()
    assert application.status == Status.ELIGIBLE and not FundEntry.objects.exists()


def test_grant_over_the_budget_left_is_refused(resident, staff, jury):
    fund = make_fund(total=Decimal("2000.00"), max_per_project=Decimal("1500.00"))
    first = _eligible(fund, resident, jury, lines=[("A", "1500.00")])
    services.decide_application(
        application=first, votes=_all_for(fund, first), amount=Decimal("1500.00"), note="", by=staff
    )
    second = _eligible(fund, resident, jury, lines=[("B", "1000.00")])
    with pytest.raises(ValidationError, match="verfügbare Budget"):
        services.decide_application(
            application=second, votes=_all_for(fund, second), amount=Decimal("500.01"), note="", by=staff
        )
    services.decide_application(
        application=second, votes=_all_for(fund, second), amount=Decimal("500.00"), note="", by=staff
    )
    assert fund.__class__.objects.with_money().get(pk=fund.pk).budget_left == Decimal("0.00")


def test_majority_against_rejects_without_a_grant(resident, staff, jury):
    fund = make_fund()
    application = _eligible(fund, resident, jury)
    votes = {member.pk: "against" for member, _reason in services.voters(application)}
    services.decide_application(application=application, votes=votes, amount=None, note="Zu teuer", by=staff)
    application.refresh_from_db()
    assert application.status == Status.REJECTED and application.votes_against == 3
    assert not FundEntry.objects.exists()


def test_a_repayment_raises_the_budget_left(resident, staff, jury):
    fund = make_fund(total=Decimal("10000.00"))
    application = _eligible(fund, resident, jury)
    services.decide_application(
        application=application, votes=_all_for(fund, application), amount=Decimal("800.00"), note="", by=staff
    )
    services.book_entry(application=application, kind="payout", amount=Decimal("800.00"), by=staff)
    services.book_entry(application=application, kind="repayment", amount=Decimal("120.50"), by=staff)
    fund = fund.__class__.objects.with_money().get(pk=fund.pk)
    assert fund.budget_left == Decimal("10000.00") - Decimal("800.00") + Decimal("120.50")


def test_repayment_cannot_exceed_what_was_paid_out(resident, staff, jury):
    fund = make_fund()
    application = _eligible(fund, resident, jury)
    services.decide_application(
        application=application, votes=_all_for(fund, application), amount=Decimal("800.00"), note="", by=staff
    )
    services.book_entry(application=application, kind="payout", amount=Decimal("300.00"), by=staff)
    with pytest.raises(ValidationError):
        services.book_entry(application=application, kind="repayment", amount=Decimal("300.01"), by=staff)


def test_nothing_is_paid_before_the_approval(resident, staff, jury):
    application = _eligible(make_fund(), resident, jury)
    with pytest.raises(ValidationError, match="Vor der Bewilligung"):
        services.book_entry(application=application, kind="payout", amount=Decimal("10.00"), by=staff)


def test_payouts_never_exceed_the_grant(resident, staff, jury):
    fund = make_fund()
    application = _eligible(fund, resident, jury)
    services.decide_application(
        application=application, votes=_all_for(fund, application), amount=Decimal("800.00"), note="", by=staff
    )
    with pytest.raises(ValidationError):
        services.book_entry(application=application, kind="payout", amount=Decimal("800.01"), by=staff)


def test_a_correction_is_a_new_entry_with_a_reason_and_the_original_stays(resident, staff, jury):
    fund = make_fund()
    application = _eligible(fund, resident, jury)
    services.decide_application(
        application=application, votes=_all_for(fund, application), amount=Decimal("800.00"), note="", by=staff
    )
    grant = FundEntry.objects.get(kind="grant")
    with pytest.raises(ValidationError):
        services.correct_entry(entry=grant, amount=Decimal("-100.00"), reason=" ", by=staff)
    services.correct_entry(entry=grant, amount=Decimal("-100.00"), reason="Tippfehler im Beschluss", by=staff)
    grant.refresh_from_db()
    assert grant.amount == Decimal("800.00")
    application = FundApplication.objects.with_details().get(pk=application.pk)
    assert application.granted == Decimal("700.00")
    assert FundAuditEntry.objects.filter(action="corrected", object_id=grant.pk).exists()


def test_a_jury_member_who_applied_cannot_vote(resident, staff, jury):
    fund = make_fund()
    application = _eligible(fund, jury[0], jury)
    own = fund.jury.get(user=jury[0])
    votes = {member.pk: "for" for member, _reason in services.voters(application)}
    with pytest.raises(ValidationError, match="hat den Antrag gestellt"):
        services.decide_application(application=application, votes=votes, amount=Decimal("100.00"), note="", by=staff)
    assert not application.votes.exists()
    form = DecisionForm({f"vote_{own.pk}": "for", "amount": "100"}, voters=services.voters(application))
    assert not form.is_valid() and f"vote_{own.pk}" in form.errors


def test_a_jury_member_who_leads_the_applying_initiative_cannot_vote(resident, staff, jury):
    fund = make_fund()
    initiative = make_initiative()
    make_membership(initiative=initiative, user=jury[1], role="lead")
    application = _eligible(fund, resident, jury, initiative=initiative)
    lead_seat = fund.jury.get(user=jury[1])
    reasons = dict(services.voters(application))
    assert "leitet die beantragende Initiative" in reasons[lead_seat]
    with pytest.raises(ValidationError, match="leitet"):
        services.decide_application(
            application=application, votes={lead_seat.pk: "for"}, amount=Decimal("100.00"), note="", by=staff
        )


def test_a_mere_member_of_the_applying_initiative_may_vote(resident, staff, jury):
    fund = make_fund()
    initiative = make_initiative()
    make_membership(initiative=initiative, user=jury[2], role="member")
    application = _eligible(fund, resident, jury, initiative=initiative)
    assert all(reason == "" for _member, reason in services.voters(application))


def test_submission_after_the_deadline_is_refused_and_the_draft_kept(resident):
    call = make_call()
    application = make_application(call=call, applicant=resident)
    later = call.deadline + timedelta(minutes=1)
    with pytest.raises(ValidationError, match="Frist"):
        services.submit_application(application=application, by=resident, now=later)
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.cost_lines.count() == 1


def test_submission_before_the_deadline_mails_the_applicant(resident, mailoutbox, django_capture_on_commit_callbacks):
    application = make_application(applicant=resident)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application=application, by=resident)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [resident.email]


def test_a_project_starting_before_the_session_cannot_be_submitted(resident):
    call = make_call()
    application = make_application(call=call, applicant=resident, planned_start=call.session_date)
    with pytest.raises(ValidationError, match="nach der Jurysitzung"):
        services.submit_application(application=application, by=resident)


def test_the_cofinancing_share_is_required(resident):
    call = make_call(fund=make_fund(cofinancing_share=Decimal("20.00"), hour_value=Decimal("10.00")))
    application = make_application(call=call, applicant=resident, lines=[("Material", "1000.00")], own_hours=10)
    with pytest.raises(ValidationError, match="Eigenanteil"):
        services.submit_application(application=application, by=resident)
    application.own_hours = 20  # 20 h × 10 € = 200 € = 20 % of 1,000 €
    application.save()
    services.submit_application(application=application, by=resident)


@pytest.mark.parametrize("result", ["eligible", "needs_changes", "ineligible"])
def test_the_formal_check_mails_the_applicant(resident, staff, mailoutbox, django_capture_on_commit_callbacks, result):
    application = make_application(applicant=resident, status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.check_application(application=application, by=staff, result=result, comment="Bitte ergänzen.")
    application.refresh_from_db()
    assert application.status == result
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [resident.email]


def test_needs_changes_or_ineligible_require_a_comment(resident, staff):
    application = make_application(applicant=resident, status=Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.check_application(application=application, by=staff, result="ineligible", comment="")


def test_the_decision_mails_the_applicant(resident, staff, jury, mailoutbox, django_capture_on_commit_callbacks):
    fund = make_fund()
    application = _eligible(fund, resident, jury)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_application(
            application=application, votes=_all_for(fund, application), amount=Decimal("500.00"), note="", by=staff
        )
    assert len(mailoutbox) == 1 and "500" in mailoutbox[0].body


def test_a_project_closes_only_with_receipts_and_report(resident, staff, jury):
    fund = make_fund()
    application = _eligible(fund, resident, jury)
    services.decide_application(
        application=application, votes=_all_for(fund, application), amount=Decimal("500.00"), note="", by=staff
    )
    with pytest.raises(ValidationError, match="Ohne Belege"):
        services.close_project(application=application, by=staff, spending_note="geprüft")
    services.add_receipt(
        application=application,
        description="Farbe",
        amount=Decimal("480.00"),
        file=SimpleUploadedFile("beleg.pdf", PDF, "application/pdf"),
        by=resident,
    )
    with pytest.raises(ValidationError, match="Ohne Bericht"):
        services.close_project(application=application, by=staff, spending_note="geprüft")
    services.submit_report(application=application, report="Schön war's.", photos=[], by=resident)
    services.close_project(application=application, by=staff, spending_note="geprüft")
    application.refresh_from_db()
    assert application.status == Status.CLOSED


def test_a_receipt_that_is_not_a_pdf_or_image_is_refused(resident, staff, jury):
    fund = make_fund()
    application = _eligible(fund, resident, jury)
    services.decide_application(
        application=application, votes=_all_for(fund, application), amount=Decimal("500.00"), note="", by=staff
    )
    with pytest.raises(ValidationError):
        services.add_receipt(
            application=application,
            description="x",
            amount=Decimal("1.00"),
            file=SimpleUploadedFile("beleg.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
            by=resident,
        )


def test_staff_without_the_permission_cannot_decide(resident, jury):
    fund = make_fund()
    application = _eligible(fund, resident, jury)
    clerk = make_user(is_staff=True)  # staff status, but not the office group
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.decide_application(
            application=application, votes=_all_for(fund, application), amount=Decimal("1.00"), note="", by=clerk
        )


def test_budget_left_is_total_minus_granted_plus_repaid_on_an_empty_fund():
    fund = make_fund(total=Decimal("50000.00"))
    assert fund.__class__.objects.with_money().get(pk=fund.pk).budget_left == Decimal("50000.00")
    assert timezone.localdate().year == fund.year
