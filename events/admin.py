from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.admin import PortalAdmin
from quartier.admin_inline import TabularInline
from quartier.content_languages import ContentAdmin, search_columns
from quartier.exports import csv_download
from quartier.images import clean_image_field
from rooms import services as rooms_services

from . import services
from .models import AgendaItem, Category, Conference, Decision, DecisionUpdate, Event, Proposal, Registration


@admin.register(Category)
class CategoryAdmin(PortalAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class RegistrationInline(TabularInline):
    model = Registration
    fields = ["user", "name", "phone", "companions", "places", "status", "channel", "created_at", "cancelled_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # people register themselves; staff cancel through the action below


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (mailed to everyone registered)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))


class EventAdminForm(forms.ModelForm):
    """Refuses a room clash with the rooms app's message, before anything is saved."""

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "description",
            "image",
            "image_alt",
            "category",
            "organiser",
            "starts_at",
            "ends_at",
            "place",
            "room",
            "address",
            "online_url",
            "accessibility_notes",
            "languages",
            "capacity",
            "registration_required",
            "registration_until",
            "max_companions",
            "is_published",
        ]

    def clean_image(self):
        return clean_image_field(self.cleaned_data.get("image"))

    def clean(self):
        data = super().clean()
        room, start, end = data.get("room"), data.get("starts_at"), data.get("ends_at")
        if data.get("place") == Event.Place.ROOM and room and start and end and not self.instance.is_cancelled:
            own = self.instance.booking if self.instance.pk and self.instance.booking_id else None
            problems = rooms_services.check_booking(room=room, starts_at=start, ends_at=end, staff=True, exclude=own)
            if problems:
                raise forms.ValidationError(problems)
        return data


