"""Demo rooms of the Nordstadt: Stadtteilbüro, Nachbarschaftshaus, bookings, a weekly series, a closure."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from quartier.models import User

from . import waitlist
from .models import BookableHours, Booking, BookingSeries, Closure, Equipment, Location, Purpose, Room
from .services import book_room, book_series, preview_series

HOUSE_RULES = (
    "Bitte verlassen Sie den Raum besenrein.\n"
    "Ab 22:00 Uhr ist Nachtruhe.\n"
    "Rauchen ist im ganzen Haus verboten.\n"
    "Die verantwortliche Person muss volljährig sein und bleibt bis zum Schluss.\n"
    "Den Schlüssel holen Sie im Stadtteilbüro ab und bringen ihn am nächsten Werktag zurück."
)

# The house rules in further content languages (quartier/content_languages.py): English for every room,
# Turkish and Arabic for the community room with kitchen (ROOM_WITH_ALL_LANGUAGES).
HOUSE_RULES_TRANSLATED = {
    "en": (
        "Please leave the room swept clean.\n"
        "Quiet hours start at 10 pm.\n"
        "Smoking is not allowed anywhere in the building.\n"
        "The responsible person must be an adult and stays until the end.\n"
        "Collect the key at the district office and bring it back on the next working day."
    ),
    "tr": (
        "Lütfen odayı süpürülmüş ve temiz bırakın.\n"
        "Saat 22:00'den itibaren gece sessizliği vardır.\n"
        "Binanın her yerinde sigara içmek yasaktır.\n"
        "Sorumlu kişi reşit olmalı ve sonuna kadar kalmalıdır.\n"
        "Anahtarı mahalle ofisinden alın ve bir sonraki iş günü geri getirin."
    ),
    "ar": (
        "يرجى ترك الغرفة نظيفة بعد كنسها.\n"
        "يبدأ وقت الهدوء الليلي من الساعة 22:00.\n"
        "التدخين ممنوع في المبنى بأكمله.\n"
        "يجب أن يكون الشخص المسؤول بالغًا وأن يبقى حتى النهاية.\n"
        "استلموا المفتاح من مكتب الحي وأعيدوه في يوم العمل التالي."
    ),
}
ROOM_WITH_ALL_LANGUAGES = "gemeinschaftsraum"

# slug, German name, English name
EQUIPMENT = [
    ("kueche", "Küche", "Kitchen"),
    ("beamer", "Beamer", "Projector"),
    ("tische-stuehle", "Tische und Stühle", "Tables and chairs"),
    ("whiteboard", "Whiteboard", "Whiteboard"),
    ("musikanlage", "Musikanlage", "Sound system"),
    ("werkbank", "Werkbänke", "Workbenches"),
]
PURPOSES = [
    ("treffen", "Treffen", "Meetings"),
    ("kultur", "Kultur", "Culture"),
    ("bildung", "Bildung", "Education"),
    ("beratung", "Beratung", "Counselling"),
    ("feiern", "Feiern", "Celebrations"),
]

ROOMS = [
    # slug, location, name, capacity, area, equipment, purposes, step_free, toilet, loop, approval, fee, deposit
    (
        "besprechungsraum",
        "stadtteilbuero",
        "Besprechungsraum",
        12,
        "24.0",
        ["tische-stuehle", "beamer", "whiteboard"],
        ["treffen", "beratung", "bildung"],
        True,
        True,
        True,
        False,
        "0",
        "0",
    ),
    (
        "gemeinschaftsraum",
        "stadtteilbuero",
        "Gemeinschaftsraum mit Küche",
        40,
        "75.0",
        ["kueche", "tische-stuehle", "musikanlage"],
        ["treffen", "kultur", "feiern"],
        True,
        True,
        False,
        True,
        "20",
        "150",
    ),
    (
        "saal",
        "nachbarschaftshaus",
        "Saal",
        80,
        "140.0",
        ["tische-stuehle", "beamer", "musikanlage"],
        ["kultur", "feiern", "bildung"],
        True,
        True,
        True,
        True,
        "30",
        "200",
    ),
    (
        "werkstatt",
        "nachbarschaftshaus",
        "Werkstatt",
        15,
        "45.0",
        ["werkbank", "tische-stuehle"],
        ["bildung", "kultur"],
        False,
        False,
        False,
        True,
        "0",
        "0",
    ),
]


def _house_rules_translated(slug: str) -> dict:
    languages = HOUSE_RULES_TRANSLATED if slug == ROOM_WITH_ALL_LANGUAGES else {"en": None}
    return {
        f"house_rules_{code}": HOUSE_RULES_TRANSLATED[code] for code in languages if code in settings.CONTENT_LANGUAGES
    }


def _in_holidays(day) -> bool:
    """Between the years (24.12.–1.1.) the Stadtteilbüro is closed (the demo's closure)."""
    return (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A demo time `day_offset` days from today, moved on by whole weeks out of the holidays."""
    day = timezone.localdate() + timedelta(days=day_offset)
    while _in_holidays(day):
        day += timedelta(weeks=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_demo(stdout) -> None:
    if Room.objects.exists():
        stdout.write("Rooms: demo data already there.")
        return
    equipment = {
        slug: Equipment.objects.get_or_create(slug=slug, defaults={"name_de": german, "name_en": english})[0]
        for slug, german, english in EQUIPMENT
    }
    purposes = {
        slug: Purpose.objects.get_or_create(slug=slug, defaults={"name_de": german, "name_en": english})[0]
        for slug, german, english in PURPOSES
    }
    locations = {
        "stadtteilbuero": Location.objects.create(
            slug="stadtteilbuero",
            name="Stadtteilbüro Nordstadt",
            street="Bornstraße 12",
            postcode="44145",
            opening_hours="Mo–Do 10:00–16:00\nFr 10:00–13:00",
            contact_phone="0231 123 456 0",
            contact_email="raeume@quartier.example",
            key_pickup="Den Schlüssel bekommen Sie zu den Öffnungszeiten im Stadtteilbüro, Erdgeschoss.",
            description="Das Büro des Quartiersmanagements mit zwei Räumen für alle.",
        ),
        "nachbarschaftshaus": Location.objects.create(
            slug="nachbarschaftshaus",
            name="Nachbarschaftshaus Nordmarkt",
            street="Mallinckrodtstraße 56",
            postcode="44147",
            opening_hours="Mo–Fr 9:00–20:00",
            contact_phone="0231 123 456 9",
            key_pickup="Schlüssel beim Hausmeister (Raum 0.02) oder im Stadtteilbüro.",
        ),
    }
    rooms = {}
    for slug, location, name, capacity, area, kit, uses, step_free, toilet, loop, approval, fee, deposit in ROOMS:
        room = Room.objects.create(
            slug=slug,
            location=locations[location],
            name=name,
            capacity=capacity,
            area_m2=Decimal(area),
            step_free=step_free,
            accessible_toilet=toilet,
            hearing_loop=loop,
            requires_approval=approval,
            fee_per_hour=Decimal(fee),
            deposit=Decimal(deposit),
            house_rules_de=HOUSE_RULES,
            description_de=f"{name} im {locations[location].name}.",  # German only: English pages show it marked
            **_house_rules_translated(slug),
        )
        room.equipment.set(equipment[item] for item in kit)
        room.purposes.set(purposes[item] for item in uses)
        BookableHours.objects.bulk_create(BookableHours(room=room, weekday=day) for day in range(7))
        rooms[slug] = room

    # Holiday closure of the Stadtteilbüro between the years.
    year = timezone.localdate().year
    Closure.objects.create(
        location=locations["stadtteilbuero"],
        reason="Betriebsferien zwischen den Jahren",
        starts_at=timezone.make_aware(datetime(year, 12, 24)),
        ends_at=timezone.make_aware(datetime(year + 1, 1, 2)),
    )
    staff = User.objects.get(email="buero@quartier.example")
    lead = User.objects.get(email="initiative@quartier.example")
    resident = User.objects.get(email="bewohnerin@quartier.example")
    contact = {"responsible_phone": "0231 987654"}

    def book(room, user, start, end, title, attendees, **extra):
        return book_room(
            room=rooms[room],
            booked_by=user,
            starts_at=start,
            ends_at=end,
            title=title,
            attendees=attendees,
            responsible_name=user.display_name,
            responsible_email=user.email,
            created_by=staff,
            **contact,
            **extra,
        )

    book("besprechungsraum", lead, _at(3, 18), _at(3, 20), "Ligarat der Nordstadtliga", 10, show_title=True)
    book("saal", staff, _at(9, 18), _at(9, 21), "Arbeitskreis Sauberkeit", 25, show_title=True)
    book("gemeinschaftsraum", resident, _at(12, 15), _at(12, 20), "Geburtstag", 30, private_use=True)
    book("werkstatt", lead, _at(5, 10), _at(5, 14), "Street-Art: Schablonen schneiden", 12, show_title=True)
    # A pending request, made by the resident herself (needs approval).
    book_room(
        room=rooms["gemeinschaftsraum"],
        booked_by=resident,
        starts_at=_at(20, 16),
        ends_at=_at(20, 19),
        title="Nachbarschaftscafé",
        attendees=25,
        responsible_name=resident.display_name,
        responsible_email=resident.email,
        **contact,
    )
    # The weekly writing workshop, every Tuesday 18:00–20:00 for ten weeks.
    first_tuesday = (1 - timezone.localdate().weekday()) % 7 or 7
    planned = preview_series(
        room=rooms["besprechungsraum"],
        booked_by=lead,
        starts_at=_at(first_tuesday, 18),
        ends_at=_at(first_tuesday, 20),
        frequency=BookingSeries.Frequency.WEEKLY,
        count=10,
        staff=True,
    )
    dates = [(date.starts_at, date.ends_at) for date in planned if date.is_free]  # skips the holiday closure
    series = book_series(
        room=rooms["besprechungsraum"],
        booked_by=lead,
        frequency=BookingSeries.Frequency.WEEKLY,
        dates=dates,
        title="Schreibwerkstatt",
        attendees=10,
        responsible_name=lead.display_name,
        responsible_email=lead.email,
        show_title=True,
        created_by=staff,
        **contact,
    )
    _waiting_for_tuesday(series, dates, resident)
    _consultation_today(rooms["besprechungsraum"], staff)
    stdout.write(f"Rooms: {Room.objects.count()} rooms, {Booking.objects.count()} bookings.")


def _waiting_for_tuesday(series, dates, resident) -> None:
    """The popular Tuesday slot: the resident waits for a date of the writing workshop, and the series is due for
    reconfirmation (its period ends in ten days: `reconfirm_series` asks the lead)."""
    series.confirmed_until = timezone.localdate() + timedelta(days=10)
    series.save(update_fields=["confirmed_until"])
    ahead = [(start, end) for start, end in dates if start > timezone.now() + timedelta(days=3)]
    if ahead:
        waitlist.join(
            room=series.room,
            user=resident,
            starts_at=ahead[0][0],
            ends_at=ahead[0][1],
            title="Lesekreis",
            attendees=6,
            responsible_name=resident.display_name,
            responsible_phone="0231 555 12",
        )


def _consultation_today(room, staff) -> None:
    """Something on the demo door sign today (`make run` prints its address): the office's consultation hour from
    the next full hour, if the day still has room for it (not late at night, not in the holiday closure)."""
    now = timezone.localtime()
    hour = now.replace(minute=0, second=0, microsecond=0)
    start = max(hour + timedelta(hours=1), hour.replace(hour=9))
    if start.date() != now.date() or start.hour > 20:
        return
    try:
        book_room(
            room=room,
            booked_by=staff,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            title="Mieterberatung des Quartiersbüros",
            attendees=4,
            responsible_name=staff.display_name,
            responsible_phone="0231 987654",
            responsible_email=staff.email,
            show_title=True,
            created_by=staff,
        )
    except ValidationError:
        pass  # the room is taken or closed today: the sign shows that instead
