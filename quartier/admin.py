from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from . import mail
from .content_languages import ContentAdmin
from .models import Office, OutgoingMail, User
from .staff import passed_second_factor


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
class UserAdmin(DjangoUserAdmin):
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


@admin.register(Office)
class OfficeAdmin(ContentAdmin):
    """The single office record: no list to add to, nothing to delete."""

    fieldsets = [
        (None, {"fields": ["name", "district", "about"]}),
        (_("Contact"), {"fields": ["street", "postcode", "city", "phone", "email", "opening_hours"]}),
        (_("Legal"), {"fields": ["operator", "representative", "imprint", "privacy", "accessibility"]}),
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
class OutgoingMailAdmin(admin.ModelAdmin):
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
