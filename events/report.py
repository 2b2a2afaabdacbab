"""The events' part of the annual report (quartier/report.py): events, registrations, district conferences.

Seven queries whatever the number of events: events held and cancelled, by category, registrations,
conferences, proposals and decisions.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from quartier.report import Figure, Period, Row, Section

from .models import Conference, Decision, DecisionStatus, Event, Proposal, Registration


def section(period: Period) -> Section:
    in_period = Q(starts_at__gte=period.starts_at, starts_at__lt=period.ends_at)
    held = Event.objects.published().filter(in_period)  # the public rule, events/models.py
    cancelled = Event.objects.filter(in_period, is_published=True, is_cancelled=True).count()
    held_count = held.count()
    by_category = list(held.values("category__name").annotate(count=Count("pk")).order_by("-count", "category__name"))
    registrations = Registration.objects.filter(event__in=held).aggregate(
        registered=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
        places=Sum("places", filter=Q(status=Registration.Status.REGISTERED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
        cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
    )
    conferences = Conference.objects.filter(event__in=held)
    conference_count = conferences.count()
    proposals = {
        row["status"]: row["count"]
        for row in Proposal.objects.filter(conference__in=conferences).values("status").annotate(count=Count("pk"))
    }
    decisions = {
        row["status"]: row["count"]
        for row in Decision.objects.filter(conference__in=conferences).values("status").annotate(count=Count("pk"))
    }
    as_of = period.as_of_text
    no_category = _("without category")
    figures = [
        Figure(
            _("Events held"),
            held_count,
            _("Published events that start in the period and were not cancelled."),
            rows=[Row(row["category__name"] or no_category, row["count"]) for row in by_category],
            public=True,
        ),
        Figure(_("Events cancelled"), cancelled, _("Published events of the period that were cancelled.")),
        Figure(
            _("Registrations"),
            registrations["registered"],
            _("Registrations for the events held that are valid as of %(day)s (cancelled ones do not count).")
            % {"day": as_of},
            public=True,
            basis=registrations["registered"],
        ),
        Figure(
            _("Places taken"),
            registrations["places"] or 0,
            _("People of those registrations, companions included."),
            basis=registrations["places"] or 0,
        ),
        Figure(
            _("On the waiting list"),
            registrations["waiting"],
            _("Registrations for the events held that were still waiting on %(day)s.") % {"day": as_of},
        ),
        Figure(
            _("Registrations cancelled"),
            registrations["cancelled"],
            _("Registrations for the events held that were cancelled, by the person or the office."),
        ),
        Figure(
            _("District conferences"),
            conference_count,
            _("District conferences of the period that were not cancelled."),
            public=True,
        ),
        Figure(
            _("Topic proposals"),
            sum(proposals.values()),
            _("Proposals for the conferences of the period, by their status on %(day)s.") % {"day": as_of},
            rows=[Row(str(label), proposals.get(value, 0)) for value, label in Proposal.Status.choices],
        ),
        Figure(
            _("Decisions"),
            sum(decisions.values()),
            _("Decisions of the conferences of the period, by their status on %(day)s.") % {"day": as_of},
            rows=[Row(str(label), decisions.get(value, 0)) for value, label in DecisionStatus.choices],
        ),
        Figure(
            _("Decisions done"),
            decisions.get(DecisionStatus.DONE, 0),
            _("Decisions of the conferences of the period that were done on %(day)s.") % {"day": as_of},
            public=True,
        ),
    ]
    return Section("events", _("Events and district conferences"), figures)
