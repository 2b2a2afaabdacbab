from django import forms
from django.forms.renderers import TemplatesSetting

from .models import User


class PortalFormRenderer(TemplatesSetting):
    """Every form renders through templates/django/forms/, with error summaries linked to fields."""

    form_template_name = "django/forms/portal.html"
    field_template_name = "django/forms/portal_field.html"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language"]
