"""The audit trail: who changed what when. One abstract base for the apps' entry tables (each app keeps its own
table, with the record it is filed under), one way to write an entry, one admin mixin for audited models and one
read-only admin for the history."""

from decimal import Decimal

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _value(value):
    """A value as JSON can hold it: records by their name, amounts exactly, dates in ISO format."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (str, int, float, bool, list, dict, type(None))):
        return value
    return str(value)


def snapshot(obj: models.Model) -> dict:
    """The editable field values of a record, for the 'what' of an audit entry."""
    return {f.name: _value(getattr(obj, f.name)) for f in obj._meta.concrete_fields if f.editable and f.name != "id"}


def diff(before: dict, after: dict) -> dict:
    """The changed values as [before, after]."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


class AuditEntryBase(models.Model):
    """Who changed what when. A concrete entry adds `Action` choices on `action` and the record it is filed under
    (the volunteer, the fund), which its app's `record_change` passes to `record`."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("action"), max_length=10)
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=250)
    changes = models.JSONField(_("what"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.by or '–'}: {self.get_action_display()} {self.object_repr}"

    @classmethod
    def record(cls, *, obj: models.Model, by, action: str, changes: dict | None = None, **scope):
        """Writes one entry for a change of `obj` by `by` (None or anonymous: the system); `scope` names the record
        it is filed under (e.g. `fund=…`, `volunteer_id=…`)."""
        return cls.objects.create(
            by=by if by is not None and by.is_authenticated else None,
            action=action,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            object_repr=str(obj)[:250],
            changes={key: _value(value) for key, value in (changes or {}).items()},
            **scope,
        )


class AuditedAdminMixin:
    """Every save through the admin writes an audit entry with the changed values, through the app's
    `record_change` (set as `record_change = staticmethod(services.record_change)`); nothing is deleted (the
    records are accounting data)."""

    record_change = None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        self.record_change(
            obj=obj,
            by=request.user,
            action="changed" if change else "created",
            changes=diff(before, after) if change else after,
        )


class AuditHistoryAdmin(admin.ModelAdmin):
    """The history, read-only for everyone: entries are written by the services and the admin, never by hand."""

    list_display = ["at", "by", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    list_select_related = ["by", "content_type"]
    search_fields = ["object_repr", "by__email"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
