"""Demo allowances: trainers of the Nordstadtliga, helpers of the writing workshop, the demo resident with both types.

Idempotent: nothing is added once volunteers exist. Payers fall back to the office when the initiatives'
demo is missing. Every payment goes through the cap rule (`services.record_payment`).
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from initiatives.models import Initiative
from quartier.models import User

from . import services
from .models import AllowanceType, Engagement, Volunteer

TRAINER, HONORARY = AllowanceType.TRAINER, AllowanceType.HONORARY

# name, e-mail (a demo account links the record), street, payer slug, activity, type, received elsewhere this year
PEOPLE = [
    (
        "Maria Kowalski",
        "bewohnerin@quartier.example",
        "Mallinckrodtstraße 40",
        "nordstadtliga",
        "Training der U12",
        TRAINER,
        "0.00",
    ),
    (
        "Maria Kowalski",
        "bewohnerin@quartier.example",
        "Mallinckrodtstraße 40",
        "schreibwerkstatt",
        "Kasse der Schreibwerkstatt",
        HONORARY,
        "0.00",
    ),
    ("Kemal Yılmaz", "", "Schützenstraße 12", "nordstadtliga", "Training der U16", TRAINER, "0.00"),
    ("Sandra Nowak", "", "Münsterstraße 88", "nordstadtliga", "Torwarttraining", TRAINER, "0.00"),
    ("Ahmad Haidari", "", "Bornstraße 3", "schreibwerkstatt", "Helfer bei Lesungen", HONORARY, "0.00"),
    ("Lena Schulte", "", "Leopoldstraße 21", "schreibwerkstatt", "Öffentlichkeitsarbeit", HONORARY, "300.00"),
]

# (name, activity): amounts paid in each of the two years; Sandra comes near the Übungsleiter cap.
PAYMENTS = {
    ("Maria Kowalski", "Training der U12"): ["250.00", "250.00"],
    ("Maria Kowalski", "Kasse der Schreibwerkstatt"): ["120.00"],
    ("Kemal Yılmaz", "Training der U16"): ["400.00", "400.00"],
    ("Sandra Nowak", "Torwarttraining"): ["1500.00", "1500.00"],
    ("Ahmad Haidari", "Helfer bei Lesungen"): ["200.00"],
    ("Lena Schulte", "Öffentlichkeitsarbeit"): ["240.00"],
}


def _payment_dates(year: int, count: int) -> list[date]:
    """Early in the year, never in the future."""
    today = timezone.localdate()
    return [min(date(year, 1 + index * 2, 15), today) for index in range(count)]


def seed_demo(stdout) -> None:
    if Volunteer.objects.exists():
        stdout.write("Volunteers: demo data already there.")
        return
    staff = User.objects.filter(email="buero@quartier.example").first() or User.objects.filter(is_staff=True).first()
    if staff is None:
        stdout.write("Volunteers: no staff account, demo skipped.")
        return
    payers = {
        slug: Initiative.objects.filter(slug=slug, is_nonprofit=True).first()
        for slug in ("nordstadtliga", "schreibwerkstatt")
    }
    this_year = timezone.localdate().year
    for name, email, street, payer_slug, activity, kind, elsewhere in PEOPLE:
        user = User.objects.filter(email=email).first() if email else None
        volunteer, _created = Volunteer.objects.get_or_create(
            name=name,
            defaults={
                "user": user,
                "email": email,
                "street": street,
                "postcode": "44145",
                "city": "Dortmund",
                "iban": "DE89370400440532013000" if user else "",
            },
        )
        engagement = Engagement.objects.create(
            volunteer=volunteer,
            payer_initiative=payers[payer_slug],
            activity=activity,
            allowance_type=kind,
            starts_on=date(this_year - 2, 3, 1),
        )
        for year in (this_year - 1, this_year):
            services.submit_declaration(
                volunteer=volunteer,
                payer_initiative=engagement.payer_initiative,
                year=year,
                allowance_type=kind,
                received_elsewhere=Decimal(elsewhere if year == this_year else "0.00"),
                signed_on=date(year, 1, 2),
                by=staff,
            )
            amounts = PAYMENTS[(name, activity)]
            for paid_on, amount in zip(_payment_dates(year, len(amounts)), amounts, strict=True):
                services.record_payment(
                    engagement=engagement,
                    paid_on=paid_on,
                    amount=Decimal(amount),
                    purpose=f"Aufwandsentschädigung {paid_on:%m/%Y}",
                    entered_by=staff,
                    reference=f"DEMO-{engagement.pk}-{paid_on:%Y%m}",
                )
    stdout.write(f"Volunteers: {Volunteer.objects.count()} volunteers, {Engagement.objects.count()} engagements.")
