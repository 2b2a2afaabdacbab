from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from quartier.admin import PortalAdmin
from quartier.admin_inline import TabularInline
from quartier.audit import AuditHistoryAdmin, diff
from quartier.content_languages import ContentAdmin, search_columns
from quartier.images import clean_image_field
from quartier.money import AmountField, amount_text, euro_column
from quartier.staff import office_staff_users

from . import reconfirm, services
from .models import (
    AuditEntry,
    BookableHours,
    Booking,
    BookingSeries,
    Closure,
    Equipment,
    Location,
    Purpose,
    Room,
    RoomPhoto,
    WaitlistEntry,
)


@admin.register(Equipment, Purpose)
class NamedAdmin(ContentAdmin, PortalAdmin):
    list_display = ["name", "slug"]
    search_fields = search_columns("name")
    prepopulated_fields = {"slug": ["name"]}


class RoomInline(TabularInline):
    model = Room
    fields = ["name", "slug", "capacity", "is_active"]
    show_change_link = True
    extra = 0


@admin.register(Location)
class LocationAdmin(PortalAdmin):
    list_display = ["name", "street", "contact_phone"]
    search_fields = ["name", "street"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoomInline]


class BookableHoursInline(TabularInline):
    model = BookableHours
    extra = 0


class RoomPhotoForm(forms.ModelForm):
    class Meta:
        model = RoomPhoto
        fields = ["image", "alt_text", "position"]

    def clean_image(self):
        return clean_image_field(self.cleaned_data.get("image"))


class RoomPhotoInline(TabularInline):
    model = RoomPhoto
    form = RoomPhotoForm
    extra = 0


