from django import forms
from django.contrib import admin
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from quartier import mail
from quartier.admin import PortalAdmin
from quartier.admin_inline import TabularInline
from quartier.caching import content_changed
from quartier.content_languages import ContentAdmin, search_columns

from .models import (
    Audience,
    Initiative,
    Invitation,
    JoinRequest,
    Membership,
    Offer,
    OfferResponse,
    Project,
    Report,
    Topic,
)


@admin.register(Topic, Audience)
class NamedAdmin(PortalAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 0


class HideForm(forms.Form):
    note = forms.CharField(label=_("Note to the leads (why it is hidden)"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Initiative)
class InitiativeAdmin(ContentAdmin, PortalAdmin):
    list_display = ["name", "kind", "is_nonprofit", "is_verified", "is_hidden", "created_at"]
    list_filter = ["is_verified", "is_hidden", "kind", "is_nonprofit", "topics", "audiences"]
    search_fields = ["name", *search_columns("short_description"), "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["topics", "audiences"]
    inlines = [MembershipInline]
    actions = ["verify", "hide", "restore"]

    @admin.action(description=_("Verify and publish"))
    def verify(self, request, queryset):
        queryset.update(is_verified=True)
        content_changed(app_label="initiatives")  # update() sends no signal

    @admin.action(description=_("Hide (with a note to the leads)"))
    @transaction.atomic  # hidden and the leads' mails, or neither
    def hide(self, request, queryset):
        form = HideForm(request.POST if "note" in request.POST else None)
        if form.is_valid():
            note = form.cleaned_data["note"]
            for initiative in queryset:
                initiative.is_hidden, initiative.hidden_note = True, note
                initiative.save(update_fields=["is_hidden", "hidden_note"])
                for membership in initiative.memberships.leads().select_related("user"):
                    mail.send(
                        membership.user,
                        "initiatives/mail/hidden.txt",
                        {"name": initiative.name, "note": note},
                        subject=_("Your initiative is hidden"),
                    )
            return None
        return render(
            request,
            "admin/initiatives/hide.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "initiatives": queryset,
                "opts": self.model._meta,
                "title": _("Hide initiatives"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Show again"))
    def restore(self, request, queryset):
        queryset.update(is_hidden=False, hidden_note="")
        content_changed(app_label="initiatives")  # update() sends no signal


@admin.register(Membership)
class MembershipAdmin(PortalAdmin):
    list_display = ["initiative", "user", "role", "joined_at"]
    list_filter = ["role", "initiative"]
    list_select_related = ["initiative", "user"]
    search_fields = ["initiative__name", "user__email", "user__display_name"]
    autocomplete_fields = ["initiative", "user"]


@admin.register(JoinRequest)
class JoinRequestAdmin(PortalAdmin):
    list_display = ["initiative", "user", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["initiative", "user"]
    search_fields = ["initiative__name", "user__email"]


@admin.register(Invitation)
class InvitationAdmin(PortalAdmin):
    list_display = ["initiative", "email", "invited_by", "created_at", "accepted_at"]
    list_select_related = ["initiative", "invited_by"]
    search_fields = ["initiative__name", "email"]


@admin.register(Project)
class ProjectAdmin(ContentAdmin, PortalAdmin):
    list_display = ["title", "initiative", "status", "helpers_wanted", "is_hidden", "created_at"]
    list_filter = ["status", "is_hidden", "helpers_wanted", "topics"]
    list_select_related = ["initiative"]
    search_fields = [*search_columns("title", "summary"), "initiative__name"]
    actions = ["hide", "restore"]

    @admin.action(description=_("Hide (with a note to the leads)"))
    @transaction.atomic  # hidden and the leads' mails, or neither
    def hide(self, request, queryset):
        form = HideForm(request.POST if "note" in request.POST else None)
        if form.is_valid():
            queryset.update(is_hidden=True, hidden_note=form.cleaned_data["note"])
            content_changed(app_label="initiatives")  # update() sends no signal
            for project in queryset.select_related("initiative"):
                for membership in project.initiative.memberships.leads().select_related("user"):
                    mail.send(
                        membership.user,
                        "initiatives/mail/hidden.txt",
                        {
                            "project": project,
                            "name": project.title,
                            "note": form.cleaned_data["note"],
                        },
                        subject=_("Your project is hidden"),
                    )
            return None
        return render(
            request,
            "admin/initiatives/hide.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "initiatives": queryset,
                "opts": self.model._meta,
                "title": _("Hide projects"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Show again"))
    def restore(self, request, queryset):
        queryset.update(is_hidden=False, hidden_note="")
        content_changed(app_label="initiatives")  # update() sends no signal


@admin.register(Report)
class ReportAdmin(PortalAdmin):
    list_display = ["__str__", "reporter", "created_at", "handled"]
    list_filter = ["handled"]
    list_select_related = ["initiative", "project", "reporter"]
    search_fields = ["reason", "initiative__name", *search_columns("title", via="project")]
    actions = ["mark_handled"]

    @admin.action(description=_("Mark as handled"))
    def mark_handled(self, request, queryset):
        queryset.update(handled=True)
        content_changed(app_label="initiatives")  # update() sends no signal


class OfferResponseInline(TabularInline):
    model = OfferResponse
    extra = 0
    readonly_fields = ["user", "message", "created_at"]


@admin.register(Offer)
class OfferAdmin(ContentAdmin, PortalAdmin):
    list_display = ["title", "initiative", "until", "allowance", "is_open"]
    list_filter = ["is_open", "allowance"]
    list_select_related = ["initiative"]
    search_fields = [*search_columns("title"), "initiative__name"]
    inlines = [OfferResponseInline]
