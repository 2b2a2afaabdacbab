from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuartierConfig(AppConfig):
    name = "quartier"
    verbose_name = _("Portal and office")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from .caching import content_changed
        from .forms import refuse_control_characters_in_single_line_inputs
        from .staff import sync_office_group

        refuse_control_characters_in_single_line_inputs()

        # Any write to the data of the pages with cached fragments starts a new generation (quartier/caching.py).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, dispatch_uid="quartier.caching.content_changed")
        # The office group holds every permission of the portal's apps, also of models added later.
        post_migrate.connect(sync_office_group, dispatch_uid="quartier.staff.sync_office_group")
