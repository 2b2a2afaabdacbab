"""`get_FOO_display()` from a table built once (quartier/choice_labels.py): on every model of the portal the same
label as Django's own method, for every choice and for a value outside the choices, in every language."""

from functools import partialmethod

from django.apps import apps
from django.conf import settings
from django.utils import translation

from quartier.choice_labels import PORTAL_APPS
from rooms.models import Booking


def fields_with_choices():
    for app_label in PORTAL_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.concrete_fields:
                if field.choices is not None:
                    yield model, field


def test_the_portals_status_labels_come_from_the_table():
    replaced = [
        (model, field)
        for model, field in fields_with_choices()
        if not isinstance(model.__dict__.get(f"get_{field.name}_display"), partialmethod)
    ]
    assert (Booking, Booking._meta.get_field("status")) in replaced
    assert len(replaced) >= 20


def test_every_label_is_the_one_djangos_method_gives():
    checked = 0
    for model, field in fields_with_choices():
        values = [value for value, _label in field.flatchoices] + ["not-a-choice", None]
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for value in values:
                    instance = model()
                    setattr(instance, field.attname, value)
                    ours = getattr(instance, f"get_{field.name}_display")()
                    djangos = instance._get_FIELD_display(field)
                    assert ours == djangos and type(ours) is type(djangos), (model, field.name, value, language)
                    checked += 1
    assert checked > 1000


def test_the_label_follows_the_active_language():
    booking = Booking(status=Booking.Status.CONFIRMED)
    with translation.override("de"):
        german = booking.get_status_display()
    with translation.override("en"):
        english = booking.get_status_display()
    assert (german, english) == ("bestätigt", "confirmed")
