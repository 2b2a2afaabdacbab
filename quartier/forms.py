from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .models import User


class PortalFormRenderer(TemplatesSetting):
    """Every form renders through templates/django/forms/, with error summaries linked to fields."""

    form_template_name = "django/forms/portal.html"
    field_template_name = "django/forms/portal_field.html"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language"]


class DeleteAccountForm(forms.Form):
    """Deleting the account asks for the password again and for an explicit confirmation."""

    password = forms.CharField(label=_("Your password"), strip=False, max_length=200,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=_("Yes, delete my account. I know this cannot be undone."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
