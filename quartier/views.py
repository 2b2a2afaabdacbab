import logging
import sys
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.i18n import set_language as django_set_language

from . import contributions, leichte_sprache, privacy, report
from .adapters import set_language_cookie
from .caching import cached_fragment
from .content_languages import language_attributes
from .exports import as_download, csv_amount, csv_download, pdf_from_html
from .forms import DeleteAccountForm, ProfileForm, ReportPeriodForm
from .models import Office
from .staff import has_office_powers, is_office_staff

logger = logging.getLogger(__name__)

LEGAL_PAGES = {
    "imprint": ("imprint", "Impressum"),
    "privacy": ("privacy", "Datenschutzerklärung"),
    "accessibility": ("accessibility", "Erklärung zur Barrierefreiheit"),
}


def _home_sections(request) -> list[str]:
    """The highlights the apps declare (`home_sections` in their apps.py, quartier/contributions.py)."""
    return [html for section in contributions.home_sections() if (html := section(request))]


@require_safe
def home(request):
    # The apps' highlights are one cached fragment; the office's own parts are rendered each time. A highlight
    # shows an app's records, not what concerns one of them (a booking, a registration): "<app>:shared".
    topics = [f"{label}:shared" for label in contributions.home_section_labels()]
    sections = cached_fragment(request, topics=topics, render=lambda: "".join(_home_sections(request)))
    return render(request, "quartier/home.html", {"sections": sections})


@require_safe
def open_data(request):
    """The documentation of the open-data API for people: every address, filter and field, and the licence."""
    from django.conf import settings

    from .api import api
    from .opendata import FRESHNESS, MAX_PAGE_SIZE, documentation

    operations, envelope = documentation(api.get_openapi_schema())
    context = {
        "operations": operations,
        "envelope": envelope,
        "api_root": settings.SITE_URL.rstrip("/") + reverse("api:api-root"),
        "openapi_url": reverse("api:openapi-json"),
        "rate_limit": settings.API_RATE_LIMIT,
        "max_page_size": MAX_PAGE_SIZE,
        "freshness_minutes": FRESHNESS // 60,
    }
    return render(request, "quartier/open_data.html", context)


@require_safe
def ping(request):
    """The lightest page of the portal: the base template (header, navigation, footer) and a heading.
    The load benchmark (bench/load.py) measures every other page against it."""
    return render(request, "quartier/ping.html")


@require_safe
def ping_bare(request):
    """A plain response through the full middleware, no template, no query: the floor of what any request
    costs, which the load benchmark (bench/load.py) reports every page against. Linked from nowhere."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico even where a page links its icon: answer with the site's icon."""
    return redirect(static("img/favicon.svg"), permanent=True)


@require_safe
def legal_page(request, page: str):
    field, title = LEGAL_PAGES[page]
    office = Office.load()
    context = {"title": title, "office": office, "field": field, "text": getattr(office, field), "page": page}
    return render(request, "quartier/legal.html", context)


LEICHTE_SPRACHE_NOTE = gettext_noop("This page is in Leichte Sprache, easy-to-read German.")


def _leichte_sprache_note(interface: str) -> dict | None:
    """The sentence that says, in the interface language, that the page is German. A catalogue that lacks it would
    give the German one (Django falls back to LANGUAGE_CODE): then English, which more readers share."""
    if interface == settings.LANGUAGE_CODE:
        return None
    language = interface
    with translation.override(language):
        text = _(LEICHTE_SPRACHE_NOTE)
    with translation.override(settings.LANGUAGE_CODE):
        if text == _(LEICHTE_SPRACHE_NOTE):
            language, text = "en", LEICHTE_SPRACHE_NOTE
        return {"text": text, "attributes": language_attributes(language)}  # lang, and dir against the German page


@require_safe
def leichte_sprache_page(request):
    """The portal in Leichte Sprache, the office's text: German whatever the interface language (the whole page, so
    that `lang` is right everywhere); in another interface language one sentence in it says so."""
    note = _leichte_sprache_note(translation.get_language())
    with translation.override(settings.LANGUAGE_CODE):
        office = Office.load()
        video = office.sign_language_video
        sections = leichte_sprache.sections(office.leichte_sprache, office)
        intro = sections.pop(0) if sections and not sections[0].heading else None
        context = {
            "office": office,
            "intro": intro,
            "sections": sections,
            "note": note,
            "video_type": "video/webm" if video and video.name.endswith(".webm") else "video/mp4",
        }
        response = render(request, "quartier/leichte_sprache.html", context)
    response.headers["Content-Language"] = settings.LANGUAGE_CODE
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("profile")
        set_language_cookie(response, user.language)
        return response
    return render(request, "quartier/profile.html", {"form": form})


def set_language(request):
    """The header's language switch (Django's `set_language`); for a logged-in person it is also the profile's
    language, so the next login and every mail to her keep it."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response


@login_required
@never_cache
@require_safe
def dashboard(request):
    """The staff's start page: what waits for a decision, today's and tomorrow's rooms, events, caps, reports."""
    if not has_office_powers(request.user):
        raise PermissionDenied
    # Each section shows only what the person's permissions cover (a treasurer sees the allowances, not rooms).
    sections = [html for section in contributions.dashboard_sections() if (html := section(request))]
    context = {"sections": sections, "annual_report": is_office_staff(request.user)}
    return render(request, "quartier/dashboard.html", context)


