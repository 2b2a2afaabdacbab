"""The cap rule at its boundaries: exact cap, one cent more, the turn of the year, declarations, reversals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from initiatives.models import Initiative
from tests.initiatives.factories import make_initiative
from volunteers import services
from volunteers.models import AllowanceType, AuditEntry, Cap, Engagement, Payment

from ..factories import make_user
from .factories import make_declaration, make_engagement, pay

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def honorary(office):
    engagement = make_engagement(allowance_type=AllowanceType.HONORARY)
    make_declaration(engagement, 2025)
    make_declaration(engagement, 2026)
    return engagement


def remaining(engagement, year):
    return services.usage_for(
        volunteer=engagement.volunteer, year=year, allowance_type=engagement.allowance_type
    ).remaining


def test_caps_are_shipped_as_data_for_every_year_since_2007():
    assert Cap.objects.for_year(2006) is None
    assert (Cap.objects.for_year(2007).honorary_amount, Cap.objects.for_year(2012).trainer_amount) == (
        D("500"),
        D("2100"),
    )
    assert (Cap.objects.for_year(2013).honorary_amount, Cap.objects.for_year(2020).trainer_amount) == (
        D("720"),
        D("2400"),
    )
    assert (Cap.objects.for_year(2025).honorary_amount, Cap.objects.for_year(2025).trainer_amount) == (
        D("840"),
        D("3000"),
    )
    assert (Cap.objects.for_year(2026).honorary_amount, Cap.objects.for_year(2030).trainer_amount) == (
        D("960"),
        D("3300"),
    )


def test_a_payment_that_reaches_the_cap_exactly_is_accepted(honorary, staff):
    pay(honorary, "840.00", date(2025, 6, 1), staff)
    assert remaining(honorary, 2025) == D("0.00")


def test_one_cent_over_the_cap_is_refused_with_the_figures(honorary, staff):
    pay(honorary, "800.00", date(2025, 3, 1), staff)
    with pytest.raises(ValidationError) as error:
        pay(honorary, "40.01", date(2025, 6, 1), staff)
    message = " ".join(error.value.messages)
    assert "840,00 €" in message and "800,00 €" in message and "40,00 €" in message and "40,01 €" in message
    assert Payment.objects.count() == 1


def test_staff_books_the_excess_cent_as_taxable_with_a_reason(honorary, staff):
    pay(honorary, "800.00", date(2025, 3, 1), staff)
    payment = pay(
        honorary, "40.01", date(2025, 6, 1), staff, book_excess_as_taxable=True, taxable_reason="Pauschale ausgeschöpft"
    )
    assert (payment.tax_free_amount, payment.taxable_amount) == (D("40.00"), D("0.01"))
    usage = services.usage_for(volunteer=honorary.volunteer, year=2025, allowance_type=AllowanceType.HONORARY)
    assert (usage.paid, usage.taxable, usage.remaining) == (D("840.00"), D("0.01"), D("0.00"))


def test_taxable_excess_needs_a_reason(honorary, staff):
    with pytest.raises(ValidationError):
        pay(honorary, "840.01", date(2025, 6, 1), staff, book_excess_as_taxable=True, taxable_reason=" ")


def test_only_staff_may_book_an_excess_as_taxable(honorary):
    with pytest.raises(PermissionDenied):
        pay(honorary, "840.01", date(2025, 6, 1), make_user(), book_excess_as_taxable=True, taxable_reason="x")


def test_31_december_and_1_january_count_in_their_own_years_with_their_own_caps(honorary, staff):
    pay(honorary, "840.00", date(2025, 12, 31), staff)
    with pytest.raises(ValidationError):
        pay(honorary, "0.01", date(2025, 12, 31), staff)
    pay(honorary, "960.00", date(2026, 1, 1), staff)
    assert (remaining(honorary, 2025), remaining(honorary, 2026)) == (D("0.00"), D("0.00"))


def test_trainer_caps_2025_and_2026(staff, office):
    trainer = make_engagement(allowance_type=AllowanceType.TRAINER)
    make_declaration(trainer, 2025)
    make_declaration(trainer, 2026)
    pay(trainer, "3000.00", date(2025, 12, 31), staff)
    pay(trainer, "3300.00", date(2026, 1, 1), staff)
    with pytest.raises(ValidationError):
        pay(trainer, "0.01", date(2026, 1, 2), staff)


def test_a_declared_amount_from_elsewhere_reduces_the_remaining_amount(staff, office):
    engagement = make_engagement()
    make_declaration(engagement, 2025, received_elsewhere=D("300.00"))
    assert remaining(engagement, 2025) == D("540.00")
    pay(engagement, "540.00", date(2025, 5, 1), staff)
    with pytest.raises(ValidationError):
        pay(engagement, "0.01", date(2025, 5, 2), staff)


def test_the_amount_from_elsewhere_declared_to_two_payers_counts_once(staff, office):
    first = make_engagement(activity="Kasse")
    second = make_engagement(
        volunteer=first.volunteer, activity="Vorstand", payer_initiative=make_initiative(is_nonprofit=True)
    )
    make_declaration(first, 2025, received_elsewhere=D("300.00"))
    make_declaration(second, 2025, received_elsewhere=D("300.00"))
    assert remaining(first, 2025) == D("540.00")


def test_the_cap_counts_across_all_payers(staff, office):
    first = make_engagement(activity="Kasse")
    second = make_engagement(
        volunteer=first.volunteer, activity="Helfen", payer_initiative=make_initiative(is_nonprofit=True)
    )
    make_declaration(first, 2025)
    make_declaration(second, 2025)
    pay(first, "500.00", date(2025, 2, 1), staff)
    with pytest.raises(ValidationError):
        pay(second, "340.01", date(2025, 2, 1), staff)
    pay(second, "340.00", date(2025, 2, 1), staff)


def test_the_types_have_separate_caps(staff, office):
    honorary = make_engagement(activity="Vorstand", allowance_type=AllowanceType.HONORARY)
    trainer = make_engagement(volunteer=honorary.volunteer, activity="Training", allowance_type=AllowanceType.TRAINER)
    make_declaration(honorary, 2025)
    make_declaration(trainer, 2025)
    pay(honorary, "840.00", date(2025, 2, 1), staff)
    pay(trainer, "3000.00", date(2025, 2, 1), staff)


def test_a_declared_share_limits_what_this_payer_pays_tax_free(staff, office):
    engagement = make_engagement()
    make_declaration(engagement, 2025, share=D("200.00"))
    pay(engagement, "200.00", date(2025, 2, 1), staff)
    with pytest.raises(ValidationError):
        pay(engagement, "0.01", date(2025, 2, 2), staff)


def test_without_a_declaration_for_the_payer_and_year_no_payment_is_tax_free(staff, office):
    engagement = make_engagement()
    make_declaration(engagement, 2024)
    with pytest.raises(ValidationError, match="Erklärung"):
        pay(engagement, "10.00", date(2025, 2, 1), staff)
    payment = pay(
        engagement, "10.00", date(2025, 2, 1), staff, book_excess_as_taxable=True, taxable_reason="Erklärung fehlt"
    )
    assert payment.taxable_amount == D("10.00")


def test_a_reversal_restores_the_remaining_amount(honorary, staff):
    payment = pay(honorary, "840.00", date(2025, 6, 1), staff)
    reversal = services.reverse_payment(payment=payment, by=staff, reason="Doppelt gebucht")
    assert reversal.reverses == payment and reversal.amount == D("-840.00")
    assert remaining(honorary, 2025) == D("840.00")
    pay(honorary, "840.00", date(2025, 6, 2), staff)


def test_a_payment_is_reversed_once_and_a_reversal_never(honorary, staff):
    payment = pay(honorary, "10.00", date(2025, 6, 1), staff)
    reversal = services.reverse_payment(payment=payment, by=staff, reason="Fehler")
    with pytest.raises(ValidationError):
        services.reverse_payment(payment=payment, by=staff, reason="nochmal")
    with pytest.raises(ValidationError):
        services.reverse_payment(payment=reversal, by=staff, reason="zurück")


def test_a_reversal_needs_a_reason(honorary, staff):
    payment = pay(honorary, "10.00", date(2025, 6, 1), staff)
    with pytest.raises(ValidationError):
        services.reverse_payment(payment=payment, by=staff, reason="  ")


def test_many_small_payments_sum_exactly_in_decimal(honorary, staff):
    """In binary floating point these 91 amounts add up to 8.469999999999986; the stored sum must be exact. (Ten
    times as many payments, as this test once made, cost a minute and catch nothing more.)"""
    for _ in range(84):
        pay(honorary, "0.10", date(2025, 6, 1), staff)
    for _ in range(7):
        pay(honorary, "0.01", date(2025, 6, 1), staff)
    assert sum([0.10] * 84 + [0.01] * 7) != 8.47  # the float sum drifts: the Decimal one must not
    usage = services.usage_for(volunteer=honorary.volunteer, year=2025, allowance_type=AllowanceType.HONORARY)
    assert usage.paid == D("8.47") and isinstance(usage.paid, Decimal)
    assert usage.remaining == D("831.53")


@pytest.mark.parametrize("amount", ["0", "-5", "1.005"])
def test_amounts_must_be_positive_with_two_places(honorary, staff, amount):
    with pytest.raises(ValidationError):
        pay(honorary, amount, date(2025, 6, 1), staff)


def test_a_payment_in_the_future_is_refused(honorary, staff):
    with pytest.raises(ValidationError):
        pay(honorary, "1.00", date(2099, 1, 1), staff)


def test_a_year_without_a_cap_is_refused(staff, office):
    engagement = make_engagement()
    make_declaration(engagement, 2005)
    with pytest.raises(ValidationError, match="2005"):
        pay(engagement, "1.00", date(2005, 6, 1), staff)


def test_a_payer_that_is_not_non_profit_cannot_pay(staff, office):
    business = make_initiative(kind=Initiative.Kind.BUSINESS, is_nonprofit=False, name="Bäckerei")
    engagement = make_engagement(payer_initiative=business)
    with pytest.raises(ValidationError, match="Bäckerei"):
        engagement.full_clean()
    with pytest.raises(ValidationError, match="Bäckerei"):
        pay(engagement, "1.00", date(2025, 6, 1), staff)


@pytest.mark.parametrize("kind", [Initiative.Kind.ASSOCIATION, Initiative.Kind.PUBLIC])
def test_an_initiative_staff_have_not_verified_cannot_pay_whatever_it_declares(staff, office, kind):
    """Issue 12 point 6: the payer check uses the status staff confirmed, the rule that makes rooms free too."""
    unchecked = make_initiative(kind=kind, is_nonprofit=True, is_verified=False, name="Selbsterklärt")
    engagement = make_engagement(payer_initiative=unchecked)
    with pytest.raises(ValidationError, match="Selbsterklärt"):
        engagement.full_clean()
    with pytest.raises(ValidationError, match="Selbsterklärt"):
        pay(engagement, "1.00", date(2025, 6, 1), staff)


def test_a_public_body_may_pay(staff, office):
    public = make_initiative(kind=Initiative.Kind.PUBLIC, is_nonprofit=False)
    engagement = make_engagement(payer_initiative=public)
    engagement.full_clean()
    make_declaration(engagement, 2025)
    pay(engagement, "1.00", date(2025, 6, 1), staff)


def test_the_same_activity_cannot_carry_both_allowances(office):
    engagement = make_engagement(activity="Training U12", allowance_type=AllowanceType.TRAINER)
    duplicate = Engagement(
        volunteer=engagement.volunteer,
        activity="training U12",
        allowance_type=AllowanceType.HONORARY,
        starts_on=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_payments_reversals_and_declarations_are_audited(honorary, staff):
    payment = pay(honorary, "10.00", date(2025, 6, 1), staff)
    services.reverse_payment(payment=payment, by=staff, reason="Fehler")
    services.submit_declaration(
        volunteer=honorary.volunteer,
        payer_initiative=None,
        year=2025,
        allowance_type=AllowanceType.HONORARY,
        received_elsewhere=D("12.50"),
        signed_on=date(2025, 2, 1),
        by=staff,
    )
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [e.action for e in entries] == ["created", "reversed", "changed"]
    assert all(e.by == staff and e.volunteer == honorary.volunteer for e in entries)
    assert entries[1].changes["reason"] == "Fehler"
    assert entries[2].changes["received_elsewhere"] == ["0.00", "12.50"]


@pytest.mark.django_db(transaction=True)
def test_the_statutory_caps_are_back_after_a_flush():
    """A flush (as every transactional test ends with) empties the table; the shipped caps return at once."""
    from django.core.management import call_command

    from volunteers.caps import STATUTORY_CAPS
    from volunteers.models import Cap

    call_command("flush", interactive=False, verbosity=0)
    assert sorted(Cap.objects.values_list("from_year", flat=True)) == [row[0] for row in STATUTORY_CAPS]
