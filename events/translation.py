"""Texts of events that staff and leads enter in several languages (quartier/content_languages.py)."""

from modeltranslation.translator import TranslationOptions, register

from quartier.content_languages import text_columns

from .models import Event


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")
    field_options = text_columns("title", "description")
    required_languages = ("de",)
