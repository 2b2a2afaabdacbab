"""The availability read side (rooms/availability.py) and what the finder and the booking form say with it:
the notice rule before the search, times on the slot grid, approval on the cards, the number of people
carried into the booking form, and a lost race for a slot answered with other free times and rooms."""

import re
from datetime import date, timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from rooms import availability
from rooms.models import Booking, Room, load_bookable_hours, on_slot_grid

from .factories import days_ahead, form_data, local, make_booking, make_closure, make_location, make_room

pytestmark = pytest.mark.django_db


def test_busy_times_of_many_rooms_bookings_and_closures_come_in_one_query(django_assert_num_queries, resident):
    house = make_location()
    first, second, elsewhere = make_room(location=house), make_room(location=house), make_room()
    day = days_ahead(3)
    make_booking(room=first, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12))
    make_booking(room=second, booked_by=resident, starts_at=local(day, 14), ends_at=local(day, 15))
    make_booking(
        room=elsewhere, booked_by=resident, starts_at=local(day, 9), ends_at=local(day, 10), status="cancelled"
    )
    make_closure(location=house, starts_at=local(day, 18), ends_at=local(day, 22))
    make_closure(room=elsewhere, starts_at=local(day, 8), ends_at=local(day, 9))
    with django_assert_num_queries(1):
        busy = availability.busy_intervals([first, second, elsewhere], local(day, 0), local(day, 23))
    assert busy[first.pk] == [(local(day, 10), local(day, 12)), (local(day, 18), local(day, 22))]
    assert busy[second.pk] == [(local(day, 14), local(day, 15)), (local(day, 18), local(day, 22))]
    assert busy[elsewhere.pk] == [(local(day, 8), local(day, 9))]  # the cancelled booking frees its time


def test_free_slots_of_many_rooms_ask_the_booking_window_once_per_rule(resident):
    rooms = [make_room(min_notice_hours=0), make_room(min_notice_hours=0), make_room(min_notice_hours=1)]
    rooms = list(Room.objects.filter(pk__in=[room.pk for room in rooms]).select_related("location").order_by("pk"))
    load_bookable_hours(rooms)
    day = days_ahead(2)
    for hour in range(8, 20, 2):  # a busy day: many busy times, many candidate slots
        make_booking(room=rooms[0], booked_by=resident, starts_at=local(day, hour), ends_at=local(day, hour + 1))
    now = timezone.now()
    with mock.patch.object(Room, "booking_window", autospec=True, side_effect=Room.booking_window) as window:
        windows = availability.booking_windows(rooms, now, staff=False)
        after = local(day, 8)
        busy = availability.busy_intervals(rooms, after, after + timedelta(days=14))
        slots = {
            room.pk: availability.free_slots(
                room=room, after=after, busy=busy[room.pk], duration=timedelta(hours=1), window=windows[room.pk]
            )
            for room in rooms
        }
    assert window.call_count == 2  # two notice and advance rules among the three rooms
    assert windows[rooms[2].pk][0] == now + timedelta(hours=1) and windows[rooms[0].pk][0] == now
    assert slots[rooms[0].pk][0] == (local(day, 9), local(day, 10))
    assert slots[rooms[1].pk][0] == (local(day, 8), local(day, 9))


def test_the_slot_grid_rounds_up_to_the_half_hour():
    moment = timezone.make_aware(timezone.datetime(2026, 12, 3, 20, 17, 40))
    assert timezone.localtime(on_slot_grid(moment)).strftime("%H:%M") == "20:30"
    assert on_slot_grid(moment.replace(minute=30, second=0)) == moment.replace(minute=30, second=0)
    assert timezone.localtime(on_slot_grid(moment.replace(minute=30, second=5))).strftime("%H:%M") == "21:00"


def test_the_finder_states_the_notice_rule_and_the_office_phone_before_the_search(client, office):
    make_room(name="Saal")
    html = client.get(reverse("rooms:list")).content.decode()
    rule = html.index("Buchen Sie mindestens 48 Stunden und höchstens 180 Tage im Voraus.")
    assert rule < html.index('class="room-search"')
    assert "Für kurzfristigere Anfragen rufen Sie bitte das Büro an: 0231 123 456 0." in html
    assert "Freie Zeiten beginnen zur vollen oder halben Stunde." in html


