"""`{{ variable }}` with less work for strings and integers (quartier/template_values.py): for values of every
kind, in every autoescape, localization and time-zone setting, the same text and type as Django's own
function; a template renders as before; integers with thousands separators stay Django's."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import IntegerChoices
from django.template import Context, Engine, base
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from quartier import template_values


class Seats(IntegerChoices):
    FEW = 12, "wenige"


class Shown:
    def __str__(self):
        return "<Raum & Saal>"


class Html:
    def __html__(self):
        return "<b>fertig</b>"

    def __str__(self):
        return "Html"


VALUES = [
    "",
    "Straßenfußball",
    "<script>alert('x')</script> & \"Rock\"",
    mark_safe("<em>sicher</em>"),
    SafeString("x < y"),
    gettext_lazy("Log in"),
    0,
    -7,
    1234567,
    True,
    False,
    Seats.FEW,
    1.5,
    Decimal("1234.50"),
    None,
    datetime.date(2026, 12, 3),
    datetime.datetime(2026, 12, 3, 17, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 3, 17, 30),
    datetime.time(18, 0),
    [1, "<a>"],
    Shown(),
    Html(),
]


def contexts():
    for autoescape in (True, False):
        for use_l10n in (None, True, False):
            for use_tz in (None, True, False):
                yield Context(autoescape=autoescape, use_l10n=use_l10n, use_tz=use_tz)


@pytest.mark.parametrize("language", ["de", "en", "ar"])
@pytest.mark.parametrize("thousands", [False, True])
def test_every_value_is_written_as_django_writes_it(language, thousands):
    assert base.render_value_in_context is template_values.render_value_in_context  # installed at start-up
    djangos = template_values.render_value_in_context.djangos
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=thousands):
        for context in contexts():
            for value in VALUES:
                ours, theirs = template_values.render_value_in_context(value, context), djangos(value, context)
                assert (ours, type(ours)) == (theirs, type(theirs)), (value, context.autoescape, context.use_l10n)


def test_a_template_renders_the_same_text_with_the_cheaper_variables(monkeypatch):
    engine = Engine()
    source = (
        "{% for value in values %}[{{ value }}]{% endfor %}{% autoescape off %}{% for value in values %}"
        "({{ value }}){% endfor %}{% endautoescape %}{{ number }}{{ text|upper }}"
    )
    data = {"values": VALUES, "number": 98765, "text": "<x>"}
    with translation.override("de"), timezone.override("Europe/Berlin"):
        ours = engine.from_string(source).render(Context(data))
        monkeypatch.setattr(base, "render_value_in_context", template_values.render_value_in_context.djangos)
        theirs = engine.from_string(source).render(Context(data))
    assert ours == theirs
    assert "[&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Rock&quot;]" in ours
    assert "(<script>alert('x')</script> & \"Rock\")" in ours


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_integers_with_thousands_separators_are_grouped_as_before():
    with translation.override("de"):
        assert template_values.render_value_in_context(1234567, Context()) == "1.234.567"


@pytest.mark.parametrize("thousands", [False, True])
def test_number_text_writes_an_integer_as_localize_does(thousands):
    """What the decision cards' votes and the room cards' people are written with."""
    from django.utils.formats import localize

    with override_settings(USE_THOUSAND_SEPARATOR=thousands), translation.override("de"):
        for value in (0, 7, 1234, 98765, -12, Decimal("1234.50"), 12.5):
            assert template_values.number_text(value) == localize(value)
