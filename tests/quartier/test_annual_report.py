"""The annual report (Jahresbericht) and the public page "Der Stadtteil in Zahlen", against hand-counted data of
2025 that includes cancelled and declined bookings, cancelled events and registrations, reversed allowances and
corrected fund entries, and rows just outside the year."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from events.models import Category, Conference, Decision, DecisionStatus, Proposal, Registration
from initiatives.fund.models import FundEntry, Receipt
from initiatives.models import Offer, OfferResponse, Topic
from quartier.report import Period, report
from rooms.models import Booking
from volunteers import services as volunteer_services
from volunteers.models import AllowanceType, Cap

from ..events.factories import make_event
from ..factories import make_staff, make_user
from ..fund.factories import make_application, make_call
from ..initiatives.factories import make_initiative
from ..rooms.factories import local, make_room
from ..volunteers.factories import make_declaration, make_engagement, pay

pytestmark = pytest.mark.django_db

YEAR = 2025


def at(month, day, hour=10):
    return local(date(YEAR, month, day), hour)


def booking(room, user, start, hours, **fields):
    fields.setdefault("title", "Treffen")
    return Booking.objects.create(
        room=room,
        booked_by=user,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        attendees=5,
        responsible_name="Maria Kowalski",
        responsible_phone="0231 123456",
        status=fields.pop("status", Booking.Status.CONFIRMED),
        **fields,
    )


@pytest.fixture
def year_data(office):
    staff = make_staff(email="buero@example.org")
    resident, other = make_user(email="a@example.org"), make_user(email="b@example.org")
    environment, culture = (
        Topic.objects.create(name="Umwelt", slug="umwelt"),
        Topic.objects.create(name="Kultur", slug="kultur"),
    )

    # Initiatives: 2 active (1 new), 1 verified; a hidden one and one of 2026 do not count.
    liga = make_initiative(
        name="Liga", languages="Deutsch, Türkçe", created_at=timezone.make_aware(datetime(2024, 5, 1))
    )
    liga.topics.add(environment)
    new = make_initiative(name="Neu", languages="deutsch", is_verified=False, created_at=at(2, 1))
    new.topics.add(environment, culture)
    make_initiative(name="Versteckt", is_hidden=True, created_at=at(2, 2))
    make_initiative(name="Später", created_at=timezone.make_aware(datetime(2026, 1, 2)))

    # Rooms: A open 8–22 every day (5 110 h in 2025), B 10–12 (730 h).
    room_a, room_b = make_room(name="Saal"), make_room(name="Küche", hours=((10, 12),))
    booking(room_a, resident, at(3, 3), 3)  # resident, 3 h
    booking(room_a, resident, at(3, 4), 2, initiative=liga)  # initiative, 2 h
    booking(
        room_a,
        None,
        at(3, 5),
        4,
        channel=Booking.Channel.OFFICE,
        created_by=staff,
        private_use=True,
        fee=Decimal("30.00"),
        deposit=Decimal("100.00"),
        deposit_state=Booking.DepositState.PARTLY_WITHHELD,
        deposit_withheld=Decimal("40.00"),
        deposit_note="Fleck im Teppich",
    )  # office counter, private, 4 h
    booking(room_b, other, at(3, 7), 1)  # resident, 1 h
    booking(room_b, other, at(3, 6), 2, status=Booking.Status.CANCELLED, cancelled_at=at(3, 1))
    booking(room_b, other, at(3, 8), 1, status=Booking.Status.DECLINED)
    booking(room_a, resident, local(date(2024, 12, 31), 20), 2)  # the year before

    # Events: 2 held (one a conference), 1 cancelled, 1 unpublished.
    culture_category = Category.objects.create(name="Kultur", slug="kultur")
    fest = make_event(title="Fest", starts_at=at(6, 1), category=culture_category)
    people = [make_user(email=f"p{n}@example.org") for n in range(4)]
    Registration.objects.create(event=fest, user=people[0], places=1)
    Registration.objects.create(event=fest, user=people[1], companions=2, places=3)
    Registration.objects.create(event=fest, user=people[2], status=Registration.Status.WAITING)
    Registration.objects.create(event=fest, user=people[3], status=Registration.Status.CANCELLED, cancelled_at=at(5, 1))
    cancelled = make_event(title="Abgesagt", starts_at=at(7, 1), is_cancelled=True)
    Registration.objects.create(event=cancelled, user=people[0], places=1)
    make_event(title="Entwurf", starts_at=at(7, 2), is_published=False)
    meeting = make_event(title="Stadtteilkonferenz", starts_at=at(9, 1))
    conference = Conference.objects.create(event=meeting, proposal_deadline=at(8, 1))
    for status in ("open", "accepted", "accepted", "declined"):
        Proposal.objects.create(
            conference=conference, title="Thema", description="Wichtig", proposed_by=resident, status=status
        )
    for number, status in enumerate((DecisionStatus.DONE, DecisionStatus.OPEN, DecisionStatus.REJECTED), 1):
        Decision.objects.create(
            conference=conference, number=number, wording="Beschluss", responsible="Büro", status=status
        )

    # Volunteering: 1 offer of 2025 (3 helpers), 2 sign-ups; allowances with reversals.
    offer = Offer.objects.create(
        initiative=liga,
        title="Helfen",
        description="Beim Fest",
        when="Juni",
        time_needed="2 h",
        helpers_needed=3,
        until=date(YEAR, 6, 1),
        created_at=at(4, 1),
    )
    Offer.objects.create(
        initiative=liga,
        title="Alt",
        description="Alt",
        when="Mai",
        time_needed="1 h",
        until=date(2024, 6, 1),
        created_at=timezone.make_aware(datetime(2024, 4, 1)),
    )
    OfferResponse.objects.create(offer=offer, user=people[0], created_at=at(4, 2))
    OfferResponse.objects.create(offer=offer, user=people[1], status="accepted", created_at=at(4, 3))
    Cap.objects.filter(from_year__gt=2021).delete()
    Cap.objects.update_or_create(
        from_year=2021, defaults={"trainer_amount": Decimal("3000.00"), "honorary_amount": Decimal("840.00")}
    )
    honorary = make_engagement(allowance_type=AllowanceType.HONORARY)
    make_declaration(honorary, YEAR, received_elsewhere=Decimal("400.00"))
    volunteer_services.reverse_payment(
        payment=pay(honorary, "200.00", date(YEAR, 6, 1), staff), by=staff, reason="Doppelt"
    )
    pay(honorary, "300.00", date(YEAR, 5, 1), staff)
    reversed_only = make_engagement(allowance_type=AllowanceType.TRAINER)
    make_declaration(reversed_only, YEAR)
    volunteer_services.reverse_payment(
        payment=pay(reversed_only, "100.00", date(YEAR, 2, 1), staff), by=staff, reason="Irrtum"
    )
    trainer = make_engagement(allowance_type=AllowanceType.TRAINER)
    make_declaration(trainer, YEAR)
    pay(trainer, "3000.00", date(YEAR, 7, 1), staff)

    # Fund: 2 applications submitted in 2025 (a draft and one of 2024 do not count); a corrected grant.
    call = make_call()
    granted = make_application(call=call, applicant=resident, initiative=liga, status="approved", submitted_at=at(3, 1))
    granted.goals.add(environment)
    make_application(call=call, applicant=other, status="rejected", submitted_at=at(3, 2))
    make_application(call=call, applicant=other)
    make_application(
        call=call, applicant=other, status="rejected", submitted_at=timezone.make_aware(datetime(2024, 3, 1))
    )
    grant = FundEntry.objects.create(
        application=granted, kind="grant", amount=Decimal("1000.00"), booked_on=date(YEAR, 4, 1), entered_by=staff
    )
    FundEntry.objects.create(
        application=granted,
        kind="grant",
        amount=Decimal("-200.00"),
        booked_on=date(YEAR, 4, 10),
        corrects=grant,
        reason="Weniger Kosten",
        entered_by=staff,
    )
    FundEntry.objects.create(
        application=granted, kind="payout", amount=Decimal("800.00"), booked_on=date(YEAR, 5, 1), entered_by=staff
    )
    FundEntry.objects.create(
        application=granted, kind="repayment", amount=Decimal("50.00"), booked_on=date(YEAR, 11, 1), entered_by=staff
    )
    Receipt.objects.create(
        application=granted,
        description="Farbe",
        amount=Decimal("600.00"),
        file="foerderbelege/x.pdf",
        uploaded_by=resident,
    )
    return staff


def figures(period=None):
    """The report's figures by (section, English label)."""
    with translation.override("en"):
        return {
            (section.key, figure.label): figure
            for section in report(period or Period.year(YEAR))
            for figure in section.figures
        }


