from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import contributions
from .models import Office
from .staff import has_office_powers


def _navigation(request, links) -> list[dict]:
    """The menu entries the apps declare (`navigation`, `account_navigation` in their apps.py)."""
    items = []
    for link in links:
        url = reverse(link.url_name)  # an app declares only its own pages: a wrong name is an error, not hidden
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
