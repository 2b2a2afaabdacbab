import datetime
import json
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import construct_change_message
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from . import mail
from .content_languages import ContentAdmin
from .models import Office, OutgoingMail, User
from .staff import passed_second_factor


class ChangeMessageMixin:
    """The admin's history names each changed field with its old and new value ("Titel: „Alt“ → „Neu“"), in the
    portal's language (German), instead of Django's bare list of field names. Used by every portal admin (see
    `PortalAdmin`). Secrets (passwords, IBANs) are named without their values."""

    SECRET_FIELDS = ("password", "iban")

    def construct_change_message(self, request, form, formsets, add=False):
        if add:
            return super().construct_change_message(request, form, formsets, add)
        with translation.override(settings.LANGUAGE_CODE):
            parts = [self._field_change(form, name) for name in form.changed_data if name in form.fields]
            text = gettext("Changed: %(changes)s.") % {"changes": "; ".join(parts)} if parts else ""
            inline = [
                part
                for part in construct_change_message(form, formsets, add)
                if "name" in part.get("changed", {"name": ""})  # the inlines' rows, not the form's field list
            ]
            if inline:
                inline_text = LogEntry(change_message=json.dumps(inline)).get_change_message()
                text = f"{text} {inline_text}".strip()
        return text or super().construct_change_message(request, form, formsets, add)

    def _field_change(self, form, name) -> str:
        field = form.fields[name]
        label = str(field.label or name)
        if name in self.SECRET_FIELDS or isinstance(field.widget, forms.PasswordInput):
            return gettext("%(field)s changed") % {"field": label}
        old = _shown(field, form[name].initial)
        new = _shown(field, form.cleaned_data.get(name))
        return gettext("%(field)s: “%(old)s” → “%(new)s”") % {"field": label, "old": old, "new": new}


def _shown(field, value) -> str:
    """A form value as a person reads it: the name of a record or a choice, a local date, an amount."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        items = list(value or [])
        if items and not hasattr(items[0], "pk"):
            items = field.queryset.filter(pk__in=items)
        return ", ".join(sorted(str(item) for item in items)) or "–"
    if isinstance(field, forms.ModelChoiceField):
        if value is not None and not hasattr(value, "pk"):
            value = field.queryset.filter(pk=value).first()
        return str(value) if value is not None else "–"
    if isinstance(field, forms.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(field, forms.ChoiceField):
        choices = {}
        for key, label in field.choices:
            choices.update(dict(label) if isinstance(label, (list, tuple)) else {key: label})
        value = choices.get(value, value)
    if value in (None, ""):
        return "–"
    if isinstance(value, datetime.datetime):
        return formats.date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT"
        )
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=2)
    if hasattr(value, "name") and hasattr(value, "storage"):  # an uploaded or stored file
        return value.name or "–"
    return Truncator(str(value)).chars(80)


class PortalAdmin(ChangeMessageMixin, admin.ModelAdmin):
    """The base of every portal admin."""


class DeletedFilter(admin.SimpleListFilter):
    """Accounts their owners deleted (the row stays as a pseudonym for the records that must be kept)."""

    title = _("account deleted")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", _("deleted")), ("no", _("active or blocked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


@admin.register(User)
class UserAdmin(ChangeMessageMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "language", "is_staff", "is_active", "date_joined", "deleted_at"]
    list_filter = [DeletedFilter, "is_staff", "is_superuser", "is_active", "language", "groups"]
    readonly_fields = ["deleted_at"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "deleted_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    # Who may grant powers: only a superuser. Office staff manage residents' accounts, not rights.
    SUPERUSER_FIELDS = ["is_superuser", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else fields + self.SUPERUSER_FIELDS

    def has_change_permission(self, request, obj=None):
        """A superuser's account (its password too) is changed by superusers only."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts go only through the portal's erasure (Konto löschen), which keeps what must be kept


@admin.register(Office)
class OfficeAdmin(ContentAdmin, PortalAdmin):
    """The single office record: no list to add to, nothing to delete."""

    fieldsets = [
        (None, {"fields": ["name", "district", "about"]}),
        (_("Contact"), {"fields": ["street", "postcode", "city", "phone", "email", "opening_hours"]}),
        (_("Legal"), {"fields": ["operator", "representative", "imprint", "privacy", "accessibility"]}),
        (
            _("Easy-to-read German and sign language"),
            {"fields": ["leichte_sprache", "sign_language_video", "sign_language_url"]},
        ),
        (_("Open data"), {"fields": ["data_licence", "data_licence_url"]}),
    ]

    def has_add_permission(self, request):
        return not Office.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        office = Office.load()
        return redirect("admin:quartier_office_change", office.pk)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(PortalAdmin):
    """Every queued and sent mail: staff see what failed and send it again. The content is not shown (a mail
    may carry a password reset link), and a sent mail keeps only its envelope."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "to",
        "language",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "claimed_by",
        "last_error",
        "created_at",
        "sent_at",
        "uid",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = mail.send_again(queryset)
        self.message_user(
            request,
            _("%(count)d mail(s) will be sent again; mails already sent are left alone.") % {"count": count},
            messages.SUCCESS,
        )


def admin_login(request, extra_context=None):
    """The admin has no login form of its own: everyone comes in through the portal's log-in, with its rate
    limits and the second factor. A signed-in account that may not use the admin is refused."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated:
        if not admin.site.has_permission(request):
            raise PermissionDenied
        return redirect(next_url or "admin:index")
    return redirect_to_login(next_url or reverse("admin:index"), reverse("account_login"))


def _admin_has_permission(request) -> bool:
    """Django's rule (active staff account) and this session passed the second factor."""
    return admin.AdminSite.has_permission(admin.site, request) and passed_second_factor(request)


admin.site.login = never_cache(admin_login)
admin.site.has_permission = _admin_has_permission
