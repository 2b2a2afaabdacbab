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