@admin.register(Event)
class EventAdmin(ContentAdmin, PortalAdmin):
    list_display = ["title", "starts_at", "place", "room", "capacity", "is_published", "is_cancelled"]
    list_filter = ["category", "place", "is_published", "is_cancelled", "room"]
    list_select_related = ["room__location", "category"]
    search_fields = [*search_columns("title", "description"), "organiser"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["room"]
    inlines = [RegistrationInline]
    actions = ["export_registrations", "message_registered", "cancel_events"]
    readonly_fields = ["booking", "is_cancelled"]

    def has_delete_permission(self, request, obj=None):
        return False  # events are cancelled, never deleted: registrants are told and the room is freed

    def get_urls(self):
        cancel = path("<int:pk>/cancel/", self.admin_site.admin_view(self.cancel_view), name="events_event_cancel")
        return [cancel, *super().get_urls()]

    def cancel_view(self, request, pk):
        """The change page's "Cancel event" button: the same confirmation with a reason as the action."""
        event = get_object_or_404(Event, pk=pk)
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        if event.is_cancelled:
            self.message_user(request, _("This event is already cancelled."), messages.WARNING)
            return redirect("admin:events_event_change", event.pk)
        done = self._cancel(request, Event.objects.filter(pk=event.pk), standalone=True)
        return redirect("admin:events_event_change", event.pk) if done is None else done

    def _cancel(self, request, queryset, *, standalone=False):
        """Cancels after staff saw the events and gave the reason for the mail; else shows that page."""
        form = CancelEventForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            done = 0
            for event in queryset:
                try:
                    services.cancel_event(event=event, by=request.user, reason=form.cleaned_data["reason"])
                    done += 1
                except ValidationError as error:
                    self.message_user(request, f"{event}: {' '.join(error.messages)}", messages.ERROR)
            if done:
                self.message_user(request, _("Events cancelled: %(count)d.") % {"count": done}, messages.SUCCESS)
            return None
        return render(
            request,
            "admin/events/cancel_events.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "events": queryset,
                "standalone": standalone,
                "opts": self.model._meta,
                "title": _("Cancel events"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "cancel_url": reverse("admin:events_event_cancel", args=[object_id])}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Export registrations as CSV"))
    def export_registrations(self, request, queryset):
        response, writer = csv_download(
            "anmeldungen.csv",
            [
                _("event"),
                _("starts at"),
                _("name"),
                _("e-mail"),
                _("companions"),
                _("places"),
                _("status"),
                _("registered at"),
            ],
        )
        registrations = Registration.objects.active().filter(event__in=queryset).select_related("event", "user")
        for registration in registrations.order_by("event__starts_at", "created_at"):
            writer.writerow(
                [
                    registration.event.title,
                    timezone.localtime(registration.event.starts_at).strftime("%d.%m.%Y %H:%M"),
                    registration.person_name,
                    registration.contact_email,
                    registration.companions,
                    registration.places,
                    registration.get_status_display(),
                    timezone.localtime(registration.created_at).strftime("%d.%m.%Y %H:%M"),
                ]
            )
        return response

    @admin.action(description=_("Write to everyone registered"))
    def message_registered(self, request, queryset):
        form = MessageForm(request.POST if "subject" in request.POST else None)
        if form.is_valid():
            count = services.message_registered(
                events=queryset, subject=form.cleaned_data["subject"], text=form.cleaned_data["text"]
            )
            self.message_user(request, _("Message sent to %(count)d people.") % {"count": count})
            return None
        return render(
            request,
            "admin/events/message.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "events": queryset,
                "opts": self.model._meta,
                "title": _("Write to everyone registered"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    form = EventAdminForm

    def save_model(self, request, obj, form, change):
        """Through the service, so that an event in a portal room holds it by the rooms app's rules."""
        services.save_event(event=obj, by=request.user)

    @admin.action(
        description=_("Cancel selected events (frees the room, tells everyone registered)"), permissions=["change"]
    )
    def cancel_events(self, request, queryset):
        return self._cancel(request, queryset)


@admin.register(Registration)
class RegistrationAdmin(PortalAdmin):
    list_display = ["event", "person_name", "companions", "status", "channel", "created_at"]
    list_filter = ["status", "channel", "event"]
    list_select_related = ["event", "user"]
    search_fields = ["user__email", "user__display_name", "name", "email", *search_columns("title", via="event")]
    actions = ["cancel_registrations"]

    @admin.display(description=_("person"), ordering="user__display_name")
    def person_name(self, registration):
        return registration.person_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # registrations are cancelled (the waiting list moves up), never deleted

    @admin.action(description=_("Cancel selected registrations (moves up the waiting list)"), permissions=["view"])
    def cancel_registrations(self, request, queryset):
        for registration in queryset.exclude(status=Registration.Status.CANCELLED):
            try:
                services.cancel_registration(registration=registration, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{registration}: {' '.join(error.messages)}", messages.ERROR)


class AgendaItemInline(TabularInline):
    """Once the minutes are published, the agenda they follow is part of the record."""

    model = AgendaItem
    extra = 1

    def has_add_permission(self, request, obj=None):
        return not (obj and obj.minutes_published_at) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.minutes_published_at) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.minutes_published_at) and super().has_delete_permission(request, obj)


class ConferenceAdminForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = ["event", "proposal_deadline", "minutes", "minutes_pdf", "minutes_published_at"]


@admin.register(Conference)
class ConferenceAdmin(PortalAdmin):
    form = ConferenceAdminForm
    list_display = ["__str__", "event_start", "proposal_deadline", "minutes_published_at"]
    list_select_related = ["event"]
    search_fields = [*search_columns("title", via="event"), "minutes"]
    autocomplete_fields = ["event"]
    inlines = [AgendaItemInline]

    @admin.display(description=_("starts at"), ordering="event__starts_at")
    def event_start(self, conference):
        return conference.event.starts_at

    def has_delete_permission(self, request, obj=None):
        """Published minutes and decisions are the public record: such a conference stays."""
        if obj is not None and (obj.minutes_published_at or obj.decisions.exists()):
            return False
        return super().has_delete_permission(request, obj)


class DeclineProposalForm(forms.Form):
    reason = forms.CharField(label=_("Public reason"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Proposal)
class ProposalAdmin(PortalAdmin):
    list_display = ["title", "conference", "proposed_by", "status", "support_count", "created_at"]
    list_filter = ["status", "conference"]
    list_select_related = ["conference__event", "proposed_by"]
    search_fields = ["title", "description", "proposed_by__email"]
    readonly_fields = ["proposed_by", "created_at"]
    actions = ["accept_selected", "decline_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(supporters=Count("supports"))

    @admin.display(description=_("supporters"), ordering="supporters")
    def support_count(self, proposal):
        return proposal.supporters

    @admin.action(description=_("Take onto the agenda"))
    def accept_selected(self, request, queryset):
        for proposal in queryset:
            try:
                item = services.accept_proposal(proposal=proposal)
            except ValidationError as error:
                self.message_user(request, f"{proposal}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("On the agenda: %(item)s") % {"item": item}, messages.SUCCESS)

    @admin.action(description=_("Decline (with a public reason)"))
    def decline_selected(self, request, queryset):
        form = DeclineProposalForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            for proposal in queryset:
                try:
                    services.decline_proposal(proposal=proposal, reason=form.cleaned_data["reason"])
                except ValidationError as error:
                    self.message_user(request, f"{proposal}: {' '.join(error.messages)}", messages.ERROR)
            return None
        return render(
            request,
            "admin/events/decline_proposal.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "proposals": queryset,
                "opts": self.model._meta,
                "title": _("Decline proposals"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class DecisionUpdateInline(TabularInline):
    """Append-only: an update once saved is the public record; a correction is a further update."""

    model = DecisionUpdate
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # saved updates are shown read-only; the empty row below adds a new one

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(PortalAdmin):
    list_display = ["__str__", "status", "responsible", "votes_for", "votes_against", "votes_abstaining"]
    list_filter = ["status", "conference"]
    list_select_related = ["conference__event"]
    search_fields = ["wording", "responsible"]
    inlines = [DecisionUpdateInline]

    def has_delete_permission(self, request, obj=None):
        return False  # a decision is the public record: corrected by a status update, never deleted

    def get_readonly_fields(self, request, obj=None):
        """What was decided stays as minuted; its status follows the latest update."""
        if obj is None:
            return []
        return ["conference", "number", "wording", "votes_for", "votes_against", "votes_abstaining", "status"]

    def save_related(self, request, form, formsets, change):
        """The latest dated update sets the decision's status."""
        super().save_related(request, form, formsets, change)
        latest = form.instance.updates.order_by("-date", "-pk").first()
        if latest and latest.status != form.instance.status:
            form.instance.status = latest.status
            form.instance.save(update_fields=["status"])
