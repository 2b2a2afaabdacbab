"""`get_FOO_display()` from a table built once per field (issue 18).

Django's `Model.get_FOO_display()` builds a dict of all the field's choices on every call; a page of decisions
or bookings shows a status on every card, a hundred calls a request. `install()` (QuartierConfig.ready) puts a
method in its place on every model of the portal's apps that uses Django's own: the same label, translated
into the language active at the call (the table holds the lazy labels), from a dict made on the first call.
Fields whose choices are callables (evaluated anew by Django), and methods a model defines itself, are left as they are.
"""

from functools import partialmethod

from django.apps import apps
from django.utils.choices import BaseChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

PORTAL_APPS = ("quartier", "initiatives", "fund", "rooms", "events", "volunteers")


def install() -> None:
    for app_label in PORTAL_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.concrete_fields:
                name = f"get_{field.name}_display"
                django_own = model.__dict__.get(name)
                fixed = field.choices is not None and not isinstance(field.choices, BaseChoiceIterator)
                if isinstance(django_own, partialmethod) and fixed:
                    setattr(model, name, _display_method(field))


def _display_method(field):
    labels = {}

    def display(self):
        if not labels:
            labels.update(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # a value that can not be hashed as it is (a list of an ArrayField)
            label = labels.get(make_hashable(value), value)
        return force_str(label, strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    display.__qualname__ = f"{field.model.__name__}.{display.__name__}"
    return display
