"""Amounts: one formatter, one service rule and one parser for the whole portal (quartier/money.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from quartier.money import AmountField, check_amount, euro, is_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,50", "1.50"),
        ("1.000,00", "1000.00"),
        ("1000.50", "1000.50"),
        ("1,234.56", "1234.56"),
        ("1500", "1500"),
        ("1 000,00", "1000.00"),
        ("1.000.000", "1000000"),
        ("0,5", "0.5"),
        ("-20,10", "-20.10"),
        (" 12,3 ", "12.3"),
    ],
)
def test_amounts_are_read_in_either_notation(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.500", "1,500", "12,345", "0.001"])
def test_a_single_separator_before_three_digits_is_refused_as_ambiguous(text):
    with pytest.raises(ValidationError) as caught:
        parse_amount(text)
    assert caught.value.code == "ambiguous"


@pytest.mark.parametrize("text", ["", "abc", "1e400", "NaN", "Infinity", "1,000,00", "1.000.00", ",5", "1,5,0", "--1"])
def test_what_is_no_amount_is_refused(text):
    with pytest.raises(ValidationError):
        parse_amount(text)


def test_euro_groups_thousands_in_the_page_language():
    with translation.override("de"):
        assert euro(Decimal("1234.5")) == "1.234,50 €"
    with translation.override("en"):
        assert euro(Decimal("1234.5")) == "1,234.50 €"


def test_the_service_rule_wants_a_positive_amount_with_cents_at_most():
    assert is_amount(Decimal("0.01")) and not is_amount(Decimal("0")) and not is_amount(Decimal("1.005"))
    assert not is_amount(None) and not is_amount(Decimal("NaN"))
    assert is_amount(Decimal("-5.00"), signed=True) and not is_amount(Decimal("0"), signed=True)
    with pytest.raises(ValidationError):
        check_amount(Decimal("-1"))


def test_the_form_field_reads_german_input_and_keeps_its_limits():
    field = AmountField(positive=True)
    with translation.override("de"):
        assert field.clean("1.000,00") == Decimal("1000.00")
        with pytest.raises(ValidationError):
            field.clean("0")
        with pytest.raises(ValidationError):
            field.clean("100000000")
        with pytest.raises(ValidationError):
            field.clean("1.500")
    assert AmountField(signed=True).clean("-20") == Decimal("-20")
    assert AmountField(required=False).clean("") is None
