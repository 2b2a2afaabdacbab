"""Dates, times and money in each interface language's own format (quartier/formats, quartier/money.py)."""

import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, get_format

from quartier.formats import NAMES
from quartier.money import euro

LANGUAGES = [code for code, _name in settings.LANGUAGES]
WEDNESDAY = datetime(2026, 12, 2, 18, 30)
RLM = "\u200f"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_format_of_the_portal(language):
    for name in NAMES:
        spelled = get_format(name, lang=language)
        assert spelled != name, f"{language} lacks {name}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Mittwoch, 02.12.2026, 18:30"),
        ("en", "Wednesday, 02/12/2026, 18:30"),
        ("tr", "Çarşamba, 02.12.2026, 18:30"),
        ("ar", f"الأربعاء، 02{RLM}/12{RLM}/2026، 18:30"),
        ("bg", "сряда, 02.12.2026, 18:30"),
        ("ro", "miercuri, 02.12.2026, 18:30"),
        ("pl", "Środa, 02.12.2026, 18:30"),
        ("uk", "середа, 02.12.2026, 18:30"),
    ],
)
def test_a_date_with_its_weekday_in_each_language(language, expected):
    with translation.override(language):
        assert date_format(WEDNESDAY, "WEEKDAY_DATETIME_FORMAT") == expected
        assert date_format(WEDNESDAY, "TIME_FORMAT") == "18:30"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "1.234,50 €"),
        ("en", "1,234.50 €"),
        ("tr", "1.234,50 €"),
        ("ar", "1.234,50 €"),
        ("bg", "1\xa0234,50 €"),
        ("ro", "1.234,50 €"),
        ("pl", "1\xa0234,50 €"),
        ("uk", "1\xa0234,50 €"),
    ],
)
def test_money_in_each_language(language, expected):
    with translation.override(language):
        assert euro(Decimal("1234.50")) == expected


def test_no_template_spells_out_a_date_format():
    """A spelled format ("d.m.Y") shows German dates on an English or Arabic page (and in their mails): templates
    name one instead (machine formats for links, "Y-m-d", stay spelled)."""
    spelled = re.compile(r"\|(?:date|time):[\"'](?![A-Z_]+[\"'])([^\"']*[dmYHi][^\"']*)[\"']")
    single = {"D", "l", "j", "F", "Y", "c", "U", "o-\\WW", "W", "N"}
    found = []
    templates = [
        *Path(settings.BASE_DIR).glob("**/templates/**/*.html"),
        *Path(settings.BASE_DIR).glob("**/templates/**/*.txt"),
    ]
    for template in templates:
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        for match in spelled.finditer(template.read_text()):
            if match[1] not in single and not match[1].startswith(("Y-m", "c")):
                found.append(f"{template.relative_to(settings.BASE_DIR)}: {match[0]}")
    assert found == [], "\n".join(found)


# --- quartier.formats.write and the |date filter of every template (quartier/templatetags/portal_dates.py) -----

from datetime import UTC, date, time, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from django.template import Context, Template, defaultfilters  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from quartier.formats import write, writer  # noqa: E402
from quartier.templatetags import portal_dates  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
# every format name of the portal and of Django the templates use, the formats they spell out, and some of each
# kind of character: written here (dmYjnlDHisO) and left to Django (N, F, a, P, W, o, U, e)
FORMATS = [*NAMES, "DATE_FORMAT", "DATETIME_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT"]
FORMATS += ["Y-m-d\\TH:i:sO", "Y-m-d", "Y-m", "l", "D", "o", "W", "j", "N j, Y, P", "\\d\\a\\y d", "F Y", "U e", ""]
# the hour the clocks go back (02:00–03:00 twice) and the one that does not exist (02:00–03:00 in spring)
CHANGES = [datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN), datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN)]
CHANGES += [datetime(2026, 3, 29, 2, 30, tzinfo=BERLIN), datetime(2026, 3, 29, 2, 30)]


def _outcome(function, value, format_name):
    try:
        return function(value, format_name)
    except Exception as error:  # noqa: BLE001 - the same refusal counts as the same outcome
        return type(error)


values = st.one_of(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)).map(
        lambda moment: moment.replace(tzinfo=BERLIN)
    ),
    st.datetimes(  # offsets of half an hour, west and east
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2100, 12, 31),
        timezones=st.sampled_from([UTC, ZoneInfo("Asia/Kolkata"), ZoneInfo("America/St_Johns")]),
    ),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),  # naive
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from([*CHANGES, time(18, 30), "2026-12-02", None, "", 0]),
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(value=values, language=st.sampled_from(LANGUAGES), format_name=st.sampled_from(FORMATS))
def test_the_portals_date_filter_writes_what_djangos_writes(value, language, format_name):
    with translation.override(language):
        ours = _outcome(portal_dates.date, value, format_name)
        djangos = _outcome(defaultfilters.date, value, format_name)
    assert ours == djangos


@pytest.mark.parametrize("language", LANGUAGES)
def test_write_gives_the_text_of_date_format_for_every_name(language):
    moments = [*CHANGES, WEDNESDAY.replace(tzinfo=BERLIN), datetime(2026, 7, 1, 9, 5, 7, tzinfo=BERLIN)]
    with translation.override(language):
        for name in NAMES:
            for moment in moments:
                assert write(moment, name) == date_format(moment, name), (name, moment)
            if "H" not in get_format(name):
                assert write(moment.date(), name) == date_format(moment.date(), name)
        for zone in ("Asia/Kolkata", "America/St_Johns", "UTC"):  # offsets of half an hour, east and west
            moment = datetime(2026, 12, 2, 18, 30, tzinfo=ZoneInfo(zone))
            assert write(moment, "Y-m-d\\TH:i:sO") == date_format(moment, "Y-m-d\\TH:i:sO")


@hypothesis_settings(max_examples=200, deadline=None)
@given(value=values, language=st.sampled_from(LANGUAGES), format_name=st.sampled_from(FORMATS))
def test_a_writer_writes_what_write_writes(value, language, format_name):
    with translation.override(language):  # made once for a request's many values, in its language
        write_value = writer(format_name)
        assert _outcome(lambda value, _name: write_value(value), value, format_name) == _outcome(
            write, value, format_name
        )


def test_templates_use_the_portals_date_filter():
    template = Template('{{ moment|date:"SHORT_WEEKDAY_DAY_MONTH_TIME_FORMAT" }}')
    assert template.engine.template_builtins[-1].filters["date"] is portal_dates.date
    moment = datetime(2026, 12, 2, 17, 30, tzinfo=UTC) + timedelta(0)
    with translation.override("de"):
        assert template.render(Context({"moment": moment})) == "Mi 02.12. 18:30"  # in the portal's time zone


@hypothesis_settings(max_examples=200, deadline=None)
@given(value=values, language=st.sampled_from(LANGUAGES), format_name=st.sampled_from(FORMATS))
def test_a_lists_date_writer_writes_what_local_date_writes(value, language, format_name):
    """local_date_writer (the time zone and format looked up once for a list) against local_date for each value."""
    with translation.override(language):
        write_value = portal_dates.local_date_writer(format_name)
        assert _outcome(lambda value, _name: write_value(value), value, format_name) == _outcome(
            portal_dates.local_date, value, format_name
        )
