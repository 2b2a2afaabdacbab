import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from . import contributions
from .models import Office
from .staff import has_office_powers


@functools.cache
def navigation_url(url_name: str, script_prefix: str, urlconf) -> str:
    """A page's address, reversed once per process (per script prefix and URLconf): the menu, the header."""
    return reverse(
        url_name, urlconf=urlconf
    )  # an app declares only its own pages: a wrong name is an error, not hidden


def _navigation(request, links) -> list[dict]:
    """The menu entries the apps declare (`navigation`, `account_navigation` in their apps.py); their addresses
    reversed once per process (per script prefix and URLconf), not on every page."""
    prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    items = []
    for link in links:
        url = navigation_url(link.url_name, prefix, urlconf)
        items.append({"url": url, "label": link.label, "current": request.path.startswith(url)})
    return items


def portal(request):
    """The office record (header, footer) and the main navigation, on every page."""
    # The 503 page (database down) shows the office record only if the cache still holds it.
    office = Office.cached() if getattr(request, "database_unavailable", False) else Office.load()
    context = {"office": office, "main_navigation": _navigation(request, contributions.navigation())}
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        context["account_navigation"] = _navigation(request, contributions.account_navigation())
        if has_office_powers(request.user):
            context["account_navigation"].append(
                {"url": reverse("dashboard"), "label": _("Staff dashboard"), "current": request.path == "/buero/"}
            )
    return context
