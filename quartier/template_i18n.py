"""`{% translate %}` and `{% blocktranslate %}` of Django's `i18n` template library, cheaper (issue 18).

`install()` (QuartierConfig.ready) puts the two tags below in Django's library in place of its own, so every
template that says `{% load i18n %}` gets them, the admin's and allauth's included. Their nodes are Django's,
doing less work per render for the same text:

- `{% translate "literal" %}` (with a literal context or none, no filters, no `as`): Django makes a lazy translation
  object, forces it, localizes and escapes it on every render (about 19 µs here, the cost of two variables). Its
  text depends only on the language, the message (and context) and whether autoescaping is on, so it is worked
  out once per process for each of them (`_TRANSLATED`). A `{% translate %}` of a variable, with filters or `as`,
  is Django's own.
- `{% blocktranslate %}`: the message ids (Django rebuilds them from the tokens on every render, `trimmed` with a
  regular expression) are built once per node; the translation and the values are Django's, per render.

The store is emptied when a setting that changes the catalogues changes (as Django's own catalogue store).
"""

from django.core.signals import setting_changed
from django.template.base import Variable
from django.templatetags import i18n as django_i18n
from django.utils import translation

_TRANSLATED: dict[tuple, str] = {}  # (language, autoescape, message, context, noop) -> the text


def _forget_translations(*, setting, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _TRANSLATED.clear()


setting_changed.connect(_forget_translations, dispatch_uid="quartier.template_i18n.forget")


def _literal(expression):
    """The constant a filter expression stands for (a quoted string, no filters), else None."""
    if expression is None or expression.filters:
        return None
    var = expression.var
    if isinstance(var, Variable):
        return var.literal if var.lookups is None and isinstance(var.literal, str) else None
    return var if isinstance(var, str) else None


class TranslateNode(django_i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        message = _literal(self.filter_expression)
        context = _literal(message_context) if message_context is not None else ""
        # Kept: a literal message and context, the text returned (with `as`, Django's node stores it per render).
        self.key = None if message is None or context is None or asvar else (message, context, noop)

    def render(self, context):
        if self.key is None:
            return super().render(context)
        key = (translation.get_language(), context.autoescape, *self.key)
        value = _TRANSLATED.get(key)
        if value is None:
            value = _TRANSLATED[key] = super().render(context)
        return value


class BlockTranslateNode(django_i18n.BlockTranslateNode):
    def render_token_list(self, tokens):
        built = self.__dict__.setdefault("_built", {})
        if id(tokens) not in built:
            built[id(tokens)] = (tokens, super().render_token_list(tokens))  # the tokens kept: their id stays theirs
        message, variables = built[id(tokens)][1]
        return message, list(variables)  # Django's render extends the list


def install() -> None:
    """Django's i18n library parses `translate` and `blocktranslate` (and their old names) with the tags below."""
    tags = django_i18n.register.tags
    tags["translate"] = tags["trans"] = do_translate
    tags["blocktranslate"] = tags["blocktrans"] = do_block_translate


def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return TranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


def do_block_translate(parser, token):
    node = django_i18n.do_block_translate(parser, token)
    fast = BlockTranslateNode.__new__(BlockTranslateNode)
    fast.__dict__.update(node.__dict__)
    return fast
