"""Texts entered by staff and leads in several languages: the one place of the rule.

Each translated text (registered in the apps' ``translation.py``, django-modeltranslation) has a column per
language of ``settings.CONTENT_LANGUAGES``: ``house_rules_de``, ``house_rules_en``, ... German is the original and
required where the text is; every other version is optional. Reading ``room.house_rules`` gives the page's
language, or German when that version is empty. Pages show such a text through ``{% content room "house_rules" %}``
(quartier/templatetags/portal.py), which marks German shown in another language's page as German (``lang="de"``
and a small note), so that screen readers pronounce it right. Searches match every version (``any_language``).
"""

import copy
import functools
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import F, Q
from django.utils.text import capfirst
from django.utils.translation import get_language_bidi, get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.fields import NONE, TranslationFieldDescriptor
from modeltranslation.thread_context import fallbacks_enabled
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

ORIGINAL = settings.LANGUAGE_CODE  # German: every text is written in it first, and shown when a version is missing
RTL = {"ar", "fa", "he", "ur"}


def columns(field: str, languages=None) -> list[str]:
    """The column of each language of a translated field, German first: ``["title_de", "title_en", ...]``."""
    return [build_localized_fieldname(field, code) for code in languages or settings.CONTENT_LANGUAGES]


def text_columns(*fields: str, shipped_in_german: tuple[str, ...] = ()) -> dict:
    """``field_options`` of a registration: every version is a NOT NULL column, empty when missing (as every text
    column of the portal); a field whose default is a shipped German text keeps it in German only."""
    options = {}
    for field in fields:
        german = {"null": False} if field in shipped_in_german else {"null": False, "default": ""}
        options[field] = {ORIGINAL: german, "default": {"null": False, "default": ""}}
    return options


def any_language(field: str, lookup: str, value) -> Q:
    """A filter matching the field's text in any of its languages (search, the directory)."""
    return reduce(or_, (Q(**{f"{column}__{lookup}": value}) for column in columns(field)))


# PostgreSQL's text search configurations (stemming) of the content languages; "simple" for those it lacks.
SEARCH_CONFIGS = {"de": "german", "en": "english", "tr": "turkish", "ar": "arabic", "ro": "romanian"}


def search_vector(*fields: str, weight: str):
    """A PostgreSQL search vector of the fields' every language, each version stemmed by its own language."""
    from django.contrib.postgres.search import SearchVector

    vectors = [
        SearchVector(
            *(build_localized_fieldname(field, code) for field in fields),
            weight=weight,
            config=SEARCH_CONFIGS.get(code, "simple"),
        )
        for code in settings.CONTENT_LANGUAGES
    ]
    return reduce(lambda left, right: left + right, vectors)


def search_query(text: str):
    """A web-style search query matching the words stemmed in any content language."""
    from django.contrib.postgres.search import SearchQuery

    configs = dict.fromkeys(SEARCH_CONFIGS.get(code, "simple") for code in settings.CONTENT_LANGUAGES)
    return reduce(or_, (SearchQuery(text, config=config, search_type="websearch") for config in configs))


def form_languages() -> list[str]:
    """The languages that leads' forms offer beside German: those of the interface (the admin offers every
    content language)."""
    return [code for code, _name in settings.LANGUAGES if code != ORIGINAL and code in settings.CONTENT_LANGUAGES]


def form_columns(*fields: str) -> list[str]:
    """The form fields of translated texts in a lead's form: the text itself (its German version, see
    ``ContentFormMixin``), then its column of each further interface language."""
    return [name for field in fields for name in [field, *columns(field, form_languages())]]


def shown(obj, field: str) -> tuple[str, object]:
    """(language, text) that the page shows for ``obj.field``: the page's language if that version has text, else
    the fallback (German). The same rule as the model's attribute (modeltranslation's descriptor)."""
    language = get_language()
    versions = _versions(type(obj), field, language, fallbacks_enabled())
    if versions is None:  # a text that is not translated (a room's name)
        return language, getattr(obj, field)
    descriptor, undefined, columns = versions
    for code, column in columns:
        value = getattr(obj, column, None)
        if descriptor.meaningful_value(value, undefined):
            return code, value
    return ORIGINAL, getattr(obj, field)


@functools.lru_cache(maxsize=1024)
def _versions(model, field: str, language: str, fallbacks: bool):
    """What `shown` looks through for a model's field in a language: (descriptor, its undefined value, (language,
    column) in the order modeltranslation tries them), or None for a field that is not translated. Worked out once
    per process, not for each card of a list."""
    descriptor = getattr(model, field, None)
    if not isinstance(descriptor, TranslationFieldDescriptor):
        return None
    undefined = descriptor.fallback_undefined
    if undefined is NONE:
        undefined = descriptor.field.get_default()
    order = resolution_order(language, descriptor.fallback_languages)  # follows `fallbacks` (the thread's setting)
    return descriptor, undefined, tuple((code, build_localized_fieldname(field, code)) for code in order)


def related_versions(path: str, field: str) -> dict:
    """Annotations that carry each language's version of a related object's translated `field` on the object a
    query reads (`path`: "event", "conference__event"), named "<the relation>_<column>": a list shows that text
    without an instance of the related object per row. `related_text` reads them."""
    relation = path.rsplit("__", 1)[-1]
    return {f"{relation}_{column}": F(f"{path}__{column}") for column in columns(field)}


