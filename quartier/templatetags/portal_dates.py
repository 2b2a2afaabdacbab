"""The `date` filter of every template (a builtin library, settings.TEMPLATES): Django's, the same text, written by
quartier.formats.write, which splits each format once per process instead of on every call (issue 18: a list
page writes dozens of dates). tests/quartier/test_formats.py compares the two for every format of the portal in
every language."""

from datetime import datetime

from django import template
from django.conf import settings
from django.template import defaultfilters
from django.utils import timezone
from django.utils.timezone import template_localtime

from quartier.formats import write, writer
from quartier.template_values import escaped

register = template.Library()


def local_date(value, name: str) -> str:
    """`{{ value|date:name }}` for code that writes markup itself (the rows of "My bookings", the event cards): in
    the portal's time zone, escaped."""
    return escaped(write(template_localtime(value), name))


def local_date_writer(name: str):
    """`local_date(value, name)` as a function of the value, for a list's many values: the format and the time
    zone looked up once."""
    local, write_value = localizer(), writer(name)
    return lambda value: escaped(write_value(local(value)))


def localizer():
    """`template_localtime` as a function of the value, the current time zone looked up once: for a list's many
    times (each of Django's calls asks the thread's time zone anew)."""
    if not settings.USE_TZ:
        return lambda value: value
    zone = timezone.get_current_timezone()

    def local(value):
        if (
            isinstance(value, datetime)
            and value.utcoffset() is not None
            and getattr(value, "convert_to_local_time", True)
        ):
            return value.astimezone(zone)
        return value

    return local


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `|date` (django.template.defaultfilters.date)."""
    if value in (None, ""):
        return ""
    try:
        return write(value, arg or "DATE_FORMAT")
    except AttributeError:
        return defaultfilters.date(value, arg)