def rows(figure):
    return {row.label: row.value for row in figure.rows}


def test_the_rooms_figures_count_confirmed_bookings_of_the_year_only(year_data):
    found = figures()
    assert found["rooms", "Bookings"].value == 4
    assert rows(found["rooms", "Bookings"]) == {"Küche": 1, "Saal": 3}
    assert found["rooms", "Cancelled bookings"].value == 1
    assert found["rooms", "Declined requests"].value == 1
    assert found["rooms", "Hours booked"].value == 10
    assert rows(found["rooms", "Hours booked"]) == {"Küche": 1, "Saal": 9}
    assert found["rooms", "Occupancy of the bookable hours"].value == 0.2  # 10 h of 5 840 h
    assert rows(found["rooms", "Occupancy of the bookable hours"]) == {"Küche": 0.1, "Saal": 0.2}
    assert rows(found["rooms", "Room hours by purpose"]) == {
        "community use (free of charge)": 6,
        "private use (fee)": 4,
    }
    assert rows(found["rooms", "Bookings by kind of booker"]) == {
        "residents": 2,
        "initiatives": 1,
        "the office counter": 1,
    }
    assert rows(found["rooms", "Hours by kind of booker"]) == {
        "residents": 4,
        "initiatives": 2,
        "the office counter": 4,
    }
    assert found["rooms", "Fees"].value == Decimal("30.00")
    assert found["rooms", "Deposits charged"].value == Decimal("100.00")
    assert found["rooms", "Deposits withheld"].value == Decimal("40.00")
    assert "cancelled" in found["rooms", "Bookings"].rule


