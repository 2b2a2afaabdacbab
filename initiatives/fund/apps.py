from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    """The neighbourhood fund: an app of its own above `initiatives` (applications belong to its initiatives)."""

    name = "initiatives.fund"
    label = "fund"
    verbose_name = _("Neighbourhood fund")
