from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import mail
from .models import Office, OutgoingMail, User


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


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
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
    fields = ["to", "language", "subject", "status", "attempts", "next_attempt_at", "lease_until", "claimed_by",
              "last_error", "created_at", "sent_at", "uid"]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = mail.send_again(queryset)
        self.message_user(request, _("%(count)d mail(s) will be sent again; mails already sent are left alone.")
                          % {"count": count}, messages.SUCCESS)
