"""Django's widget and label templates written out in Python (quartier/form_rendering.py): every form looks exactly
as the templates render it, hostile input stays escaped, and a template that stands in front of Django's own
takes over again."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import mark_safe

from events.forms import DecisionFilterForm, EventFilterForm
from initiatives.forms import DirectoryFilterForm, InitiativeForm
from quartier import form_rendering
from quartier.forms import PortalFormRenderer, ProfileForm, SignupForm
from rooms.forms import RoomSearchForm

HOSTILE = '"><script>alert(1)</script>&amp;'


class TemplatesOnly(PortalFormRenderer):
    """The same renderer with every template rendered by the template language: what the Python must match."""

    def _fast(self, template_name):
        return None


COLOURS = [("red", "Rot"), ("green", 'Grün & "frisch"'), ("blue", mark_safe("<b>Blau</b>"))]
GROUPED = [("", "—"), ("Warm", [("red", "Rot"), ("orange", "Orange")]), ("Kalt <&>", [(3, 3), (Decimal("1.5"), 2)])]


class EveryWidget(forms.Form):
    text = forms.CharField(label="Name <&>", help_text="Hilfe", max_length=20)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    number = forms.DecimalField(required=False, widget=forms.NumberInput(attrs={"step": Decimal("0.01")}))
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    clock = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    moment = forms.DateTimeField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    phone = forms.CharField(required=False, widget=forms.TelInput)
    search = forms.CharField(required=False, widget=forms.SearchInput(attrs={"disabled": True, "hidden": False}))
    colour_input = forms.CharField(required=False, widget=forms.ColorInput)
    agree = forms.BooleanField(required=False, label=mark_safe("I <em>agree</em>"))
    colour = forms.ChoiceField(choices=COLOURS, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=COLOURS, required=False)
    maybe = forms.NullBooleanField(required=False)
    radio = forms.ChoiceField(choices=COLOURS, widget=forms.RadioSelect, required=False)
    radio_grouped = forms.ChoiceField(choices=GROUPED, widget=forms.RadioSelect(attrs={"class": "x"}), required=False)
    boxes = forms.MultipleChoiceField(choices=COLOURS, widget=forms.CheckboxSelectMultiple, required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    unlabelled = forms.CharField(required=False, label="")
    no_id = forms.CharField(required=False, widget=forms.TextInput(attrs={"id": ""}))
    year = forms.TypedChoiceField(choices=[(2025, 2025), (12026, 12026)], coerce=int, required=False)
    date_choice = forms.ChoiceField(choices=[("2026-12-03", datetime.date(2026, 12, 3))], required=False)


FILLED = {
    "text": HOSTILE,
    "email": HOSTILE,
    "number": "12,5",
    "password": HOSTILE,
    "hidden": HOSTILE,
    "day": "2026-13-40",
    "clock": "18:00",
    "moment": HOSTILE,
    "url": "javascript:alert(1)",
    "phone": "0231 <1>",
    "search": "a&b",
    "colour_input": "#fff",
    "agree": "on",
    "colour": "green",
    "grouped": "3",
    "many": ["red", "blue", HOSTILE],
    "maybe": "true",
    "radio": "blue",
    "radio_grouped": "orange",
    "boxes": ["green"],
    "note": f"Zeile 1\n{HOSTILE}\n",
    "unlabelled": "x",
    "no_id": "",
    "year": "12026",
    "date_choice": "2026-12-03",
}


def both(form) -> tuple[str, str]:
    """The form rendered with the Python widgets and with the templates only."""
    form.renderer = PortalFormRenderer()
    fast = form.render()
    form.renderer = TemplatesOnly()
    return fast, form.render()


@pytest.mark.parametrize("language", ["de", "en", "ar"])
@pytest.mark.parametrize("data", [None, {}, FILLED], ids=["unbound", "empty", "hostile"])
def test_every_widget_renders_as_djangos_templates_do(language, data):
    with translation.override(language):
        form = EveryWidget(data, initial={"text": "Vorgabe", "agree": True, "maybe": False, "many": ["red"]})
        fast, templates = both(form)
    assert fast == templates
    assert "<script>" not in fast  # the hostile values are escaped
    for name in EveryWidget.base_fields:
        assert f'name="{name}' in fast  # every field is there (a multiple select as name="many")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_portals_filter_and_account_forms_render_as_before(language, office):
    from events.models import Category

    Category.objects.create(name="Sport & Spiel", slug="sport")
    hostile = {"category": HOSTILE, "date_from": HOSTILE, "q": HOSTILE, "status": HOSTILE, "conference": "x"}
    with translation.override(language):
        for form_class in (EventFilterForm, DecisionFilterForm, DirectoryFilterForm, RoomSearchForm):
            for data in (None, hostile):
                fast, templates = both(form_class(data))
                assert fast == templates, form_class.__name__
        initiative = {"name": HOSTILE, "short_description_en": HOSTILE, "contact_email": HOSTILE}
        forms_with_translations = (InitiativeForm(), InitiativeForm(initiative))  # portal.html's translations
        for form in (SignupForm(), ProfileForm(), SignupForm({"email": HOSTILE, "display_name": HOSTILE})):
            fast, templates = both(form)
            assert fast == templates, type(form).__name__
        for form in forms_with_translations:
            fast, templates = both(form)
            assert fast == templates and "translations" in fast


def test_the_python_widgets_render_the_select_options_without_a_template():
    renderer = PortalFormRenderer()
    form = EveryWidget(renderer=renderer)
    form.render()
    assert renderer._fast("django/forms/widgets/select_option.html") is not None
    assert renderer._fast("django/forms/widgets/select.html") is not None
    # the portal's own form and field templates are written out too (a form with translations: the template)
    assert renderer._fast("django/forms/portal.html") is form_rendering.portal_form
    assert renderer._fast("django/forms/portal_field.html") is form_rendering.portal_field


FIELD_OF_OUR_OWN = {"django/forms/portal_field.html": "<p>{{ field.name }}</p>"}


@override_settings(
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": False,
            "DIRS": [],
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", FIELD_OF_OUR_OWN),
                    "django.template.loaders.app_directories.Loader",
                ],
                "context_processors": [],
            },
        }
    ]
)
def test_a_field_template_in_front_of_the_portals_own_takes_over():
    renderer = PortalFormRenderer()
    assert EveryWidget(renderer=renderer)["text"].as_field_group() == "<p>text</p>"


SELECT_OF_OUR_OWN = {"django/forms/widgets/select.html": '<select name="{{ widget.name }}" class="ours"></select>'}


@override_settings(
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": False,
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", SELECT_OF_OUR_OWN),
                    "django.template.loaders.app_directories.Loader",
                ],
                "context_processors": [],
                "builtins": ["template_partials.templatetags.partials"],
            },
            "DIRS": [],
        }
    ]
)
def test_a_template_in_front_of_djangos_own_takes_over_again():
    renderer = PortalFormRenderer()
    html = str(EveryWidget(renderer=renderer)["colour"])
    assert html == '<select name="colour" class="ours"></select>'
    assert 'type="text"' in str(EveryWidget(renderer=renderer)["text"])  # the others stay written out


@pytest.mark.django_db
def test_a_model_choice_field_offers_the_same_choices_as_djangos_iterator(office):
    from django.forms.models import ModelChoiceIterator

    from events.models import Category

    for name in ("Sport", "Kultur & Kunst", "Bildung"):
        Category.objects.create(name=name, slug=name[:5].lower())
    for field in (EventFilterForm().fields["category"], forms.ModelMultipleChoiceField(Category.objects.all())):
        ours = [(str(value), str(label)) for value, label in field.choices]
        djangos = [(str(value), str(label)) for value, label in ModelChoiceIterator(field)]
        assert ours == djangos
        assert len(ours) == 3 + (field.empty_label is not None)


def test_the_filter_forms_read_their_choices_in_one_plain_query(postgres, client, office):
    """On PostgreSQL Django reads a choice list through a server-side cursor: three statements per select."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from events.models import Category

    Category.objects.create(name="Sport & Spiel", slug="sport")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("events:list")).content.decode()
    assert '<option value="sport">Sport &amp; Spiel</option>' in html
    statements = [query["sql"] for query in queries.captured_queries]
    assert [sql for sql in statements if "events_category" in sql and "ORDER BY" in sql]
    assert not [sql for sql in statements if sql.startswith(("DECLARE", "FETCH", "CLOSE"))]


def test_with_debug_a_template_put_in_front_while_the_server_runs_takes_over(settings, monkeypatch):
    """With DEBUG (`make run`), templates change under a running server: which file a name loads is asked anew."""
    from quartier import form_rendering

    name = "django/forms/widgets/select.html"
    for debug, still_python in ((True, False), (False, True)):
        settings.DEBUG = debug
        renderer = PortalFormRenderer()
        assert renderer._fast(name) is form_rendering.select
        with monkeypatch.context() as patch:
            patch.setattr(form_rendering, "is_djangos_own", lambda template: False)  # a file put in front of it
            assert (renderer._fast(name) is not None) is still_python
