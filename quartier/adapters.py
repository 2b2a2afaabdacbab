import ipaddress

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from . import mail
from .staff import has_office_powers


class AccountAdapter(DefaultAccountAdapter):
    """Log-in switches the portal to the user's preferred language, the first one leads to the welcome page;
    allauth's mails go through quartier.mail; failed logins are counted per address and account."""

    def get_client_ip(self, request) -> str:
        """allauth's rule (the TRUSTED_PROXY_COUNT-th address from the right of X-Forwarded-For, else
        REMOTE_ADDR), but a header shorter than the proxy chain means the direct peer, not a 500."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            return request.META["REMOTE_ADDR"]

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys its "five wrong passwords" limit by the login alone: anyone could lock any account,
        # the office's included. Keyed by address and login, an attacker locks out only her own address.
        return f"{client_address(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"

    def login(self, request, user):
        # The first login of an account (after confirming the address at sign-up) leads to the welcome page.
        request.quartier_first_login = user.last_login is None
        super().login(request, user)

    def get_signup_redirect_url(self, request):
        return reverse("welcome")  # where the login after confirming the address leads

    def get_login_redirect_url(self, request):
        if getattr(request, "quartier_first_login", False):
            return reverse("welcome")
        return super().get_login_redirect_url(request)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        if user.language in dict(settings.LANGUAGES):
            translation.activate(user.language)
            set_language_cookie(response, user.language)
        return response

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails go through quartier.mail like every other: in the account's language (else the language
        of the page the request came from), queued in the request's transaction, sent by the worker."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        mail.send(
            mail.user_for_address(email) or email,
            f"{template_prefix}_message.txt",
            ctx,
            subject_template=f"{template_prefix}_subject.txt",
            html_template=f"{template_prefix}_message.html",
            language=translation.get_language(),
        )


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class MFAAdapter(DefaultMFAAdapter):
    """Accounts with office powers keep their authenticator: removing it would leave them without the second
    factor they must use (another authenticator replaces it only after this one is gone, via the admin)."""

    def can_delete_authenticator(self, authenticator) -> bool:
        return not has_office_powers(authenticator.user)


def client_address(request) -> str:
    """The address the portal's rate limits count by: the client's as allauth's limits see it, an IPv6
    address shortened to its /64 network (one household's or one attacker's many addresses are one)."""
    address = ipaddress.ip_address(get_adapter(request).get_client_ip(request))
    if address.version == 6:
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False).network_address)
    return str(address)
