from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from quartier.contributions import Link, PortalApp, Section
from quartier.counter import CounterClaim


class RoomsConfig(PortalApp, AppConfig):
    name = "rooms"
    verbose_name = _("Rooms")

    # What the app adds to the portal (quartier/contributions.py); positions order the entries across apps.
    home_sections = [Section(10, "rooms.views.home_section")]
    dashboard_sections = [
        Section(10, "rooms.dashboard.section"),
        Section(11, "rooms.counter.dashboard_section"),
        Section(12, "rooms.dashboard.waitlist_section"),
    ]
    navigation = [Link(20, "rooms:list", _("Rooms"))]
    account_navigation = [Link(10, "rooms:my_bookings", _("My bookings"))]
    privacy = "rooms.privacy"
    demo = "rooms.demo"
    api = "rooms.api.router"
    report = "rooms.report.section"
    cache_labels = ["rooms"]
    # A person booked at the office counter, then signed up: her bookings and series join the account.
    counter_claims = [
        CounterClaim("rooms.Booking", "booked_by", "responsible_email"),
        CounterClaim("rooms.BookingSeries", "booked_by", "bookings__responsible_email"),
    ]
