"""The office counter, shared by the apps: staff act for a person without an account (a name, a phone, perhaps an
e-mail address), and what they enter for her joins the account that later confirms that address.

Each app that records such things (rooms: bookings, events: registrations) declares in its `apps.py` which
records join an account, as `counter_claims = [CounterClaim("app.Model", "user field", "address field")]`; one
receiver of allauth's `email_confirmed` (connected in `QuartierConfig.ready`) hands them all over through
`claim_by_address`. A record joins only a *confirmed* address: an unconfirmed one could be anybody's claim.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django import forms
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CounterPerson:
    """Someone served at the office counter without an account: a name, a phone and perhaps an e-mail address."""

    name: str
    phone: str
    email: str = ""


def clean_phone(value: str) -> str:
    """A phone number as people write it (digits, spaces, + - / and brackets), with at least five digits."""
    phone = value.strip()
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 5 or any(not (c.isdigit() or c in "+-/() ") for c in phone):
        raise forms.ValidationError(_("Please enter a phone number, for example 0231 123456."))
    return phone


class CounterPersonForm(forms.Form):
    """Who is served at the counter: a name, a phone and perhaps an e-mail address (then the confirmation goes by
    mail, and what is entered joins her account once she signs up with it)."""

    name = forms.CharField(
        label=_("Name of the person"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("Phone of the person"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter the person's name."))
        return name

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def counter_person(self) -> "CounterPerson":
        data = self.cleaned_data
        return CounterPerson(data["name"], data["phone"], data.get("email", ""))


class Addressee:
    """A person without an account as a mail's `recipient`: greeted by the name she gave at the counter."""

    def __init__(self, name: str):
        self.name = self.display_name = name

    def get_short_name(self) -> str:
        return self.name


class CounterClaim(NamedTuple):
    """Records of `model` whose `user_field` is empty join the account that confirms their `email_field`."""

    model: str
    user_field: str
    email_field: str


def account_with_address(email: str):
    """The account that has confirmed this address, if any."""
    from allauth.account.models import EmailAddress

    if not email:
        return None
    address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    return address.user if address else None


def claim_by_address(claim: CounterClaim, *, user, email: str) -> int:
    """The records of one kind made at the counter for this address join `user`; returns how many."""
    if not email:
        return 0
    model = apps.get_model(claim.model)
    unclaimed = model.objects.filter(**{f"{claim.user_field}__isnull": True, f"{claim.email_field}__iexact": email})
    try:
        with transaction.atomic():
            return unclaimed.update(**{claim.user_field: user})
    except IntegrityError:
        # One of them clashes with a rule of the model (she registered online for the same event meanwhile): the
        # others join, that one stays as the counter entered it.
        claimed = 0
        for pk in unclaimed.values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    claimed += model.objects.filter(pk=pk).update(**{claim.user_field: user})
            except IntegrityError:
                continue
        return claimed


def declared_claims() -> list[CounterClaim]:
    return [claim for config in apps.get_app_configs() for claim in getattr(config, "counter_claims", ())]


def claim_all(*, user, email: str) -> int:
    """Everything the counter entered for this address joins `user`, in every app."""
    return sum(claim_by_address(claim, user=user, email=email) for claim in declared_claims())


def claim_on_confirmation(sender, request, email_address, **kwargs) -> None:
    """allauth's email_confirmed: a confirmed address takes over what the counter entered for it."""
    claim_all(user=email_address.user, email=email_address.email)


# --- The printable confirmation (rooms and events alike) ------------------------------------------------------
PAPER_SIZES = ("A4", "A5")


def paper_size(request) -> str:
    """The paper of a printable confirmation: ``?format=A5``, else A4."""
    paper = request.GET.get("format", "A4").upper()
    return paper if paper in PAPER_SIZES else "A4"


def confirmation_pdf(request, template: str, context: dict, filename: str):
    """The confirmation as a PDF download, rendered from the same context as its page, with the print rules of
    css/door.css inline (a PDF fetches nothing)."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from .exports import as_download, pdf_from_html, stylesheet

    context["stylesheet"] = mark_safe(stylesheet("css/door.css"))  # our own file, read from disk
    response = HttpResponse(pdf_from_html(render_to_string(template, context, request)), content_type="application/pdf")
    return as_download(response, filename)