def related_text(model, field: str, versions: dict):
    """A function of an object annotated with `versions` (related_versions) that gives the text `model.field`
    would give in the page's language (`text_chooser`)."""
    choose, names = text_chooser(model, field), list(versions)
    return lambda obj: choose([getattr(obj, name) for name in names])


def text_chooser(model, field: str):
    """A function of the versions of `model.field` (values in the order of `columns(field)`, say a row's) that
    gives the text `instance.field` would give in the page's language: the rule of modeltranslation's
    descriptor, its languages looked up once for a list's rows rather than on every read."""
    descriptor = getattr(model, field)
    undefined = descriptor.fallback_undefined
    default = descriptor.field.get_default()
    if undefined is NONE:
        undefined = default
    order = [
        settings.CONTENT_LANGUAGES.index(code)
        for code in resolution_order(get_language(), descriptor.fallback_languages)
        if code in settings.CONTENT_LANGUAGES
    ]
    last = descriptor.fallback_value if fallbacks_enabled() and descriptor.fallback_value is not NONE else default

    def choose(values):
        for index in order:
            value = values[index]
            if value is not None and value != undefined:  # descriptor.meaningful_value, for a text
                return value
        return last

    return choose


def language_attributes(code: str) -> dict[str, str]:
    """``lang`` (and ``dir`` where the script runs the other way) of an element holding text in ``code``."""
    attributes = {"lang": code}
    if (code in RTL) != get_language_bidi():
        attributes["dir"] = "rtl" if code in RTL else "ltr"
    return attributes


def language_name(code: str) -> str:
    return get_language_info(code)["name_translated"]


class ContentFormMixin:
    """A lead's ModelForm with translated texts, named in ``Meta.fields`` through ``form_columns``. The text's own
    field ("title") edits the German version, whatever the page's language, labelled and required as the model
    says; each further language ("title_en") is optional, labelled "… (Englisch, freiwillig)". Every input is
    marked with its language, for spelling checks and screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widgets = getattr(self._meta, "widgets", None) or {}
        page_language = get_language()
        for name, formfield in self.fields.items():
            original = self._translated_field(name)
            if original is None:
                continue
            if name == original.name:  # the German version
                language = ORIGINAL
                if name not in kwargs.get("initial", {}):
                    self.initial[name] = getattr(self.instance, build_localized_fieldname(name, ORIGINAL))
                if page_language != ORIGINAL:
                    formfield.label = f"{capfirst(original.verbose_name)} ({language_name(ORIGINAL)})"
            else:
                language = self._meta.model._meta.get_field(name).language
                if original.name in widgets:  # Meta.widgets names the text, not its columns
                    formfield.widget = copy.deepcopy(widgets[original.name])
                    formfield.widget.attrs.update(formfield.widget_attrs(formfield.widget))
                formfield.label = _("%(field)s (%(language)s, optional)") % {
                    "field": capfirst(original.verbose_name),
                    "language": language_name(language),
                }
                formfield.required = False
            formfield.widget.attrs.update(language_attributes(language))

    def get_context(self):
        """The German texts in the form's order; the other languages' versions after them, one group per language,
        folded away (the page's template renders ``translations``) unless one has text or an error."""
        context = super().get_context()
        context["all_fields"] = context["fields"]
        groups, kept = {}, []
        for field, errors in context["fields"]:
            language = getattr(field.field.widget, "attrs", {}).get("lang")
            if language and language != ORIGINAL and self._translated_field(field.name) is not None:
                groups.setdefault(language, []).append((field, errors))
            else:
                kept.append((field, errors))
        context["fields"] = kept
        context["translations"] = [
            {
                "language": code,
                "name": language_name(code),
                "name_local": get_language_info(code)["name_local"],
                "attributes": language_attributes(code),
                "fields": fields,
            }
            for code, fields in groups.items()
        ]
        context["translations_open"] = any(
            field.value() or errors for group in groups.values() for field, errors in group
        )
        return context

    def _translated_field(self, name: str):
        """The model's translated field behind a form field (the text itself or one of its columns), or None."""
        from modeltranslation.translator import NotRegistered, translator

        try:
            options = translator.get_options_for_model(self._meta.model)
        except NotRegistered:
            return None
        for field, translations in options.all_fields.items():
            if name == field or name in {column.name for column in translations}:
                return self._meta.model._meta.get_field(field)
        return None

    def _post_clean(self):
        # The text's own field holds the German version: written to its column before the model is built and
        # validated, while building the instance leaves the page language's column alone (the library's switch).
        for name in self.fields:
            original = self._translated_field(name)
            if original is not None and name == original.name and name in self.cleaned_data:
                setattr(self.instance, build_localized_fieldname(name, ORIGINAL), self.cleaned_data[name])
        self.instance._mt_disable = True
        try:
            super()._post_clean()
        finally:
            self.instance._mt_disable = False


class ContentAdmin(TranslationAdmin):
    """The admin of a model with translated texts: a field per language (German required where the text is), each
    input marked with its language. Plain fields, not the library's tabs: those load jQuery UI from elsewhere."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if formfield is not None and language and hasattr(db_field, "translated_field"):
            formfield.widget.attrs.update(language_attributes(language))
        return formfield


def search_columns(*fields: str, via: str = "") -> list[str]:
    """The admin's ``search_fields`` for translated texts (of a related model ``via``): every language's column."""
    return [f"{via}__{column}" if via else column for field in fields for column in columns(field)]
