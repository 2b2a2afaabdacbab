from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from . import mail


class AccountAdapter(DefaultAccountAdapter):
    """Log-in switches the portal to the user's preferred language; allauth's mails go through quartier.mail."""

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
        mail.send(mail.user_for_address(email) or email, f"{template_prefix}_message.txt", ctx,
                  subject_template=f"{template_prefix}_subject.txt", html_template=f"{template_prefix}_message.html",
                  language=translation.get_language())


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
