"""The office counter for events: staff register a person without an account, with the same capacity, companions
and waiting list as online; a printed confirmation when there is no address; the registration joins the account she
signs up with later; only office staff use the pages."""

import re

import pypdfium2
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from events import services
from events.models import Registration
from quartier.counter import CounterPerson
from quartier.models import User

from ..factories import TOTP, TOTP_SECRET, make_permission_holder, make_staff, make_user
from .factories import make_event

pytestmark = pytest.mark.django_db


def _form(event, **overrides) -> dict:
    data = {"event": event.pk, "name": "Emine Yıldız", "phone": "0231 778899", "email": "", "companions": "0"}
    data.update(overrides)
    return data


def _register(client, staff, data):
    client.force_login(staff)
    return client.post(reverse("events:counter"), data)


@pytest.fixture
def reading(db):
    return make_event(title="Lesung im Nordpark", capacity=2, max_companions=1)


def test_staff_register_a_person_without_address_and_print_the_confirmation(client, office, staff, reading, mailoutbox):
    response = _register(client, staff, _form(reading, companions="1"))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:counter_confirmation", args=[registration.pk])
    assert registration.user is None and registration.channel == Registration.Channel.OFFICE
    assert registration.created_by == staff and registration.name == "Emine Yıldız"
    assert (registration.status, registration.places) == (Registration.Status.REGISTERED, 2)
    assert mailoutbox == []  # no address: the office hands over the printed confirmation
    page = client.get(response["Location"]).content.decode()
    assert "Anmeldebestätigung" in page and "Emine Yıldız" in page and "Lesung im Nordpark" in page
    assert reverse("events:counter_confirmation_pdf", args=[registration.pk]) + "?format=A5" in page


def test_the_confirmation_pdf_comes_in_a4_and_a5(client, office, staff, reading):
    _register(client, staff, _form(reading))
    registration = Registration.objects.get()
    for paper, size in (("A4", (595, 842)), ("A5", (420, 595))):
        response = client.get(reverse("events:counter_confirmation_pdf", args=[registration.pk]), {"format": paper})
        assert response["Content-Type"] == "application/pdf"
        pdf = pypdfium2.PdfDocument(response.content)
        assert tuple(round(side) for side in pdf[0].get_size()) == size
        text = "".join(page.get_textpage().get_text_range() for page in pdf)
        assert "Emine Yıldız" in text and "Lesung im Nordpark" in text


def test_a_full_event_puts_the_person_on_the_waiting_list(client, office, staff, reading, resident):
    services.register(event=reading, user=resident, companions=1)  # both places taken
    response = _register(client, staff, _form(reading))
    registration = Registration.objects.get(name="Emine Yıldız")
    assert registration.status == Registration.Status.WAITING
    page = client.get(response["Location"]).content.decode()
    assert "Warteliste" in page and "Platz 1" in page
    services.cancel_registration(registration=Registration.objects.get(user=resident), by=resident)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED  # moves up in order, as online


def test_the_counter_list_offers_the_waiting_list_for_a_full_event(client, office, staff, reading, resident):
    services.register(event=reading, user=resident, companions=1)
    client.force_login(staff)
    page = client.get(reverse("events:counter")).content.decode()
    assert "Lesung im Nordpark" in page and "Auf die Warteliste setzen" in page


def test_companions_beyond_the_events_limit_keep_the_input_and_say_why(client, office, staff, reading):
    response = _register(client, staff, _form(reading, companions="3", name="Emine Yıldız"))
    page = response.content.decode()
    assert response.status_code == 200 and "Höchstens 1 Begleitperson" in page
    assert 'value="Emine Yıldız"' in page and 'value="0231 778899"' in page
    assert not Registration.objects.exists()


def test_a_bad_phone_number_is_refused_with_a_clear_message(client, office, staff, reading):
    response = _register(client, staff, _form(reading, phone="abc"))
    assert response.status_code == 200 and "Telefonnummer" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_closed_event_cannot_be_chosen(client, office, staff):
    cancelled = make_event(is_cancelled=True)
    response = _register(client, staff, _form(cancelled))
    assert response.status_code == 200 and not Registration.objects.exists()


def test_with_an_address_the_confirmation_goes_by_mail(client, office, staff, reading, mailoutbox):
    _register(client, staff, _form(reading, email="emine@example.org"))
    assert [mail.to for mail in mailoutbox] == [["emine@example.org"]]
    assert mailoutbox[0].body.startswith("Guten Tag Emine Yıldız,")
    assert Registration.objects.get().user is None


def test_the_same_address_cannot_register_twice(client, office, staff, reading):
    _register(client, staff, _form(reading, email="emine@example.org"))
    response = _register(client, staff, _form(reading, email="Emine@Example.org"))
    assert "bereits angemeldet" in response.content.decode()
    assert Registration.objects.count() == 1


def test_an_address_with_an_account_registers_it_in_her_language(client, office, staff, reading, mailoutbox):
    emine = make_user(email="emine@example.org", language="en")
    _register(client, staff, _form(reading, email="emine@example.org"))
    assert Registration.objects.get().user == emine
    assert mailoutbox[0].subject.endswith("You are registered")
    again = _register(client, staff, _form(reading, email="emine@example.org"))
    assert "Diese E-Mail-Adresse ist für diese Veranstaltung bereits angemeldet" in again.content.decode()


