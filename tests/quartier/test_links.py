"""quartier/links.py: the links of a list's rows, one reverse() per request, are the addresses reverse() gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from quartier.links import link_maker

SLUG_VIEWS = ["events:detail", "initiatives:detail", "rooms:detail", "rooms:book"]
NUMBER_VIEWS = ["rooms:booking_detail", "rooms:booking_ics", "rooms:booking_cancel"]


@pytest.mark.parametrize("language", ["de", "en", "ar"])
@pytest.mark.parametrize("prefix", ["/", "/portal/"])
def test_a_link_of_each_row_is_what_reverse_gives(language, prefix):
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            for name in SLUG_VIEWS:
                link = link_maker(name)
                for slug in ("saal", "strassen-fussball_2026", "a"):
                    assert link(slug) == reverse(name, args=[slug])
            for name in NUMBER_VIEWS:
                link = link_maker(name, number=True)
                for pk in (1, 42, 2**31 - 1):
                    assert link(pk) == reverse(name, args=[pk])
    finally:
        set_script_prefix("/")


def test_a_view_that_takes_no_such_argument_is_refused():
    with pytest.raises(NoReverseMatch):
        link_maker("rooms:list", number=True)