def test_the_event_and_conference_figures_leave_out_cancelled_and_unpublished_events(year_data):
    found = figures()
    assert found["events", "Events held"].value == 2
    assert rows(found["events", "Events held"]) == {"Kultur": 1, "without category": 1}
    assert found["events", "Events cancelled"].value == 1
    assert found["events", "Registrations"].value == 2  # not the one of the cancelled event
    assert found["events", "Places taken"].value == 4
    assert found["events", "On the waiting list"].value == 1
    assert found["events", "Registrations cancelled"].value == 1
    assert found["events", "District conferences"].value == 1
    assert rows(found["events", "Topic proposals"]) == {"open": 1, "on the agenda": 2, "declined": 1}
    assert found["events", "Decisions"].value == 3
    assert found["events", "Decisions done"].value == 1


def test_the_initiative_figures(year_data):
    found = figures()
    assert found["initiatives", "Active initiatives"].value == 2
    assert found["initiatives", "New initiatives"].value == 1
    assert found["initiatives", "Verified initiatives"].value == 1
    assert rows(found["initiatives", "Initiatives by topic"]) == {"Umwelt": 2, "Kultur": 1}
    assert rows(found["initiatives", "Initiatives by language"]) == {"Deutsch": 2, "Türkçe": 1}


def test_the_volunteering_figures_are_net_of_reversals(year_data):
    found = figures()
    assert found["volunteers", "Volunteering offers"].value == 1
    assert found["volunteers", "Helpers asked for"].value == 3
    assert found["volunteers", "Sign-ups"].value == 2
    assert found["volunteers", "People paid an allowance"].value == 2  # the fully reversed one does not count
    paid = found["volunteers", "Allowances paid"]
    assert paid.value == Decimal("3300.00")
    with translation.override("en"):
        trainer, honorary = str(AllowanceType.TRAINER.label), str(AllowanceType.HONORARY.label)
    assert rows(paid) == {trainer: Decimal("3000.00"), honorary: Decimal("300.00")}
    assert rows(found["volunteers", "People paid an allowance"]) == {trainer: 1, honorary: 1}
    assert found["volunteers", "Reversed payments"].value == Decimal("300.00")
    shares = {label: value for label, value in rows(found["volunteers", f"Cap shares {YEAR}"]).items() if value}
    assert shares == {
        f"{trainer}: cap reached": 1,
        f"{honorary}: 80 % of the cap or more": 1,  # 300 paid + 400 declared elsewhere, of 840
    }


