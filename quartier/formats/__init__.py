"""Dates and times in each interface language (settings.FORMAT_MODULE_PATH): the portal's own format names, one
module per language, before Django's.

Templates and code name a format, never spell one: ``{{ start|date:"WEEKDAY_DATETIME_FORMAT" }}``,
``date_format(day, "SHORT_DATE_FORMAT")``. German, Turkish, Bulgarian, Romanian, Polish and Ukrainian write the
day first with dots (02.12.2026), English (as in Britain) and Arabic with slashes (02/12/2026; Arabic with
right-to-left marks so that the order survives in right-to-left text); every language has the 24-hour clock,
as the rooms' slots are written. Weekday and month names, and the separators of numbers, come from Django.
"""

import functools
from datetime import date, datetime

from django.utils import timezone
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language

# The portal's names, and what each is for (every language's module defines each one: tests/quartier/test_formats.py)
NAMES = {
    "SHORT_DATE_FORMAT": "a date: 02.12.2026",
    "TIME_FORMAT": "a time: 18:30",
    "SHORT_DATETIME_FORMAT": "a date and time: 02.12.2026, 18:30",
    "DAY_MONTH_FORMAT": "a day of this year: 02.12.",
    "WEEKDAY_DATE_FORMAT": "Mittwoch, 02.12.2026",
    "WEEKDAY_DATETIME_FORMAT": "Mittwoch, 02.12.2026, 18:30",
    "SHORT_WEEKDAY_DATE_FORMAT": "Mi, 02.12.2026",
    "SHORT_WEEKDAY_DATETIME_FORMAT": "Mi, 02.12.2026, 18:30",
    "SHORT_WEEKDAY_DAY_MONTH_FORMAT": "Mi 02.12.",
    "SHORT_WEEKDAY_DAY_MONTH_TIME_FORMAT": "Mi 02.12. 18:30",
}


def formats(date: str, day_month: str, *, comma: str = ",", time: str = "H:i") -> dict:
    """Every name of NAMES for a language that writes a date as `date` and a day of the year as `day_month`."""
    return {
        "SHORT_DATE_FORMAT": date,
        "TIME_FORMAT": time,
        "SHORT_DATETIME_FORMAT": f"{date}{comma} {time}",
        "DAY_MONTH_FORMAT": day_month,
        "WEEKDAY_DATE_FORMAT": f"l{comma} {date}",
        "WEEKDAY_DATETIME_FORMAT": f"l{comma} {date}{comma} {time}",
        "SHORT_WEEKDAY_DATE_FORMAT": f"D{comma} {date}",
        "SHORT_WEEKDAY_DATETIME_FORMAT": f"D{comma} {date}{comma} {time}",
        "SHORT_WEEKDAY_DAY_MONTH_FORMAT": f"D {day_month}",
        "SHORT_WEEKDAY_DAY_MONTH_TIME_FORMAT": f"D {day_month} {time}",
        # amounts group thousands in every language (Django leaves grouping off for some): 1.234,50 / 1 234,50
        "NUMBER_GROUPING": 3,
    }


# --- Writing them, faster than Django where a list writes one per row ------------------------------------------


def _offset(value: datetime) -> str:
    """O: the difference to UTC ("+0100"), as Django writes it: from the value's time zone (a naive value: the
    default one), nothing for a time that is ambiguous or does not exist there (the hour the clocks change)."""
    zone = value.tzinfo if timezone.is_aware(value) else timezone.get_default_timezone()
    if zone.utcoffset(value.replace(fold=not value.fold)) != zone.utcoffset(value):
        return ""
    offset = zone.utcoffset(value)
    seconds = offset.days * 86400 + offset.seconds
    sign, seconds = "-" if seconds < 0 else "+", abs(seconds)
    return f"{sign}{seconds // 3600:02d}{(seconds // 60) % 60:02d}"


_DAY_WRITERS = {
    "d": lambda value: f"{value.day:02d}",
    "j": lambda value: str(value.day),
    "m": lambda value: f"{value.month:02d}",
    "n": lambda value: str(value.month),
    "Y": lambda value: f"{value.year:04d}",
    "l": lambda value: str(WEEKDAYS[value.weekday()]),
    "D": lambda value: str(WEEKDAYS_ABBR[value.weekday()]),
}
_TIME_WRITERS = {
    "H": lambda value: f"{value.hour:02d}",
    "i": lambda value: f"{value.minute:02d}",
    "s": lambda value: f"{value.second:02d}",
    "O": _offset,
}


@functools.lru_cache(maxsize=512)
def _pieces(format_string: str) -> tuple[tuple | None, bool]:
    """A format string split as Django's dateformat splits it (text, and a writer for each format character),
    and whether it writes a time; no pieces if it has a character without a writer here (Django writes it)."""
    pieces, with_time = [], False
    for index, piece in enumerate(re_formatchars.split(format_string)):
        if index % 2:
            writer = _DAY_WRITERS.get(piece) or _TIME_WRITERS.get(piece)
            if writer is None:
                return None, False
            pieces.append(writer)
            with_time = with_time or piece in _TIME_WRITERS
        elif piece:
            pieces.append(re_escaped.sub(r"\1", piece))
    return tuple(pieces), with_time


def writer(name: str):
    """`write(value, name)` as a function of the value, for the language active now: the format looked up once
    for a list's many values (a room list's slots), not once per value."""
    return _writer(name, get_language())


@functools.lru_cache(maxsize=1024)
def _writer(name: str, language: str):
    """`writer(name)` in `language` (the active one: get_format and the weekday names follow it), made once per
    process. The day's part of the text (weekday, date) is written once per day (`_day_parts`), the time's per
    value: a week of slots has seven days, not seventy texts of them."""
    format_string = get_format(name)
    pieces, with_time = _pieces(format_string)

    def write_value(value) -> str:
        if pieces is None or not isinstance(value, date) or (with_time and not isinstance(value, datetime)):
            return date_format(value, format_string)
        day = value if type(value) is date else date(value.year, value.month, value.day)
        parts = _day_parts(format_string, language, day)
        if type(parts) is str:
            return parts
        return "".join(part if type(part) is str else part(value) for part in parts)

    return write_value


@functools.lru_cache(maxsize=8192)
def _day_parts(format_string: str, language: str, day: date) -> str | tuple:
    """The pieces of `format_string` with those of the day written for `day` in `language` (the active one) and
    neighbouring texts joined: one text for a format without a time, else texts and the time's writers."""
    parts: list = []
    for piece in _pieces(format_string)[0]:
        text = piece if type(piece) is str else piece(day) if piece in _DAY_WRITER_SET else None
        if text is None:
            parts.append(piece)
        elif parts and type(parts[-1]) is str:
            parts[-1] += text
        else:
            parts.append(text)
    return parts[0] if len(parts) == 1 and type(parts[0]) is str else "" if not parts else tuple(parts)


_DAY_WRITER_SET = frozenset(_DAY_WRITERS.values())


def write(value, name: str) -> str:
    """`django.utils.formats.date_format(value, name)`, the same text in a quarter of its time: the format is split
    once per process, not on every call (a room list writes 36 slots, an event list 40 dates). For a datetime
    (already in the time zone to show, as Django takes it) and a date; anything else, and a format with a
    character written here by no one, goes to Django."""
    return writer(name)(value)