def test_the_finder_names_each_rule_when_rooms_differ(client, office):
    make_room(name="Saal", min_notice_hours=24, max_advance_days=90)
    make_room(name="Küche", min_notice_hours=72)
    html = client.get(reverse("rooms:list")).content.decode()
    assert "Je nach Raum buchen Sie mindestens 24 bis 72 Stunden im Voraus." in html
    assert "Buchen Sie mindestens 24 Stunden und höchstens 90 Tage im Voraus." in html
    assert "Buchen Sie mindestens 72 Stunden und höchstens 180 Tage im Voraus." in html


def test_a_wished_time_too_soon_names_the_earliest_start_on_the_grid_and_the_phone(client, office):
    make_room(name="Saal")
    now = timezone.make_aware(timezone.datetime.combine(days_ahead(1), timezone.datetime.min.time())).replace(
        hour=20, minute=17
    )
    soon = (now + timedelta(hours=24)).date()
    with mock.patch("django.utils.timezone.now", return_value=now):
        html = client.get(
            reverse("rooms:list"), {"date": soon.isoformat(), "start": "18:00", "end": "20:00"}
        ).content.decode()
    assert "Bitte buchen Sie mindestens 48 Stunden im Voraus." in html
    earliest = timezone.localtime(now + timedelta(hours=48))
    assert f"{earliest:%d.%m.%Y}, 20:30" in html
    assert "20:17" not in html
    assert html.count("Für kurzfristigere Anfragen rufen Sie bitte das Büro an: 0231 123 456 0.") >= 2


def test_cards_say_which_rooms_confirm_at_once(client, office):
    make_room(name="Saal", requires_approval=False)
    make_room(name="Küche", requires_approval=True)
    html = client.get(reverse("rooms:list")).content.decode()
    cards = re.findall(r'<li class="card room-card">(.*?)</li>\s*(?=<li class="card room-card">|</ul>)', html, re.S)
    by_room = {("Saal" if ">Saal<" in card else "Küche"): card for card in cards}
    assert "Sofort bestätigt" in by_room["Saal"] and "Braucht die Freigabe des Büros" not in by_room["Saal"]
    assert "Braucht die Freigabe des Büros" in by_room["Küche"] and "Sofort bestätigt" not in by_room["Küche"]


def test_the_finder_carries_people_date_and_time_into_the_booking_form(client, office, resident):
    room = make_room(name="Saal", capacity=30)
    day = days_ahead(6)
    html = client.get(
        reverse("rooms:list"), {"date": day.isoformat(), "start": "18:00", "end": "20:00", "attendees": "12"}
    ).content.decode()
    wanted = f"{reverse('rooms:book', args=[room.slug])}?date={day.isoformat()}&amp;start=18:00&amp;end=20:00"
    assert f'href="{wanted}&amp;attendees=12"' in html  # "Book this time"
    slot_links = re.findall(r'href="(/[^"]*/buchen/\?[^"]*)"', html)
    assert slot_links and all("attendees=12" in link for link in slot_links)
    client.force_login(resident)
    form = client.get(wanted.replace("&amp;", "&") + "&attendees=12").content.decode()
    assert re.search(r'name="attendees"[^>]*value="12"', form)
    assert re.search(r'name="date"[^>]*value="' + day.isoformat(), form)
    assert re.search(r'name="start"[^>]*value="18:00"', form)


def _shown_at(html: str) -> str:
    return re.search(r'name="shown_at" value="(\d+)"', html).group(1)


