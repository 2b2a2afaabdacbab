"""`{{ variable }}`: Django's conversion of a value into the page's text, for the two commonest values cheaper
(issue 18).

Every variable of every template goes through `django.template.base.render_value_in_context`: local time,
localized, turned into a string, escaped. For a plain string that is about 1.1 µs here, most of it the
lazy-string check of `conditional_escape` (the value is a string already); for an integer 4–5 µs, as `localize`
looks up three number formats of the active language that an integer without thousands separators never
uses. A week page renders some 500 variables, a page of decisions 370.

`install()` (QuartierConfig.ready) puts `render_value_in_context` below in the template engine's module (the
variable node looks it up there): a `str` and an `int` (exactly those types) get the same text and type as
Django's function gives, written directly; every other value, and integers when USE_THOUSAND_SEPARATOR is on,
go to Django's own function. tests/quartier/test_template_values.py compares the two for values of every kind.
"""

import html

from django.conf import settings
from django.template import base
from django.utils.formats import localize
from django.utils.safestring import SafeString

_djangos = base.render_value_in_context


def escaped(value) -> str:
    """`conditional_escape(value)` for a plain or safe string or a number, without its lazy-string check: what
    code that writes markup itself (the week grid, the decision cards) puts in for a value."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def number_text(value) -> str:
    """`django.utils.formats.localize(value)`: an integer (exactly that type) written directly where Django would
    write it as `str()` (no thousands separators), without looking up the three number formats of the language."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return localize(value)


def render_value_in_context(value, context):
    kind = type(value)
    if kind is str:  # neither a local time nor localized: escaped where autoescaping is on
        return SafeString(html.escape(value)) if context.autoescape else value
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:  # localize() writes it as str(), marked safe
        return SafeString(value) if context.autoescape or context.use_l10n is not False else str(value)
    return _djangos(value, context)


render_value_in_context.djangos = _djangos


def install() -> None:
    base.render_value_in_context = render_value_in_context
