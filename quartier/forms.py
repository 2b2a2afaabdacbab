from datetime import datetime, timedelta

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User


class PortalFormRenderer(TemplatesSetting):
    """Every form renders through templates/django/forms/, with error summaries linked to fields."""

    form_template_name = "django/forms/portal.html"
    field_template_name = "django/forms/portal_field.html"


class SignupForm(forms.Form):
    """What allauth's sign-up asks besides address and password (ACCOUNT_SIGNUP_FORM_CLASS): the name others see,
    so that nobody's e-mail address has to stand in for it."""

    display_name = forms.CharField(
        label=_("Your name as others see it"), max_length=80,
        help_text=_("For example your first name, or first name and initial. Others never see your e-mail address."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


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


# Date and time inputs of every app (apps import them from here, the hall, not from each other).
class _NativeInputMixin:
    """A native date/time input: a typed value it cannot hold is not echoed back (invalid HTML, and the
    browser would drop it anyway); the error message says what was wrong."""

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.strptime(value.strip(), self.format)
            except ValueError:
                return None
        return super().format_value(value)


class DateInput(_NativeInputMixin, forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(_NativeInputMixin, forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def reasonable_date(value):
    """Dates far outside any booking horizon are typing mistakes (and year 1 or 9999 break time zones)."""
    today = timezone.localdate()
    if value is not None and not (today - timedelta(days=366) <= value <= today + timedelta(days=5 * 366)):
        raise forms.ValidationError(_("Please choose a date between %(start)s and %(end)s.") % {
            "start": (today - timedelta(days=366)).strftime("%d.%m.%Y"),
            "end": (today + timedelta(days=5 * 366)).strftime("%d.%m.%Y"),
        })
    return value
