from django.conf import settings
from django.contrib import admin
from django.urls import URLResolver, include, path
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from . import views

admin.site.site_header = _("Quartier administration")
admin.site.site_title = _("Quartier administration")
admin.site.index_title = _("Office")


class DeferredResolver(URLResolver):
    """An include whose URLconf (a dotted path) is imported when it is first needed: a request under its route
    (resolving reads its patterns), a name of its namespace reversed (Django's reverse reads them), a system check.
    Django's own URLResolver would be imported by the first reverse() of any name, as the portal's reverse tables
    are built: its namespace is recorded there without its patterns, which its own reverse table holds."""

    def _populate(self):
        if "urlconf_module" in self.__dict__:  # imported (a cached_property): Django's reverse table of it
            super()._populate()


def api_routes(route: str) -> URLResolver:
    """The open-data API (quartier/api_urls.py) under `route`, in its namespace "api", imported when a request
    asks for an address under `route` or code reverses a name of "api:", not before: django-ninja and pydantic
    are some 13 MB of every worker's memory, which the workers that serve only the portal's pages do without.
    A router that does not import still fails every request of the API, every `reverse("api:…")` and
    `manage.py check` (which CI and every deployment's migrate run), never quietly."""
    return DeferredResolver(
        RoutePattern(route, is_endpoint=False), "quartier.api_urls", app_name="ninja", namespace="api"
    )


urlpatterns = [
    path("", views.home, name="home"),
    path("impressum/", views.legal_page, {"page": "imprint"}, name="imprint"),
    path("datenschutz/", views.legal_page, {"page": "privacy"}, name="privacy"),
    path("barrierefreiheit/", views.legal_page, {"page": "accessibility"}, name="accessibility"),
    path("leichte-sprache/", views.leichte_sprache_page, name="leichte_sprache"),
    path("initiativen/", include("initiatives.urls")),
    path("raeume/", include("rooms.urls")),
    path("veranstaltungen/", include("events.urls")),
    path("ehrenamt/", include("volunteers.urls")),
    path("buero/", views.dashboard, name="dashboard"),
    path("buero/jahresbericht/", views.annual_report, name="annual_report"),
    path("buero/jahresbericht/jahresbericht.pdf", views.annual_report_file, {"kind": "pdf"}, name="annual_report_pdf"),
    path("buero/jahresbericht/jahresbericht.csv", views.annual_report_file, {"kind": "csv"}, name="annual_report_csv"),
    path(
        "buero/jahresbericht/jahresbericht.xlsx", views.annual_report_file, {"kind": "xlsx"}, name="annual_report_xlsx"
    ),
    path("stadtteil-in-zahlen/", views.district_figures, name="district_figures"),
    path("quartiersfonds/", include("initiatives.fund.urls")),
    path("konto/willkommen/", views.welcome, name="welcome"),
    path("konto/profil/", views.profile, name="profile"),
    path("konto/meine-daten/", views.my_data, name="my_data"),
    path("konto/meine-daten/download/", views.my_data_download, name="my_data_download"),
    path("konto/loeschen/", views.delete_account, name="delete_account"),
    path("konto/", include("allauth.urls")),
    path("offene-daten/", views.open_data, name="open_data"),
    api_routes("api/v1/"),
    path("i18n/setlang/", views.set_language, name="set_language"),  # Django's, and the profile's language
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("ping/", views.ping, name="ping"),
    path("ping/bare/", views.ping_bare, name="ping_bare"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG and not settings.S3_BUCKET:  # with S3 the object store serves uploads
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = "quartier.views.bad_request"
handler403 = "quartier.views.permission_denied"
handler404 = "quartier.views.page_not_found"
handler500 = "quartier.views.server_error"
