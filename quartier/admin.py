from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Office, User


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
