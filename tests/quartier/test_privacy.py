"""Meine Daten (export of everything about a person) and Konto löschen (erase, cancel ahead, keep what the law
keeps)."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Conference, Proposal, Registration
from initiatives.models import Follow, Membership
from quartier.models import User
from rooms import services as room_services
from rooms.models import Booking
from volunteers.models import Payment, Volunteer

from ..events.factories import make_event
from ..factories import PASSWORD, make_staff, make_user
from ..initiatives.factories import make_initiative, make_membership
from ..rooms.factories import booking_data, days_ahead, local, make_booking, make_room
from ..volunteers.factories import make_declaration, make_engagement, make_volunteer, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office):
    """Maria with a booking ahead and one past, a registration ahead, a membership, a proposal, a payment."""
    maria = make_user(email="maria@example.org", display_name="Maria Kowalski")
    other = make_user(email="jonas@example.org", display_name="Jonas Becker")
    room = make_room(slug="saal", capacity=30)
    ahead = make_booking(
        room=room, booked_by=maria, starts_at=local(days_ahead(10), 10), ends_at=local(days_ahead(10), 12)
    )
    past = make_booking(
        room=room,
        booked_by=maria,
        starts_at=local(date.today() - timedelta(days=30), 10),
        ends_at=local(date.today() - timedelta(days=30), 12),
    )
    make_booking(
        room=room,
        booked_by=other,
        starts_at=local(days_ahead(11), 10),
        ends_at=local(days_ahead(11), 12),
        responsible_email="jonas@example.org",
        title="Jonas' Treffen",
    )
    event = make_event(capacity=1, title="Schreibwerkstatt")
    registration = event_services.register(event=event, user=maria)
    waiting = event_services.register(event=event, user=other)
    club = make_initiative(name="Nordstadtliga", slug="liga", is_nonprofit=True)
    make_membership(initiative=club, user=maria, role="member")
    Follow.objects.create(user=maria, initiative=club)
    conference = Conference.objects.create(
        event=make_event(title="Stadtteilkonferenz"), proposal_deadline=timezone.now() + timedelta(days=5)
    )
    proposal = event_services.propose_topic(
        conference=conference, user=maria, title="Mehr Bänke am Nordmarkt", description="Für ältere Menschen."
    )
    engagement = make_engagement(volunteer=make_volunteer(user=maria, name="Maria Kowalski"), payer_initiative=club)
    make_declaration(engagement, date.today().year)
    payment = pay(engagement, "120.00", date.today(), make_staff())
    return {
        "maria": maria,
        "other": other,
        "room": room,
        "ahead": ahead,
        "past": past,
        "event": event,
        "registration": registration,
        "waiting": waiting,
        "proposal": proposal,
        "payment": payment,
    }


def test_my_data_download_holds_everything_about_the_person_and_nothing_of_others(client, world):
    client.force_login(world["maria"])
    assert client.get(reverse("my_data")).status_code == 200
    response = client.get(reverse("my_data_download"))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="quartier-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "maria@example.org"
    records = data["records"]
    assert {row["id"] for row in records["rooms.booking (booked_by)"]} == {world["ahead"].pk, world["past"].pk}
    assert [row["id"] for row in records["events.registration (user)"]] == [world["registration"].pk]
    assert [row["title"] for row in records["events.proposal (proposed_by)"]] == ["Mehr Bänke am Nordmarkt"]
    assert len(records["initiatives.membership (user)"]) == 1
    assert [row["amount"] for row in records["volunteers.payment"]] == ["120.00"]
    assert len(records["volunteers.declaration"]) == 1
    text = response.content.decode()
    assert "Jonas' Treffen" not in text and "jonas@example.org" not in text
    assert "password" not in data["account"] and "pbkdf2" not in text


def test_my_data_needs_a_login(client, office):
    for name in ("my_data", "my_data_download", "delete_account"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_wrong_password_deletes_nothing_and_keeps_the_form(client, world):
    client.force_login(world["maria"])
    response = client.post(reverse("delete_account"), {"password": "falsch", "confirm": "on"})
    assert response.status_code == 200
    assert "Passwort ist nicht richtig" in response.content.decode()
    unconfirmed = client.post(reverse("delete_account"), {"password": PASSWORD})
    assert unconfirmed.status_code == 200
    maria = User.objects.get(pk=world["maria"].pk)
    assert maria.deleted_at is None and maria.email == "maria@example.org" and maria.is_active


def test_deleting_the_account_erases_cancels_and_keeps_what_the_law_keeps(
    client, world, django_capture_on_commit_callbacks
):
    maria = world["maria"]
    client.force_login(maria)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("delete_account"), {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert "Ihr Konto wurde gelöscht" in response.content.decode()
    maria.refresh_from_db()
    # the account: no personal data, no login, shown as a former member
    assert maria.deleted_at is not None and not maria.is_active and not maria.has_usable_password()
    assert maria.email.endswith("@deleted.invalid") and maria.display_name == ""
    assert str(maria) == "ehemaliges Mitglied"
    assert client.get(reverse("profile")).status_code == 302
    assert not client.login(email="maria@example.org", password=PASSWORD)
    # ahead: the booking is cancelled and its slot free again; the waiting list moved up
    world["ahead"].refresh_from_db()
    assert world["ahead"].status == Booking.Status.CANCELLED
    room_services.book_room(
        room=world["room"],
        booked_by=world["other"],
        starts_at=world["ahead"].starts_at,
        ends_at=world["ahead"].ends_at,
        **booking_data(),
    )
    assert Registration.objects.get(pk=world["registration"].pk).status == Registration.Status.CANCELLED
    assert Registration.objects.get(pk=world["waiting"].pk).status == Registration.Status.REGISTERED
    # the past booking stays, without the contact data
    world["past"].refresh_from_db()
    assert world["past"].status == Booking.Status.CONFIRMED
    assert world["past"].responsible_email == "" and world["past"].responsible_phone == ""
    # memberships go; the proposal stays, by a former member; payments stay with the unlinked volunteer record
    assert not Membership.objects.filter(user=maria).exists() and not Follow.objects.filter(user=maria).exists()
    assert str(Proposal.objects.get(pk=world["proposal"].pk).proposed_by) == "ehemaliges Mitglied"
    assert Payment.objects.get(pk=world["payment"].pk).amount == world["payment"].amount
    assert Volunteer.objects.get(name="Maria Kowalski").user is None


def test_staff_see_when_an_account_was_deleted(client, world):
    from quartier.privacy import delete_account

    delete_account(world["maria"])
    client.force_login(make_staff(email="buero@example.org"))
    page = client.get(reverse("admin:quartier_user_changelist") + "?deleted=yes").content.decode()
    assert "deleted-" in page and "ehemaliges Mitglied" not in page.split("<tbody>")[0]
    detail = client.get(reverse("admin:quartier_user_change", args=[world["maria"].pk])).content.decode()
    assert "Konto gelöscht am" in detail


def test_every_relation_to_a_person_is_either_exported_or_named_as_machinery():
    """A new model pointing to the user shows up in the export by itself; this lists what is covered."""
    from quartier.privacy import NOT_EXPORTED, user_relations

    covered = {model._meta.label_lower for model, _field in user_relations()}
    assert {"rooms.booking", "events.registration", "initiatives.membership", "volunteers.volunteer"} <= covered
    assert covered.isdisjoint(NOT_EXPORTED)


def test_deleting_the_account_removes_the_mails_rendered_for_the_person(client, office, settings):
    """Today the rendered mails to an erased person stayed in the task table for 30 days."""
    from quartier import mail
    from quartier.models import OutgoingMail

    settings.MAIL_DELIVERY = "worker"
    maria, other = make_user(email="maria@example.org"), make_user(email="other@example.org")
    room_services.book_room(
        room=make_room(),
        booked_by=maria,
        starts_at=local(days_ahead(5), 18),
        ends_at=local(days_ahead(5), 20),
        **booking_data(),
    )
    mail.deliver_due()  # one sent, one still waiting, one to her address without the account
    room_services.book_room(
        room=make_room(),
        booked_by=maria,
        starts_at=local(days_ahead(6), 18),
        ends_at=local(days_ahead(6), 20),
        **booking_data(),
    )
    mail.send("Maria@example.org", "rooms/mail/booking.txt", {"bookings": []}, subject="An die Adresse")
    mail.send(other, "rooms/mail/booking.txt", {"bookings": []}, subject="An jemand anderen")
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 1
    assert OutgoingMail.objects.count() == 4

    client.force_login(maria)
    client.post(reverse("delete_account"), {"password": PASSWORD, "confirm": "on"})

    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["other@example.org"]
    assert "maria@example.org" not in json.dumps(list(OutgoingMail.objects.values()), default=str)


def test_deleting_the_account_erases_the_partner_named_as_responsible_adult_and_the_notes(client, world):
    """Maria booked with her partner as responsible adult; Jonas named Maria as his. Both lose those data."""
    maria, room = world["maria"], world["room"]
    day = date.today() - timedelta(days=20)
    with_partner = make_booking(
        room=room,
        booked_by=maria,
        starts_at=local(day, 10),
        ends_at=local(day, 12),
        responsible_name="Erika Partnerin",
        responsible_phone="0171 999",
        responsible_email="erika@example.org",
        damage_notes="Erika hat Glas zerbrochen.",
        deposit_note="Erika zahlt.",
        decline_reason="",
    )
    named_by_jonas = make_booking(
        room=room,
        booked_by=world["other"],
        starts_at=local(days_ahead(12), 10),
        ends_at=local(days_ahead(12), 12),
        responsible_name="Maria Kowalski",
        responsible_phone="0231 555",
        responsible_email="Maria@example.org",
    )
    client.force_login(maria)
    client.post(reverse("delete_account"), {"password": PASSWORD, "confirm": "on"})
    with_partner.refresh_from_db()
    named_by_jonas.refresh_from_db()
    for booking in (with_partner, named_by_jonas):
        assert (booking.responsible_name, booking.responsible_phone, booking.responsible_email) == (
            "ehemaliges Mitglied",
            "",
            "",
        )
    assert (with_partner.damage_notes, with_partner.deposit_note) == ("", "")
    assert named_by_jonas.status == Booking.Status.CONFIRMED  # Jonas's booking stays


def test_a_staff_members_data_names_what_she_handled_only_by_count_and_ids(client, world):
    """Staff enter payments and decide bookings of other residents: her export lists ids, not their data."""
    staff = make_staff(email="buero@example.org", display_name="Aylin Demir")
    jonas_booking = Booking.objects.get(booked_by=world["other"])
    jonas_booking.decided_by = staff
    jonas_booking.responsible_phone = "0171 4711"
    jonas_booking.save()
    engagement = Payment.objects.get(pk=world["payment"].pk).engagement
    own_payment = pay(engagement, "30.00", date.today(), staff)
    client.force_login(staff)
    response = client.get(reverse("my_data_download"))
    data = json.loads(response.content)
    records = data["records"]
    assert records["rooms.booking (decided_by)"] == {"count": 1, "ids": [jonas_booking.pk]}
    assert records["volunteers.payment (entered_by)"] == {"count": 1, "ids": [own_payment.pk]}
    text = response.content.decode()
    for others in (
        "Jonas' Treffen",
        "jonas@example.org",
        "0171 4711",
        "Maria Kowalski",
        "maria@example.org",
        "30.00",
        "Aufwandsentschädigung",
    ):
        assert others not in text


def test_every_relation_named_as_handled_by_exists():
    from quartier.privacy import HANDLED_BY, user_relations

    assert HANDLED_BY <= {f"{model._meta.label_lower}.{field}" for model, field in user_relations()}
