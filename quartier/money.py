"""Money in the whole portal: `Decimal` with two places, shown by `euro()`, checked by `check_amount()`, read from
what people type by `parse_amount()` (and the form field `AmountField` built on it). Every amount of a model is a
`MoneyField`, whose form field is `AmountField`, in the portal's forms and in the admin alike (a text input: a
browser's number input would read "1,50" as 150 in an English browser); admin lists show amounts by `euro_column`.

Parsing does not depend on the page's language, so that a German page reads "1000.50" pasted from elsewhere and an
English page reads "1,50": the last separator followed by one or two digits is the decimal separator, the other
one (dot, comma, space) groups thousands in threes ("1.000,00", "1,234.56", "1 000"). A single separator followed
by exactly three digits ("1.500", "1,500") is ambiguous (one and a half, or fifteen hundred?) and is refused with a
message that asks for the decimals; that keeps today's refusal of "1.500" in the German forms. So is an amount
grouped in thousands with a single decimal ("1,500.5", "1.000,5"): whoever groups writes the cents with two digits,
so the mix is more likely a slip between the two notations than an amount.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("99999999.99")  # what a field of ten digits with two places holds

NOT_NEGATIVE = MinValueValidator(ZERO)
POSITIVE = MinValueValidator(CENT)

_AMOUNT = re.compile(r"(?P<whole>\d{1,3}(?:(?P<sep>[., ])\d{3})+|\d+)(?:(?P<dec>[.,])(?P<cents>\d{1,2}))?")
_GROUP_MARKS = re.compile(r"[\s\u00a0\u202f']")  # spaces and apostrophes only ever group thousands


def euro(value: Decimal) -> str:
    """An amount as people read it in the current language: 1.234,56 € / 1,234.56 €."""
    return amount_text(value, grouping=True) + " €"


def amount_text(value: Decimal, *, grouping: bool = True) -> str:
    """The number of an amount with two places in the current language, without the sign: 1.234,56 / 1,234.56."""
    return formats.number_format(value, 2, use_l10n=True, force_grouping=grouping)


def is_amount(value, *, signed: bool = False) -> bool:
    """A positive amount (any but zero if `signed`) with at most two decimal places."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return False
    return (value != ZERO if signed else value > ZERO) and value == value.quantize(CENT)


def check_amount(value, message=None, *, signed: bool = False) -> None:
    """The rule every service applies to an amount it books (see `is_amount`)."""
    if not is_amount(value, signed=signed):
        raise ValidationError(message or _("Enter a positive amount in euros with at most two decimal places."))


def parse_amount(text: str) -> Decimal:
    """An amount as people type it: "1,50", "1.000,00", "1000.50", "-20"; ValidationError for anything else."""
    value = _GROUP_MARKS.sub(" ", str(text).strip().replace("\u2212", "-"))
    sign, value = ("-", value[1:]) if value.startswith("-") else ("", value)
    match = _AMOUNT.fullmatch(value)
    if not match or (match["sep"] and match["sep"] == match["dec"]):
        raise ValidationError(_("Enter an amount, for example 1500,00 or 1,50."), code="invalid")
    single_group = match["sep"] in (".", ",") and not match["dec"] and match["whole"].count(match["sep"]) == 1
    if single_group or (match["sep"] and match["cents"] and len(match["cents"]) == 1):
        raise ValidationError(
            _("The entry %(amount)s is ambiguous: please write it with the cents, for example 1500,00 or 1,50."),
            code="ambiguous",
            params={"amount": value},
        )
    whole = re.sub(r"\D", "", match["whole"])
    return Decimal(f"{sign}{whole}.{match['cents'] or '0'}")


class AmountInput(forms.TextInput):
    """A text input that asks phones for their keyboard with digits and separators."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class AmountField(forms.DecimalField):
    """A form field for an amount in euros, read with `parse_amount` and shown in the page's language.

    At least 0 (`positive=True`: at least 0.01; `signed=True`: any sign) and at most `MAX_AMOUNT`. Always a text
    input (`AmountInput`), never the browser's number input; what was typed comes back as typed with the error.
    """

    widget = AmountInput

    def __init__(self, *, positive: bool = False, signed: bool = False, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs["localize"] = True  # the value shown is in the page's language; never a number input
        if not signed:
            kwargs.setdefault("min_value", CENT if positive else ZERO)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(**kwargs)
        if signed:
            self.validators.append(MinValueValidator(-MAX_AMOUNT))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        return parse_amount(value)


class MoneyField(models.DecimalField):
    """A model field for an amount in euros (ten digits, two places unless told); its form field is `AmountField`.

    `signed=True` lets its forms take amounts below zero. In migrations it is a plain `DecimalField`: only its
    forms differ, the column is the same.
    """

    def __init__(self, *args, signed: bool = False, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        self.signed = signed
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AmountField, "signed": self.signed, **kwargs})


def euro_column(field, description=None):
    """A column of an admin list (`list_display`) showing the amount of a model field by `euro()`: 1.234,56 €
    (with a no-break space, so that a narrow column never puts the "€" on a line of its own).

    `field` is the model's attribute (`Payment.amount`) or field; the heading is its verbose name unless told.
    """
    field = getattr(field, "field", field)

    def column(obj):
        value = getattr(obj, field.attname)
        return None if value is None else euro(value).replace(" €", "\u00a0€")  # never wraps before the €

    column.__name__ = field.name
    column.short_description = description or field.verbose_name
    column.admin_order_field = field.name
    return column
