"""The `date` filter of every template (a builtin library, settings.TEMPLATES): Django's, the same text, written by
quartier.formats.write, which splits each format once per process instead of on every call (issue 18: a list
page writes dozens of dates). tests/quartier/test_formats.py compares the two for every format of the portal in
every language."""

from django import template
from django.template import defaultfilters
from django.utils.timezone import template_localtime

from quartier.formats import write
from quartier.template_values import escaped

register = template.Library()


def local_date(value, name: str) -> str:
    """`{{ value|date:name }}` for code that writes markup itself (the rows of "My bookings", the event cards): in
    the portal's time zone, escaped."""
    return escaped(write(template_localtime(value), name))


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `|date` (django.template.defaultfilters.date)."""
    if value in (None, ""):
        return ""
    try:
        return write(value, arg or "DATE_FORMAT")
    except AttributeError:
        return defaultfilters.date(value, arg)
