"""Texts of initiatives, projects and volunteering offers in several languages (quartier/content_languages.py);
names of initiatives stay."""

from modeltranslation.translator import TranslationOptions, register

from quartier.content_languages import text_columns

from .models import Initiative, Offer, Project


@register(Initiative)
class InitiativeTranslation(TranslationOptions):
    fields = ("short_description", "description")
    field_options = text_columns("short_description", "description")
    required_languages = {"de": ("short_description",)}


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary", "description")
    field_options = text_columns("title", "summary", "description")
    required_languages = {"de": ("title", "summary")}


@register(Offer)
class OfferTranslation(TranslationOptions):
    fields = ("title", "description")
    field_options = text_columns("title", "description")
    required_languages = ("de",)
