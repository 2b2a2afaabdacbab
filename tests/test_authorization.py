"""One authorization matrix over every URL of the portal: role × URL → status, for GET and for an empty POST.

The list of URLs comes from the URL configuration: a new URL without an entry here fails
`test_every_url_has_an_entry`, so nobody adds a page without deciding who may use it. The admin has its
own permission system (tested in each app's admin tests); its URLs are checked here only for "staff only".

Statuses: 200/302/400/403/404/405 as returned; "L" is a redirect to the login page, "M" a redirect to the
two-factor set-up. Roles, in this order: anonymous, owner (a resident who booked, registered, volunteers),
other (another resident), lead (lead of the initiative the owner belongs to), staff (with two-factor auth).
POST runs after GET for each role in that order, on the same data, with an empty body.
"""

import os
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from events import mails as event_mails
from events import services as event_services
from events.models import Conference
from initiatives import services as initiative_services
from initiatives.fund.models import FundEntry, Receipt
from initiatives.models import Invitation, JoinRequest, Offer, OfferResponse, Project
from quartier.staff import has_authenticator
from rooms import reconfirm, waitlist
from rooms.links import user_feed_token
from rooms.mails import cancel_token as booking_cancel_token
from rooms.models import BookingSeries, WaitlistEntry

from .events.factories import make_event
from .factories import PASSWORD, make_permission_holder, make_staff, make_user
from .fund.factories import make_application, make_call, make_fund
from .initiatives.factories import make_initiative, make_membership
from .rooms.factories import days_ahead, local, make_booking, make_room
from .volunteers.factories import make_declaration, make_engagement, make_volunteer

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "owner", "other", "lead", "staff"]
YEAR = date.today().year


