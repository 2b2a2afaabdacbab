from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Office
from .staff import has_office_powers

# The main navigation: each entry appears once its app provides the page (URL name).
MAIN_NAVIGATION = [
    ("initiatives:list", _("Initiatives")),
    ("rooms:list", _("Rooms")),
    ("events:list", _("Events")),
    ("events:conferences", _("District conference")),
    ("initiatives:volunteering", _("Get involved")),
    ("fund:home", _("Neighbourhood fund")),
]

# The account menu (beside Profile, E-mail, Password): each entry appears once its app provides the page.
ACCOUNT_NAVIGATION = [
    ("rooms:my_bookings", _("My bookings")),
    ("events:my_registrations", _("My registrations")),
    ("initiatives:my_initiatives", _("My initiatives")),
    ("volunteers:my_allowances", _("My allowances")),
    ("fund:my_applications", _("My applications")),
]


def _navigation(request, entries=MAIN_NAVIGATION):
    items = []
    for name, label in entries:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items


def portal(request):
    """The office record (header, footer) and the main navigation, on every page."""
    # The 503 page (database down) shows the office record only if the cache still holds it.
    office = Office.cached() if getattr(request, "database_unavailable", False) else Office.load()
    context = {"office": office, "main_navigation": _navigation(request)}
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        context["account_navigation"] = _navigation(request, ACCOUNT_NAVIGATION)
        if has_office_powers(request.user):
            context["account_navigation"].append(
                {"url": reverse("dashboard"), "label": _("Staff dashboard"), "current": request.path == "/buero/"}
            )
    return context
