from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from quartier.contributions import Link, PortalApp, Section


class InitiativesConfig(PortalApp, AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")

    # What the app adds to the portal (quartier/contributions.py); positions order the entries across apps.
    home_sections = [Section(30, "initiatives.views.home_section")]
    dashboard_sections = [Section(40, "initiatives.dashboard.section")]
    navigation = [
        Link(10, "initiatives:list", _("Initiatives")),
        Link(50, "initiatives:volunteering", _("Get involved")),
    ]
    account_navigation = [Link(30, "initiatives:my_initiatives", _("My initiatives"))]
    privacy = "initiatives.privacy"
    demo = "initiatives.demo"
    api = "initiatives.api.router"
    report = "initiatives.report.section"
    cache_labels = ["initiatives"]
