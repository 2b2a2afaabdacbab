"""The open-data API (/api/v1/): one `NinjaAPI` made of the routers the apps declare (`api` in their apps.py,
quartier/contributions.py), read-only, with its OpenAPI description at /api/v1/openapi.json.

django-ninja builds the routes and the OpenAPI document from the same typed schemas, so the description
cannot drift from the answers. No Swagger UI: it would load its scripts from a CDN, which the
Content-Security-Policy forbids; the portal's own page (/offene-daten/, `quartier.views.open_data`) documents
every field instead. A router that does not import fails here, at start-up: no part of the API is skipped.
"""

from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from . import contributions
from .opendata import AddressThrottle

DESCRIPTION = (
    "Read-only open data of the neighbourhood portal: events, rooms and their busy times, the directory of "
    "initiatives, the district conferences' decisions and the projects of the neighbourhood fund. Only what the "
    "portal's public pages show. Times are ISO 8601 in the Europe/Berlin time zone with their offset; amounts "
    "are euros as decimal strings. Every answer names its licence. Documentation: /offene-daten/."
)

api = NinjaAPI(
    title="Quartier open data",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    docs_decorator=require_safe,  # the OpenAPI document: GET and HEAD only
    throttle=[AddressThrottle()],
)
for router in contributions.api_routers():
    api.add_router("", router)
