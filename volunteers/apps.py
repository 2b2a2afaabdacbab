from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from quartier.contributions import Link, PortalApp, Section


class VolunteersConfig(PortalApp, AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers and allowances")

    # What the app adds to the portal (quartier/contributions.py); positions order the entries across apps.
    home_sections = []
    dashboard_sections = [Section(30, "volunteers.dashboard.section")]
    navigation = []
    account_navigation = [Link(40, "volunteers:my_allowances", _("My allowances"))]
    privacy = "volunteers.privacy"
    demo = "volunteers.demo"
    api = None  # nothing of the volunteers is open data
    report = "volunteers.report.section"
    cache_labels = []  # no cached fragment shows volunteers' data

    def ready(self):
        from django.db.models.signals import post_migrate

        from .caps import restore_statutory_caps

        # The shipped caps are back after every migrate and flush (volunteers/caps.py).
        post_migrate.connect(restore_statutory_caps, sender=self, dispatch_uid="volunteers.caps.restore")