def _report_period(request):
    form = ReportPeriodForm(request.GET or None)
    return form, form.period(timezone.localdate())


@login_required
@never_cache
@require_safe
def annual_report(request):
    """The annual report (Jahresbericht) for a year or any period: every app's figures with its counting rules."""
    if not is_office_staff(request.user):
        raise PermissionDenied
    form, period = _report_period(request)
    context = {"form": form, "period": period, "sections": report.report(period), "query": request.GET.urlencode()}
    return render(request, "quartier/annual_report.html", context)


@login_required
@never_cache
@require_safe
def annual_report_file(request, kind: str):
    """The annual report to attach to the funder's report: PDF (the page's HTML), CSV or spreadsheet."""
    if not is_office_staff(request.user):
        raise PermissionDenied
    _form, period = _report_period(request)
    sections = report.report(period)
    title = _("Annual report %(period)s") % {"period": period.label()}
    label = _("annual report")  # outside the f-string: xgettext reads no f-strings
    name = slugify(f"{label} {period.start:%Y-%m-%d} {period.end:%Y-%m-%d}")
    if kind == "csv":
        response, writer = csv_download(f"{name}.csv", report.header())
        for row in report.table_rows(sections):
            writer.writerow([csv_amount(cell) if isinstance(cell, Decimal) else cell for cell in row])
        return response
    if kind == "xlsx":
        response = HttpResponse(
            report.xlsx(sections, title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        html = render_to_string("quartier/annual_report_pdf.html", {"period": period, "sections": sections}, request)
        response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    as_download(response, f"{name}.{kind}")
    return response


@require_safe
def district_figures(request):
    """Der Stadtteil in Zahlen: the figures that are public by nature, as charts and tables, none about a few."""
    form, period = _report_period(request)

    def figures() -> str:
        context = {"sections": report.public_report(period), "min_group": report.MIN_GROUP}
        return render_to_string("quartier/includes/district_figures_body.html", context, request)

    # Some thirty aggregate queries: cached while no app's data changes (the rules say "as of" today: per day).
    body = cached_fragment(request, topics=contributions.cache_labels(), render=figures, vary=[timezone.localdate()])
    context = {"form": form, "period": period, "body": body, "min_group": report.MIN_GROUP}
    return render(request, "quartier/district_figures.html", context)


@login_required
@require_safe
def welcome(request):
    """After the first login: what one can do here and where one's own data and settings are."""
    return render(request, "quartier/welcome.html")


@login_required
@require_safe
def my_data(request):
    """Meine Daten: what the portal keeps, the JSON download, and the way to delete the account."""
    return render(request, "quartier/my_data.html")


@login_required
@never_cache
@require_safe
def my_data_download(request):
    """Everything the portal holds about the person as one JSON file (DSGVO Art. 15 and 20)."""
    data = privacy.export_data(request.user)
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2})
    stamp = timezone.localdate().isoformat()
    as_download(response, f"quartier-{stamp}.json")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Konto löschen: after the password, the data goes and the person is logged out (DSGVO Art. 17)."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        privacy.delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted. Thank you for having been part of it."))
        return redirect("home")
    return render(request, "quartier/delete_account.html", {"form": form})


# How long the load balancer and browsers should wait before asking again while the database is down.
RETRY_AFTER_SECONDS = 30


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers (the cache "ok", or "degraded" while the portal runs without Redis),
    503 with Retry-After when it does not (for the load balancer)."""
    cache_status = getattr(cache, "status", lambda: "local")()  # "local": no Redis configured
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        response = JsonResponse({"status": "unavailable", "database": False, "cache": cache_status}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    status = "degraded" if cache_status == "degraded" else "ok"
    return JsonResponse({"status": status, "database": True, "cache": cache_status})


def _error(request, status: int, template: str):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "404.html")


def server_error(request):
    """The 500 page in the portal's design; if even that fails (database down), a bare page. An unreachable
    database is not our error: the 503 page instead."""
    if _database_unavailable(sys.exception()):
        return service_unavailable(request)
    try:
        return _error(request, 500, "500.html")
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        logger.exception("Rendering the 500 page failed")
        html = loader.get_template("500_plain.html").render({})
        return HttpResponse(html, status=500)


def _database_unavailable(error: BaseException | None) -> bool:
    """Whether the error (or one it came from) says the database cannot be reached or used right now."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request):
    """503 while the database is down: the portal's design from what needs no database (an anonymous
    visitor, the office record only if the cache holds it), else a bare page; with Retry-After."""
    request.user = AnonymousUser()  # the session and the user are in the database
    request.database_unavailable = True  # the context processor reads the office from the cache only
    try:
        response = render(request, "503.html", {"messages": ()}, status=503)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        logger.warning("Rendering the 503 page in the portal's design failed; the bare one instead", exc_info=True)
        response = HttpResponse(loader.get_template("503_plain.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