def test_losing_the_race_for_a_slot_says_so_keeps_the_input_and_offers_times_and_rooms(
    client, office, resident, initiative_lead
):
    room = make_room(name="Saal", capacity=30)
    other = make_room(name="Küche", capacity=30)
    small = make_room(name="Kammer", capacity=4)
    day = days_ahead(7)
    client.force_login(resident)
    url = reverse("rooms:book", args=[room.slug])
    page = client.get(url, {"date": day.isoformat(), "start": "18:00", "end": "20:00"}).content.decode()
    make_booking(room=room, booked_by=initiative_lead, starts_at=local(day, 18), ends_at=local(day, 20))  # quicker
    response = client.post(
        url, {**form_data(day, "18:00", "20:00", title="Unser Treffen", attendees="12"), "shown_at": _shown_at(page)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dieser Zeitraum wurde gerade von jemand anderem gebucht." in html
    assert "Bitte prüfen Sie Ihre Eingaben" not in html
    assert 'value="Unser Treffen"' in html and 'value="0231 123456"' in html
    # Nearest free times of the same length in this room, each a link that prefills the form.
    same_room = re.findall(
        re.escape(url) + r"\?date=([\d-]+)&amp;start=([\d:]+)&amp;end=([\d:]+)&amp;attendees=12", html
    )
    assert len(same_room) == 3
    assert (day.isoformat(), "16:00", "18:00") in same_room or (day.isoformat(), "20:00", "22:00") in same_room
    for date_text, start, end in same_room:
        assert (int(end[:2]) - int(start[:2])) == 2
        assert (date_text, start) != (day.isoformat(), "18:00")
    # Other rooms free for the very time, fitting the people.
    other_link = f"{reverse('rooms:book', args=[other.slug])}?date={day.isoformat()}&amp;start=18:00&amp;end=20:00"
    assert f'href="{other_link}&amp;attendees=12"' in html
    assert reverse("rooms:book", args=[small.slug]) not in html
    assert Booking.objects.count() == 1


def test_a_time_booked_long_before_is_not_called_a_race_but_gets_the_same_offers(
    client, office, resident, initiative_lead
):
    room = make_room(name="Saal")
    make_room(name="Küche")
    day = days_ahead(7)
    make_booking(room=room, booked_by=initiative_lead, starts_at=local(day, 18), ends_at=local(day, 20))
    client.force_login(resident)
    url = reverse("rooms:book", args=[room.slug])
    page = client.get(url).content.decode()
    html = client.post(url, {**form_data(day, "19:00", "21:00"), "shown_at": _shown_at(page)}).content.decode()
    assert "Dieser Zeitraum ist nicht frei." in html and "gerade von jemand anderem" not in html
    assert "bereits gebucht" in html and "18:00–20:00" in html
    assert "Andere Räume, die zu dieser Zeit frei sind" in html


def test_other_rooms_offered_are_the_first_free_ones_by_house_and_name_each_checked_against_its_rules(
    office, resident, initiative_lead
):
    """After a lost slot: up to three other rooms free for the very time, in the rooms' order (house, name),
    each checked as the room finder checks it: not booked or closed then, fitting the people, its own rules."""
    day = days_ahead(7)
    wanted = local(day, 18), local(day, 20)
    first_house, second_house = make_location(name="A-Haus"), make_location(name="B-Haus")
    room = make_room(name="Saal", location=first_house)
    make_booking(room=room, booked_by=initiative_lead, starts_at=wanted[0], ends_at=wanted[1])
    booked = make_room(name="Atelier", location=first_house)
    make_booking(room=booked, booked_by=initiative_lead, starts_at=local(day, 19), ends_at=local(day, 21))
    closed = make_room(name="Bühne", location=first_house)
    make_closure(room=closed, starts_at=local(day, 0), ends_at=local(day, 23))
    make_room(name="Café", location=first_house, capacity=4)  # too small for 12
    make_room(name="Dachboden", location=first_house, bookable_by=Room.BookableBy.INITIATIVES)  # not for residents
    make_room(name="Erker", location=first_house, min_notice_hours=24 * 30)  # must be booked a month ahead
    make_room(name="Werkraum", location=first_house, is_active=False)
    free = [
        make_room(name=name, location=house)
        for name, house in (("Zimmer", first_house), ("Küche", second_house), ("Anbau", second_house))
    ]
    make_room(name="Zelt", location=second_house)  # free too, but the fourth
    offers = availability.alternatives(room=room, starts_at=wanted[0], ends_at=wanted[1], attendees=12, user=resident)
    assert [(other.name, other.location.name) for _link, other in offers.rooms] == [
        ("Zimmer", "A-Haus"),
        ("Anbau", "B-Haus"),
        ("Küche", "B-Haus"),
    ]
    assert {other.pk for _link, other in offers.rooms} == {room.pk for room in free}
    for link, other in offers.rooms:
        assert link == f"/raeume/{other.slug}/buchen/?date={day.isoformat()}&start=18:00&end=20:00&attendees=12"


def _lead_with_initiative(user):
    from ..initiatives.factories import make_initiative, make_membership

    initiative = make_initiative()
    make_membership(initiative=initiative, user=user, role="lead")
    return initiative


def _event_post(day, **overrides):
    data = {
        "title": "Gartentag",
        "description": "Wir pflanzen.",
        "place": "room",
        "date": day.isoformat(),
        "start": "10:00",
        "end": "12:00",
        "max_companions": "2",
        "registration_required": "on",
    }
    data.update(overrides)
    return data


def test_a_leads_event_that_loses_its_room_offers_other_times_and_rooms_and_takes_one_over(
    client, office, initiative_lead, resident
):
    from events.models import Event

    initiative = _lead_with_initiative(initiative_lead)
    room = make_room(name="Saal")
    other = make_room(name="Küche")
    day = days_ahead(10)
    client.force_login(initiative_lead)
    page = client.get(reverse("events:create")).content.decode()
    make_booking(room=room, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12))
    data = {**_event_post(day, initiative=initiative.pk, room=room.pk), "shown_at": _shown_at(page)}
    html = client.post(reverse("events:create"), data).content.decode()
    assert "Dieser Zeitraum wurde gerade von jemand anderem gebucht." in html
    assert "Bitte prüfen Sie Ihre Eingaben" not in html
    assert 'value="Gartentag"' in html
    assert not Event.objects.exists()
    offer = f'value="{other.pk} {day.isoformat()} 10:00 12:00"'
    assert offer in html
    same_room = re.findall(rf'name="use_slot" value="{room.pk} ([\d-]+ [\d:]+ [\d:]+)"', html)
    assert len(same_room) == 3 and f"{day.isoformat()} 10:00 12:00" not in same_room

    # Taking the other room over fills the form (nothing saved yet); saving then books it.
    taken_over = client.post(
        reverse("events:create"), {**data, "use_slot": f"{other.pk} {day.isoformat()} 10:00 12:00"}
    )
    html = taken_over.content.decode()
    assert "Raum und Zeit sind eingetragen." in html
    assert re.search(rf'<option value="{other.pk}" selected>', html)
    assert not Event.objects.exists()
    response = client.post(reverse("events:create"), {**data, "room": other.pk})
    event = Event.objects.get()
    assert response.status_code == 302 and event.booking.room == other


def test_a_room_booked_out_for_days_gets_its_next_free_times_from_later_days(client, office, resident):
    """The finder looks at the next few days first, and further only for rooms without enough free times."""
    busy_room = make_room(name="Saal", min_notice_hours=0)
    make_room(name="Küche", min_notice_hours=0)
    today = timezone.localdate()
    booked_out = availability.FIRST_SLOT_DAYS + 2  # until two days past the first look
    make_booking(room=busy_room, booked_by=resident, starts_at=timezone.now(), ends_at=local(today, 23, 59))
    for offset in range(1, booked_out + 1):
        day = today + timedelta(days=offset)
        make_booking(room=busy_room, booked_by=resident, starts_at=local(day, 8), ends_at=local(day, 22))
    html = client.get(reverse("rooms:list")).content.decode()

    def slot_days(name):
        card = html[html.index(f">{name}</a>") :]
        card = card[: card.find("room-card") if "room-card" in card else len(card)]
        return [date.fromisoformat(day) for day in re.findall(r"\?date=(\d{4}-\d\d-\d\d)&amp;start=", card)]

    later = today + timedelta(days=booked_out + 1)
    assert slot_days("Saal") == [later, later + timedelta(days=1), later + timedelta(days=2)]
    assert slot_days("Küche")[0] <= today + timedelta(days=1)  # free at once: found in the first look


@pytest.mark.parametrize("attendees", [None, 10, 7000])
@pytest.mark.parametrize("slugs", [[], ["kueche"], ["kueche", "beamer"], ["gibt-es-nicht"]])
@pytest.mark.parametrize("step_free", [False, True])
def test_the_finders_rules_mark_the_rooms_its_filter_matches(attendees, slugs, step_free):
    """The finder's one query of every active room's rules (compiled once per kind of filter on PostgreSQL):
    the rows the ORM's query gives, and `listed` true exactly for the rooms matching people, equipment and
    step-free access."""
    from django.db.models import Exists, OuterRef

    from rooms.models import Equipment

    kitchen = Equipment.objects.create(name="Küche", slug="kueche")
    projector = Equipment.objects.create(name="Beamer", slug="beamer")
    rooms = [
        make_room(capacity=8, step_free=True),
        make_room(capacity=20, step_free=False),
        make_room(capacity=30, step_free=True),
        make_room(capacity=40, step_free=True, is_active=False),
    ]
    rooms[0].equipment.add(kitchen)
    rooms[2].equipment.add(kitchen, projector)
    rooms[3].equipment.add(kitchen)
    matching = Room.objects.active()
    if attendees:
        matching = matching.fitting(attendees)
    if slugs:
        matching = matching.with_equipment(slugs)
    if step_free:
        matching = matching.step_free()
    theirs = availability.rules_of(Room.objects.active(), listed=Exists(matching.filter(pk=OuterRef("pk"))))
    for _call in range(2):  # compiled on the first, run with the values on the second
        ours = availability.finder_rules(attendees, slugs, step_free)
        assert ours == theirs
    listed = {room.id for room in ours if room.listed}
    expected = {
        room.pk
        for room in rooms[:3]
        if (not attendees or room.capacity >= attendees)
        and all(room.equipment.filter(slug=slug).exists() for slug in slugs)
        and (room.step_free or not step_free)
    }
    assert listed == expected
    assert {room.id for room in ours} == {room.pk for room in rooms[:3]}


def test_the_finders_rules_say_which_rooms_are_busy_at_the_wanted_time(resident):
    """`busy` of the finder's rules (an EXISTS per room in its one query, compiled once on PostgreSQL): true
    exactly for the rooms a holding booking or a closure of the room or of its house overlaps, as their busy
    times say; a cancelled booking and one that ends when the wanted time starts leave the room free."""
    day = days_ahead(5)
    house, closed_house, third_house = make_location(), make_location(), make_location()
    booked, cancelled, adjacent, closed = (make_room(location=house) for _n in range(4))
    house_closed, free = make_room(location=closed_house), make_room(location=third_house)
    make_booking(room=booked, booked_by=resident, starts_at=local(day, 11), ends_at=local(day, 13))
    make_booking(
        room=cancelled,
        booked_by=resident,
        starts_at=local(day, 10),
        ends_at=local(day, 12),
        status=Booking.Status.CANCELLED,
    )
    make_booking(room=adjacent, booked_by=resident, starts_at=local(day, 8), ends_at=local(day, 10))
    make_closure(room=closed, starts_at=local(day, 9), ends_at=local(day, 18))
    make_closure(location=closed_house, starts_at=local(day, 11, 30), ends_at=local(day, 11, 45))
    wanted = (local(day, 10), local(day, 12))
    for _call in range(2):  # compiled on the first, run with the values on the second
        rules = {room.id: room for room in availability.finder_rules(None, [], False, wanted)}
        assert {room_id for room_id, room in rules.items() if room.busy} == {booked.pk, closed.pk, house_closed.pk}
    times = availability.busy_intervals(list(rules.values()), *wanted)
    assert {room_id for room_id, busy in times.items() if busy} == {
        room_id for room_id, room in rules.items() if room.busy
    }
    later = {
        room.id: room.busy for room in availability.finder_rules(None, [], False, (local(day, 14), local(day, 15)))
    }
    assert later[closed.pk] and not later[booked.pk] and not later[free.pk]
