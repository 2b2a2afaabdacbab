"""The initiatives' part of the annual report (quartier/report.py): active, new and verified initiatives, by topic
and by language.

Three queries whatever the number of initiatives: the totals, the topics, the languages.
"""

import re
from collections import Counter

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from quartier.report import Figure, Period, Row, Section

from .models import Initiative, Topic

_LANGUAGE_SEPARATORS = re.compile(r"\s*(?:[,;/]|\bund\b|\band\b)\s*")


def section(period: Period) -> Section:
    active = Initiative.objects.filter(is_hidden=False, created_at__lt=period.ends_at)
    totals = active.aggregate(
        active=Count("pk"),
        new=Count("pk", filter=Q(created_at__gte=period.starts_at)),
        verified=Count("pk", filter=Q(is_verified=True)),
    )
    topics = list(
        Topic.objects.annotate(count=Count("initiatives", filter=Q(initiatives__in=active)))
        .filter(count__gt=0)
        .order_by("-count", "name")
        .values_list("name", "count")
    )
    languages = Counter()
    for text in active.exclude(languages="").values_list("languages", flat=True):
        languages.update({name.strip().capitalize() for name in _LANGUAGE_SEPARATORS.split(text) if name.strip()})
    as_of = period.as_of_text
    figures = [
        Figure(
            _("Active initiatives"),
            totals["active"],
            _("Initiatives registered by the end of the period and not hidden by the office on %(day)s.")
            % {"day": as_of},
        ),
        Figure(_("New initiatives"), totals["new"], _("Of these, registered in the period.")),
        Figure(
            _("Verified initiatives"),
            totals["verified"],
            _("Of the active initiatives, verified by the office on %(day)s.") % {"day": as_of},
        ),
        Figure(
            _("Initiatives by topic"),
            None,
            _("Active initiatives per topic; an initiative with several topics counts for each."),
            rows=[Row(name, count) for name, count in topics],
        ),
        Figure(
            _("Initiatives by language"),
            None,
            _("Active initiatives per language they name; one with several languages counts for each."),
            rows=[Row(name, count) for name, count in sorted(languages.items(), key=lambda item: (-item[1], item[0]))],
        ),
    ]
    return Section("initiatives", _("Initiatives"), figures)
