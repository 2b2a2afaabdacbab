"""Demo events of the Nordstadt: a reading in a portal room, a street-art day, a full breakfast with a waiting list."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from quartier.models import User
from rooms.models import Room

from . import services
from .models import Category, Event

CATEGORIES = [("kultur", "Kultur"), ("sport", "Sport"), ("nachbarschaft", "Nachbarschaft"), ("beratung", "Beratung")]


def _at(days: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)))


def seed_demo(stdout) -> None:
    if Event.objects.exists():
        stdout.write("Events: demo data already there.")
        return
    categories = {slug: Category.objects.get_or_create(slug=slug, defaults={"name": name})[0]
                  for slug, name in CATEGORIES}
    staff = User.objects.get(email="buero@quartier.example")
    lead = User.objects.get(email="initiative@quartier.example")
    resident = User.objects.get(email="bewohnerin@quartier.example")
    saal = Room.objects.filter(slug="saal").first()
    kitchen_room = Room.objects.filter(slug="gemeinschaftsraum").first()
    events = [
        Event(title="Lesung der Schreibwerkstatt", slug="lesung-schreibwerkstatt", category=categories["kultur"],
              organiser="Schreibwerkstatt Nordstadt", description="Die Schreibwerkstatt liest neue Texte über die "
              "Nordstadt. Eintritt frei, danach Gespräch bei Tee.", starts_at=_at(16, 19), ends_at=_at(16, 21),
              place=Event.Place.ROOM if saal else Event.Place.ADDRESS, room=saal, address="Mallinckrodtstraße 56",
              capacity=60, languages="Deutsch", accessibility_notes="Stufenloser Zugang, Induktionsschleife."),
        Event(title="Street-Art-Tag am Borsigplatz", slug="street-art-tag", category=categories["kultur"],
              organiser="Street-Art-Kollektiv", description="Gemeinsam gestalten wir eine Hauswand. Farben und "
              "Schablonen sind da. Für alle ab 12 Jahren.", starts_at=_at(23, 11), ends_at=_at(23, 17),
              place=Event.Place.ADDRESS, address="Borsigplatz, 44145 Dortmund", capacity=25, max_companions=3,
              languages="Deutsch, Türkçe, English"),
        Event(title="Fairness-Cup der Nordstadtliga", slug="fairness-cup", category=categories["sport"],
              organiser="Nordstadtliga", description="Straßenfußball für U12 bis Ü16. Zuschauen ohne Anmeldung.",
              starts_at=_at(30, 10), ends_at=_at(30, 16), place=Event.Place.ADDRESS,
              address="Nordmarkt, 44145 Dortmund", registration_required=False),
        Event(title="Nachbarschaftsfrühstück", slug="nachbarschaftsfruehstueck", category=categories["nachbarschaft"],
              description="Wir frühstücken zusammen und lernen uns kennen. Bitte bringen Sie etwas mit.",
              starts_at=_at(14, 9), ends_at=_at(14, 11),
              place=Event.Place.ROOM if kitchen_room else Event.Place.ADDRESS, room=kitchen_room,
              address="Bornstraße 12", capacity=3, max_companions=1),
    ]
    for event in events:
        services.save_event(event=event, by=staff)
    breakfast = Event.objects.get(slug="nachbarschaftsfruehstueck")
    services.register(event=breakfast, user=lead, companions=1)
    services.register(event=breakfast, user=staff, companions=0)
    services.register(event=breakfast, user=resident, companions=0)  # full: on the waiting list
    services.register(event=Event.objects.get(slug="lesung-schreibwerkstatt"), user=resident, companions=1)
    stdout.write(f"Events: {Event.objects.count()} events.")
