"""The office counter: staff book for people without an account, with the same rules, fees and conflict check; a
printed confirmation when there is no address; the booking joins the account she signs up with later."""

import re
from decimal import Decimal

import pypdfium2
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from quartier.models import User
from rooms import services
from rooms.models import Booking

from ..factories import make_user
from .factories import days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


def _form(room, day=None, start="18:00", end="21:00", **overrides) -> dict:
    data = {
        "room": room.pk,
        "date": (day or days_ahead(1)).isoformat(),  # tomorrow: within the notice period, which staff may book
        "start": start,
        "end": end,
        "title": "Geburtstag",
        "attendees": "20",
        "responsible_name": "Emine Yıldız",
        "responsible_phone": "0231 778899",
        "responsible_email": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def hall(db):
    return make_room(name="Saal", capacity=60, fee_per_hour=Decimal("20.00"), deposit=Decimal("150.00"))


def _book(client, staff, data):
    client.force_login(staff)
    return client.post(reverse("rooms:counter"), data)


def test_staff_book_for_a_person_without_address_and_print_the_confirmation(client, office, staff, hall, mailoutbox):
    hall.location.key_pickup = "Schlüssel im Stadtteilbüro, Mo–Do 10–16 Uhr."
    hall.location.save()
    response = _book(client, staff, _form(hall, private_use="on"))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "rooms:counter_confirmation", args=[booking.pk]
    )
    assert booking.booked_by is None and booking.channel == Booking.Channel.OFFICE and booking.created_by == staff
    assert booking.responsible_name == "Emine Yıldız" and booking.responsible_email == ""
    assert booking.status == Booking.Status.CONFIRMED
    assert (booking.fee, booking.deposit) == (Decimal("60.00"), Decimal("150.00"))  # three hours at 20 €
    assert mailoutbox == []  # no address: the office hands over the printed confirmation
    page = client.get(response["Location"]).content.decode()
    assert "Buchungsbestätigung" in page and "Emine Yıldız" in page and "60,00 €" in page and "150,00 €" in page
    assert "Schlüssel im Stadtteilbüro" in page and "Nachtruhe" in page


def test_the_confirmation_pdf_comes_in_a4_and_a5(client, office, staff, hall):
    _book(client, staff, _form(hall))
    booking = Booking.objects.get()
    for paper, size in (("A4", (595, 842)), ("A5", (420, 595))):
        response = client.get(reverse("rooms:counter_confirmation_pdf", args=[booking.pk]), {"format": paper})
        assert response["Content-Type"] == "application/pdf"
        pdf = pypdfium2.PdfDocument(response.content)
        assert tuple(round(side) for side in pdf[0].get_size()) == size
        text = "".join(page.get_textpage().get_text_range() for page in pdf)
        assert "Emine Yıldız" in text and "Saal" in text and "Nachtruhe" in text


def test_with_an_address_the_confirmation_goes_by_mail(client, office, staff, hall, mailoutbox):
    _book(client, staff, _form(hall, responsible_email="emine@example.org"))
    assert [mail.to for mail in mailoutbox] == [["emine@example.org"]]
    assert mailoutbox[0].body.startswith("Guten Tag Emine Yıldız,")
    assert Booking.objects.get().booked_by is None


def test_the_counter_checks_the_same_rules_and_conflicts(client, office, staff, hall, resident):
    make_booking(room=hall, booked_by=resident, starts_at=local(days_ahead(1), 19), ends_at=local(days_ahead(1), 20))
    response = _book(client, staff, _form(hall))
    assert response.status_code == 200 and "bereits gebucht" in response.content.decode()
    too_many = _book(client, staff, _form(hall, day=days_ahead(2), attendees="61"))
    assert "höchstens 60 Personen" in too_many.content.decode()
    late = _book(client, staff, _form(hall, day=days_ahead(2), start="21:00", end="23:00"))
    assert "außerhalb der Buchungszeiten" in late.content.decode()
    assert Booking.objects.filter(channel=Booking.Channel.OFFICE).count() == 0


def test_the_booking_joins_the_account_she_signs_up_with(client, office, staff, hall, mailoutbox):
    _book(client, staff, _form(hall, responsible_email="Emine@Example.org"))
    client.logout()
    mailoutbox.clear()
    password = "Ein-gutes-Passwort-77"
    client.post(
        reverse("account_signup"),
        {"email": "emine@example.org", "password1": password, "password2": password, "display_name": "Emine"},
    )
    assert Booking.objects.get().booked_by is None  # not before she has confirmed the address
    link = re.search(r"https?://[^\s]+", mailoutbox[0].body).group(0)
    client.post(link)
    emine = User.objects.get(email="emine@example.org")
    assert Booking.objects.get().booked_by == emine
    assert "Geburtstag" in client.get(reverse("rooms:my_bookings")).content.decode()


def test_an_address_with_an_account_books_into_it(client, office, staff, hall):
    emine = make_user(email="emine@example.org")
    _book(client, staff, _form(hall, responsible_email="emine@example.org"))
    assert Booking.objects.get().booked_by == emine


def test_an_unconfirmed_account_does_not_get_the_booking(client, office, staff, hall):
    make_user(email="emine@example.org", verified=False)
    _book(client, staff, _form(hall, responsible_email="emine@example.org"))
    assert Booking.objects.get().booked_by is None


def test_residents_cannot_use_the_counter(client, office, resident, hall):
    client.force_login(resident)
    assert client.get(reverse("rooms:counter")).status_code == 403
    assert client.post(reverse("rooms:counter"), _form(hall)).status_code == 403
    assert not Booking.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, office, hall):
    response = client.get(reverse("rooms:counter"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_service_refuses_a_counter_booking_by_someone_not_on_staff(resident, hall):
    with pytest.raises(PermissionDenied):
        services.book_room(
            room=hall,
            booked_by=None,
            starts_at=local(days_ahead(5), 10),
            ends_at=local(days_ahead(5), 12),
            title="x",
            attendees=2,
            created_by=resident,
            counter_person=services.CounterPerson("Emine", "0231 778899"),
        )


def _on(hall, days, booked_by, **fields):
    day = days_ahead(days)
    return make_booking(room=hall, booked_by=booked_by, starts_at=local(day, 10), ends_at=local(day, 12), **fields)


def test_confirmations_of_other_peoples_bookings_are_refused(client, office, resident, hall):
    own, foreign = _on(hall, 5, resident), _on(hall, 6, make_user())
    counter = _on(hall, 7, None, channel="office")
    client.force_login(resident)
    assert client.get(reverse("rooms:counter_confirmation", args=[own.pk])).status_code == 200
    for booking in (foreign, counter):
        for name in ("rooms:counter_confirmation", "rooms:counter_confirmation_pdf"):
            assert client.get(reverse(name, args=[booking.pk])).status_code == 404
        assert client.get(reverse("rooms:booking_detail", args=[booking.pk])).status_code == 404


def test_the_dashboard_counts_the_office_channel(client, office, staff, hall, resident):
    _book(client, staff, _form(hall))
    _book(client, staff, _form(hall, day=days_ahead(3)))
    _on(hall, 4, resident)
    page = client.get(reverse("dashboard")).content.decode()
    section = page.split('id="dash-counter"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"Über das Portal</dt><dd>1<", section) and re.search(r"Am Schalter des Büros</dt><dd>2<", section)
    assert reverse("rooms:counter") in section


def test_a_counter_booking_without_account_is_not_anyones_own(resident, hall):
    booking = _on(hall, 7, None, channel="office")
    assert not booking.can_be_cancelled_by(AnonymousUser())
    assert not booking.can_be_cancelled_by(resident)