def test_the_fund_figures_are_net_of_corrections(year_data):
    found = figures()
    assert found["fund", "Applications"].value == 2
    assert rows(found["fund", "Applications"])["approved"] == 1
    assert found["fund", "Projects granted"].value == 1
    assert found["fund", "Grants"].value == Decimal("800.00")
    assert rows(found["fund", "Fund money by goal"]) == {"Umwelt": Decimal("800.00")}
    assert rows(found["fund", "Grants by topic of the initiative"]) == {"Umwelt": Decimal("800.00")}
    assert found["fund", "Paid out"].value == Decimal("800.00")
    assert found["fund", "Repaid"].value == Decimal("50.00")
    assert found["fund", "Corrections"].value == 1
    assert found["fund", "Receipts outstanding"].value == Decimal("150.00")  # 800 − 50 − 600


def test_a_period_counts_only_its_days(year_data):
    found = figures(Period(date(YEAR, 3, 4), date(YEAR, 3, 5)))
    assert found["rooms", "Bookings"].value == 2
    assert found["rooms", "Hours booked"].value == 6


def test_the_report_needs_a_bounded_number_of_queries(year_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        report(Period.year(YEAR))


def test_the_staff_page_shows_each_figure_with_its_rule(client, year_data):
    client.force_login(year_data)
    response = client.get(reverse("annual_report"), {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jahresbericht 2025" in page
    assert "150,00 €" in page  # receipts outstanding, with the decimal comma
    assert "<svg" in page and "<script" not in page.split("<main")[1].split("</main>")[0]


def test_the_dashboard_links_to_the_report(client, year_data):
    client.force_login(year_data)
    assert reverse("annual_report") in client.get(reverse("dashboard")).content.decode()


def test_residents_do_not_see_the_report(client, year_data):
    client.force_login(make_user(email="neugierig@example.org"))
    assert client.get(reverse("annual_report")).status_code == 403
    assert client.get(reverse("annual_report_csv")).status_code == 403


def test_the_csv_has_every_figure_and_rule(client, year_data):
    client.force_login(year_data)
    response = client.get(reverse("annual_report_csv"), {"year": YEAR})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Bereich", "Kennzahl", "Aufschlüsselung", "Wert", "Zählregel"]
    fund = {row[1]: row[3] for row in lines if row[0] == "Quartiersfonds" and not row[2]}
    assert fund["Ausstehende Belege"] == "150,00"


def test_the_spreadsheet_keeps_numbers_as_numbers(client, year_data):
    client.force_login(year_data)
    response = client.get(reverse("annual_report_xlsx"), {"year": YEAR})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {(row[0], row[1], row[2]): row[3] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["Räume", "Gebuchte Stunden", None] == 10
    assert values["Quartiersfonds", "Ausstehende Belege", None] == 150


def test_the_pdf_reads_back_with_the_figures(client, year_data):
    import pypdfium2

    client.force_login(year_data)
    response = client.get(reverse("annual_report_pdf"), {"year": YEAR})
    assert response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    text = "".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
    assert "Jahresbericht 2025" in text
    assert "Ausstehende Belege" in text and "150,00 €" in text
    assert "Bestätigte Buchungen" in text  # a counting rule beside its figure


def test_the_public_page_shows_public_figures_and_none_about_few_people(client, year_data):
    response = client.get(reverse("district_figures"), {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Der Stadtteil in Zahlen" in page
    assert "Durchgeführte Veranstaltungen" in page
    assert "Umwelt" in page and "800,00 €" in page  # fund money by goal
    assert "Anmeldungen" not in page  # two registrations: fewer than five people
    assert "Gebühren" not in page  # not public by nature
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert "<script" not in page.split("<main")[1].split("</main>")[0]


def test_the_public_page_survives_any_period(client, office):
    for query in ({"year": "99999999999999999999"}, {"start": "2026-02-30", "end": "x"}, {"start": "2026-01-01"}):
        assert client.get(reverse("district_figures"), query).status_code == 200
