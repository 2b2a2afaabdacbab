"""The header and footer of every page (base.html), rendered once per process for each way they can look.

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
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Stand-ins for the per-request values, unguessable so that no office text can contain them.
CSRF_MARK = f"csrf-{secrets.token_hex(12)}"
NEXT_MARK = f"next-{secrets.token_hex(12)}"
MAX_VARIANTS = 500  # per office instance: languages × visitor kinds × current menu entry stay far below


def _variant(context, part: str) -> tuple[tuple, dict]:
    """(the key, the template's context) of the part as this request sees it."""
    language = translation.get_language()
    common = (part, language, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    values = {"office": context.get("office")}
    if part == "footer":
        return common, values
    request, user = context.get("request"), context.get("user")
    easy_read = reverse("leichte_sprache")
    navigation = context.get("main_navigation") or []
    values.update(
        main_navigation=[{**item, "label": str(item["label"])} for item in navigation],
        at_home=request is not None and request.path == "/",
        at_easy_read=request is not None and request.path == easy_read,
        user={
            "is_authenticated": bool(user and user.is_authenticated),
            "is_staff": bool(user and user.is_authenticated and user.is_staff),
        },
        csrf_token=CSRF_MARK,
        next_path=NEXT_MARK,
    )
    menu = tuple((item["url"], item["label"], item["current"]) for item in values["main_navigation"])
    visitor = tuple(values["user"].values())
    return (*common, menu, values["at_home"], values["at_easy_read"], visitor), values


def render_part(context, part: str) -> SafeString:
    """The page's header ("header") or footer ("footer"), from this process's copy where there is one."""
    key, values = _variant(context, part)
    office = values["office"]
    store = None if office is None or settings.DEBUG else office.__dict__.setdefault("_chrome_parts", {})
    html = store.get(key) if store is not None else None
    if html is None:
        html = get_template(f"includes/site_{part}.html").render(values)
        if store is not None and len(store) < MAX_VARIANTS:
            store[key] = html
    if part == "header":
        request = context.get("request")
        token, path = (get_token(request), escape(request.get_full_path())) if request is not None else ("", "")
        html = html.replace(CSRF_MARK, token).replace(NEXT_MARK, path)
    return mark_safe(html)
