"""Demo fund: the Quartiersfonds Nordstadt of the current year (50,000 €, at most 5,000 € per project), a jury of
five, a past call with funded and rejected applications and a finished project with its report, and an open call
with drafts and submitted applications.

Idempotent: nothing is added once the fund exists. Past events are data, written directly (the workflows refuse
dates in the past); money entries are entries as the services write them.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from initiatives.models import Initiative, Topic
from quartier.management.commands.seed_demo import ensure_user
from quartier.models import User

from .models import Call, CostLine, Fund, FundApplication, FundEntry, JuryMember, Receipt, Vote

Status = FundApplication.Status
JURY = [
    ("bewohnerin@quartier.example", "Maria Kowalski"),
    ("initiative@quartier.example", "Jonas Becker"),
    ("emre.aydin@quartier.example", "Emre Aydın"),
    ("katarzyna.nowak@quartier.example", "Katarzyna Nowak"),
    ("thomas.berger@quartier.example", "Thomas Berger"),
]
# A one-page PDF: the demo receipt of the finished project.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day, hour=18):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _application(call, applicant, title, status, lines, *, initiative=None, goals=(), **fields):
    today = timezone.localdate()
    application = FundApplication.objects.create(
        call=call,
        applicant=applicant,
        initiative=initiative,
        title=title,
        status=status,
        description=fields.pop(
            "description", f"{title}: Wir planen das Projekt gemeinsam mit Nachbarinnen und Nachbarn."
        ),
        benefit=fields.pop("benefit", "Menschen aus dem Stadtteil lernen sich kennen und machen mit."),
        own_hours=fields.pop("own_hours", 40),
        confirms_eligibility=True,
        planned_start=fields.pop("planned_start", call.session_date + timedelta(days=14)),
        submitted_at=None if status == Status.DRAFT else _at(min(today, call.deadline.date()) - timedelta(days=3)),
        **fields,
    )
    for description, amount in lines:
        CostLine.objects.create(application=application, description=description, amount=Decimal(amount))
    application.goals.set(Topic.objects.filter(slug__in=goals))
    return application


def _decide(application, jury, choices, amount, staff):
    for member, choice in zip(jury, choices, strict=False):
        if choice and not member.recusal_reason(application):
            Vote.objects.create(application=application, member=member, choice=choice)
    votes = list(application.votes.all())
    application.votes_for = sum(v.choice == "for" for v in votes)
    application.votes_against = sum(v.choice == "against" for v in votes)
    application.votes_abstaining = sum(v.choice == "abstain" for v in votes)
    application.decided_at = _at(application.call.session_date, 20)
    application.checked_at = application.decided_at - timedelta(days=10)
    application.save()
    if amount:
        FundEntry.objects.create(
            application=application,
            kind="grant",
            amount=Decimal(amount),
            entered_by=staff,
            booked_on=application.call.session_date,
            reason="Beschluss der Jury",
        )


def seed_demo(stdout) -> None:
    today = timezone.localdate()
    if Fund.objects.filter(name="Quartiersfonds Nordstadt", year=today.year).exists():
        stdout.write("Neighbourhood fund: demo data already there.")
        return
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    if staff is None or not Initiative.objects.filter(slug="nordstadtliga").exists():
        stdout.write("Neighbourhood fund: no staff account or initiatives, demo skipped.")
        return
    fund = Fund.objects.create(
        name="Quartiersfonds Nordstadt",
        year=today.year,
        total=Decimal("50000.00"),
        max_per_project=Decimal("5000.00"),
        cofinancing_share=Decimal("10.00"),
        description="Geld für kleine Projekte von Bewohnerinnen, Bewohnern und Initiativen in der Nordstadt. "
        "Eine Jury aus dem Stadtteil entscheidet.",
    )
    jury = []
    for email, name in JURY:
        user = User.objects.filter(email=email).first() or ensure_user(email, name, is_staff=False, is_superuser=False)
        jury.append(
            JuryMember.objects.create(
                fund=fund, user=user, term_from=today - timedelta(days=400), term_until=today + timedelta(days=330)
            )
        )
    _past_call(fund, jury, staff, today)
    _open_call(fund, jury, today)
    stdout.write(
        f"Neighbourhood fund: {fund}, {FundApplication.objects.filter(call__fund=fund).count()} "
        f"applications, a jury of {len(jury)}."
    )


def _past_call(fund, jury, staff, today):
    call = Call.objects.create(
        fund=fund,
        title="Frühjahrsaufruf",
        opens_at=_at(today - timedelta(days=150)),
        deadline=_at(today - timedelta(days=100), 23),
        session_date=today - timedelta(days=85),
        session_place="Stadtteilbüro, Bornstraße 12",
        description="Ideen für Frühjahr und Sommer im Stadtteil.",
        minutes="Fünf Jurymitglieder anwesend. Jonas Becker hat beim Antrag der Nordstadtliga nicht abgestimmt.",
    )
    liga, workshop = Initiative.objects.get(slug="nordstadtliga"), Initiative.objects.get(slug="schreibwerkstatt")
    lead = jury[1].user
    cup = _application(
        call,
        lead,
        "Fairness-Cup im Sommer",
        Status.CLOSED,
        [("Bälle und Leibchen", "600.00"), ("Pokale und Urkunden", "350.00"), ("Getränke und Obst", "450.00")],
        initiative=liga,
        goals=["sport", "integration"],
        own_money=Decimal("200.00"),
        planned_start=call.session_date + timedelta(days=10),
        report="Über 120 Kinder und Jugendliche aus 14 Ländern haben mitgespielt. Der Fairness-Pokal "
        "ging an die U14 vom Nordmarkt.",
        report_submitted_at=_at(today - timedelta(days=20)),
        spending_note="Belege stimmen mit dem Kostenplan überein. 50 € werden zurückgezahlt.",
        spending_checked_at=_at(today - timedelta(days=10)),
        closed_at=_at(today - timedelta(days=10)),
    )
    _decide(cup, jury, ["for", "for", "for", "abstain", "for"], "1200.00", staff)
    FundEntry.objects.create(
        application=cup,
        kind="payout",
        amount=Decimal("1200.00"),
        entered_by=staff,
        booked_on=call.session_date + timedelta(days=7),
        reason="Überweisung",
    )
    FundEntry.objects.create(
        application=cup,
        kind="repayment",
        amount=Decimal("50.00"),
        entered_by=staff,
        booked_on=today - timedelta(days=8),
        reason="Nicht verbrauchte Mittel",
    )
    Receipt.objects.create(
        application=cup,
        description="Sportartikel, Rechnung 2031",
        amount=Decimal("1150.00"),
        file=ContentFile(DEMO_PDF, name="beleg-fairness-cup.pdf"),
        uploaded_by=lead,
        uploaded_at=_at(today - timedelta(days=20)),
    )
    reading = _application(
        call,
        lead,
        "Lesungen im Hoeschpark",
        Status.APPROVED,
        [("Honorar Autorin", "500.00"), ("Technik", "300.00"), ("Plakate", "100.00")],
        initiative=workshop,
        goals=["kultur", "bildung"],
    )
    _decide(reading, jury, ["for", "for", "against", "for", "for"], "900.00", staff)
    resident = User.objects.get(email="thomas.berger@quartier.example")
    party = _application(
        call,
        resident,
        "Grillfest ohne Programm",
        Status.REJECTED,
        [("Grillgut", "800.00"), ("Getränke", "400.00")],
        goals=["nachbarschaftshilfe"],
        own_hours=10,
        decision_note="Die Jury sieht keinen Nutzen über einen Abend hinaus.",
    )
    _decide(party, jury, ["against", "against", "for", "against", ""], None, staff)
    FundApplication.objects.filter(pk=party.pk).update(status=Status.REJECTED)
    _application(
        call,
        resident,
        "Neue Sitzbänke vor dem Haus",
        Status.INELIGIBLE,
        [("Bänke", "2400.00")],
        check_comment="Bänke im öffentlichen Raum stellt die Stadt auf; der Fonds zahlt sie nicht.",
        checked_at=_at(call.deadline.date() + timedelta(days=3)),
    )


def _open_call(fund, jury, today):
    call = Call.objects.create(
        fund=fund,
        title="Herbstaufruf",
        opens_at=_at(today - timedelta(days=10), 8),
        deadline=_at(today + timedelta(days=30), 23),
        session_date=today + timedelta(days=45),
        session_place="Stadtteilkonferenz, Dietrich-Keuning-Haus",
        description="Projekte für Herbst und Winter: Nachbarschaft, Kultur, Sport, Umwelt.",
    )
    maria, jonas = jury[0].user, jury[1].user
    _application(
        call,
        maria,
        "Nachbarschaftsgarten im Hinterhof",
        Status.DRAFT,
        [("Hochbeete", "900.00"), ("Erde und Pflanzen", "350.00")],
        goals=["umwelt"],
        benefit="",
    )
    _application(
        call,
        jonas,
        "Ligafest zum Saisonende",
        Status.SUBMITTED,
        [("Bühne und Technik", "1200.00"), ("Essen", "800.00"), ("Medaillen", "400.00")],
        initiative=Initiative.objects.get(slug="nordstadtliga"),
        goals=["sport", "jugend"],
        own_money=Decimal("300.00"),
    )
    emre = jury[2].user
    _application(
        call,
        emre,
        "Repair-Café im Stadtteilbüro",
        Status.ELIGIBLE,
        [("Werkzeug", "650.00"), ("Ersatzteile", "250.00"), ("Kaffee und Kuchen", "100.00")],
        goals=["umwelt", "nachbarschaftshilfe"],
        checked_at=_at(today - timedelta(days=2)),
    )
