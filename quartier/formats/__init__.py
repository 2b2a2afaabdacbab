"""Dates and times in each interface language (settings.FORMAT_MODULE_PATH): the portal's own format names, one
module per language, before Django's.

Templates and code name a format, never spell one: ``{{ start|date:"WEEKDAY_DATETIME_FORMAT" }}``,
``date_format(day, "SHORT_DATE_FORMAT")``. German, Turkish, Bulgarian, Romanian, Polish and Ukrainian write the
day first with dots (02.12.2026), English (as in Britain) and Arabic with slashes (02/12/2026; Arabic with
right-to-left marks so that the order survives in right-to-left text); every language has the 24-hour clock,
as the rooms' slots are written. Weekday and month names, and the separators of numbers, come from Django.
"""

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
