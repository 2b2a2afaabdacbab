"""Links of one view for the many rows of a list, with one `reverse()` per request instead of one per row.

`reverse()` costs about 30 µs (it matches the arguments against every pattern of the view's name); a page of
20 event cards, or a resident's bookings with three links each, paid it once per link (issue 18). `link_maker`
reverses once with a stand-in argument and returns a function that puts each row's argument in its place, as
`reverse()` would write it. It is for arguments that `reverse()` writes unchanged (ids and slugs: letters,
digits, "-" and "_"); `tests/quartier/test_links.py` compares both for every view that uses it.
"""

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

STAND_IN = "zz-link-stand-in-0"  # matches both <slug:…> and <str:…>; an <int:…> view gets the number below
STAND_IN_NUMBER = 987_654_321_012
SAFE = "!$&'()*+,;=/~:@"  # what `reverse()` leaves unquoted (RFC 3986's sub-delimiters and "/~:@")


def link_maker(viewname: str, *, number: bool = False) -> Callable[[object], str]:
    """A function of one argument (an id with `number=True`, else a slug) that returns the address
    `reverse(viewname, args=[argument])` returns, for the current language and script prefix."""
    stand_in = str(STAND_IN_NUMBER) if number else STAND_IN
    head, found, tail = reverse(viewname, args=[stand_in]).partition(stand_in)
    if not found or stand_in in tail:
        raise ValueError(f"{viewname} does not take its argument as a plain path segment")
    return lambda argument: f"{head}{quote(str(argument), safe=SAFE)}{tail}"


def absolute(path: str) -> str:
    """The portal's address of a path, with its scheme and host (settings.SITE_URL): for the open data, feeds and
    structured data that other sites read."""
    return settings.SITE_URL.rstrip("/") + path
