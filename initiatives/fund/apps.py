from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from quartier.contributions import Link, PortalApp, Section


class FundConfig(PortalApp, AppConfig):
    """The neighbourhood fund: an app of its own above `initiatives` (applications belong to its initiatives)."""

    name = "initiatives.fund"
    label = "fund"
    verbose_name = _("Neighbourhood fund")

    # What the app adds to the portal (quartier/contributions.py); positions order the entries across apps.
    home_sections = [Section(40, "initiatives.fund.views.home_section")]
    dashboard_sections = [Section(50, "initiatives.fund.dashboard.section")]
    navigation = [Link(60, "fund:home", _("Neighbourhood fund"))]
    account_navigation = [Link(50, "fund:my_applications", _("My applications"))]
    privacy = None
    demo = "initiatives.fund.demo"
    api = "initiatives.fund.api.router"
    report = "initiatives.fund.report.section"
    cache_labels = ["fund"]
