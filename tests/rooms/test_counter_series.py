"""A weekly or two-weekly series booked at the office counter for a person without an account: the same series
service as online (per-date conflicts, fees, deposit), a printed confirmation that lists the dates, and the series
joins the account she signs up with later."""

import re
from datetime import timedelta
from decimal import Decimal

import pypdfium2
import pytest
from django.urls import reverse

from quartier.models import User
from rooms import reconfirm
from rooms.models import Booking, BookingSeries

from .factories import days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(db):
    return make_room(name="Saal", capacity=60, fee_per_hour=Decimal("20.00"), deposit=Decimal("50.00"))


def _form(room, **overrides) -> dict:
    data = {
        "room": room.pk,
        "date": days_ahead(2).isoformat(),
        "start": "18:00",
        "end": "20:00",
        "title": "Chorprobe",
        "attendees": "15",
        "responsible_name": "Emine Yıldız",
        "responsible_phone": "0231 778899",
        "responsible_email": "",
        "repeat": "weekly",
        "count": "4",
    }
    data.update(overrides)
    return data


def _dates(first, n, step=1):
    return [first + timedelta(weeks=step * k) for k in range(n)]


def test_the_preview_shows_each_date_with_its_conflict(client, office, staff, hall, resident):
    taken = days_ahead(2) + timedelta(weeks=1)
    make_booking(room=hall, booked_by=resident, starts_at=local(taken, 19), ends_at=local(taken, 21))
    client.force_login(staff)
    page = client.post(reverse("rooms:counter"), _form(hall)).content.decode()
    assert page.count('name="dates"') == 4 and page.count(" disabled ") == 1
    assert "bereits gebucht" in page  # the conflicting date names why
    assert f'name="room" value="{hall.pk}"' in page  # the preview keeps the room for the next step
    assert not Booking.objects.filter(channel="office").exists()


def _book(client, staff, hall, **overrides):
    client.force_login(staff)
    data = _form(hall, **overrides)
    preview = client.post(reverse("rooms:counter"), data).content.decode()
    keys = re.findall(r'name="dates" value="([^"]+)"(?![^>]*disabled)', preview)
    return client.post(reverse("rooms:counter"), {**data, "step": "confirm", "dates": keys})


def test_staff_book_a_series_and_print_the_confirmation_with_its_dates(client, office, staff, hall, mailoutbox):
    taken = days_ahead(2) + timedelta(weeks=1)
    make_booking(room=hall, booked_by=None, starts_at=local(taken, 18), ends_at=local(taken, 20), channel="office")
    response = _book(client, staff, hall, private_use="on")
    series = BookingSeries.objects.get()
    dates = list(series.bookings.order_by("starts_at"))
    assert len(dates) == 3 and series.booked_by is None
    assert {(b.channel, b.booked_by, b.created_by, b.fee, b.deposit) for b in dates} == {
        ("office", None, staff, Decimal("40.00"), Decimal("50.00"))
    }
    assert response["Location"] == reverse("rooms:counter_confirmation", args=[dates[0].pk])
    assert mailoutbox == []  # no address: the printed confirmation
    page = client.get(response["Location"]).content.decode()
    for booking in dates:
        assert booking.starts_at.astimezone().strftime("%d.%m.%Y") in page
    assert "3 Termine" in page and "40,00 € je Termin, insgesamt 120,00 €" in page
    pdf = pypdfium2.PdfDocument(
        client.get(reverse("rooms:counter_confirmation_pdf", args=[dates[0].pk]), {"format": "A5"}).content
    )
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Emine Yıldız" in text and "Chorprobe" in text
    for booking in dates:
        assert booking.starts_at.astimezone().strftime("%d.%m.%Y") in text


def test_a_two_weekly_series(client, office, staff, hall):
    _book(client, staff, hall, repeat="biweekly", count="3")
    starts = [b.starts_at.date() for b in Booking.objects.order_by("starts_at")]
    assert starts == _dates(days_ahead(2), 3, step=2)


