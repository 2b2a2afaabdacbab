"""One-line inputs refuse line breaks and other control characters (they would break or extend a mail header);
textareas keep their line breaks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Conference, Proposal
from rooms.models import Booking

from ..events.factories import make_event
from ..factories import make_user
from ..rooms.factories import days_ahead, form_data, make_room

pytestmark = pytest.mark.django_db
INJECTION = "a\r\nBcc: x@y"
MESSAGE = "ohne Zeilenumbrüche, Tabulatoren oder andere Steuerzeichen"


def make_conference():
    return Conference.objects.create(
        event=make_event(title="Stadtteilkonferenz"), proposal_deadline=timezone.now() + timedelta(days=5)
    )


def test_the_profile_refuses_a_display_name_with_a_line_break(client, office):
    user = make_user(display_name="Mia")
    client.force_login(user)
    response = client.post(reverse("profile"), {"display_name": INJECTION, "language": "de"})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Mia"


@pytest.mark.parametrize("field", ["responsible_name", "responsible_phone", "title"])
def test_the_booking_form_refuses_a_line_break_in_a_one_line_field(client, office, resident, field):
    room = make_room(slug="saal")
    client.force_login(resident)
    response = client.post(
        reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "20:00", **{field: INJECTION})
    )
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("value", ["a\tb", "a\x1bb", "a\u2028b", "a\x85b"])
def test_the_topic_of_a_proposal_refuses_control_characters(client, office, resident, value):
    conference = make_conference()
    client.force_login(resident)
    response = client.post(
        reverse("events:conference_propose", args=[conference.event.slug]), {"title": value, "description": "x"}
    )
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_sign_up_refuses_a_line_break_in_the_email(client, office):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "maria@example.org\r\nBcc: x@y",
            "password1": "Sicheres-Passwort-2026",
            "password2": "Sicheres-Passwort-2026",
        },
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_a_textarea_keeps_its_line_breaks(client, office, resident):
    conference = make_conference()
    client.force_login(resident)
    client.post(
        reverse("events:conference_propose", args=[conference.event.slug]),
        {"title": "Mehr Bänke", "description": "Erste Zeile.\r\nZweite Zeile."},
    )
    assert Proposal.objects.get().description == "Erste Zeile.\r\nZweite Zeile."


def test_the_admin_refuses_a_line_break_in_a_one_line_field(client, office, staff):
    from quartier.models import Office

    client.force_login(staff)
    response = client.post(
        reverse("admin:quartier_office_change", args=[1]),
        {"name": INJECTION, "district": "Nordstadt", "city": "Dortmund"},
    )
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Office.objects.filter(name=INJECTION).exists()