@admin.register(Room)
class RoomAdmin(ContentAdmin, PortalAdmin):
    list_display = [
        "name",
        "location",
        "capacity",
        "step_free",
        "requires_approval",
        euro_column(Room.fee_per_hour),
        "is_active",
    ]
    list_filter = ["location", "is_active", "requires_approval", "step_free", "equipment", "bookable_by"]
    list_select_related = ["location"]
    search_fields = ["name", "location__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["equipment", "purposes"]
    autocomplete_fields = ["location"]
    inlines = [BookableHoursInline, RoomPhotoInline]
    fieldsets = [
        (None, {"fields": ["location", "name", "slug", "description", "capacity", "area_m2", "is_active"]}),
        (
            _("Equipment and accessibility"),
            {"fields": ["equipment", "purposes", "step_free", "accessible_toilet", "hearing_loop"]},
        ),
        (
            _("Booking rules"),
            {
                "fields": [
                    "bookable_by",
                    "requires_approval",
                    "min_duration_minutes",
                    "max_duration_minutes",
                    "min_notice_hours",
                    "max_advance_days",
                    "max_advance_days_private",
                    "cancellation_deadline_hours",
                    "waitlist_hold_hours",
                    "reconfirm_every_weeks",
                    "reconfirm_term_dates",
                    "reconfirm_notice_days",
                    "reconfirm_reminder_days",
                    "no_show_alert_after",
                    "fee_per_hour",
                    "deposit",
                    "house_rules",
                ]
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        room = form.instance
        if not change and not room.bookable_hours.exists():
            BookableHours.objects.bulk_create(BookableHours(room=room, weekday=day) for day in range(7))


@admin.register(Closure)
class ClosureAdmin(PortalAdmin):
    list_display = ["reason", "room", "location", "starts_at", "ends_at"]
    list_filter = ["location", "room"]
    list_select_related = ["room", "location"]
    date_hierarchy = "starts_at"
    search_fields = ["reason"]
    autocomplete_fields = ["room", "location"]


class StaffBookingForm(forms.ModelForm):
    """Staff book on behalf of a resident; notice and lead-time rules do not apply to them."""

    class Meta:
        model = Booking
        fields = [
            "room",
            "booked_by",
            "starts_at",
            "ends_at",
            "title",
            "attendees",
            "responsible_name",
            "responsible_phone",
            "responsible_email",
            "show_title",
            "private_use",
        ]

    def clean(self):
        data = super().clean()
        room, start, end = data.get("room"), data.get("starts_at"), data.get("ends_at")
        if room and start and end:
            problems = services.check_booking(
                room=room,
                starts_at=start,
                ends_at=end,
                attendees=data.get("attendees"),
                booked_by=data.get("booked_by"),
                staff=True,
            )
            if problems:
                raise ValidationError(problems)
        return data


class DeclineReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (mailed to the booker)"), widget=forms.Textarea(attrs={"rows": 3}))


class SettleDepositForm(forms.Form):
    withheld = AmountField(label=_("Amount withheld (EUR, 0 to return it all)"), initial="0")
    reason = forms.CharField(
        label=_("Reason (required when something is withheld)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class KeyFilter(admin.SimpleListFilter):
    """Where the key is: out, back, or still out although the booking is over (to chase up)."""

    title = _("key")
    parameter_name = "key"

    def lookups(self, request, model_admin):
        return [
            ("issued", _("issued, not yet returned")),
            ("returned", _("returned")),
            ("overdue", _("not returned after the end")),
        ]

    def queryset(self, request, queryset):
        out = queryset.filter(key_issued_at__isnull=False, key_returned_at__isnull=True)
        if self.value() == "issued":
            return out
        if self.value() == "returned":
            return queryset.filter(key_returned_at__isnull=False)
        if self.value() == "overdue":
            return out.filter(ends_at__lte=timezone.now())
        return queryset


class AwaitingApprovalFilter(admin.SimpleListFilter):
    title = _("approval queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", _("requests waiting for approval"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(status=Booking.Status.REQUESTED, ends_at__gt=timezone.now())
        return queryset


@admin.register(Booking)
class BookingAdmin(PortalAdmin):
    # Seven short columns fit a 1280 px screen beside the admin's menu and filters (status, key and deposit included).
    list_display = ["title", "room_name", "time_span", "booked_by", "status", "key_state", "deposit_state"]
    list_filter = [
        AwaitingApprovalFilter,
        KeyFilter,
        "status",
        "room",
        "room__location",
        "private_use",
        "deposit_state",
    ]
    list_select_related = ["room__location", "booked_by"]
    search_fields = ["title", "booked_by__email", "booked_by__display_name", "responsible_name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["booked_by"]
    actions = ["confirm_selected", "decline_selected", "cancel_selected", "settle_deposit", "record_no_show"]
    readonly_fields = [
        "room",
        "booked_by",
        "series",
        "starts_at",
        "ends_at",
        "status",
        "fee",
        "deposit",
        "deposit_withheld",
        "deposit_paid_back",
        "decline_reason",
        "cancelled_at",
        "cancelled_by",
        "decided_by",
        "created_by",
        "reminder_sent_at",
        "created_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "room",
                    "booked_by",
                    "series",
                    "starts_at",
                    "ends_at",
                    "status",
                    "title",
                    "attendees",
                    "show_title",
                    "private_use",
                    "fee",
                    "deposit",
                ]
            },
        ),
        (_("Responsible adult"), {"fields": ["responsible_name", "responsible_phone", "responsible_email"]}),
        (
            _("Key handover"),
            {
                "fields": [
                    "key_issued_at",
                    "key_issued_by",
                    "key_returned_at",
                    "key_returned_by",
                    "return_inspection",
                    "damage_notes",
                ]
            },
        ),
        (_("Deposit"), {"fields": ["deposit_state", "deposit_note", "deposit_withheld", "deposit_paid_back"]}),
        (
            _("History"),
            {
                "fields": [
                    "decline_reason",
                    "decided_by",
                    "cancelled_at",
                    "cancelled_by",
                    "created_by",
                    "reminder_sent_at",
                    "created_at",
                ]
            },
        ),
    ]

    @admin.display(description=_("room"), ordering="room__name")
    def room_name(self, booking):
        return booking.room.name

    @admin.display(description=_("time"), ordering="starts_at")
    def time_span(self, booking):
        return services.span(booking.starts_at, booking.ends_at)

    @admin.display(description=_("key"))
    def key_state(self, booking):
        if booking.key_returned_at:
            return _("returned")
        if booking.key_issued_at:
            return _("issued")
        return "–"

    @admin.display(description=_("deposit paid back (€)"))
    def deposit_paid_back(self, booking):
        return amount_text(booking.deposit_paid_back)

    def has_delete_permission(self, request, obj=None):
        return False  # bookings are cancelled, never deleted: the history stays

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Keys are handed over by the office: only its staff are offered, not every account."""
        if db_field.name in ("key_issued_by", "key_returned_by"):
            kwargs["queryset"] = office_staff_users().order_by("email")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = StaffBookingForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": StaffBookingForm.Meta.fields})]
        return self.fieldsets

    def add_view(self, request, form_url="", extra_context=None):
        """A slot taken between the form's check and the booking shows the form again, never an error page."""
        for _attempt in range(2):
            try:
                return super().add_view(request, form_url, extra_context)
            except ValidationError as error:  # raised by book_room in save_model, rolled back by the admin
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        if change:
            before = services.deposit_values(Booking.objects.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            changes = diff(before, services.deposit_values(obj))
            if changes:  # the deposit is money: every change of it is audited
                services.record_change(obj=obj, by=request.user, action=AuditEntry.Action.CHANGED, changes=changes)
            return None
        data = form.cleaned_data
        booking = services.book_room(
            room=data["room"],
            booked_by=data["booked_by"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            title=data["title"],
            attendees=data["attendees"],
            responsible_name=data["responsible_name"],
            responsible_phone=data["responsible_phone"],
            responsible_email=data["responsible_email"],
            show_title=data["show_title"],
            private_use=data["private_use"],
            created_by=request.user,
        )
        obj.pk = booking.pk
        obj.refresh_from_db()

    def _run(self, request, queryset, action, **kwargs):
        done, failed = 0, []
        for booking in queryset:
            try:
                action(booking=booking, by=request.user, **kwargs)
                done += 1
            except ValidationError as error:
                failed.append(f"{booking}: {' '.join(error.messages)}")
        if done:
            self.message_user(request, ngettext("%d booking changed.", "%d bookings changed.", done) % done)
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description=_("Record a no-show (nobody came)"), permissions=["change"])
    def record_no_show(self, request, queryset):
        self._run(request, queryset, reconfirm.record_no_show)

    @admin.action(description=_("Confirm selected requests"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        self._run(request, queryset, services.confirm_booking)

    @admin.action(description=_("Decline selected requests (with reason)"), permissions=["change"])
    def decline_selected(self, request, queryset):
        form = DeclineReasonForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            self._run(request, queryset, services.decline_booking, reason=form.cleaned_data["reason"])
            return None
        return self._ask_reason(
            request,
            queryset,
            form,
            action="decline_selected",
            title=_("Decline bookings"),
            intro=_("These requests will be declined. The booker gets your reason by e-mail."),
            button=_("Decline"),
        )

    def _ask_reason(self, request, queryset, form, *, action, title, intro, button):
        """The confirmation page of an action with a reason: the bookings it concerns and the reason to mail."""
        return render(
            request,
            "admin/rooms/decline_reason.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "bookings": queryset,
                "title": title,
                "intro": intro,
                "button": button,
                "action": action,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Cancel selected bookings (with reason)"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        """Nothing is cancelled before staff saw the list and gave the reason that goes into the mail."""
        form = DeclineReasonForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            self._run(request, queryset, services.cancel_booking, reason=form.cleaned_data["reason"])
            return None
        return self._ask_reason(
            request,
            queryset,
            form,
            action="cancel_selected",
            title=_("Cancel bookings"),
            intro=_("These bookings will be cancelled and their rooms freed. The bookers get your reason by e-mail."),
            button=_("Cancel bookings"),
        )

    @admin.action(
        description=_("Settle the deposit (return it, or withhold a part with a reason)"), permissions=["change"]
    )
    def settle_deposit(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Please select exactly one booking."), messages.ERROR)
            return None
        booking = queryset.select_related("room").get()
        form = SettleDepositForm(request.POST if "withheld" in request.POST else None)
        if form.is_valid():
            try:
                services.settle_deposit(
                    booking=booking,
                    by=request.user,
                    withheld=form.cleaned_data["withheld"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The deposit is settled."))
                return None
        return render(
            request,
            "admin/rooms/settle_deposit.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "booking": booking,
                "title": _("Settle the deposit"),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(BookingSeries)
class BookingSeriesAdmin(PortalAdmin):
    list_display = ["room", "booked_by", "frequency", "created_at", "confirmed_until", "released_at"]
    list_select_related = ["room__location", "booked_by"]
    list_filter = ["room", "frequency"]
    search_fields = ["booked_by__email", "room__name"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(PortalAdmin):
    """The waiting list per room, in the order of the line; entries change only through the service (join, offer,
    take, decline), so staff read them here."""

    list_display = ["room", "starts_at", "ends_at", "user", "title", "state", "created_at"]
    list_select_related = ["room__location", "user"]
    list_filter = ["room", "state"]
    search_fields = ["user__email", "room__name", "title"]
    ordering = ["room", "starts_at", "created_at", "pk"]
    readonly_fields = [f.name for f in WaitlistEntry._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditHistoryAdmin):
    """Changes of deposits: read-only, never deleted."""

    list_display = [*AuditHistoryAdmin.list_display, "booking"]
    list_select_related = [*AuditHistoryAdmin.list_select_related, "booking__room"]
