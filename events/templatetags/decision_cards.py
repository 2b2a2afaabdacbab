"""`{% decision_cards decisions %}`: the decisions of district conferences as cards, written in Python.

The card was a template included once per decision: a page of 25 decisions spent a quarter of its time in the
template language's nodes for them, and it grew with every card (issue 18: the page cost 5 ms more at the load
size than with the demo's few decisions). The same markup is written here with one escape per value, and what
the cards share (their labels and sentences in the page's language, the status names, a conference's title, a
date) made once for the page, not once a card. The decisions page and a conference's page show them, each
decision prepared by events.views.prepare_decision_cards. `heading`, `subheading`: the levels of a card's title
and of its history ("2" and "3" on the page of decisions, 3 and 4 inside a section).
"""

from django import template
from django.utils.encoding import force_str
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from quartier.formats import writer
from quartier.template_values import escaped, number_text

from ..models import DecisionStatus

register = template.Library()
STATUS_LABELS = dict(DecisionStatus.choices)  # lazy: translated where a page writes them


@register.simple_tag
def decision_cards(decisions, heading="3", subheading="4") -> SafeString:
    """The card of each decision (with `conference_title` and `history`, events.views.prepare_decision_cards)."""
    level, sublevel = escaped(heading or "3"), escaped(subheading or "4")
    # the texts outside the f-strings below, where the catalogues' extraction finds them
    responsible, status = escaped(gettext("Responsible")), escaped(gettext("Status"))
    happened = escaped(gettext("What happened"))
    title_text = gettext("Decision %(number)s (%(conference)s)")
    votes_text = gettext("Votes: %(yes)s for, %(no)s against, %(abstain)s abstaining.")
    short_date, statuses, days = writer("SHORT_DATE_FORMAT"), {}, {}

    def status_of(value) -> str:  # as get_status_display() (quartier/choice_labels.py) gives it, escaped
        text = statuses.get(value)
        if text is None:
            text = statuses[value] = escaped(force_str(STATUS_LABELS.get(value, value)))
        return text

    def day_of(day) -> str:
        text = days.get(day)
        if text is None:
            text = days[day] = f'<time datetime="{day.isoformat()}">{short_date(day)}</time>'
        return text

    parts = []
    for decision in decisions:
        pk = f"{decision.pk:d}"
        title = title_text % {"number": number_text(decision.number), "conference": decision.conference_title}
        votes = votes_text % {
            "yes": number_text(decision.votes_for),
            "no": number_text(decision.votes_against),
            "abstain": number_text(decision.votes_abstaining),
        }
        parts += [
            f'\n\n<article class="card decision" aria-labelledby="decision-{pk}">\n',
            f'  <h{level} id="decision-{pk}" class="decision__title">{escaped(title)}</h{level}>\n',
            f'  <p class="preserve-lines">{escaped(decision.wording)}</p>\n',
            f"  <p>{escaped(votes)}\n",
            f"     {responsible}: {escaped(decision.responsible)}.</p>\n",
            f'  <p><strong class="status-badge status-badge--{escaped(decision.status)}">{status}: '
            f"{status_of(decision.status)}</strong></p>\n",
            "  ",
        ]
        if decision.history:
            parts.append(f"\n  <h{sublevel}>{happened}</h{sublevel}>\n")
            parts.append('  <ol class="history">\n    ')
            for day, update_status, note in decision.history:
                parts.append(f"<li>{day_of(day)}: {status_of(update_status)}. {escaped(note)}</li>")
            parts.append("\n  </ol>\n  ")
        parts.append("\n</article>\n\n")
    return SafeString("".join(parts))
