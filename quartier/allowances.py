"""The two tax-free allowances for volunteers, one vocabulary for the whole portal.

Volunteers' engagements, declarations and payments (volunteers/) and the initiatives' volunteering offers
(initiatives/) store these values. The enum lives here, below both apps, because volunteers/ imports
initiatives/ and an app imports downwards only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AllowanceType(models.TextChoices):
    TRAINER = "trainer", _("Übungsleiter allowance (§ 3 No. 26 EStG)")
    HONORARY = "honorary", _("Ehrenamt allowance (§ 3 No. 26a EStG)")
