"""`{% translate %}` and `{% blocktranslate %}` with less work per render (quartier/template_i18n.py): every
template gives exactly the text Django's own tags give, in every language, on the first render and from the
store, with autoescaping on and off; a changed catalogue setting empties the store."""

import pytest
from django.conf import settings
from django.template import Context, Engine
from django.templatetags import i18n as django_i18n
from django.utils import translation

from quartier import template_i18n

TEMPLATES = [
    '{% translate "Log in" %}',
    '{% translate "Cancel" context "registration" %}|{% translate "Cancel" %}',
    "{% translate 'Skip to content' %}",
    '{% translate "Log in" noop %}',
    '{% translate "Log in" as label %}[{{ label }}]{{ label|upper }}',
    '{% translate "Log in"|upper %}',
    '{% translate "100% of <b>us</b> & you" %}',
    '{% translate "Not in any catalogue: %(name)s" %}',
    "{% translate message %}",
    "{% translate message context where %}",
    '{% for x in "abc" %}{% translate "Log in" %}{% translate "Sign up" %}{% endfor %}',
    '{% autoescape off %}{% translate "Log in" as label %}{{ label }}{% translate message %}{% endautoescape %}',
    '{% translate "Log in" as label %}{% autoescape off %}{{ label }}{% endautoescape %}',
    # unescaped where autoescaping is off, so not safe: escaped where it is on
    '{% autoescape off %}{% translate "100% of <b>us</b> & you" as label %}{% endautoescape %}{{ label }}'
    '{% translate "100% of <b>us</b> & you" as label %}{{ label }}',
    "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}",
    "{% blocktranslate trimmed with hours=count days=count %}Book at least {{ hours }} hours and at most"
    " {{ days }} days ahead.{% endblocktranslate %}",
    "{% for n in numbers %}{% blocktranslate count people=n trimmed %}{{ people }} person{% plural %}"
    "{{ people }} people{% endblocktranslate %};{% endfor %}",
    '{% blocktranslate context "registration" %}Cancel{% endblocktranslate %}',
    "{% blocktranslate asvar text with name=name %}Hello {{ name }} 100%{% endblocktranslate %}<{{ text }}>",
    "{% for n in numbers %}{% blocktranslate count total=n %}{{ total }} of {{ name }}{% plural %}{{ total }}"
    " of them, {{ name }}{% endblocktranslate %}{% endfor %}",
]
CONTEXT = {"message": "Log in <&>", "where": "registration", "name": "Ayşe <&>", "count": 3, "numbers": [0, 1, 2, 1000]}


@pytest.fixture
def djangos_tags(monkeypatch):
    """Parse with Django's own translate tags (as before install())."""

    def use():
        for name, tag in (
            ("translate", django_i18n.do_translate),
            ("trans", django_i18n.do_translate),
            ("blocktranslate", django_i18n.do_block_translate),
            ("blocktrans", django_i18n.do_block_translate),
        ):
            monkeypatch.setitem(django_i18n.register.tags, name, tag)

    return use


def _render(source, language, autoescape=True):
    engine = Engine(libraries={"i18n": "django.templatetags.i18n"}, autoescape=autoescape)
    template = engine.from_string("{% load i18n %}" + source)
    with translation.override(language):
        return [template.render(Context(CONTEXT, autoescape=autoescape)) for _ in range(2)]


@pytest.mark.parametrize("source", TEMPLATES)
def test_the_same_text_as_djangos_tags_in_every_language(source, djangos_tags):
    """Every language, and none; autoescaping on and off; the first render and the second (from the store)."""
    languages = [code for code, _name in settings.LANGUAGES] + [None]  # None: translations off (the message itself)
    ours = {(code, escape): _render(source, code, escape) for code in languages for escape in (1, 0)}
    djangos_tags()
    for (code, escape), texts in ours.items():
        theirs = _render(source, code, escape)
        assert texts == theirs, (code, escape)


def test_the_portals_templates_use_the_cheaper_nodes():
    engine = Engine.get_default()
    template = engine.from_string('{% load i18n %}{% translate "Log in" %}{% blocktranslate %}x{% endblocktranslate %}')
    kinds = {type(node) for node in template.nodelist}
    assert template_i18n.TranslateNode in kinds and template_i18n.BlockTranslateNode in kinds


def test_translations_are_looked_up_once_and_forgotten_when_the_catalogues_change(settings):
    template = Engine.get_default().from_string('{% load i18n %}{% translate "Log in" %}')
    with translation.override("de"):
        assert template.render(Context()) == translation.gettext("Log in") != "Log in"
        assert ("de", True, "Log in", "", False) in template_i18n._TRANSLATED
    with translation.override("en"):
        assert template.render(Context()) == "Log in"
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]  # a catalogue setting changes: Django reloads its catalogues
    assert template_i18n._TRANSLATED == {}


def test_a_plural_blocktranslate_keeps_its_message_ids_as_they_were_built():
    """Django's render extends the singular's list of variables with the plural's: the built lists must stay as
    built (else they grow with every render: a leak in a process that serves for weeks)."""
    template = Engine.get_default().from_string(
        "{% load i18n %}{% blocktranslate count people=n %}{{ people }} person{% plural %}{{ people }} people"
        "{% endblocktranslate %}"
    )
    node = template.nodelist[-1]
    with translation.override("en"):
        for n in range(50):
            assert template.render(Context({"n": n})) == (f"{n} person" if n == 1 else f"{n} people")
    assert [len(variables) for _tokens, (_message, variables) in node._built.values()] == [1, 1]
