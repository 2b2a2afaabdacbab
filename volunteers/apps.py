from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers and allowances")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .caps import restore_statutory_caps

        # The shipped caps are back after every migrate and flush (volunteers/caps.py).
        post_migrate.connect(restore_statutory_caps, sender=self, dispatch_uid="volunteers.caps.restore")