def url_names(patterns=None, namespace=None):
    """Every named URL of the portal outside the admin, as 'namespace:name'."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield ":".join(filter(None, [namespace, entry.name or "<unnamed>"]))


@pytest.fixture
def world(office):
    owner, other, lead = make_user(email="owner@example.org"), make_user(), make_user(email="lead@example.org")
    staff = make_staff()
    club = make_initiative(name="Nordstadtliga", slug="liga", is_nonprofit=True)
    make_membership(initiative=club, user=lead, role="lead")
    membership = make_membership(initiative=club, user=owner)
    project = Project.objects.create(initiative=club, title="Sommerfest", slug="sommerfest", summary="Ein Fest.")
    offer = Offer.objects.create(
        initiative=club,
        title="Trainer gesucht",
        description="x",
        when="dienstags",
        time_needed="2 h",
        until=date.today() + timedelta(days=30),
    )
    response = OfferResponse.objects.create(offer=offer, user=owner)
    join_request = JoinRequest.objects.create(initiative=club, user=other)
    invitation = Invitation.objects.create(initiative=club, email="neu@example.org", invited_by=lead)
    room = make_room(slug="saal")
    booking = make_booking(
        room=room, booked_by=owner, starts_at=local(days_ahead(10), 10), ends_at=local(days_ahead(10), 12)
    )
    series = BookingSeries.objects.create(room=room, booked_by=owner, frequency="weekly")
    wish = WaitlistEntry.objects.create(
        room=room,
        user=owner,
        starts_at=local(days_ahead(10), 10),
        ends_at=local(days_ahead(10), 12),
        title="Warten",
        attendees=3,
        responsible_name="O",
        responsible_phone="1",
    )
    series_booking = make_booking(
        room=room,
        booked_by=owner,
        series=series,
        starts_at=local(days_ahead(10), 18),
        ends_at=local(days_ahead(10), 19),
    )
    event = make_event(slug="fest", initiative=club, is_published=True)
    registration = event_services.register(event=event, user=owner)
    conference = Conference.objects.create(
        event=make_event(slug="konferenz", is_published=True), proposal_deadline=timezone.now() + timedelta(days=5)
    )
    proposal = event_services.propose_topic(conference=conference, user=other, title="Bänke", description="x")
    engagement = make_engagement(volunteer=make_volunteer(user=owner), payer_initiative=club)
    declaration = make_declaration(engagement, YEAR)
    fund = make_fund()
    call = make_call(fund=fund)
    applications = {
        status: make_application(call=call, applicant=owner, initiative=club, status=status)
        for status in ("draft", "submitted", "eligible", "approved")
    }
    FundEntry.objects.create(application=applications["approved"], kind="grant", amount="500.00", entered_by=staff)
    receipt = Receipt.objects.create(
        application=applications["approved"],
        description="Farbe",
        amount="50.00",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="beleg.pdf"),
        uploaded_by=owner,
    )
    fund_args = {
        "fund:call": [call.pk],
        "fund:apply": [call.pk],
        "fund:session": [call.pk],
        "fund:edit": [applications["draft"].pk],
        "fund:submit": [applications["draft"].pk],
        "fund:check": [applications["submitted"].pk],
        "fund:decide": [applications["eligible"].pk],
        "fund:vote": [applications["eligible"].pk],
        "fund:receipt_file": [receipt.pk],
        "fund:overview": [fund.pk],
        "fund:grants_csv": [fund.year],
        "fund:funded_year": [fund.year],
    }
    for name in ("application", "receipts", "report", "notice", "notice_pdf", "book", "close"):
        fund_args[f"fund:{name}"] = [applications["approved"].pk]
    users = {"owner": owner, "other": other, "lead": lead, "staff": staff}
    return {
        "users": users,
        "args": {
            "initiatives:offer": [offer.pk],
            "initiatives:decide_response": [response.pk],
            "initiatives:invitation": [initiative_services.invitation_token(invitation)],
            "initiatives:revoke_invitation": [invitation.pk],
            "initiatives:decide_request": [join_request.pk],
            "initiatives:change_role": [membership.pk],
            "initiatives:leave": [membership.pk],
            "initiatives:offer_edit": ["liga", offer.pk],
            "initiatives:project": ["liga", project.slug],
            "initiatives:project_edit": ["liga", project.slug],
            "initiatives:project_news": ["liga", project.slug],
            "initiatives:project_follow": ["liga", project.slug],
            "initiatives:project_report": ["liga", project.slug],
            "rooms:booking_detail": [booking.pk],
            "rooms:booking_cancel": [booking.pk],
            "rooms:series_cancel": [series_booking.pk],
            "rooms:booking_ics": [booking.pk],
            "rooms:room_feed": ["saal"],
            "rooms:user_feed": [user_feed_token(owner)],
            "rooms:cancel_by_link": [booking_cancel_token(booking)],
            "rooms:waitlist_join": ["saal"],
            "rooms:waitlist_leave": [wish.pk],
            "rooms:waitlist_offer": [waitlist.offer_token(wish)],
            "rooms:series_reconfirm": [reconfirm.token(series)],
            "rooms:detail": ["saal"],
            "rooms:book": ["saal"],
            "rooms:today": ["saal"],
            "rooms:notice": ["saal"],
            "rooms:notice_pdf": ["saal"],
            "rooms:location_today": [room.location.slug],
            "rooms:counter_confirmation": [booking.pk],
            "rooms:counter_confirmation_pdf": [booking.pk],
            "rooms:counter_no_show": [booking.pk],
            "events:initiative_feed": ["liga"],
            "events:proposal_support": [proposal.pk],
            "events:conference": ["konferenz"],
            "events:conference_propose": ["konferenz"],
            "events:registration_cancel": [registration.pk],
            "events:counter_confirmation": [registration.pk],
            "events:counter_confirmation_pdf": [registration.pk],
            "events:cancel_by_link": [event_mails.cancel_token(registration)],
            "events:detail": ["fest"],
            "events:register": ["fest"],
            "events:edit": ["fest"],
            "events:ics": ["fest"],
            "volunteers:declaration_document": [declaration.pk],
            "volunteers:statement": [engagement.volunteer_id, YEAR],
            "volunteers:statement_pdf": [engagement.volunteer_id, YEAR],
            "volunteers:office_payments": [YEAR],
            "volunteers:office_payments_csv": [YEAR],
            "volunteers:payer_payments": ["liga", YEAR],
            "volunteers:payer_payments_csv": ["liga", YEAR],
            "account_confirm_email": ["kaputt"],
            "account_reset_password_from_key": ["1", "kaputt"],
            "api:event": ["fest"],
            "api:room": ["saal"],
            "api:room_busy": ["saal"],
            "api:initiative": ["liga"],
            **fund_args,
        },
    }


def _args(name, world):
    if name in world["args"]:
        return world["args"][name]
    if name.startswith("initiatives:") and name not in NO_ARGS:
        return ["liga"]
    return []


# Pages without an argument in the initiatives namespace (the others there take the initiative's slug).
NO_ARGS = {"initiatives:list", "initiatives:create", "initiatives:volunteering", "initiatives:my_initiatives"}

L, M = "L", "M"
# name: (GET per role, POST per role) for anonymous, owner, other, lead, staff
MATRIX = {
    # The open-data API (quartier/api.py): public, read-only.
    "api:api-root": ((404, 404, 404, 404, 404), (404, 404, 404, 404, 404)),
    "api:openapi-json": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:events": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:events_csv": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:event": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:decisions": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:decisions_csv": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:rooms": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:room": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:room_busy": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:initiatives": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:initiatives_csv": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:initiative": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:funded_projects": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "api:funded_projects_csv": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "open_data": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "accessibility": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "account_change_password": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "account_confirm_email": ((200, 200, 200, 200, 200), (404, 404, 404, 404, 404)),
    "account_confirm_login_code": ((L, 302, 302, 302, 302), (L, 302, 302, 302, 302)),
    "account_confirm_reauthentication_code": ((L, 302, 302, 302, 302), (L, 302, 302, 302, 302)),
    "account_email": ((L, 200, 200, 200, 200), (L, 302, 302, 302, 302)),
    "account_email_verification_sent": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "account_inactive": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "account_login": ((200, 302, 302, 302, 302), (200, 302, 302, 302, 302)),
    "account_logout": ((302, 200, 200, 200, 200), (302, 302, 302, 302, 302)),
    "account_reauthenticate": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "account_request_reauthentication_code": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "account_reset_password": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "account_reset_password_done": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "account_reset_password_from_key": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "account_reset_password_from_key_done": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "account_set_password": ((L, 302, 302, 302, 302), (L, 302, 302, 302, 302)),
    "account_signup": ((200, 302, 302, 302, 302), (200, 302, 302, 302, 302)),
    "dashboard": ((L, 403, 403, 403, 200), (L, 405, 405, 405, 405)),
    "annual_report": ((L, 403, 403, 403, 200), (L, 405, 405, 405, 405)),
    "annual_report_csv": ((L, 403, 403, 403, 200), (L, 405, 405, 405, 405)),
    "annual_report_pdf": ((L, 403, 403, 403, 200), (L, 405, 405, 405, 405)),
    "annual_report_xlsx": ((L, 403, 403, 403, 200), (L, 405, 405, 405, 405)),
    "district_figures": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "delete_account": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "events:cancel_by_link": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "events:conference": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "events:conference_propose": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "events:conferences": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "events:create": ((L, 404, 404, 200, 200), (L, 404, 404, 200, 200)),
    "events:decisions": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "events:detail": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "events:edit": ((L, 404, 404, 200, 200), (L, 404, 404, 200, 200)),
    "events:feed": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "events:ics": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "events:initiative_feed": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "events:list": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "events:month": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "events:my_registrations": ((L, 200, 200, 200, 200), (L, 405, 405, 405, 405)),
    "events:proposal_support": ((L, 405, 405, 405, 405), (L, 302, 302, 302, 302)),
    "events:register": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "events:registration_cancel": ((L, 200, 404, 404, 404), (L, 302, 404, 404, 404)),
    "events:counter": ((L, 403, 403, 403, 200), (L, 403, 403, 403, 200)),
    "events:counter_confirmation": ((L, 200, 404, 404, 200), (L, 405, 405, 405, 405)),
    "events:counter_confirmation_pdf": ((L, 200, 404, 404, 200), (L, 405, 405, 405, 405)),
    "fund:application": ((L, 200, 404, 200, 200), (L, 405, 405, 405, 405)),
    "fund:apply": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "fund:book": ((403, 403, 403, 403, 405), (403, 403, 403, 403, 400)),
    "fund:call": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "fund:check": ((403, 403, 403, 403, 200), (403, 403, 403, 403, 200)),
    "fund:close": ((403, 403, 403, 403, 405), (403, 403, 403, 403, 400)),
    "fund:decide": ((403, 403, 403, 403, 200), (403, 403, 403, 403, 200)),
    "fund:edit": ((L, 200, 404, 200, 404), (L, 200, 404, 200, 404)),
    "fund:funded": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "fund:funded_year": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "fund:grants_csv": ((403, 403, 403, 403, 200), (403, 403, 403, 403, 405)),
    "fund:home": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "fund:my_applications": ((L, 200, 200, 200, 200), (L, 405, 405, 405, 405)),
    "fund:notice": ((L, 200, 404, 200, 200), (L, 405, 405, 405, 405)),
    "fund:notice_pdf": ((L, 200, 404, 200, 200), (L, 405, 405, 405, 405)),
    "fund:overview": ((403, 403, 403, 403, 200), (403, 403, 403, 403, 405)),
    "fund:receipt_file": ((L, 200, 404, 200, 200), (L, 405, 405, 405, 405)),
    "fund:receipts": ((L, 200, 404, 200, 404), (L, 200, 404, 200, 404)),
    "fund:report": ((L, 200, 404, 200, 404), (L, 200, 404, 200, 404)),
    "fund:session": ((L, 404, 404, 404, 200), (L, 405, 405, 405, 405)),
    "fund:staff": ((403, 403, 403, 403, 302), (403, 403, 403, 403, 405)),
    "fund:submit": ((L, 405, 405, 405, 405), (L, 302, 404, 302, 404)),
    "fund:vote": ((L, 404, 404, 404, 404), (L, 404, 404, 404, 404)),
    "favicon": ((301, 301, 301, 301, 301), (405, 405, 405, 405, 405)),
    "healthz": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "home": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "ping": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "ping_bare": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "imprint": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "leichte_sprache": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "initiatives:change_role": ((L, 405, 405, 405, 405), (L, 404, 404, 302, 302)),
    "initiatives:contact": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "initiatives:create": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "initiatives:decide_request": ((L, 405, 405, 405, 405), (L, 404, 404, 302, 302)),
    "initiatives:decide_response": ((L, 405, 405, 405, 405), (L, 404, 404, 302, 302)),
    "initiatives:detail": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "initiatives:edit": ((L, 404, 404, 200, 200), (L, 404, 404, 200, 200)),
    "initiatives:follow": ((L, 405, 405, 405, 405), (L, 302, 302, 302, 302)),
    "initiatives:invitation": ((L, 200, 200, 200, 200), (L, 400, 400, 400, 400)),
    "initiatives:join": ((L, 405, 405, 405, 405), (L, 302, 302, 302, 302)),
    "initiatives:leave": ((L, 405, 405, 405, 405), (L, 302, 404, 404, 404)),
    "initiatives:list": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "initiatives:members": ((L, 404, 404, 200, 200), (L, 404, 404, 200, 200)),
    "initiatives:my_initiatives": ((L, 200, 200, 200, 200), (L, 405, 405, 405, 405)),
    "initiatives:offer": ((200, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "initiatives:offer_create": ((L, 404, 404, 200, 200), (L, 404, 404, 200, 200)),
    "initiatives:offer_edit": ((L, 404, 404, 200, 200), (L, 404, 404, 200, 200)),
    "initiatives:project": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "initiatives:project_create": ((L, 404, 404, 200, 200), (L, 404, 404, 200, 200)),
    "initiatives:project_edit": ((L, 404, 404, 200, 200), (L, 404, 404, 200, 200)),
    "initiatives:project_follow": ((L, 405, 405, 405, 405), (L, 302, 302, 302, 302)),
    "initiatives:project_news": ((L, 405, 405, 405, 405), (L, 404, 404, 302, 302)),
    "initiatives:project_report": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "initiatives:report": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "initiatives:revoke_invitation": ((L, 405, 405, 405, 405), (L, 404, 404, 302, 302)),
    "initiatives:volunteering": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "mfa_activate_totp": ((L, 302, 302, 302, 302), (L, 302, 302, 302, 302)),
    "mfa_authenticate": ((L, 302, 302, 302, 302), (L, 302, 302, 302, 302)),
    "mfa_deactivate_totp": ((L, 404, 404, 404, 302), (L, 404, 404, 404, 302)),
    "mfa_download_recovery_codes": ((L, 404, 404, 404, 404), (L, 404, 404, 404, 404)),
    "mfa_generate_recovery_codes": ((L, 302, 302, 302, 302), (L, 302, 302, 302, 302)),
    "mfa_index": ((L, 200, 200, 200, 200), (L, 405, 405, 405, 405)),
    "mfa_reauthenticate": ((L, 302, 302, 302, 200), (L, 302, 302, 302, 200)),
    "mfa_view_recovery_codes": ((L, 404, 404, 404, 404), (L, 405, 405, 405, 405)),
    "my_data": ((L, 200, 200, 200, 200), (L, 405, 405, 405, 405)),
    "my_data_download": ((L, 200, 200, 200, 200), (L, 405, 405, 405, 405)),
    "privacy": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "profile": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "welcome": ((L, 200, 200, 200, 200), (L, 405, 405, 405, 405)),
    "rooms:book": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "rooms:booking_cancel": ((L, 200, 404, 404, 302), (L, 302, 404, 404, 302)),
    "rooms:booking_detail": ((L, 200, 404, 404, 200), (L, 405, 405, 405, 405)),
    "rooms:booking_ics": ((L, 200, 404, 404, 200), (L, 405, 405, 405, 405)),
    "rooms:cancel_by_link": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "rooms:counter": ((L, 403, 403, 403, 200), (L, 403, 403, 403, 200)),
    "rooms:counter_confirmation": ((L, 200, 404, 404, 200), (L, 405, 405, 405, 405)),
    "rooms:counter_confirmation_pdf": ((L, 200, 404, 404, 200), (L, 405, 405, 405, 405)),
    "rooms:counter_day": ((L, 403, 403, 403, 200), (L, 405, 405, 405, 405)),
    # A no-show only for a date that has begun: the owner's booking lies ahead, staff get the message and go back.
    "rooms:counter_no_show": ((L, 405, 405, 405, 405), (L, 403, 403, 403, 302)),
    "rooms:detail": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "rooms:list": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "rooms:location_today": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "rooms:my_bookings": ((L, 200, 200, 200, 200), (L, 405, 405, 405, 405)),
    "rooms:notice": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "rooms:notice_pdf": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "rooms:room_feed": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "rooms:series_cancel": ((L, 200, 404, 404, 200), (L, 302, 404, 404, 302)),
    "rooms:today": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "rooms:user_feed": ((200, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    "rooms:user_feed_renew": ((L, 405, 405, 405, 405), (L, 302, 302, 302, 302)),
    "rooms:waitlist_join": ((L, 200, 200, 200, 200), (L, 200, 200, 200, 200)),
    "rooms:waitlist_leave": ((L, 405, 405, 405, 405), (L, 302, 404, 404, 404)),
    "rooms:waitlist_offer": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "rooms:series_reconfirm": ((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "set_language": ((302, 302, 302, 302, 302), (302, 302, 302, 302, 302)),
    "volunteers:declaration_create": ((L, 200, 404, 404, 404), (L, 200, 404, 404, 404)),
    "volunteers:declaration_document": ((L, 404, 404, 404, 404), (L, 405, 405, 405, 405)),
    "volunteers:my_allowances": ((L, 200, 200, 200, 200), (L, 405, 405, 405, 405)),
    "volunteers:office_payments": ((L, 404, 404, 404, 200), (L, 405, 405, 405, 405)),
    "volunteers:office_payments_csv": ((L, 404, 404, 404, 200), (L, 405, 405, 405, 405)),
    "volunteers:payer_payments": ((L, 404, 404, 200, 200), (L, 405, 405, 405, 405)),
    "volunteers:payer_payments_csv": ((L, 404, 404, 200, 200), (L, 405, 405, 405, 405)),
    "volunteers:staff_overview": ((L, 403, 403, 403, 200), (L, 403, 403, 403, 405)),
    "volunteers:statement": ((L, 200, 404, 404, 200), (L, 405, 405, 405, 405)),
    "volunteers:statement_pdf": ((L, 200, 404, 404, 200), (L, 405, 405, 405, 405)),
}


def _status(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return L
        if location.startswith(reverse("mfa_activate_totp")):
            return M
    return response.status_code


def _observe(name, world) -> tuple[tuple, tuple]:
    url = reverse(name, args=_args(name, world))
    got, posted = [], []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world["users"][role])
        got.append(_status(client.get(url)))
        posted.append(_status(client.post(url, {})))
    return tuple(got), tuple(posted)


def test_every_url_has_an_entry():
    names = set(url_names()) - {"<unnamed>"}
    assert sorted(names - set(MATRIX)) == [], "new URLs: decide who may use them and add them to MATRIX"
    assert sorted(set(MATRIX) - names) == [], "MATRIX names URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_and_url_give_the_expected_status(name, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        observed = _observe(name, world)
    if os.environ.get("PRINT_MATRIX"):
        print(f"    {name!r}: ({observed[0]}, {observed[1]}),")
    assert observed == MATRIX[name]


def test_the_admin_is_for_staff_with_two_factor_authentication_only(world):
    url = reverse("admin:rooms_booking_changelist")
    assert Client().get(url).status_code == 302
    for role in ("owner", "lead"):
        client = Client()
        client.force_login(world["users"][role])
        assert client.get(url)["Location"].startswith(reverse("admin:login"))
    staff = Client()
    staff.force_login(world["users"]["staff"])
    assert staff.get(url).status_code == 200
    unprotected = Client()
    unprotected.force_login(make_staff(mfa=False))
    assert unprotected.get(url)["Location"] == reverse("mfa_activate_totp")


# --- Office powers without the second factor --------------------------------------------------------------
# Whoever has staff status or any office permission opens no page before this session passed the second factor:
# the staff member who has not set up the authenticator app, the one who came in with a password only (another
# door than the portal's log-in), and an account that holds office permissions through a group without staff
# status (a treasurer). "M": sent to set up the authenticator; "R": sent to type its code.
OPEN_WITHOUT_SECOND_FACTOR = {
    "account_logout",
    "account_login",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_authenticate",
    "set_language",
}
UNCONFIRMED = {
    "staff without authenticator": (lambda: make_staff(mfa=False), M),
    "staff with password only": (lambda: make_staff(), "R"),
    "treasurer without staff status": (
        lambda: make_permission_holder("volunteers.view_payment", "volunteers.add_payment"),
        M,
    ),
    "treasurer with password only": (lambda: make_permission_holder("volunteers.view_payment", mfa=True), "R"),
}


def _unconfirmed_client(make) -> Client:
    user = make()
    client = Client()
    if has_authenticator(user):
        assert client.login(email=user.email, password=PASSWORD)  # Django's own log-in: a password, nothing more
    else:
        client.force_login(user)
    return client


def _second_factor_status(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate")):
        return "R"
    return _status(response)


@pytest.mark.parametrize("name", sorted(set(MATRIX) - OPEN_WITHOUT_SECOND_FACTOR))
def test_office_accounts_open_no_page_before_the_second_factor(name, world, django_capture_on_commit_callbacks):
    url = reverse(name, args=_args(name, world))
    for account, (make, expected) in UNCONFIRMED.items():
        client = _unconfirmed_client(make)
        with django_capture_on_commit_callbacks(execute=False):
            assert _second_factor_status(client.get(url)) == expected, (account, "GET", url)
            assert _second_factor_status(client.post(url, {})) == expected, (account, "POST", url)


def test_office_accounts_without_the_second_factor_reach_no_admin_page(world):
    volunteer = world["args"]["volunteers:declaration_document"]
    for url in (
        "/admin/",
        reverse("admin:volunteers_volunteer_changelist"),
        reverse("admin:quartier_user_changelist"),
        f"/admin/volunteers/declaration/{volunteer[0]}/change/",
    ):
        for account, (make, expected) in UNCONFIRMED.items():
            assert _second_factor_status(_unconfirmed_client(make).get(url)) == expected, (account, url)


def test_a_treasurer_who_passed_the_second_factor_sees_payments_but_not_the_admin(world, client):
    treasurer = make_permission_holder("volunteers.view_payment", mfa=True)
    client.force_login(treasurer)  # a complete log-in, code included
    assert client.get(reverse("volunteers:office_payments", args=[YEAR])).status_code == 200
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("rooms:booking_detail", args=world["args"]["rooms:booking_detail"])).status_code == 404
    assert client.get("/admin/")["Location"].startswith(reverse("admin:login"))  # no staff status
