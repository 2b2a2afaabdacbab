from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from quartier.contributions import Link, PortalApp, Section

# The neighbourhood fund's contributions (initiatives/fund/). While the fund's models are part of this app
# they are added to the initiatives' below; when the fund becomes an app of its own (label "fund"), this
# block moves to its FundConfig as its attributes (`home_sections = FUND_HOME_SECTIONS`, …, plus
# `demo = "initiatives.fund.demo"` instead of the call in initiatives/demo.py and `cache_labels = ["fund"]`),
# and the "+ FUND_…" below go.
FUND_HOME_SECTIONS = [Section(40, "initiatives.fund.views.home_section")]
FUND_DASHBOARD_SECTIONS = [Section(50, "initiatives.fund.dashboard.section")]
FUND_NAVIGATION = [Link(60, "fund:home", _("Neighbourhood fund"))]
FUND_ACCOUNT_NAVIGATION = [Link(50, "fund:my_applications", _("My applications"))]


class InitiativesConfig(PortalApp, AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    # What the app adds to the portal (quartier/contributions.py); positions order the entries across apps.
    home_sections = [Section(30, "initiatives.views.home_section")] + FUND_HOME_SECTIONS
    dashboard_sections = [Section(40, "initiatives.dashboard.section")] + FUND_DASHBOARD_SECTIONS
    navigation = [
        Link(10, "initiatives:list", _("Initiatives")),
        Link(50, "initiatives:volunteering", _("Get involved")),
    ] + FUND_NAVIGATION
    account_navigation = [Link(30, "initiatives:my_initiatives", _("My initiatives"))] + FUND_ACCOUNT_NAVIGATION
    privacy = "initiatives.privacy"
    demo = "initiatives.demo"
    cache_labels = ["initiatives"]
