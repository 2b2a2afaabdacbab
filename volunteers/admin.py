from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from quartier.admin import PortalAdmin
from quartier.admin_inline import TabularInline
from quartier.audit import AuditedAdminMixin, AuditHistoryAdmin
from quartier.money import euro, euro_column

from . import services
from .models import AuditEntry, Cap, Declaration, Engagement, Payment, Volunteer


class AuditedAdmin(AuditedAdminMixin, PortalAdmin):
    """Records behind payments are accounting data: every admin save is audited, nothing is deleted."""

    record_change = staticmethod(services.record_change)


@admin.register(Cap)
class CapAdmin(AuditedAdmin):
    list_display = ["from_year", euro_column(Cap.trainer_amount), euro_column(Cap.honorary_amount)]


class EngagementInline(TabularInline):
    model = Engagement
    fields = ["activity", "payer_initiative", "allowance_type", "starts_on", "ends_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # added on their own page, so that each one is audited


@admin.register(Volunteer)
class VolunteerAdmin(AuditedAdmin):
    list_display = ["name", "email", "masked_iban", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "email", "user__email", "user__display_name"]
    autocomplete_fields = ["user"]
    fields = ["name", "street", "postcode", "city", "email", "iban", "user", "statements_and_payments"]
    readonly_fields = ["statements_and_payments"]
    inlines = [EngagementInline]

    @admin.display(description=_("statements and payments"))
    def statements_and_payments(self, volunteer):
        """Her yearly statements (each year with payments, and this one) and her payments in the admin."""
        if volunteer.pk is None:
            return "–"
        years = {day.year for day in Payment.objects.filter(engagement__volunteer=volunteer).dates("paid_on", "year")}
        years.add(timezone.localdate().year)
        statements = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("volunteers:statement", args=[volunteer.pk, year]), _("Statement %(year)d") % {"year": year})
                for year in sorted(years, reverse=True)
            ),
        )
        payments = reverse("admin:volunteers_payment_changelist") + f"?{VolunteerFilter.parameter_name}={volunteer.pk}"
        return format_html('{}<br><a href="{}">{}</a>', statements, payments, _("Payments of this volunteer"))

    @admin.display(description=_("IBAN"))
    def masked_iban(self, volunteer):
        return volunteer.masked_iban


@admin.register(Engagement)
class EngagementAdmin(AuditedAdmin):
    list_display = ["volunteer", "activity", "payer", "allowance_type", "starts_on", "ends_on"]
    list_filter = ["allowance_type", "payer_initiative"]
    list_select_related = ["volunteer", "payer_initiative"]
    search_fields = ["volunteer__name", "volunteer__email", "activity", "payer_initiative__name"]
    autocomplete_fields = ["volunteer", "payer_initiative"]
    fields = ["volunteer", "payer_initiative", "activity", "allowance_type", "starts_on", "ends_on"]

    @admin.display(description=_("payer"))
    def payer(self, engagement):
        return engagement.payer_name


@admin.register(Declaration)
class DeclarationAdmin(AuditedAdmin):
    list_display = [
        "volunteer",
        "payer",
        "year",
        "allowance_type",
        euro_column(Declaration.received_elsewhere),
        euro_column(Declaration.share),
        "signed_on",
    ]
    list_filter = ["year", "allowance_type"]
    list_select_related = ["volunteer", "payer_initiative"]
    search_fields = ["volunteer__name", "volunteer__email", "payer_initiative__name"]
    autocomplete_fields = ["volunteer", "payer_initiative"]
    fields = [
        "volunteer",
        "payer_initiative",
        "year",
        "allowance_type",
        "received_elsewhere",
        "share",
        "signed_on",
        "document",
        "submitted_by",
        "created_at",
    ]
    readonly_fields = ["submitted_by", "created_at"]

    @admin.display(description=_("payer"))
    def payer(self, declaration):
        return declaration.payer_name

    def save_model(self, request, obj, form, change):
        obj.submitted_by = request.user  # a paper declaration, recorded by staff
        super().save_model(request, obj, form, change)


class PaymentAddForm(forms.ModelForm):
    """Staff book a payment; the cap rule is checked here and decided again under the lock when saving."""

    book_excess_as_taxable = forms.BooleanField(
        label=_("Book the part over the tax-free amount as taxable"),
        required=False,
        help_text=_("Only if the payment must be made anyway. The excess is shown as taxable on the statement."),
    )

    class Meta:
        model = Payment
        fields = ["engagement", "paid_on", "amount", "purpose", "reference", "book_excess_as_taxable", "taxable_reason"]

    def clean(self):
        data = super().clean()
        engagement, paid_on, amount = data.get("engagement"), data.get("paid_on"), data.get("amount")
        if engagement and paid_on and amount is not None:
            split = services.check_payment(engagement=engagement, paid_on=paid_on, amount=amount)
            if split.problem and not data.get("book_excess_as_taxable"):
                raise ValidationError(split.problem)
            if split.taxable and data.get("book_excess_as_taxable") and not data.get("taxable_reason", "").strip():
                self.add_error("taxable_reason", _("Please give the reason why the excess is booked as taxable."))
        return data


class ReverseReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the reversal"), max_length=180, widget=forms.Textarea(attrs={"rows": 3})
    )


class VolunteerFilter(admin.SimpleListFilter):
    """The payments of one volunteer (the link on her page); offers only the chosen one, not every volunteer."""

    title = _("volunteer")
    parameter_name = "volunteer"

    def lookups(self, request, model_admin):
        volunteer = Volunteer.objects.filter(pk=self.value()).first() if str(self.value()).isdigit() else None
        return [(str(volunteer.pk), volunteer.name)] if volunteer else []

    def has_output(self):
        return self.value() is not None

    def queryset(self, request, queryset):
        if str(self.value()).isdigit():
            return queryset.filter(engagement__volunteer_id=int(self.value()))
        return queryset


@admin.register(Payment)
class PaymentAdmin(PortalAdmin):
    form = PaymentAddForm
    list_display = [
        "paid_on",
        "volunteer",
        "payer_and_allowance",
        euro_column(Payment.amount),
        euro_column(Payment.taxable_amount),
        "purpose",
        "reversed_payment",
    ]  # who entered it: on the payment's page (the list fits 1280 px without it)
    list_filter = [VolunteerFilter, "engagement__allowance_type", "engagement__payer_initiative"]
    list_select_related = ["engagement__volunteer", "engagement__payer_initiative", "reverses"]
    search_fields = ["engagement__volunteer__name", "engagement__volunteer__email", "purpose", "reference"]
    date_hierarchy = "paid_on"
    autocomplete_fields = ["engagement"]
    actions = ["reverse_selected"]
    readonly_fields = [
        "engagement",
        "paid_on",
        "amount",
        "taxable_amount",
        "taxable_reason",
        "purpose",
        "reference",
        "reverses",
        "entered_by",
        "created_at",
    ]

    @admin.display(description=_("volunteer"))
    def volunteer(self, payment):
        return payment.engagement.volunteer

    @admin.display(description=_("payer and allowance"))
    def payer_and_allowance(self, payment):
        """One column for both (the list fits 1280 px): the payer, below it the allowance."""
        engagement = payment.engagement
        return format_html("{}<br>{}", engagement.payer_name, engagement.get_allowance_type_display())

    @admin.display(description=_("reverses"), ordering="reverses__paid_on")
    def reversed_payment(self, payment):
        """The payment a reversal cancels, short: its date and amount, linked (the whole name is long)."""
        if payment.reverses is None:
            return None
        original = payment.reverses
        url = reverse("admin:volunteers_payment_change", args=[original.pk])
        label = f"{date_format(original.paid_on, 'SHORT_DATE_FORMAT')}, {euro(original.amount)}"
        return format_html('<a href="{}">{}</a>', url, label)

    def has_change_permission(self, request, obj=None):
        return False  # payments are never edited: a correction is a reversal

    def has_delete_permission(self, request, obj=None):
        return False  # payout records are kept (§ 147 AO)

    def has_reverse_permission(self, request):
        return request.user.has_perm("volunteers.reverse_payment")

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else PaymentAddForm.Meta.fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def add_view(self, request, form_url="", extra_context=None):
        """A payment refused under the lock (someone booked first) shows the form again, never an error page."""
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as error:  # raised by record_payment in save_model, rolled back by the admin
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        payment = services.record_payment(
            engagement=data["engagement"],
            paid_on=data["paid_on"],
            amount=data["amount"],
            purpose=data["purpose"],
            reference=data["reference"],
            entered_by=request.user,
            book_excess_as_taxable=data["book_excess_as_taxable"],
            taxable_reason=data["taxable_reason"],
        )
        obj.pk = payment.pk
        obj.refresh_from_db()

    @admin.action(description=_("Reverse selected payments (with reason)"), permissions=["reverse"])
    def reverse_selected(self, request, queryset):
        form = ReverseReasonForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            done = 0
            for payment in queryset:
                try:
                    services.reverse_payment(payment=payment, by=request.user, reason=form.cleaned_data["reason"])
                    done += 1
                except ValidationError as error:
                    self.message_user(request, f"{payment}: {' '.join(error.messages)}", messages.ERROR)
            if done:
                self.message_user(request, ngettext("%d payment reversed.", "%d payments reversed.", done) % done)
            return None
        return render(
            request,
            "admin/volunteers/reverse_reason.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "payments": queryset,
                "title": _("Reverse payments"),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditHistoryAdmin):
    list_display = [*AuditHistoryAdmin.list_display, "volunteer"]
    list_select_related = [*AuditHistoryAdmin.list_select_related, "volunteer"]
    search_fields = ["object_repr", "volunteer__name", "by__email"]
