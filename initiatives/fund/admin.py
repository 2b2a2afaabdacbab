"""The fund in the Django admin: funds, calls, jury editable and audited; applications, money entries and
receipts shown but changed only through the workflows (services); money entries corrected, never deleted."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from quartier.admin import PortalAdmin
from quartier.admin_inline import TabularInline
from quartier.audit import AuditedAdminMixin, AuditHistoryAdmin
from quartier.money import AmountField, euro, euro_column

from . import services
from .models import (
    Call,
    CostLine,
    Fund,
    FundApplication,
    FundAuditEntry,
    FundEntry,
    JuryMember,
    Receipt,
    ReportPhoto,
    Vote,
)


class FundAuditedAdmin(AuditedAdminMixin, PortalAdmin):
    """The fund's records document the use of public money: every admin save is audited, nothing is deleted."""

    record_change = staticmethod(services.record_change)


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Fund)
class FundAdmin(FundAuditedAdmin):
    list_display = [
        "name",
        "year",
        euro_column(Fund.total),
        euro_column(Fund.max_per_project),
        "cofinancing_share",
        "left",
    ]
    list_filter = ["year"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_money()

    @admin.display(description=_("budget left (EUR)"))
    def left(self, fund):
        return euro(fund.budget_left)


@admin.register(Call)
class CallAdmin(FundAuditedAdmin):
    list_display = ["title", "fund", "deadline", "session_date", "agenda_item"]
    list_filter = ["fund"]
    list_select_related = ["fund", "agenda_item"]
    search_fields = ["title", "fund__name"]
    autocomplete_fields = ["fund"]
    raw_id_fields = ["agenda_item"]


@admin.register(JuryMember)
class JuryMemberAdmin(FundAuditedAdmin):
    list_display = ["user", "fund", "term_from", "term_until"]
    list_filter = ["fund"]
    list_select_related = ["user", "fund"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user", "fund"]


class CostLineInline(ReadOnlyInline):
    model = CostLine
    fields = ["description", "amount"]
    readonly_fields = fields


class VoteInline(ReadOnlyInline):
    model = Vote
    fields = ["member", "choice"]
    readonly_fields = fields


class EntryInline(ReadOnlyInline):
    model = FundEntry
    fk_name = "application"
    fields = ["booked_on", "kind", "amount", "reason", "corrects", "entered_by"]
    readonly_fields = fields


class ReceiptInline(ReadOnlyInline):
    model = Receipt
    fields = ["description", "amount", "file", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(FundApplication)
class FundApplicationAdmin(FundAuditedAdmin):
    """Texts may be corrected by staff (audited); state and money change only through the fund pages."""

    list_display = ["title", "applicant", "initiative", "call", "status", "submitted_at"]
    list_filter = ["status", "call__fund", "call"]
    list_select_related = ["applicant", "initiative", "call__fund"]
    search_fields = ["title", "applicant__email", "applicant__display_name", "initiative__name"]
    autocomplete_fields = ["applicant", "initiative"]
    inlines = [CostLineInline, VoteInline, EntryInline, ReceiptInline]
    readonly_fields = [
        "call",
        "applicant",
        "initiative",
        "status",
        "submitted_at",
        "check_comment",
        "checked_at",
        "votes_for",
        "votes_against",
        "votes_abstaining",
        "decided_at",
        "report_submitted_at",
        "spending_note",
        "spending_checked_at",
        "closed_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False  # applications are made on the portal


class CorrectionForm(forms.Form):
    amount = AmountField(label=_("Change (EUR, negative to reduce)"), signed=True)
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(FundEntry)
class FundEntryAdmin(PortalAdmin):
    list_display = [
        "booked_on",
        "kind",
        euro_column(FundEntry.amount),
        "application",
        "reason",
        "corrects",
        "entered_by",
    ]
    list_filter = ["kind", "application__call__fund"]
    list_select_related = ["application", "corrects__application", "entered_by"]
    search_fields = ["application__title", "reason"]
    date_hierarchy = "booked_on"
    actions = ["correct_selected"]
    readonly_fields = ["application", "kind", "amount", "booked_on", "reason", "corrects", "entered_by", "created_at"]

    def has_add_permission(self, request):
        return False  # grants come from the jury's decision, payouts from the spending check page

    def has_change_permission(self, request, obj=None):
        return False  # never edited: a correction is a further entry

    def has_delete_permission(self, request, obj=None):
        return False

    def has_correct_permission(self, request):
        return request.user.has_perm("fund.correct_fundentry")

    @admin.action(description=_("Correct the selected entry (with reason)"), permissions=["correct"])
    def correct_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Please select exactly one entry to correct."), messages.ERROR)
            return None
        entry = queryset.get()
        form = CorrectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            try:
                services.correct_entry(
                    entry=entry, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, ngettext("%d entry corrected.", "%d entries corrected.", 1) % 1)
            return None
        return render(
            request,
            "admin/fund/correct_entry.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "entry": entry,
                "title": _("Correct a money entry"),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Receipt)
class ReceiptAdmin(PortalAdmin):
    list_display = ["application", "description", euro_column(Receipt.amount), "uploaded_by", "uploaded_at"]
    list_select_related = ["application", "uploaded_by"]
    search_fields = ["application__title", "description"]
    readonly_fields = ["application", "description", "amount", "file", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # receipts are accounting records


@admin.register(ReportPhoto)
class ReportPhotoAdmin(FundAuditedAdmin):
    list_display = ["alt", "application", "uploaded_at"]
    list_select_related = ["application"]
    search_fields = ["alt", "application__title"]
    readonly_fields = ["application", "image", "uploaded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(FundAuditEntry)
class FundAuditEntryAdmin(AuditHistoryAdmin):
    list_display = [*AuditHistoryAdmin.list_display, "fund"]
    list_filter = [*AuditHistoryAdmin.list_filter, "fund"]
    list_select_related = [*AuditHistoryAdmin.list_select_related, "fund"]
