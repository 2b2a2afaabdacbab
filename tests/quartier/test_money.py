"""Amounts: one formatter, one service rule and one parser for the whole portal (quartier/money.py)."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from initiatives.fund.models import FundEntry, Receipt
from quartier.money import (
    ZERO,
    AmountField,
    AmountInput,
    MoneyField,
    check_amount,
    euro,
    euro_column,
    is_amount,
    parse_amount,
)


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


@pytest.mark.parametrize("text", ["1,500.5", "1.000,5", "12.345.678,9"])
def test_thousands_grouped_with_a_single_decimal_are_refused_as_ambiguous(text):
    with pytest.raises(ValidationError) as caught:
        parse_amount(text)
    assert caught.value.code == "ambiguous"


def test_the_ambiguity_message_names_the_entry_in_both_languages():
    field = AmountField()
    for language, words in (("de", "nicht eindeutig"), ("en", "ambiguous")):
        with translation.override(language):
            with pytest.raises(ValidationError) as caught:
                field.clean("1.500")
            assert words in caught.value.messages[0] and "1.500" in caught.value.messages[0]


def test_the_form_field_is_a_text_input_with_the_decimal_keyboard_never_a_number_input():
    html = str(AmountField().widget.render("amount", Decimal("1000.5")))
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    with translation.override("de"):
        assert 'value="1000,50"' in AmountField().widget.render(
            "amount", AmountField().prepare_value(Decimal("1000.50"))
        )


def test_a_money_field_has_the_amount_form_field_and_migrates_as_a_decimal_field():
    field = MoneyField("fee", default=ZERO)
    form_field = field.formfield()
    assert isinstance(form_field, AmountField) and isinstance(form_field.widget, AmountInput)
    with pytest.raises(ValidationError):
        form_field.clean("-1")  # at least zero unless signed
    assert MoneyField(signed=True).formfield().clean("-1,50") == Decimal("-1.50")
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "django.db.models.DecimalField" and (kwargs["max_digits"], kwargs["decimal_places"]) == (10, 2)


def _is_money(field) -> bool:
    label = str(field.verbose_name)
    return isinstance(field, models.DecimalField) and ("€" in label or "EUR" in label)


def test_every_amount_of_every_model_is_a_money_field():
    amounts = [field for model in apps.get_models() for field in model._meta.fields if _is_money(field)]
    assert len(amounts) >= 15
    assert [f"{field.model.__name__}.{field.name}" for field in amounts if not isinstance(field, MoneyField)] == []


def test_every_admin_form_and_inline_reads_amounts_with_the_amount_field(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    checked = 0
    for model, model_admin in admin.site._registry.items():
        admins = [(model, model_admin)] + [
            (inline.model, inline) for inline in model_admin.get_inline_instances(request)
        ]
        for form_model, form_admin in admins:
            form = (
                form_admin.get_formset(request).form if form_admin is not model_admin else form_admin.get_form(request)
            )
            for name, form_field in form.base_fields.items():
                model_field = next((f for f in form_model._meta.fields if f.name == name), None)
                if model_field is not None and _is_money(model_field):
                    assert isinstance(form_field, AmountField), f"{form_model.__name__}.{name}"
                    assert isinstance(form_field.widget, AmountInput), f"{form_model.__name__}.{name}"
                    checked += 1
    assert checked >= 8


def test_amounts_in_texts_and_admin_columns_have_the_decimal_comma():
    entry = FundEntry(kind=FundEntry.Kind.GRANT, amount=Decimal("400"))
    column = euro_column(FundEntry.amount)
    with translation.override("de"):
        assert column(entry) == "400,00\u00a0€" and str(column.short_description) == "Betrag (EUR)"
        assert str(Receipt(description="Miete", amount=Decimal("1234.5"))) == "Miete: 1.234,50 €"
    with translation.override("en"):
        assert column(entry) == "400.00\u00a0€"
    assert column(FundEntry(amount=None)) is None  # the admin shows its "empty" mark