def test_a_date_taken_meanwhile_books_nothing_and_says_so(client, office, staff, hall, resident):
    client.force_login(staff)
    data = _form(hall)
    preview = client.post(reverse("rooms:counter"), data).content.decode()
    keys = re.findall(r'name="dates" value="([^"]+)"', preview)
    later = days_ahead(2) + timedelta(weeks=2)
    make_booking(room=hall, booked_by=resident, starts_at=local(later, 18), ends_at=local(later, 20))
    response = client.post(reverse("rooms:counter"), {**data, "step": "confirm", "dates": keys})
    assert response.status_code == 200 and "bereits gebucht" in response.content.decode()
    assert not BookingSeries.objects.exists()


def test_back_from_the_preview_keeps_the_input(client, office, staff, hall):
    client.force_login(staff)
    page = client.post(reverse("rooms:counter"), {**_form(hall), "step": "edit"}).content.decode()
    assert 'value="Chorprobe"' in page and 'value="Emine Yıldız"' in page and not BookingSeries.objects.exists()


def test_a_series_without_end_says_what_is_missing(client, office, staff, hall):
    client.force_login(staff)
    response = client.post(reverse("rooms:counter"), _form(hall, count=""))
    assert response.status_code == 200 and "Enddatum" in response.content.decode()
    assert 'value="Chorprobe"' in response.content.decode()


def test_with_an_address_one_mail_lists_the_dates_and_the_series_joins_her_account(
    client, office, staff, hall, mailoutbox
):
    _book(client, staff, hall, responsible_email="emine@example.org")
    assert [mail.to for mail in mailoutbox] == [["emine@example.org"]]
    assert mailoutbox[0].body.startswith("Guten Tag Emine Yıldız,")
    client.logout()
    mailoutbox.clear()
    password = "Ein-gutes-Passwort-77"
    client.post(
        reverse("account_signup"),
        {"email": "emine@example.org", "password1": password, "password2": password, "display_name": "Emine"},
    )
    client.post(re.search(r"https?://[^\s]+", mailoutbox[0].body).group(0))
    emine = User.objects.get(email="emine@example.org")
    assert BookingSeries.objects.get().booked_by == emine
    assert set(Booking.objects.values_list("booked_by", flat=True)) == {emine.pk}


def test_a_series_without_address_is_reconfirmed_through_the_office(client, office, staff, hall, mailoutbox):
    _book(client, staff, hall, count="12")
    series = BookingSeries.objects.get()
    series.confirmed_until = days_ahead(10)
    series.save()
    mailoutbox.clear()
    assert reconfirm.run()["asked"] == 1
    assert [mail.to for mail in mailoutbox] == [[staff.email]]
    assert "Emine Yıldız" in mailoutbox[0].body and "0231 778899" in mailoutbox[0].body
    # The office phones her and answers the link from the mail: the next period is confirmed.
    before = reconfirm.period_end(series)
    link = re.search(r"https?://\S+/serie/bestaetigen/\S+", mailoutbox[0].body).group(0)
    client.post(link, {"answer": "confirm"})
    series.refresh_from_db()
    assert series.confirmed_until > before and series.released_at is None


def test_the_office_releases_a_counter_series_by_the_link(client, office, staff, hall):
    _book(client, staff, hall, count="12")
    series = BookingSeries.objects.get()
    series.confirmed_until = days_ahead(10)
    series.save()
    client.post(reverse("rooms:series_reconfirm", args=[reconfirm.token(series)]), {"answer": "release"})
    series.refresh_from_db()
    assert series.released_at is not None
    assert series.bookings.filter(status="cancelled").count() == 12 - 2  # the dates after the confirmed period


def test_residents_cannot_book_a_series_at_the_counter(client, office, resident, hall):
    client.force_login(resident)
    assert client.post(reverse("rooms:counter"), {**_form(hall), "step": "confirm"}).status_code == 403
    assert not BookingSeries.objects.exists()
