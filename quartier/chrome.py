"""The header and footer of every page (base.html), rendered once per process for each way they can look;
the links of its head (style sheet, icon, script: their hashed addresses) once per process.

They are the same on most requests (issue 18: the base template cost three bare responses): what they show
depends on the language, the office record, the visitor's kind (anonymous, logged in, staff) and which menu
entry is the current page, and nothing else. The templates (includes/site_header.html, site_footer.html) get
exactly those values, never `request`; the two per-request values are filled in afterwards: the CSRF token of
the language switch and the logout form, and the page's address (`next` of the language switch).

The rendered parts live on the office instance that `Office.load()` returns, so a changed office record
(a new instance after a save, or after `Office.MEMO_SECONDS`) renders them afresh. With DEBUG (templates
edited while the server runs) nothing is kept.
"""

import secrets

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .context_processors import navigation_url

# Stand-ins for the per-request values, unguessable so that no office text can contain them.
CSRF_MARK = f"csrf-{secrets.token_hex(12)}"
NEXT_MARK = f"next-{secrets.token_hex(12)}"
MAX_VARIANTS = 500  # per office instance: languages × visitor kinds × current menu entry stay far below


def _facts(context, part: str) -> dict:
    """Everything the part shows besides the office record, as this request sees it: its key in this process's
    store, and (with the office and the menu's labels) its template's context."""
    prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    facts = {"part": part, "language": translation.get_language(), "prefix": prefix, "urlconf": urlconf}
    if part == "header":
        request, user = context.get("request"), context.get("user")
        path = request.path if request is not None else None
        logged_in = bool(user is not None and user.is_authenticated)
        facts.update(
            menu=tuple((item["url"], item["current"]) for item in context.get("main_navigation") or ()),
            at_home=path == "/",
            at_easy_read=path == navigation_url("leichte_sprache", prefix, urlconf),
            logged_in=logged_in,
            is_staff=logged_in and user.is_staff,
        )
    return facts


def _values(context, facts: dict) -> dict:
    values = {"office": context.get("office")}
    if facts["part"] == "header":
        values.update(
            main_navigation=[{**item, "label": str(item["label"])} for item in context.get("main_navigation") or ()],
            at_home=facts["at_home"],
            at_easy_read=facts["at_easy_read"],
            user={"is_authenticated": facts["logged_in"], "is_staff": facts["is_staff"]},
            csrf_token=CSRF_MARK,
            next_path=NEXT_MARK,
        )
    return values


def render_part(context, part: str) -> SafeString:
    """The page's header ("header"), footer ("footer") or the style sheet, icon and script links of its head
    ("assets"), from this process's copy where there is one."""
    office = context.get("office")
    store = None if office is None or settings.DEBUG else office.__dict__.setdefault("_chrome_parts", {})
    facts = _facts(context, part)
    key = tuple(facts.values())
    html = store.get(key) if store is not None else None
    if html is None:
        html = get_template(f"includes/site_{part}.html").render(_values(context, facts))
        if store is not None and len(store) < MAX_VARIANTS:
            store[key] = html
    if part == "header":
        request = context.get("request")
        token, path = (get_token(request), escape(request.get_full_path())) if request is not None else ("", "")
        html = html.replace(CSRF_MARK, token).replace(NEXT_MARK, path)
    return mark_safe(html)
