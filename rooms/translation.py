"""Texts of the rooms app that staff enter in several languages (quartier/content_languages.py); room names stay."""

from modeltranslation.translator import TranslationOptions, register

from quartier.content_languages import text_columns

from .models import Equipment, Purpose, Room


@register(Equipment)
class EquipmentTranslation(TranslationOptions):
    fields = ("name",)
    field_options = text_columns("name")
    required_languages = ("de",)


@register(Purpose)
class PurposeTranslation(TranslationOptions):
    fields = ("name",)
    field_options = text_columns("name")
    required_languages = ("de",)


@register(Room)
class RoomTranslation(TranslationOptions):
    fields = ("description", "house_rules")
    field_options = text_columns("description", "house_rules")
