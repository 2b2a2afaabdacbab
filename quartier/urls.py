from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from . import views
from .api import api

admin.site.site_header = _("Quartier administration")
admin.site.site_title = _("Quartier administration")
admin.site.index_title = _("Office")

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
    path("api/v1/", api.urls),
    path("i18n/setlang/", views.set_language, name="set_language"),  # Django's, and the profile's language
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("ping/", views.ping, name="ping"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG and not settings.S3_BUCKET:  # with S3 the object store serves uploads
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = "quartier.views.bad_request"
handler403 = "quartier.views.permission_denied"
handler404 = "quartier.views.page_not_found"
handler500 = "quartier.views.server_error"
