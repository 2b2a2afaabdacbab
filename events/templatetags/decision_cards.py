"""`{% decision_card decision %}`: a decision of a district conference as a card, written in Python.

The card was a template included once per decision: a page of 25 decisions spent a quarter of its time in the
template language's nodes for them, and it grew with every card (issue 18: the page cost 5 ms more at the load
size than with the demo's few decisions). The same markup is written here with one escape per value; the
decisions page and a conference's page show it. `heading`, `subheading`: the levels of the card's title and of
its history ("2" and "3" on the page of decisions, 3 and 4 inside a section).
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from quartier.formats import write
from quartier.template_values import escaped

register = template.Library()


@register.simple_tag
def decision_card(decision, heading="3", subheading="4") -> SafeString:
    """The card of `decision`, its history from `decision.history` (events.views.add_histories)."""
    level, sublevel = escaped(heading or "3"), escaped(subheading or "4")
    # the labels outside the f-strings below, where the catalogues' extraction finds them
    responsible, status = escaped(gettext("Responsible")), escaped(gettext("Status"))
    happened = escaped(gettext("What happened"))
    pk = f"{decision.pk:d}"
    parts = [
        f'\n\n<article class="card decision" aria-labelledby="decision-{pk}">\n',
        f'  <h{level} id="decision-{pk}" class="decision__title">{escaped(decision.heading_text)}</h{level}>\n',
        f'  <p class="preserve-lines">{escaped(decision.wording)}</p>\n',
        f"  <p>{escaped(decision.votes_text)}\n",
        f"     {responsible}: {escaped(decision.responsible)}.</p>\n",
        f'  <p><strong class="status-badge status-badge--{escaped(decision.status)}">{status}: '
        f"{escaped(decision.get_status_display())}</strong></p>\n",
        "  ",
    ]
    updates = decision.history
    if updates:
        parts.append(f"\n  <h{sublevel}>{happened}</h{sublevel}>\n")
        parts.append('  <ol class="history">\n    ')
        for update in updates:
            parts.append(
                f'<li><time datetime="{write(update.date, "Y-m-d")}">{write(update.date, "SHORT_DATE_FORMAT")}</time>: '
                f"{escaped(update.get_status_display())}. {escaped(update.note)}</li>"
            )
        parts.append("\n  </ol>\n  ")
    parts.append("\n</article>\n\n")
    return SafeString("".join(parts))
