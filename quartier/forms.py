import functools
import unicodedata

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import form_rendering
from .dates import END_BEFORE_START, ends_before_start, plausible_date_field, plausible_range, plausible_year
from .models import User
from .report import Period

# Line breaks, tabs and every other control character (Unicode Cc), and the line and paragraph separators.
CONTROL_CATEGORIES = {"Cc", "Zl", "Zp"}


def validate_single_line(value: str) -> None:
    """A one-line input holds no line break or other control character: in a mail header (a subject, a name) one
    would make the mail fail or add a header of its own ("Bcc:")."""
    if any(unicodedata.category(char) in CONTROL_CATEGORIES for char in value):
        raise ValidationError(
            _("Please write this on one line, without line breaks, tabs or other control characters."),
            code="control_characters",
        )


def is_single_line(field: forms.CharField) -> bool:
    """Every text input but a textarea (line breaks wanted) and a password (never shown, mailed or stored)."""
    return not isinstance(field.widget, (forms.Textarea, forms.PasswordInput))


def refuse_control_characters_in_single_line_inputs() -> None:
    """Installed once at start-up (QuartierConfig.ready): every form field that is a text input of any form of the
    portal (model forms, plain forms, the admin's, allauth's sign-up and log-in) refuses control characters.

    It hooks `forms.CharField.to_python`, which every text field (EmailField, SlugField, URLField…) runs, so that
    no form has to remember it."""
    to_python = forms.CharField.to_python
    if getattr(to_python, "single_line", False):
        return

    def single_line_to_python(self, value):
        value = to_python(self, value)
        if isinstance(value, str) and is_single_line(self):
            validate_single_line(value)
        return value

    single_line_to_python.single_line = True
    forms.CharField.to_python = single_line_to_python


class OneQueryChoiceIterator(ModelChoiceIterator):
    """The choices of a model choice field (the filters' categories, topics, conferences; the admin's selects)
    from one ordinary query. Django's iterator reads them through a server-side cursor, on PostgreSQL three
    statements (DECLARE … WITH HOLD, FETCH, CLOSE) for a list of a few dozen rows on every form shown."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.objects():
            yield self.choice(obj)

    def objects(self):
        return self.queryset.all()


def offer_loaded(field: forms.ModelChoiceField, objects: list) -> None:
    """A model choice field's options from objects already loaded (the form needed them anyway, say to know
    whether to show the field at all): no second query for the same rows. What is sent is still looked up
    in the field's queryset."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = [*empty, *((field.prepare_value(obj), field.label_from_instance(obj)) for obj in objects)]


class CompiledChoiceIterator(OneQueryChoiceIterator):
    """The options from a query compiled once per process (quartier.sql.plain_objects), read when the field is
    shown: a filter's categories, topics or equipment on every request."""

    def objects(self):
        return self.field.compiled_options()


def offer_compiled(field: forms.ModelChoiceField, key: str, build) -> None:
    """A model choice field's options from `build()` (the same rows as its queryset), compiled once and read
    once per form: what is sent is looked up among them too, so a filter that is both checked and shown again
    (every list page's filter) costs one query, not two."""
    field.iterator = CompiledChoiceIterator
    field.widget.choices = field.choices
    field.compiled_options = functools.partial(_compiled_options, field, key, build)
    if isinstance(field, forms.ModelMultipleChoiceField):
        field._check_values = functools.partial(_pick_options, field)
        field.clean = functools.partial(_clean_options, field)
    else:
        field.to_python = functools.partial(_pick_option, field)


def _compiled_options(field, key: str, build) -> list:
    """The field's options, read at most once: the field is its form's own copy, so once per form."""
    if getattr(field, "_options", None) is None:
        from .sql import plain_objects

        field._options = plain_objects(key, build)
    return field._options


def _options_by_value(field) -> dict:
    return {str(field.prepare_value(option)): option for option in field.compiled_options()}


