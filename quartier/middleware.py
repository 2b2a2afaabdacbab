import re

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


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


class StaffMFAMiddleware:
    """Staff reach the admin and the staff pages only once two-factor authentication is set up for their account.

    Logging in then asks for the authenticator code (allauth's MFA stage); a staff account without an
    authenticator is sent to set one up, whatever page of the staff area it asked for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff and self.in_staff_area(request.path):
            if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
                messages.warning(request, _("Staff accounts need two-factor authentication. Please set up an "
                                            "authenticator app first; then the staff pages open."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def in_staff_area(path: str) -> bool:
        return any(re.match(pattern, path) for pattern in settings.STAFF_AREA_PATHS)
