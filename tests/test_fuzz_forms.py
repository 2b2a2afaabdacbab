"""Hostile and random input to every form of the portal, found by reading the pages themselves.

For each URL of the authorization matrix, the test opens the page as the first role that may see it
(owner, lead, staff, anonymous), finds its forms in the HTML (fields of inputs, selects and textareas, the
formset management fields included) and sends them, many times, values from a hostile set (very long
strings, control characters, HTML/JS, SQL fragments, odd Unicode, out-of-range numbers and dates) or
random text. The portal must never answer with a server error, and nothing it stores may break the model's
own validation: every row that passed `full_clean()` before still does, and every new row does.
"""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_authorization import MATRIX, ROLES, _args, world  # noqa: F401  (fixtures)

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE rooms_booking; --",
    "' OR '1'='1",
    "\u202eevil\u202c",
    "😀" * 300,
    "ＡＢＣ",
    "İı",
    "ß" * 500,
    "-1",
    "0",
    "-0",
    "1e400",
    "NaN",
    "Infinity",
    "99999999999999999999999",
    "0.001",
    "1,5",
    "1.000.000,00",
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "31.12.1899",
    "24:00",
    "25:61",
    "23:59:60",
    "\r\n\t",
    "{{ 7*7 }}",
    "{% debug %}",
    "%s%s%n",
    "../../etc/passwd",
    "null",
    "true",
    "[]",
    "{}",
    "javascript:alert(1)",
    "mailto:a@b",
    "a@b",
    "@",
    "on",
    "-",
    "=1+2",
    "\ud7ff",
    "\ufeff",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
OWN_APPS = {"quartier", "rooms", "events", "initiatives", "fund", "volunteers"}
SKIP = {
    "account_logout",
    "set_language",
    "delete_account",  # ends the session the test works with
    "mfa_deactivate_totp",
    "mfa_generate_recovery_codes",
    "mfa_activate_totp",  # covered by test_mfa
}
SKIP_FIELDS = {"csrfmiddlewaretoken"}


class FormFinder(HTMLParser):
    """The forms of a page: method, action and field names, with the options of each select."""

    def __init__(self):
        super().__init__()
        self.forms, self._select = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"), "fields": {}}
            )
        elif self.forms and tag in {"input", "textarea", "select"} and attrs.get("name"):
            if attrs.get("type") in {"submit", "button", "image", "reset"} or attrs["name"] in SKIP_FIELDS:
                return
            kind = "file" if attrs.get("type") == "file" else tag
            self.forms[-1]["fields"].setdefault(
                attrs["name"], {"kind": kind, "options": [], "value": attrs.get("value", "")}
            )
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self._select and self.forms:
            self.forms[-1]["fields"][self._select]["options"].append(attrs.get("value", ""))


def _forms(html: str) -> list[dict]:
    """The page's own forms: not the language switch or the log-out button every page carries."""
    finder = FormFinder()
    finder.feed(html)
    elsewhere = (reverse("set_language"), reverse("account_logout"))
    return [form for form in finder.forms if form["fields"] and not (form["action"] or "").startswith(elsewhere)]


def _role_for(name: str) -> str | None:
    got = MATRIX[name][0]
    for role in ("owner", "lead", "staff", "anonymous"):
        if got[ROLES.index(role)] == 200:
            return role
    return None


FORM_PAGES = sorted(name for name in MATRIX if name not in SKIP and _role_for(name))


def _invalid_rows() -> set[tuple[str, object]]:
    """Every row of the portal's own models that fails its model validation (unique checks aside)."""
    invalid = set()
    for model in apps.get_models():
        if model._meta.app_label not in OWN_APPS:
            continue
        for row in model._default_manager.all():
            try:
                row.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError:
                invalid.add((model._meta.label, row.pk))
    return invalid


def _value(draw, field):
    if field["kind"] == "select" and field["options"] and draw(st.booleans()):
        return draw(st.sampled_from(field["options"]))
    if field["kind"] == "file":
        return None
    return draw(VALUES)


def _fuzz(client, url, forms, name) -> None:
    @settings(
        derandomize=True,
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def send_anything(data):
        form = data.draw(st.sampled_from(forms))
        values = {}
        for field_name, field in form["fields"].items():
            if data.draw(st.integers(0, 9)) == 0:
                continue  # a missing field is hostile too
            value = _value(data.draw, field)
            if value is not None:
                values[field_name] = value
        target = form["action"] or url
        send = client.post if form["method"] == "post" else client.get
        response = send(target, values)
        assert response.status_code < 500, (name, form["method"], target, values)

    send_anything()


@pytest.mark.django_db
def test_every_form_of_the_portal_survives_hostile_input(world, django_capture_on_commit_callbacks):  # noqa: F811
    fuzzed, passed_over = [], {}
    # The rows that fail their own validation before any page is fuzzed: each page's examples are rolled back, so
    # this set holds for every page (a row broken by merely opening a page would count against that page).
    before = _invalid_rows()
    for name in FORM_PAGES:
        role = _role_for(name)
        client = Client()
        if role != "anonymous":
            client.force_login(world["users"][role])
        url = reverse(name, args=_args(name, world))
        page = client.get(url)
        if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
            passed_over[name] = page.status_code  # feeds and downloads: the matrix covers them
            continue
        forms = _forms(page.content.decode())
        if not forms:
            passed_over[name] = "no form"
            continue
        # Each page is fuzzed on the same world: what one page's examples changed (a lead stepping down, an
        # event moved) is rolled back before the next page, so no page's outcome depends on another's.
        with transaction.atomic():
            with django_capture_on_commit_callbacks(execute=True):
                _fuzz(client, url, forms, name)
            stored = _invalid_rows() - before
            transaction.set_rollback(True)
        assert not stored, f"{name}: rows stored that their own model validation refuses: {sorted(stored)[:5]}"
        fuzzed.append(name)
    print(f"{len(fuzzed)} pages with forms fuzzed: {fuzzed}")
    assert len(fuzzed) >= 37, f"passed over: {passed_over}"  # the forms were really found
