"""One plausible-date rule and one "ends after it starts" rule for the whole portal (quartier/dates.py)."""

from datetime import date, datetime, time

import pytest
from django import forms
from django.core.exceptions import ValidationError

from quartier.dates import check_form_span, ends_before_start, implausible, plausible_year, validate_plausible

TODAY = date(2026, 6, 1)


def test_dates_within_ten_years_either_side_are_plausible():
    assert implausible(date(2016, 1, 1), datetime(2036, 12, 31, 23, 0), today=TODAY) == ""
    assert plausible_year(2036, TODAY) and not plausible_year(2037, TODAY) and not plausible_year(2015, TODAY)


@pytest.mark.parametrize("value", [date(1, 1, 1), date(9999, 12, 31), date(2062, 3, 1)])
def test_typing_mistakes_and_extreme_years_are_refused_with_the_range(value):
    assert "01.01.2016" in implausible(value, today=TODAY)
    with pytest.raises(ValidationError):
        validate_plausible(value)


def test_times_end_strictly_after_they_start_and_dates_may_end_the_same_day():
    assert ends_before_start(time(18), time(18)) and not ends_before_start(time(18), time(19))
    assert not ends_before_start(date(2026, 1, 1), date(2026, 1, 1))
    assert ends_before_start(date(2026, 1, 2), date(2026, 1, 1))
    assert not ends_before_start(None, time(8))


class _SpanForm(forms.Form):
    start = forms.TimeField()
    end = forms.TimeField()

    def clean(self):
        data = super().clean()
        check_form_span(self, data)
        return data


def test_the_form_span_check_names_the_end_field():
    form = _SpanForm(data={"start": "10:00", "end": "09:00"})
    assert not form.is_valid()
    assert form.errors["end"] == ["Das Ende muss nach dem Beginn liegen."]
