"""Django's own widget templates (inputs, selects and their options, text areas, radio buttons and check boxes,
labels), rendered in Python with the same output, byte for byte.

A form field renders through three to five small templates, and a select through one more per option: the
conference filter of the decisions page (22 conferences) cost about 3 ms per request in template nodes, the
booking form about 6 ms (issue 18). The functions below are what those templates say, written out; the
renderer (quartier.forms.PortalFormRenderer) uses them only where the template it would load is Django's own
file, so a template of the same name that the project or an app puts in front takes over again by itself.
tests/quartier/test_form_rendering.py renders every widget both ways and compares.

What each template tag does is kept exactly: ``{{ value }}`` is localized and escaped (unless safe), and
``|stringformat:'s'`` escapes unless its input was safe, as the template language does.
"""

import html
from pathlib import Path

import django.forms
from django.forms.models import ModelChoiceIteratorValue
from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

DJANGO_TEMPLATES = Path(django.forms.__file__).resolve().parent / "templates"
PORTAL_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "django" / "forms"


def _show(value) -> str:
    """``{{ value }}``: as the template language renders a variable (local time, localized, escaped). A plain
    or safe string directly (neither a time nor a number: what localizing and the lazy-string check of
    `conditional_escape` would give it, a form renders some 200 of them)."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is SafeString:
        return value
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _as_string(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``%s`` of the value, escaped unless the value was safe."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is SafeString:
        return value
    if kind is int or kind is ModelChoiceIteratorValue:  # an option's value: "%s" of it, escaped, as below
        return html.escape(str(value))
    text = stringformat(value, "s")
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict | None) -> str:
    """django/forms/widgets/attrs.html and django/forms/attrs.html (nothing for None, as the template)."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is not False:
            parts.append(f" {_show(name)}" if value is True else f' {_show(name)}="{_as_string(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_as_string(value)}"' if value != None else ""  # noqa: E711 (the template's `!= None`)
    return f'<input type="{_show(widget["type"])}" name="{_show(widget["name"])}"{shown}{_attrs(widget["attrs"])}>\n'


def _option(render, context, option: dict) -> str:
    """``{% include option.template_name with widget=option %}``."""
    return render(option["template_name"], {**context, "widget": option})


def input_widget(render, context) -> str:
    """text.html, email.html … checkbox.html: an include of input.html."""
    return _input(context["widget"]) + "\n"


def _groups(render, context, *, opens: str, option: str, closes: str) -> str:
    """The loop over `widget.optgroups` of select.html and multiple_input.html: a group's opening (`opens`, with
    its name) and closing text around its options (each put into `option`), none for options without a group."""
    parts = []
    for group, options, _index in context["widget"]["optgroups"]:
        if group:
            parts.append(opens.format(_show(group)))
        parts.extend(option.format(_option(render, context, choice)) for choice in options)
        if group:
            parts.append(closes)
    return "".join(parts)


def select(render, context) -> str:
    widget = context["widget"]
    options = _groups(render, context, opens='\n  <optgroup label="{}">', option="\n  {}", closes="\n  </optgroup>")
    return f'<select name="{_show(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>\n'


def select_option(render, context) -> str:
    widget = context["widget"]
    return f'<option value="{_as_string(widget["value"])}"{_attrs(widget["attrs"])}>{_show(widget["label"])}</option>\n'


def textarea(render, context) -> str:
    widget = context["widget"]
    value = _show(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_show(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


def multiple_input(render, context) -> str:
    """radio.html and checkbox_select.html: an include of multiple_input.html."""
    widget = context["widget"]
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_show(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_show(attrs["class"])}"')
    parts.append(">")
    opens, option = "\n  <div><label>{}</label>", "<div>\n    {}</div>"
    parts.append(_groups(render, context, opens=opens, option=option, closes="\n  </div>"))
    parts.append("\n</div>\n\n")
    return "".join(parts)


def input_option(render, context) -> str:
    """radio_option.html and checkbox_option.html: an include of input_option.html."""
    widget = context["widget"]
    if not widget.get("wrap_label"):
        return _input(widget) + "\n\n"
    id_ = widget["attrs"].get("id")
    label_for = f' for="{_show(id_)}"' if id_ else ""
    return f"<label{label_for}>{_input(widget)} {_show(widget['label'])}</label>\n\n"


def label(render, context) -> str:
    """django/forms/label.html: a field's <label> (or <legend>), or its bare text without an id."""
    if not context.get("use_tag"):
        return f"{_show(context['label'])}\n"
    tag = _show(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_show(context['label'])}</{tag}>\n"


def portal_form(render, context) -> str | None:
    """templates/django/forms/portal.html for a form without a section of translations (ContentFormMixin's forms
    go to the template: None): the error summary, each field in its box, the hidden fields after the last."""
    if "translations" in context or "all_fields" in context:
        return None
    form, fields, hidden, errors = context["form"], context["fields"], context["hidden_fields"], context["errors"]
    parts = []
    if errors or form.errors:
        anchor = "" if form.prefix else ' id="fehler" autofocus'
        title = gettext("Please check your input.")  # as {% translate "literal" %} writes it: not escaped
        parts.append(
            f'\n\n<div class="form-errors" role="alert" tabindex="-1"{anchor}>\n  <h2 class="form-errors__title">'
            f"{title}</h2>\n  {_show(errors) if errors else ''}\n  "
        )
        if fields:
            parts.append("<ul>\n    ")
            for field, field_errors in fields:
                for error in field_errors:
                    link = f"#{_show(field.auto_id)}"
                    parts.append(f'\n    <li><a href="{link}">{_show(field.label)}: {_show(error)}</a></li>\n    ')
            parts.append("\n  </ul>")
        parts.append("\n</div>\n")
    parts.append("\n")
    shown_hidden = "".join(_show(field) for field in hidden)
    for number, (field, field_errors) in enumerate(fields, 1):
        classes = (" field--error" if field_errors else "") + (
            " field--checkbox" if field.widget_type == "checkbox" else ""
        )
        last = shown_hidden if number == len(fields) else ""
        parts.append(f'\n<div class="field{classes}">\n  {_show(field.as_field_group())}\n  {last}\n</div>\n')
    parts.append("\n")
    if not fields:
        parts.append(shown_hidden)
    return "".join(parts) + "\n\n"


def _help(field) -> str:
    """The help text's box of portal_field.html (its text as it is: `|safe`), or nothing."""
    if not field.help_text:
        return ""
    id_ = f' id="{_show(field.auto_id)}_helptext"' if field.auto_id else ""
    return f'<div class="helptext"{id_}>{str(field.help_text)}</div>'


def portal_field(render, context) -> str:
    """templates/django/forms/portal_field.html: a field's label (or legend), help text, errors and widget."""
    field = context["field"]
    errors = _show(field.errors) if field.errors else ""
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{_show(described)}"' if described else ""
        legend = _show(field.legend_tag()) if field.label else ""
        return f"\n<fieldset{described}>\n  {legend}\n  {_help(field)}\n  {errors}\n  {_show(field)}\n</fieldset>\n"
    label = _show(field.label_tag()) if field.label else ""
    if field.widget_type == "checkbox":
        return f'\n{errors}\n<div class="checkbox">{_show(field)} {label}</div>\n{_help(field)}\n'
    return f"\n{label}\n{_help(field)}\n{errors}\n{_show(field)}\n"


INPUTS = ("text", "email", "number", "password", "hidden", "date", "time", "datetime", "url", "tel", "search")
INPUTS += ("color", "checkbox")
RENDERERS = {
    **{f"django/forms/widgets/{name}.html": input_widget for name in INPUTS},
    "django/forms/widgets/select.html": select,
    "django/forms/widgets/select_option.html": select_option,
    "django/forms/widgets/textarea.html": textarea,
    "django/forms/widgets/radio.html": multiple_input,
    "django/forms/widgets/checkbox_select.html": multiple_input,
    "django/forms/widgets/radio_option.html": input_option,
    "django/forms/widgets/checkbox_option.html": input_option,
    "django/forms/label.html": label,
}
# The portal's own form and field templates (templates/django/forms/), written out the same way.
PORTAL_RENDERERS = {"django/forms/portal.html": portal_form, "django/forms/portal_field.html": portal_field}


def is_djangos_own(template) -> bool:
    """Whether a loaded template (of a renderer's engine) is the file that comes with Django's forms."""
    return _comes_from(template, DJANGO_TEMPLATES)


def is_portals_own(template) -> bool:
    """Whether a loaded template is the portal's own file of that name (templates/django/forms/)."""
    return _comes_from(template, PORTAL_TEMPLATES)


def _comes_from(template, directory: Path) -> bool:
    origin = getattr(getattr(template, "template", template), "origin", None)
    name = getattr(origin, "name", None)
    return bool(name) and Path(name).resolve().is_relative_to(directory)


def written_out(template_name: str, load):
    """The Python rendering of this template if the file `load(template_name)` gives is the one the function was
    written from, else None (`load`, the renderer's get_template, is asked only for a name written out here)."""
    for functions, is_the_file in ((RENDERERS, is_djangos_own), (PORTAL_RENDERERS, is_portals_own)):
        function = functions.get(template_name)
        if function is not None:
            return function if is_the_file(load(template_name)) else None
    return None