def test_the_registration_joins_the_account_she_signs_up_with(client, office, staff, reading, mailoutbox):
    _register(client, staff, _form(reading, email="Emine@Example.org"))
    client.logout()
    mailoutbox.clear()
    password = "Ein-gutes-Passwort-77"
    client.post(
        reverse("account_signup"),
        {"email": "emine@example.org", "password1": password, "password2": password, "display_name": "Emine"},
    )
    assert Registration.objects.get().user is None  # not before she has confirmed the address
    link = re.search(r"https?://[^\s]+", mailoutbox[0].body).group(0)
    client.post(link)
    emine = User.objects.get(email="emine@example.org")
    assert Registration.objects.get().user == emine
    assert "Lesung im Nordpark" in client.get(reverse("events:my_registrations")).content.decode()


def test_joining_skips_an_event_she_has_registered_for_online_meanwhile(office, staff, reading):
    from quartier.counter import claim_all

    counter = services.register(
        event=reading, counter_person=CounterPerson("Emine", "0231 778899", "emine@example.org"), created_by=staff
    )
    other = make_event()
    elsewhere = services.register(
        event=other, counter_person=CounterPerson("Emine", "0231 778899", "emine@example.org"), created_by=staff
    )
    emine = make_user(email="emine@example.org")
    services.register(event=reading, user=emine)
    assert claim_all(user=emine, email="emine@example.org") == 1
    counter.refresh_from_db(), elsewhere.refresh_from_db()
    assert counter.user is None and elsewhere.user == emine


def test_the_service_refuses_a_counter_registration_by_someone_not_on_staff(resident, reading):
    with pytest.raises(PermissionDenied):
        services.register(event=reading, counter_person=CounterPerson("Emine", "0231 778899"), created_by=resident)


def _staff_flag_only():
    user = make_user(is_staff=True)
    TOTP.activate(user, TOTP_SECRET)  # staff status is an office power: it needs the second factor first
    return user


def _office_without_staff_flag():
    """The project's rule (quartier/staff.py): office staff hold the office's permission; the staff flag only
    opens the admin."""
    return make_staff(is_staff=False)


@pytest.mark.parametrize(
    "make_actor",
    [
        lambda: make_user(),
        lambda: _staff_flag_only(),  # the staff flag alone is no office power
        lambda: make_permission_holder("events.view_registration", "events.change_event", mfa=True),
    ],
    ids=["resident", "staff-flag-only", "some-permissions"],
)
def test_others_than_office_staff_cannot_use_the_counter(client, office, reading, make_actor):
    client.force_login(make_actor())
    assert client.get(reverse("events:counter")).status_code == 403
    assert client.post(reverse("events:counter"), _form(reading)).status_code == 403
    assert not Registration.objects.exists()


def test_office_staff_without_the_staff_flag_use_the_counter(client, office, reading):
    member = _office_without_staff_flag()
    assert not member.is_staff and Group.objects.filter(user=member).exists()
    client.force_login(member)
    assert client.get(reverse("events:counter")).status_code == 200
    assert client.post(reverse("events:counter"), _form(reading)).status_code == 302


def test_anonymous_visitors_are_sent_to_log_in(client, office):
    response = client.get(reverse("events:counter"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_counter_refuses_a_post_without_csrf_token(office, staff, reading):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(reverse("events:counter"), _form(reading)).status_code == 403
    assert not Registration.objects.exists()


def test_confirmations_of_other_peoples_registrations_are_refused(client, office, staff, reading, resident):
    own = services.register(event=reading, user=resident)
    foreign = services.register(event=reading, user=make_user())
    counter = services.register(
        event=make_event(), counter_person=CounterPerson("Emine", "0231 7788"), created_by=staff
    )
    client.force_login(resident)
    assert client.get(reverse("events:counter_confirmation", args=[own.pk])).status_code == 200
    for registration in (foreign, counter):
        for name in ("events:counter_confirmation", "events:counter_confirmation_pdf"):
            assert client.get(reverse(name, args=[registration.pk])).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("events:counter_confirmation", args=[999999])).status_code == 404


def test_the_dashboard_counts_registrations_by_channel(client, office, staff, reading, resident):
    _register(client, staff, _form(reading))
    services.register(event=reading, user=resident)
    _register(client, staff, _form(make_event(), name="Jan Nowak"))
    page = client.get(reverse("dashboard")).content.decode()
    section = page.split('id="dash-event-counter"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"Über das Portal</dt><dd>1<", section) and re.search(r"Am Schalter des Büros</dt><dd>2<", section)
    assert reverse("events:counter") in section


def test_a_reminder_to_a_counter_registration_has_no_cancel_link(office, staff, reading, mailoutbox):
    from events import mails

    registration = services.register(
        event=reading, counter_person=CounterPerson("Emine", "0231 778899", "emine@example.org"), created_by=staff
    )
    mailoutbox.clear()
    mails.reminder(registration)
    assert "/absagen/" not in mailoutbox[0].body and "rufen Sie" in mailoutbox[0].body


def test_the_counter_list_costs_the_same_queries_for_many_events(client, office, staff, django_assert_max_num_queries):
    client.force_login(staff)
    make_event()
    client.get(reverse("events:counter"))  # warm the session and the office
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("events:counter"))
    for _n in range(15):
        services.register(event=make_event(capacity=1), user=make_user())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("events:counter")).content.decode()
    assert page.count("Auf die Warteliste setzen") == 15
