"""`{% initiative_cards page %}`: the cards of the initiative directory, written in Python.

The cards were a loop in initiatives/initiative_list.html: twenty cards a page, each with its variables, a
`{% content %}`, a `{% translate %}` and a `|join` of its topics in template nodes (issue 18). The same markup is
written here, byte for byte, with one escape per value.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from quartier.template_values import escaped
from quartier.templatetags.portal import content

register = template.Library()


@register.simple_tag
def initiative_cards(initiatives) -> SafeString:
    """The `<li>` of each initiative (with `link` and `topic_names`), as the template's loop wrote them."""
    nonprofit = " · " + gettext("non-profit")  # as {% translate "literal" %} writes it: not escaped
    parts = []
    for initiative in initiatives:
        parts.append('\n  <li class="card">\n    ')
        if initiative.logo_thumbnail:
            parts.append(
                f'<img class="thumbnail" src="{escaped(initiative.logo_thumbnail.url)}" '
                f'alt="{escaped(initiative.logo_alt)}" width="80" height="80" loading="lazy">'
            )
        kind = escaped(initiative.get_kind_display()) + (nonprofit if initiative.is_nonprofit else "")
        parts.append(
            f'\n    <h2 class="event-card__title"><a href="{escaped(initiative.link)}">{escaped(initiative.name)}</a>'
            f'</h2>\n    <p class="muted">{kind}</p>\n    <p>{content(initiative, "short_description")}</p>\n    '
        )
        if initiative.topic_names:
            parts.append(f'<p class="muted">{", ".join(escaped(name) for name in initiative.topic_names)}</p>')
        parts.append("\n  </li>\n  ")
    return SafeString("".join(parts))
