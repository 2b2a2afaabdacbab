"""The public record in the admin: events are cancelled (never deleted), decisions and their updates are
append-only, minutes come after the conference; the agenda and the decisions read cleanly."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import AgendaItem, Conference, Decision, DecisionUpdate, Event, Registration
from rooms import services as rooms_services
from rooms.models import Booking

from ..factories import make_user
from ..rooms.factories import days_ahead, local, make_room
from .factories import make_event

pytestmark = pytest.mark.django_db


def _conference(days=-10, **fields):
    event = make_event(title="Stadtteilkonferenz", starts_at=timezone.now() + timedelta(days=days))
    return Conference.objects.create(event=event, proposal_deadline=event.starts_at - timedelta(days=5), **fields)


def _decision(conference=None):
    return Decision.objects.create(
        conference=conference or _conference(), number=1, wording="Flutlicht für den Bolzplatz", responsible="QM"
    )


def _refuses_deletion(client, model_name: str, obj) -> None:
    """Neither the delete page nor the bulk delete action is there."""
    assert client.get(reverse(f"admin:{model_name}_delete", args=[obj.pk])).status_code == 403
    changelist = client.get(reverse(f"admin:{model_name}_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist
    response = client.post(
        reverse(f"admin:{model_name}_changelist"), {"action": "delete_selected", "_selected_action": [obj.pk]}
    )
    assert response.status_code in (200, 302)  # "no action selected", nothing deleted
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("actor", ["staff", "superuser"])
def test_events_registrations_decisions_and_accounts_cannot_be_deleted(client, request, actor, resident):
    client.force_login(request.getfixturevalue(actor))
    event = make_event()
    registration = services.register(event=event, user=make_user())
    _refuses_deletion(client, "events_event", event)
    _refuses_deletion(client, "events_registration", registration)
    _refuses_deletion(client, "events_decision", _decision())
    _refuses_deletion(client, "quartier_user", resident)


def test_a_conference_with_published_minutes_cannot_be_deleted(client, superuser):
    client.force_login(superuser)
    published = _conference(minutes="Protokoll", minutes_published_at=timezone.now())
    assert client.get(reverse("admin:events_conference_delete", args=[published.pk])).status_code == 403
    client.post(
        reverse("admin:events_conference_changelist"),
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )
    assert Conference.objects.filter(pk=published.pk).exists()
    planned = _conference(days=30)
    assert client.get(reverse("admin:events_conference_delete", args=[planned.pk])).status_code == 200


def test_decision_updates_are_append_only_in_the_admin(client, staff):
    decision = _decision()
    services.record_decision_update(decision=decision, status="in_progress", note="Angebot liegt vor.")
    client.force_login(staff)
    url = reverse("admin:events_decision_change", args=[decision.pk])
    html = client.get(url).content.decode()
    assert "Angebot liegt vor." in html
    assert 'name="updates-0-note"' not in html  # the saved update is shown, not editable
    assert 'name="updates-0-DELETE"' not in html
    assert 'name="wording"' not in html  # what was decided stays as minuted
    response = client.post(
        url,
        {
            "responsible": "QM",
            "updates-TOTAL_FORMS": "2",
            "updates-INITIAL_FORMS": "1",
            "updates-0-id": decision.updates.get().pk,
            "updates-0-decision": decision.pk,
            "updates-0-note": "Umgeschrieben",
            "updates-0-DELETE": "on",
            "updates-1-decision": decision.pk,
            "updates-1-date": timezone.localdate().isoformat(),
            "updates-1-status": "done",
            "updates-1-note": "Korrektur: Flutlicht ist installiert.",
        },
    )
    assert response.status_code == 302
    assert list(DecisionUpdate.objects.order_by("pk").values_list("note", flat=True)) == [
        "Angebot liegt vor.",
        "Korrektur: Flutlicht ist installiert.",
    ]
    decision.refresh_from_db()
    assert decision.status == "done"


def _event_in_a_room(staff):
    room = make_room()
    day = days_ahead(12)
    event = Event(
        title="Lesung", slug="lesung", description="x", place=Event.Place.ROOM, room=room,
        starts_at=local(day, 18), ends_at=local(day, 20),
    )  # fmt: skip
    services.save_event(event=event, by=staff)
    return event


def test_cancelling_an_event_asks_for_a_reason_then_mails_registrants_and_frees_the_room(
    client, staff, resident, mailoutbox
):
    event = _event_in_a_room(staff)
    waiting_too = make_user(email="zweite@example.org")
    services.register(event=event, user=resident)
    services.register(event=event, user=waiting_too)
    mailoutbox.clear()
    client.force_login(staff)
    url = reverse("admin:events_event_changelist")
    page = client.post(url, {"action": "cancel_events", "_selected_action": [event.pk]})
    assert 'name="reason"' in page.content.decode() and "Lesung" in page.content.decode()
    event.refresh_from_db()
    assert not event.is_cancelled and mailoutbox == []

    client.post(url, {"action": "cancel_events", "_selected_action": [event.pk], "reason": "Die Autorin ist krank."})
    event.refresh_from_db()
    assert event.is_cancelled and Event.objects.filter(pk=event.pk).exists()
    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
    assert sorted(m.to[0] for m in mailoutbox) == ["resident@example.org", "zweite@example.org"]
    assert all("Grund: Die Autorin ist krank." in m.body for m in mailoutbox)
    assert event.booking is None
    assert list(Booking.objects.filter(room=event.room).values_list("status", flat=True)) == ["cancelled"]
    problems = rooms_services.check_booking(
        room=event.room, starts_at=event.starts_at, ends_at=event.ends_at, booked_by=resident, staff=True
    )
    assert problems == []  # the slot is bookable again


def test_the_change_page_has_a_cancel_button_with_the_same_confirmation(client, staff, resident, mailoutbox):
    event = make_event(title="Hoffest")
    services.register(event=event, user=resident)
    mailoutbox.clear()
    client.force_login(staff)
    change = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    cancel_url = reverse("admin:events_event_cancel", args=[event.pk])
    assert cancel_url in change and "Veranstaltung absagen" in change
    assert 'name="is_cancelled"' not in change  # a tick box would cancel without telling anyone
    assert 'name="reason"' in client.get(cancel_url).content.decode()
    response = client.post(cancel_url, {"reason": "Unwetterwarnung"})
    assert response["Location"] == reverse("admin:events_event_change", args=[event.pk])
    event.refresh_from_db()
    assert event.is_cancelled
    assert [m.to for m in mailoutbox] == [["resident@example.org"]] and "Unwetterwarnung" in mailoutbox[0].body
    after = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert cancel_url not in after


def test_a_resident_cannot_reach_the_cancel_page(client, resident):
    event = make_event()
    client.force_login(resident)
    response = client.post(reverse("admin:events_event_cancel", args=[event.pk]), {"reason": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    event.refresh_from_db()
    assert not event.is_cancelled


def test_taking_a_proposal_onto_the_agenda_says_so(client, staff, resident):
    conference = _conference(days=20)
    Conference.objects.filter(pk=conference.pk).update(proposal_deadline=timezone.now() + timedelta(days=5))
    proposal = services.propose_topic(conference=conference, user=resident, title="Mehr Bänke", description="x")
    client.force_login(staff)
    response = client.post(
        reverse("admin:events_proposal_changelist"),
        {"action": "accept_selected", "_selected_action": [proposal.pk]},
        follow=True,
    )
    assert "Auf der Tagesordnung: TOP 1: Mehr Bänke" in response.content.decode()


def _publish(client, conference, published_at):
    return client.post(
        reverse("admin:events_conference_change", args=[conference.pk]),
        {
            "event": conference.event.pk,
            "proposal_deadline_0": timezone.localtime(conference.proposal_deadline).date().isoformat(),
            "proposal_deadline_1": timezone.localtime(conference.proposal_deadline).strftime("%H:%M"),
            "minutes": "Protokoll: 40 Teilnehmende.",
            "minutes_published_at_0": timezone.localtime(published_at).date().isoformat(),
            "minutes_published_at_1": timezone.localtime(published_at).strftime("%H:%M"),
            "agenda-TOTAL_FORMS": "0",
            "agenda-INITIAL_FORMS": "0",
        },
    )


def test_minutes_cannot_be_published_before_the_conference_took_place(client, staff):
    client.force_login(staff)
    ahead = _conference(days=7)
    response = _publish(client, ahead, timezone.now())
    assert response.status_code == 200
    assert "erst nach der Konferenz veröffentlicht" in response.content.decode()
    ahead.refresh_from_db()
    assert ahead.minutes_published_at is None
    held = _conference(days=-3)
    assert _publish(client, held, timezone.now()).status_code == 302
    held.refresh_from_db()
    assert held.minutes_published_at is not None


def test_the_public_agenda_numbers_each_item_once(client, office):
    conference = _conference(days=20)
    AgendaItem.objects.create(conference=conference, number=1, title="Begrüßung")
    AgendaItem.objects.create(conference=conference, number=2, title="Berichte")
    html = client.get(conference.get_absolute_url()).content.decode()
    assert '<li value="1"><strong>Begrüßung</strong>' in html
    assert "TOP 1" not in html  # the list's own number, not "1. TOP 1"


def _headings(html: str) -> list[int]:
    main = html.split("<main", 1)[1]
    return [int(level) for level in re.findall(r"<h([1-6])\b", main)]


def test_the_decisions_page_and_the_conference_page_skip_no_heading_level(client, office):
    decision = _decision()
    services.record_decision_update(decision=decision, status="done", note="Erledigt.")
    for url in (reverse("events:decisions"), decision.conference.get_absolute_url()):
        levels = _headings(client.get(url).content.decode())
        assert levels[0] == 1
        assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False)), (url, levels)
