from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Office

# The main navigation: each entry appears once its app provides the page (URL name).
MAIN_NAVIGATION = [
    ("initiatives:list", _("Initiatives")),
    ("rooms:list", _("Rooms")),
    ("events:list", _("Events")),
    ("events:conferences", _("District conference")),
    ("initiatives:volunteering", _("Get involved")),
]


def _navigation(request):
    items = []
    for name, label in MAIN_NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items


def portal(request):
    """The office record (header, footer) and the main navigation, on every page."""
    return {"office": Office.load(), "main_navigation": _navigation(request)}
