from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .contributions import PortalApp, Section


class QuartierConfig(PortalApp, AppConfig):
    name = "quartier"
    verbose_name = _("Portal and office")

    # What the portal itself adds (quartier/contributions.py): the mail part of the staff dashboard, last.
    # (The staff dashboard's link in the account menu depends on the person and stays in context_processors.)
    home_sections = []
    dashboard_sections = [Section(90, "quartier.dashboard.section")]
    navigation = []
    account_navigation = []
    privacy = None  # the account itself is erased by quartier/privacy.py, after the apps' hooks
    demo = None  # the office and the demo accounts come from the seed_demo command itself
    api = None  # quartier/api.py builds the API from the apps' routers and adds none of its own
    report = None  # the portal itself counts nothing of its own: quartier/report.py assembles the apps' sections
    cache_labels = []

    def ready(self):
        from allauth.account.signals import email_confirmed
        from django.db.backends.signals import connection_created
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from .caching import content_changed
        from .choice_labels import install as choice_labels_from_a_table
        from .counter import claim_on_confirmation
        from .forms import fetch_choices_in_one_query, refuse_control_characters_in_single_line_inputs
        from .sql import read_timestamps_in_c
        from .sql import register as register_lookups
        from .staff import sync_office_group
        from .template_i18n import install as cheaper_translate_tags
        from .template_values import install as cheaper_variables

        refuse_control_characters_in_single_line_inputs()
        fetch_choices_in_one_query()
        register_lookups()  # field__any_of (quartier/sql.py)
        choice_labels_from_a_table()  # get_FOO_display() (quartier/choice_labels.py)
        cheaper_variables()  # {{ a string }}, {{ an integer }} (quartier/template_values.py)
        cheaper_translate_tags()  # {% translate %}, {% blocktranslate %} (quartier/template_i18n.py)
        connection_created.connect(read_timestamps_in_c, dispatch_uid="quartier.sql.read_timestamps_in_c")

        # Any write to the data of the pages with cached fragments starts a new generation (quartier/caching.py).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, dispatch_uid="quartier.caching.content_changed")
        # The office group holds every permission of the portal's apps, also of models added later.
        post_migrate.connect(sync_office_group, dispatch_uid="quartier.staff.sync_office_group")
        # A person served at the office counter signs up later: what was entered for her address joins her account.
        email_confirmed.connect(claim_on_confirmation, dispatch_uid="quartier.counter.claim_on_confirmation")
        name_allauth_mfa_in_the_portals_words()


def name_allauth_mfa_in_the_portals_words() -> None:
    """allauth calls its app "MFA" and leaves its model without a (translated) name: the admin said
    "MFA / Authenticators" in German too."""
    from allauth.mfa.models import Authenticator
    from django.apps import apps

    apps.get_app_config("mfa").verbose_name = _("Two-factor authentication")
    Authenticator._meta.verbose_name = _("authenticator")
    Authenticator._meta.verbose_name_plural = _("authenticators")