def _invalid_choice(field, value) -> ValidationError:
    return ValidationError(field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


def _pick_option(field, value):
    """ModelChoiceField.to_python among the compiled options: the option sent, None for nothing."""
    if value in field.empty_values:
        return None
    field.validate_no_null_characters(value)
    if isinstance(value, field.queryset.model):
        value = field.prepare_value(value)
    option = _options_by_value(field).get(str(value))
    if option is None:
        raise _invalid_choice(field, value)
    return option


def _clean_options(field, value) -> list:
    """ModelMultipleChoiceField.clean among the compiled options: a list, empty where nothing was chosen (Django
    gives `queryset.none()` for that, and each test of it, `if chosen:`, compiles a query)."""
    chosen = forms.ModelMultipleChoiceField.clean(field, value)
    return [] if isinstance(chosen, QuerySet) else chosen


def _pick_options(field, values) -> list:
    """ModelMultipleChoiceField._check_values among the compiled options: the options sent, in the options'
    order (a list, where Django's gives a queryset of the same rows)."""
    try:
        values = frozenset(str(value) for value in values)
    except TypeError:  # a list of lists, say
        raise ValidationError(field.error_messages["invalid_list"], code="invalid_list") from None
    by_value = _options_by_value(field)
    for value in sorted(values):
        field.validate_no_null_characters(value)
        if value not in by_value:
            raise _invalid_choice(field, value)
    return [option for known, option in by_value.items() if known in values]


def fetch_choices_in_one_query() -> None:
    """Installed once at start-up (QuartierConfig.ready): every model choice field of the portal, the admin's
    and allauth's included, uses `OneQueryChoiceIterator`."""
    forms.ModelChoiceField.iterator = OneQueryChoiceIterator


class PortalFormRenderer(TemplatesSetting):
    """Every form renders through templates/django/forms/, with error summaries linked to fields. Django's own
    widget and label templates are rendered in Python instead, with the same output (quartier/form_rendering.py),
    as long as no template of the same name stands in front of them."""

    form_template_name = "django/forms/portal.html"
    field_template_name = "django/forms/portal_field.html"

    def render(self, template_name, context, request=None):
        return self._render(template_name, context, request).strip()

    def _render(self, template_name, context, request=None) -> str:
        fast = self._fast(template_name)
        if fast is not None:
            written = fast(self._render, context)
            if written is not None:  # None: a case the Python leaves to the template
                return written
        return self.get_template(template_name).render(context, request=request)

    @cached_property
    def _fast_renderers(self) -> dict:
        return {}

    def _fast(self, template_name):
        """The Python rendering of a template, if it is one of Django's own that form_rendering writes out (the
        answer kept per name: which file a name loads does not change while the process runs; with DEBUG, where
        templates change under a running server, it is asked each time)."""
        known = {} if settings.DEBUG else self._fast_renderers
        if template_name not in known:
            known[template_name] = form_rendering.written_out(template_name, self.get_template)
        return known[template_name]


class _OneTimeCode:
    """The code of an authenticator app or a recovery code (both digits): the phone offers its number pad and
    the code the app or a password manager fills in (WCAG 2.2, 3.3.8: copying and pasting is never blocked)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "off", "spellcheck": "false"}
        )


class AuthenticateForm(_OneTimeCode, mfa_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_OneTimeCode, mfa_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(_OneTimeCode, totp_forms.ActivateTOTPForm):
    pass


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with the name others see (so that nobody's e-mail address has to stand in for it), the
    language the page was in, and the same work whether or not the address already has an account."""

    display_name = forms.CharField(
        label=_("Your name as others see it"),
        max_length=80,
        help_text=_("For example your first name, or first name and initial. Others never see your e-mail address."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language  # mails to the new account come in the language it signed up in
        user.save(update_fields=["display_name", "language"])

    def try_save(self, request):
        if self.account_already_exists:
            # A new account costs a password hash (about half a second with PBKDF2); allauth's path for a known
            # address (no account, a mail to its owner) costs none. The same work makes both take as long.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language"]


class DeleteAccountForm(forms.Form):
    """Deleting the account asks for the password again and for an explicit confirmation."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label=_("Yes, delete my account. I know this cannot be undone."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class ReportPeriodForm(forms.Form):
    """The period of the annual report: a year, or from one day to another (both included)."""

    year = forms.IntegerField(label=_("Year"), required=False)
    start = plausible_date_field(label=_("From"), required=False)
    end = plausible_date_field(label=_("Until"), required=False)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not plausible_year(year):
            raise ValidationError(
                _("Please choose a year between %(first)s and %(last)s.")
                % {"first": plausible_range()[0].year, "last": plausible_range()[1].year},
                code="implausible",
            )
        return year

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors:
            raise ValidationError(_("Please give both days of the period, or a year."), code="incomplete")
        if start and end and ends_before_start(start, end):
            self.add_error("end", END_BEFORE_START)
        return data

    def period(self, today) -> Period:
        """The chosen period; this year while nothing valid was chosen."""
        if self.is_bound and self.is_valid():
            if self.cleaned_data["start"]:
                return Period(self.cleaned_data["start"], self.cleaned_data["end"])
            if self.cleaned_data["year"]:
                return Period.year(self.cleaned_data["year"])
        return Period.year(today.year)
