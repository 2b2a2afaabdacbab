from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from quartier.contributions import Link, PortalApp, Section
from quartier.counter import CounterClaim


class EventsConfig(PortalApp, AppConfig):
    name = "events"
    verbose_name = _("Events")

    # What the app adds to the portal (quartier/contributions.py); positions order the entries across apps.
    home_sections = [Section(20, "events.views.home_section")]
    dashboard_sections = [Section(20, "events.dashboard.section"), Section(21, "events.counter.dashboard_section")]
    navigation = [Link(30, "events:list", _("Events")), Link(40, "events:conferences", _("District conference"))]
    account_navigation = [Link(20, "events:my_registrations", _("My registrations"))]
    privacy = "events.privacy"
    demo = "events.demo"
    api = "events.api.router"
    report = "events.report.section"
    cache_labels = ["events"]
    # A person registered at the office counter, then signed up: her registrations join the account.
    counter_claims = [CounterClaim("events.Registration", "user", "email")]
