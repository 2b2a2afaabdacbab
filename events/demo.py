"""Demo events of the Nordstadt: a reading in a portal room, a street-art day, a full breakfast with a waiting list."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from quartier.models import User
from rooms.models import Room

from . import services
from .models import AgendaItem, Category, Conference, Decision, Event

CATEGORIES = [("kultur", "Kultur"), ("sport", "Sport"), ("nachbarschaft", "Nachbarschaft"), ("beratung", "Beratung")]


# Two events in further content languages (quartier/content_languages.py): slug -> language -> (title, description).
TRANSLATED = {
    "street-art-tag": {
        "en": (
            "Street art day at Borsigplatz",
            "Together we paint a house wall. Paint and stencils are provided. For everyone aged 12 and over.",
        ),
        "tr": (
            "Borsigplatz'ta sokak sanatı günü",
            "Birlikte bir ev duvarını boyuyoruz. Boyalar ve şablonlar hazır. 12 yaş ve üzeri herkes için.",
        ),
        "ar": (
            "يوم فن الشارع في ساحة بورزيغ",
            "نرسم معًا جدار أحد المنازل. الألوان والقوالب متوفرة. للجميع من عمر 12 عامًا فما فوق.",
        ),
    },
    "nachbarschaftsfruehstueck": {
        "en": (
            "Neighbourhood breakfast",
            "We have breakfast together and get to know each other. Please bring something along.",
        ),
        "tr": (
            "Komşuluk kahvaltısı",
            "Birlikte kahvaltı yapıyor ve tanışıyoruz. Lütfen yanınızda bir şey getirin.",
        ),
        "ar": (
            "فطور الجيران",
            "نتناول الفطور معًا ونتعرف على بعضنا. يرجى إحضار شيء معكم.",
        ),
    },
}


def _at(days: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)))


def seed_demo(stdout) -> None:
    if Event.objects.exists():
        stdout.write("Events: demo data already there.")
        return
    categories = {
        slug: Category.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in CATEGORIES
    }
    staff = User.objects.get(email="buero@quartier.example")
    lead = User.objects.get(email="initiative@quartier.example")
    resident = User.objects.get(email="bewohnerin@quartier.example")
    saal = Room.objects.filter(slug="saal").first()
    kitchen_room = Room.objects.filter(slug="gemeinschaftsraum").first()
    workshop = Room.objects.filter(slug="werkstatt").first()
    events = [
        Event(
            title="Lesung der Schreibwerkstatt",
            slug="lesung-schreibwerkstatt",
            category=categories["kultur"],
            organiser="Schreibwerkstatt Nordstadt",
            description="Die Schreibwerkstatt liest neue Texte über die "
            "Nordstadt. Eintritt frei, danach Gespräch bei Tee.",
            starts_at=_at(16, 19),
            ends_at=_at(16, 21),
            place=Event.Place.ROOM if saal else Event.Place.ADDRESS,
            room=saal,
            address="Mallinckrodtstraße 56",
            capacity=3,
            max_companions=1,
            languages="Deutsch",
            accessibility_notes="Stufenloser Zugang, Induktionsschleife.",
        ),
        Event(
            title="Street-Art-Tag am Borsigplatz",
            slug="street-art-tag",
            category=categories["kultur"],
            organiser="Street-Art-Kollektiv",
            description="Gemeinsam gestalten wir eine Hauswand. Farben und Schablonen sind da. Für alle ab 12 Jahren.",
            starts_at=_at(23, 11),
            ends_at=_at(23, 17),
            place=Event.Place.ROOM if workshop else Event.Place.ADDRESS,
            room=workshop,
            address="Borsigplatz, 44145 Dortmund",
            capacity=15,
            max_companions=3,
            languages="Deutsch, Türkçe, English",
        ),
        Event(
            title="Fairness-Cup der Nordstadtliga",
            slug="fairness-cup",
            category=categories["sport"],
            organiser="Nordstadtliga",
            description="Straßenfußball für U12 bis Ü16. Zuschauen ohne Anmeldung.",
            starts_at=_at(30, 10),
            ends_at=_at(30, 16),
            place=Event.Place.ADDRESS,
            address="Nordmarkt, 44145 Dortmund",
            registration_required=False,
        ),
        Event(
            title="Nachbarschaftsfrühstück",
            slug="nachbarschaftsfruehstueck",
            category=categories["nachbarschaft"],
            description="Wir frühstücken zusammen und lernen uns kennen. Bitte bringen Sie etwas mit.",
            starts_at=_at(14, 9),
            ends_at=_at(14, 11),
            place=Event.Place.ROOM if kitchen_room else Event.Place.ADDRESS,
            room=kitchen_room,
            address="Bornstraße 12",
            capacity=20,
            max_companions=2,
        ),
    ]
    from initiatives.models import Initiative

    organisers = {
        "lesung-schreibwerkstatt": "schreibwerkstatt",
        "street-art-tag": "street-art",
        "fairness-cup": "nordstadtliga",
    }
    for event in events:
        for code, (title, description) in TRANSLATED.get(event.slug, {}).items():
            if code in settings.CONTENT_LANGUAGES:
                setattr(event, f"title_{code}", title)
                setattr(event, f"description_{code}", description)
        event.initiative = Initiative.objects.filter(slug=organisers.get(event.slug, "")).first()
        if event.initiative:
            event.organiser = ""
        services.save_event(event=event, by=staff)
    reading = Event.objects.get(slug="lesung-schreibwerkstatt")
    services.register(event=reading, user=lead, companions=1)
    services.register(event=reading, user=staff, companions=0)
    services.register(event=reading, user=resident, companions=0)  # full: on the waiting list
    services.register(event=Event.objects.get(slug="nachbarschaftsfruehstueck"), user=resident, companions=1)
    _seed_conferences(staff, lead, resident, saal)
    stdout.write(f"Events: {Event.objects.count()} events, {Conference.objects.count()} district conferences.")


def _seed_conferences(staff, lead, resident, saal) -> None:
    past_event = Event(
        title="Stadtteilkonferenz Nordstadt (Herbst)",
        slug="stadtteilkonferenz-herbst",
        category=Category.objects.get(slug="nachbarschaft"),
        description="Offen für alle im Stadtteil.",
        starts_at=_at(-45, 18),
        ends_at=_at(-45, 21),
        place=Event.Place.ADDRESS,
        address="Nachbarschaftshaus Nordmarkt, Mallinckrodtstraße 56",
        registration_required=False,
    )
    services.save_event(event=past_event, by=staff)
    past = Conference.objects.create(
        event=past_event,
        proposal_deadline=_at(-52, 12),
        minutes_published_at=_at(-30, 12),
        minutes="TOP 1: Begrüßung, 48 Teilnehmende.\nTOP 2: Berichte aus dem Quartiersmanagement und von der "
        "Polizei.\nTOP 3: Sauberkeit am Nordmarkt.\nTOP 4: Anträge an den Quartiersfonds.\n"
        "TOP 5: Verschiedenes.",
    )
    for number, title in enumerate(
        [
            "Begrüßung und Tagesordnung",
            "Berichte: Quartiersmanagement, Polizei",
            "Sauberkeit am Nordmarkt",
            "Anträge an den Quartiersfonds",
            "Verschiedenes",
        ],
        1,
    ):
        AgendaItem.objects.create(conference=past, number=number, title=title)
    decisions = [
        (
            "Die Stadt soll am Nordmarkt vier weitere Mülleimer aufstellen.",
            "Quartiersmanagement",
            (41, 2, 5),
            [("open", -44, "Anfrage an das Tiefbauamt geschickt.")],
        ),
        (
            "Ein monatlicher Putztag am Nordmarkt wird organisiert.",
            "Nachbarschaftshilfe Nordstadt",
            (44, 0, 4),
            [("in_progress", -30, "Erster Putztag mit 20 Helfenden.")],
        ),
        (
            "Die Nordstadtliga bekommt Flutlicht für den Bolzplatz.",
            "Nordstadtliga",
            (39, 3, 6),
            [("in_progress", -40, "Antrag gestellt."), ("done", -10, "Flutlicht ist installiert.")],
        ),
        (
            "Die Fußgängerzone soll nachts gesperrt werden.",
            "Quartiersmanagement",
            (12, 30, 6),
            [("rejected", -20, "Die Stadt lehnt ab: Rettungswege müssen frei bleiben.")],
        ),
    ]
    for number, (wording, responsible, (yes, no, abstain), updates) in enumerate(decisions, 1):
        decision = Decision.objects.create(
            conference=past,
            number=number,
            wording=wording,
            responsible=responsible,
            votes_for=yes,
            votes_against=no,
            votes_abstaining=abstain,
        )
        for status, days, note in updates:
            services.record_decision_update(
                decision=decision, status=status, note=note, date=timezone.localdate() + timedelta(days=days)
            )
    next_event = Event(
        title="Stadtteilkonferenz Nordstadt (Winter)",
        slug="stadtteilkonferenz-winter",
        category=Category.objects.get(slug="nachbarschaft"),
        description="Offen für alle im Stadtteil. Mit Übersetzung ins Türkische und Arabische.",
        starts_at=_at(37, 18),
        ends_at=_at(37, 21),
        place=Event.Place.ROOM if saal else Event.Place.ADDRESS,
        room=saal,
        address="Mallinckrodtstraße 56",
        capacity=80,
        max_companions=3,
        languages="Deutsch, Türkçe, العربية",
    )
    services.save_event(event=next_event, by=staff)
    upcoming = Conference.objects.create(event=next_event, proposal_deadline=_at(30, 12))
    for number, (title, hour) in enumerate(
        [("Begrüßung, Tagesordnung, Protokoll der letzten Sitzung", 18), ("Berichte aus den Arbeitskreisen", 18)], 1
    ):
        AgendaItem.objects.create(conference=upcoming, number=number, title=title, starts_at=time(hour, 10 * number))
    proposal = services.propose_topic(
        conference=upcoming,
        user=resident,
        title="Mehr Bänke am Borsigplatz",
        description="Ältere Menschen brauchen Pausen auf dem Weg zum Markt.",
    )
    services.support_proposal(proposal=proposal, user=lead)
    services.propose_topic(
        conference=upcoming,
        user=lead,
        title="Sommerfest der Initiativen",
        description="Alle Initiativen stellen sich an einem Tag vor.",
    )
