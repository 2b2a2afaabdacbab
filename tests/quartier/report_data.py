"""Hand-counted data of 2025 for the annual report: cancelled and declined bookings, a cancelled event and
registration, reversed allowances, a corrected grant, and rows just outside the year (see test_annual_report.py
for the counts)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import Category, Conference, Decision, DecisionStatus, Proposal, Registration
from initiatives.fund.models import FundEntry, Receipt
from initiatives.models import Offer, OfferResponse, Topic
from rooms.models import Booking
from volunteers import services as volunteer_services
from volunteers.models import AllowanceType, Cap

from ..events.factories import make_event
from ..factories import make_staff, make_user
from ..fund.factories import make_application, make_call
from ..initiatives.factories import make_initiative
from ..rooms.factories import local, make_room
from ..volunteers.factories import make_declaration, make_engagement, pay

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


@pytest.fixture(name="year_data")
def _year_data(office):
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
    hidden = make_initiative(name="Versteckt", is_hidden=True, created_at=at(2, 2))
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

    # Events: 2 held (one a conference), 1 cancelled, 1 unpublished, 1 of a hidden initiative.
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
    make_event(title="Verborgen", starts_at=at(7, 3), initiative=hidden)  # its initiative is hidden
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
