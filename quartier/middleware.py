import functools
from urllib.parse import urlencode

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .staff import has_authenticator, has_office_powers, passed_second_factor, record_second_factor


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: no browser features the portal does not use."""

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the headers of the settings' policy built once per process instead of on
    every response (they cost a fifth of a bare response). A response with a policy of its own (django-csp's
    decorators), a page that used a nonce, or DEBUG go through django-csp unchanged."""

    OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")

    def process_response(self, request, response):
        own = any(hasattr(response, name) or hasattr(response, f"{name}_ro") for name in self.OWN_POLICY)
        if own or settings.DEBUG or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        for header, (policy, excluded) in zip((HEADER, HEADER_REPORT_ONLY), _settings_policies(), strict=True):
            if policy and header not in response and not request.path_info.startswith(excluded):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # as django-csp: none after this
        return response


@functools.cache
def _settings_policies() -> tuple[tuple[str, tuple], tuple[str, tuple]]:
    """((header, excluded path prefixes), the same for report-only) of the settings' policies."""
    policies = []
    for name, report_only in (("CONTENT_SECURITY_POLICY", False), ("CONTENT_SECURITY_POLICY_REPORT_ONLY", True)):
        excluded = tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
        policies.append((build_policy(report_only=report_only), excluded))
    return tuple(policies)


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


class OfficeTwoFactorMiddleware:
    """An account with office powers opens no page until this session has passed the second factor.

    Decided by the account's powers (quartier.staff), not by a list of paths: whatever it asks for, a
    password-only session of such an account is sent to type its authenticator code (or, without an
    authenticator yet, to set one up). Only the views that lead there, out (log-out) or are no one's data
    stay open; a view can declare itself so with `@second_factor_not_required`.
    """

    # allauth's own views on the way to the second factor (URL names, not paths).
    OPEN_VIEWS = {
        "account_logout",
        "account_login",
        "account_reauthenticate",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_activate_totp",
        "set_language",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "activating_second_factor", False) and has_authenticator(request.user):
            # The authenticator app was set up in this request, with a valid code typed: that is this session's
            # second factor (allauth records one only at log-in).
            record_second_factor(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or passed_second_factor(request):
            return None
        if getattr(view_func, "second_factor_not_required", False):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.OPEN_VIEWS:
            if match.url_name == "mfa_activate_totp" and request.method == "POST" and not has_authenticator(user):
                request.activating_second_factor = True
            return None
        if not has_office_powers(user):
            return None
        if has_authenticator(user):
            messages.warning(
                request,
                _("Your account has office rights. Please confirm it is you with the code of your authenticator app."),
            )
            target = "mfa_reauthenticate"
        else:
            messages.warning(
                request,
                _(
                    "Staff accounts need two-factor authentication. Please set up an "
                    "authenticator app first; then the staff pages open."
                ),
            )
            target = "mfa_activate_totp"
        url = reverse(target)
        if target == "mfa_reauthenticate" and request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})  # back to the page, once confirmed
        return redirect(url)


def second_factor_not_required(view_func):
    """Marks a view that an office account may open before it has passed the second factor."""
    view_func.second_factor_not_required = True
    return view_func


class CorsMiddleware:
    """Any web page may read the open data: GET/HEAD answers under /api/ allow every origin, and a preflight
    (OPTIONS, e.g. for If-None-Match) is answered for GET only. Nothing else of the portal is shared.
    HEAD is answered here as GET without the body (the routes declare GET only, as the OpenAPI document says)."""

    PREFIX = "/api/"
    EXPOSED = "ETag, Last-Modified, Link, Retry-After"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since, Accept"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method == "HEAD":  # the routes are GET only: HEAD is the GET answer without its body
            request.method = "GET"
            response = self.get_response(request)
            request.method = "HEAD"
            if not getattr(response, "streaming", False):
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        else:
            response = self.get_response(request)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = self.EXPOSED
        return response
