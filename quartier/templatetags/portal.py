"""Shared template filters of the portal."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from quartier import chrome, content_languages, legal_defaults, money
from quartier.formats import writer
from quartier.template_values import escaped
from quartier.templatetags.portal_dates import localizer

register = template.Library()

# Each interface language named in itself, as the language switch shows it. Django's own names differ where
# they would look odd in a row of buttons: Arabic with a shadda (العربيّة), Bulgarian and Polish in lower case.
LOCAL_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "bg": "Български",
    "ro": "Română",
    "pl": "Polski",
    "uk": "Українська",
}


@register.filter
def amount(value) -> str:
    """The number of an amount in the page's language, grouped: 1.234,56 (the "€" stays in the template's text)."""
    return "" if value in (None, "") else money.amount_text(value)


@register.filter
def legal_text(text: str, office) -> str:
    """Render a legal text: office placeholders filled, "## " lines as headings, blank lines as paragraphs.

    Everything is escaped: staff write plain text, never HTML.
    """
    text = legal_defaults.fill(text, office)
    parts = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            parts.append(format_html("<h2>{}</h2>", lines[0][3:].strip()))
            lines = lines[1:]
        if lines:
            body = mark_safe("<br>".join(conditional_escape(line) for line in lines))  # noqa: S308 escaped
            parts.append(format_html("<p>{}</p>", body))
    return format_html_join("\n", "{}", ((part,) for part in parts))


@register.filter
def json_ld(data) -> str:
    """Structured data (schema.org) as a JSON-LD block: a data block, not a script, so the CSP lets it be;
    <, > and & are escaped as in `json_script`, so no text inside can end the element."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag
def content(obj, field: str, form: str = "inline") -> str:
    """A text entered by staff or leads (quartier/content_languages.py) in the page's language; German where that
    version is missing, marked as German (``lang="de"`` and a small note), so that screen readers pronounce it right.

    ``form``: "inline" (a title, a short text, also inside a heading, a link or a line-preserving paragraph) or
    "legal" (a legal page: ``legal_text``, as blocks; ``obj`` is the office).
    """
    language, text = content_languages.shown(obj, field)
    text = text or ""
    body = legal_text(text, obj) if form == "legal" else conditional_escape(text)
    if not text or language == content_languages.get_language():
        return body
    attributes = format_html_join(" ", '{}="{}"', content_languages.language_attributes(language).items())
    note = gettext("in %(language)s") % {"language": content_languages.language_name(language)}
    if form == "inline":
        return format_html('<span {}>{}</span> <small class="content-language">({})</small>', attributes, body, note)
    return format_html('<div {}>{}</div><p class="content-language">({})</p>', attributes, body, note)


@register.inclusion_tag("quartier/includes/bar_chart.html")
def bar_chart(figure, key: str, number: int, public: bool = False):
    """A horizontal bar chart of a figure's breakdown as inline SVG (no script, no other host), with its name and a
    description that reads every bar; the table beside it carries the same numbers."""
    from quartier.report import CHART_LABEL_WIDTH, CHART_ROW, bars

    rows = figure.public_rows() if public else figure.rows
    chart = bars(figure, rows)
    return {
        "figure": figure,
        "id": f"{key}-chart-{number}",
        "bars": chart,
        "height": CHART_ROW * len(chart) + 4,
        "bar_x": CHART_LABEL_WIDTH,
        "description": "; ".join(f"{bar.label}: {bar.text}" for bar in chart),
    }


@register.filter
def ltr(value) -> str:
    """Text that reads left to right whatever the page's direction (times "18:00–20:00", phone numbers, e-mail
    addresses, amounts, Latin room names), isolated so that an Arabic sentence around it keeps its order."""
    if value in (None, ""):
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The page's header (includes/site_header.html), rendered once per process for each way it looks."""
    return chrome.render_part(context, "header")


@register.simple_tag(takes_context=True)
def site_assets(context) -> str:
    """The page's style sheet, icon and script links (includes/site_assets.html), looked up once per process."""
    return chrome.render_part(context, "assets")


@register.simple_tag(takes_context=True)
def site_footer(context) -> str:
    """The page's footer (includes/site_footer.html), rendered once per process per language and office."""
    return chrome.render_part(context, "footer")


@register.simple_tag
def interface_languages() -> list[dict]:
    """The languages of the header's switch: code, own name, direction, and whether it is the page's."""
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": LOCAL_NAMES.get(code) or translation.get_language_info(code)["name_local"],
            "bidi": code in settings.LANGUAGES_BIDI,
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag
def time_span(starts_at, ends_at, name: str = "WEEKDAY_DATETIME_FORMAT") -> str:
    """ "Mittwoch, 02.12.2026, 18:00–20:00" in the page's language (`name`: a format of quartier/formats ending in
    the time), the time range isolated left to right: inside Arabic text "18:00–20:00" would read 20:00–18:00.
    In the portal's time zone, as `{{ value|date }}` shows it: the arguments of a tag come as they are stored (UTC)."""
    return span_writer(name)(starts_at, ends_at)


def span_writer(name: str = "WEEKDAY_DATETIME_FORMAT"):
    """`time_span` as a function of the two times, its formats looked up once: for a list's many spans (the
    event cards, the rows of "My bookings"), in the language active now."""
    whole, clock = get_format(name), get_format("TIME_FORMAT")
    head = whole.removesuffix(clock)
    day_writer, clock_writer = writer(head if head != whole else whole), writer(clock)
    after_day = "" if head != whole else " "

    local = localizer()

    def span(starts_at, ends_at) -> SafeString:
        starts_at, ends_at = local(starts_at), local(ends_at)
        day, start, end = day_writer(starts_at) + after_day, clock_writer(starts_at), clock_writer(ends_at)
        return SafeString(f'{escaped(day)}<bdi dir="ltr">{escaped(start)}–{escaped(end)}</bdi>')

    return span
