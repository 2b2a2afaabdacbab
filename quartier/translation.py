"""The office's texts and the legal pages in several languages (quartier/content_languages.py)."""

from modeltranslation.translator import TranslationOptions, register

from .content_languages import text_columns
from .models import Office

LEGAL = ("imprint", "privacy", "accessibility")


@register(Office)
class OfficeTranslation(TranslationOptions):
    fields = ("about", "opening_hours", *LEGAL)
    # The shipped legal texts are German: only the German version starts with them, the others empty, and an empty
    # version shows the German one.
    field_options = text_columns(*fields, shipped_in_german=LEGAL)
    fallback_undefined = {field: "" for field in LEGAL}
