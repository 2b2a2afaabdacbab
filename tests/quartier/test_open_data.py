"""The open-data API (/api/v1/) as a developer of the city uses it: every endpoint and filter, pages, 304, CORS,
the rate limit, the OpenAPI document, the CSVs with the API's fields, and that nothing private comes out."""

import csv
import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Category, Conference, Decision, DecisionUpdate
from initiatives.fund.models import FundEntry
from initiatives.models import Topic
from rooms.models import Equipment

from ..events.factories import make_event
from ..factories import make_staff, make_user
from ..fund.factories import make_application, make_call, make_fund
from ..initiatives.factories import make_initiative
from ..rooms.factories import days_ahead, local, make_booking, make_closure, make_location, make_room

pytestmark = pytest.mark.django_db

LISTS = ["api:events", "api:decisions", "api:rooms", "api:initiatives", "api:funded_projects"]
CSVS = ["api:events_csv", "api:decisions_csv", "api:initiatives_csv", "api:funded_projects_csv"]


def _json(client, url, data=None):
    response = client.get(url, data)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _csv(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


# --- Events ---------------------------------------------------------------------------------------------------


@pytest.fixture
def events(office):
    culture = Category.objects.create(name="Kultur", slug="kultur")
    club = make_initiative(name="Nordstadtliga", slug="liga")
    room = make_room(slug="saal", name="Großer Saal", step_free=True)
    now = timezone.now()
    return {
        "concert": make_event(
            slug="konzert",
            title="Hofkonzert",
            category=culture,
            starts_at=now + timedelta(days=3),
            place="room",
            room=room,
            languages="Deutsch, Türkçe",
            capacity=30,
        ),
        "match": make_event(slug="turnier", title="Turnier", initiative=club, starts_at=now + timedelta(days=20)),
        "past": make_event(slug="fruehstueck", title="Frühstück", starts_at=now - timedelta(days=5)),
        "hidden": make_event(slug="entwurf", title="Entwurf", is_published=False),
    }


def _slugs(data) -> list[str]:
    return [item["slug"] for item in data["items"]]


def test_events_lists_the_published_upcoming_ones_with_their_facts(client, events):
    data = _json(client, reverse("api:events"))
    assert _slugs(data) == ["konzert", "turnier"]
    assert data["count"] == 2 and data["page"] == 1 and data["next"] is None
    assert data["licence"]["name"] == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    concert = data["items"][0]
    assert concert["category"] == {"slug": "kultur", "name": "Kultur"}
    assert concert["room"]["slug"] == "saal" and concert["address"].startswith("Bornstraße 12")
    assert concert["languages"] == ["Deutsch", "Türkçe"]
    assert concert["capacity"] == 30 and concert["places_left"] == 30
    assert concert["starts_at"].endswith(("+01:00", "+02:00"))  # local time of Europe/Berlin with its offset
    assert concert["url"].endswith("/veranstaltungen/konzert/")
    assert data["items"][1]["organiser"] == {"name": "Nordstadtliga", "initiative": "liga"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"period": "past"}, ["fruehstueck"]),
        ({"period": "all"}, ["fruehstueck", "konzert", "turnier"]),
        ({"category": "kultur"}, ["konzert"]),
        ({"initiative": "liga"}, ["turnier"]),
        ({"room": "saal"}, ["konzert"]),
        ({"category": "unbekannt"}, []),
    ],
)
def test_events_filters(client, events, query, expected):
    assert _slugs(client.get(reverse("api:events"), query).json()) == expected


def test_events_filter_by_days(client, events):
    day = timezone.localdate() + timedelta(days=10)
    assert _slugs(client.get(reverse("api:events"), {"date_from": day.isoformat()}).json()) == ["turnier"]
    assert _slugs(client.get(reverse("api:events"), {"date_to": day.isoformat()}).json()) == ["konzert"]


def test_bad_filters_are_refused_not_ignored(client, events):
    assert client.get(reverse("api:events"), {"period": "sometime"}).status_code == 422
    assert client.get(reverse("api:events"), {"date_from": "gestern"}).status_code == 422
    assert client.get(reverse("api:events"), {"page_size": "1000"}).status_code == 422


def test_one_event_and_unknown_ones(client, events):
    assert _json(client, reverse("api:event", args=["konzert"]))["title"] == "Hofkonzert"
    assert client.get(reverse("api:event", args=["entwurf"])).status_code == 404


def test_the_feeds_take_the_filters_of_the_event_list(client, events):
    feed = client.get(reverse("events:feed"), {"category": "kultur"}).content.decode()
    assert "Hofkonzert" in feed and "Turnier" not in feed
    feed = client.get(reverse("events:feed"), {"room": "saal"}).content.decode()
    assert "Hofkonzert" in feed and "Turnier" not in feed
    feed = client.get(reverse("events:feed"), {"initiative": "liga"}).content.decode()
    assert "Turnier" in feed and "Hofkonzert" not in feed
    feed = client.get(reverse("events:feed"), {"archiv": "1"}).content.decode()
    assert "Frühstück" in feed and "Hofkonzert" not in feed
    listing = client.get(reverse("events:list"), {"category": "kultur"}).content.decode()
    assert "kalender.ics?category=kultur" in listing  # the list's feed link keeps its filters


# --- Pages, 304, CORS, rate limit -----------------------------------------------------------------------------


def test_pages_link_to_each_other(client, events, settings):
    first = client.get(reverse("api:events"), {"page_size": 1}).json()
    assert first["count"] == 2 and first["pages"] == 2 and _slugs(first) == ["konzert"]
    assert first["next"].startswith(settings.SITE_URL)
    second = client.get(first["next"].removeprefix(settings.SITE_URL)).json()
    assert _slugs(second) == ["turnier"] and second["previous"] and second["next"] is None
    assert client.get(reverse("api:events"), {"page": 9}).status_code == 404


def test_an_unchanged_answer_is_304_until_the_data_change(client, events):
    url = reverse("api:events")
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert not [q for q in queries.captured_queries if "events_event" in q["sql"]]  # no data read for a 304
    assert client.get(url + "?category=kultur", HTTP_IF_NONE_MATCH=etag).status_code == 200
    events["concert"].title = "Hofkonzert (verlegt)"
    events["concert"].save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Hofkonzert (verlegt)" in changed.content.decode()


@pytest.mark.parametrize("name", LISTS + CSVS)
def test_every_list_has_validators_and_cors(client, office, name):
    response = client.get(reverse(name), HTTP_ORIGIN="https://stadt.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert response["ETag"] and response["Last-Modified"]
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert 'rel="license"' in response["Link"]


def test_head_answers_like_get_without_a_body(client, office):
    response = client.head(reverse("api:rooms"))
    assert response.status_code == 200 and response.content == b""
    assert response["ETag"] == client.get(reverse("api:rooms"))["ETag"]
    assert client.post(reverse("api:rooms")).status_code == 405


def test_a_preflight_allows_reading_only(client, office):
    response = client.options(
        reverse("api:events"),
        HTTP_ORIGIN="https://stadt.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get(reverse("home"), HTTP_ORIGIN="https://x.example")


def test_the_api_counts_requests_per_address(client, office, settings):
    settings.API_RATE_LIMIT = 3
    for _n in range(3):
        assert client.get(reverse("api:rooms"), REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(reverse("api:rooms"), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert client.get(reverse("api:rooms"), REMOTE_ADDR="203.0.113.8").status_code == 200  # another address


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_stay_constant_per_page(client, office, name):
    def fill(n):
        for _i in range(n):
            club = make_initiative()
            club.topics.add(Topic.objects.get_or_create(slug="sport", defaults={"name": "Sport"})[0])
            room = make_room()
            room.equipment.add(Equipment.objects.get_or_create(slug="beamer", defaults={"name": "Beamer"})[0])
            make_event(initiative=club, place="room", room=room)
            conference = Conference.objects.create(
                event=make_event(), proposal_deadline=timezone.now() + timedelta(days=1)
            )
            decision = Decision.objects.create(conference=conference, number=1, wording="Bänke", responsible="Büro")
            DecisionUpdate.objects.create(decision=decision, status="in_progress", note="Bestellt")
            approved = make_application(call=make_call(), applicant=make_user(), initiative=club, status="approved")
            FundEntry.objects.create(application=approved, kind="grant", amount="100.00", entered_by=staff)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), {"page_size": 100}).status_code == 200
        return len(queries)

    staff = make_staff()
    fill(2)
    client.get(reverse(name))
    small = count()
    fill(8)
    assert count() <= small


# --- Rooms, directory, decisions, fund ------------------------------------------------------------------------


def test_rooms_and_their_busy_times_without_who_or_why(client, office):
    location = make_location(name="Nachbarschaftshaus", contact_phone="0231 555 0101", contact_email="haus@x.example")
    room = make_room(slug="saal", location=location, capacity=40, step_free=True, hearing_loop=True)
    room.equipment.add(Equipment.objects.create(slug="kueche", name="Küche"))
    data = _json(client, reverse("api:rooms"))
    item = data["items"][0]
    assert item["slug"] == "saal" and item["capacity"] == 40
    assert item["accessibility"] == {"step_free": True, "accessible_toilet": False, "hearing_loop": True}
    assert item["equipment"] == [{"slug": "kueche", "name": "Küche"}]
    assert item["location"]["name"] == "Nachbarschaftshaus"
    assert {hours["weekday"] for hours in item["bookable_hours"]} == set(range(7))
    assert item["booking_rules"]["fee_per_hour"] == "0.00"
    assert _json(client, reverse("api:room", args=["saal"]))["name"] == room.name
    day = days_ahead(3)
    make_booking(room=room, booked_by=make_user(), starts_at=local(day, 10), ends_at=local(day, 12), title="Privat")
    make_closure(location=location, starts_at=local(day, 18), ends_at=local(day, 20))
    busy = _json(client, reverse("api:room_busy", args=["saal"]), data={"date_from": day.isoformat()})
    assert [(b["starts_at"][11:16], b["ends_at"][11:16]) for b in busy["busy"]] == [
        ("10:00", "12:00"),
        ("18:00", "20:00"),
    ]
    assert set(busy["busy"][0]) == {"starts_at", "ends_at"}
    too_long = {"date_from": day.isoformat(), "date_to": (day + timedelta(days=90)).isoformat()}
    assert client.get(reverse("api:room_busy", args=["saal"]), too_long).status_code == 400
    assert client.get(reverse("api:room_busy", args=["nirgends"])).status_code == 404


def test_the_directory_shows_visible_initiatives_shaped_after_hsds(client, office):
    sport = Topic.objects.create(slug="sport", name="Sport")
    club = make_initiative(
        name="Nordstadtliga",
        slug="liga",
        kind="association",
        languages="Deutsch, Arabisch",
        meets_where="Nordmarkt",
        meets_when="dienstags 18 Uhr",
        website="https://liga.example",
    )
    club.topics.add(sport)
    make_initiative(name="Ungeprüft", slug="neu", is_verified=False)
    make_initiative(name="Versteckt", slug="weg", is_hidden=True)
    data = _json(client, reverse("api:initiatives"))
    assert [item["id"] for item in data["items"]] == ["liga"]
    item = data["items"][0]
    assert item["locations"] == [{"name": "Nordmarkt"}] and item["schedules"] == [{"description": "dienstags 18 Uhr"}]
    assert item["contact"]["website"] == "https://liga.example"
    assert item["contact"]["contact_form_url"].endswith("/initiativen/liga/kontakt/")
    assert item["topics"] == [{"slug": "sport", "name": "Sport"}] and item["languages"] == ["Deutsch", "Arabisch"]
    for query, expected in [({"topic": "sport"}, 1), ({"kind": "business"}, 0), ({"language": "arab"}, 1)]:
        assert client.get(reverse("api:initiatives"), query).json()["count"] == expected
    assert client.get(reverse("api:initiative", args=["weg"])).status_code == 404


def test_decisions_with_their_status_history(client, office):
    conference = Conference.objects.create(
        event=make_event(slug="konferenz-mai", title="Stadtteilkonferenz Mai"),
        proposal_deadline=timezone.now(),
    )
    decision = Decision.objects.create(
        conference=conference,
        number=1,
        wording="Mehr Bänke",
        votes_for=20,
        votes_against=2,
        responsible="Büro",
        status="in_progress",
    )
    DecisionUpdate.objects.create(decision=decision, date=timezone.localdate(), status="in_progress", note="Bestellt")
    hidden = Conference.objects.create(event=make_event(is_published=False), proposal_deadline=timezone.now())
    Decision.objects.create(conference=hidden, number=1, wording="Geheim", responsible="Büro")
    data = _json(client, reverse("api:decisions"))
    assert [item["wording"] for item in data["items"]] == ["Mehr Bänke"]
    item = data["items"][0]
    assert item["adopted"] is True and item["conference"]["slug"] == "konferenz-mai"
    assert item["history"] == [{"date": timezone.localdate().isoformat(), "status": "in_progress", "note": "Bestellt"}]
    assert client.get(reverse("api:decisions"), {"status": "done"}).json()["count"] == 0
    assert client.get(reverse("api:decisions"), {"conference": "konferenz-mai"}).json()["count"] == 1
    rows = _csv(client, reverse("api:decisions_csv"))
    assert rows[0]["wording"] == "Mehr Bänke" and rows[0]["conference.slug"] == "konferenz-mai"
    assert json.loads(rows[0]["history"])[0]["note"] == "Bestellt"


def test_funded_projects_name_residents_only_with_consent(client, office):
    staff = make_staff()
    fund = make_fund(name="Quartiersfonds", year=2026)
    call = make_call(fund=fund)
    consenting = make_user(display_name="Ayşe Demir")
    shy = make_user(display_name="Heimlich Meier")
    make_application(call=call, applicant=make_user(), status="draft", title="Entwurf")
    for applicant, consent, title in ((consenting, True, "Hoffest"), (shy, False, "Lesecafé")):
        application = make_application(
            call=call, applicant=applicant, publish_name=consent, status="approved", title=title
        )
        FundEntry.objects.create(application=application, kind="grant", amount="250.00", entered_by=staff)
    data = _json(client, reverse("api:funded_projects"))
    assert [(i["title"], i["applicant"], i["granted"]) for i in data["items"]] == [
        ("Hoffest", "Ayşe Demir", "250.00"),
        ("Lesecafé", "Privatperson", "250.00"),
    ]
    assert data["items"][0]["fund"] == {"name": "Quartiersfonds", "year": 2026}
    assert client.get(reverse("api:funded_projects"), {"year": 2025}).json()["count"] == 0
    rows = _csv(client, reverse("api:funded_projects_csv"))
    assert [row["applicant"] for row in rows] == ["Ayşe Demir", "Privatperson"] and rows[0]["fund.year"] == "2026"
    assert Decimal(rows[0]["granted"]) == Decimal("250.00")


@pytest.mark.parametrize(("json_name", "csv_name"), list(zip(LISTS[:2] + LISTS[3:], CSVS, strict=True)))
def test_every_csv_has_the_fields_of_the_api(client, events, json_name, csv_name):
    document = client.get(reverse("api:openapi-json")).json()
    rows = client.get(reverse(csv_name)).content.decode("utf-8-sig").splitlines()
    header = rows[0].split(";")
    operation = next(
        op["get"]
        for op in document["paths"].values()
        if op.get("get", {}).get("operationId", "").endswith(json_name.split(":")[1])
    )
    item_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    page = document["components"]["schemas"][item_ref]
    item = document["components"]["schemas"][page["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert {column.split(".")[0] for column in header} == set(item["properties"])


# --- Nothing private ------------------------------------------------------------------------------------------

SECRETS = [
    "Geheime Geburtstagsfeier",  # a booking's title the booker did not make public
    "0172 9988776",  # phone numbers
    "0231 555 0101",
    "privat@example.org",  # e-mail addresses
    "kontakt-liga@example.org",
    "haus@x.example",
    "Heimlich Meier",  # a resident who did not consent to her name
    "Unveröffentlichter Entwurf",  # an unpublished event
    "https://meet.example/geheim",  # an online event's link (registered people only)
    "Versteckte Initiative",
    "Geheimer Beschluss",
]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"\b0\d{2,4}[ /-]?\d{3,}")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


@pytest.fixture
def private_world(office):
    booker = make_user(email="privat@example.org", display_name="Heimlich Meier")
    location = make_location(contact_phone="0231 555 0101", contact_email="haus@x.example")
    room = make_room(slug="saal", location=location)
    day = days_ahead(2)
    make_booking(
        room=room,
        booked_by=booker,
        starts_at=local(day, 10),
        ends_at=local(day, 12),
        title="Geheime Geburtstagsfeier",
        responsible_phone="0172 9988776",
        responsible_email="privat@example.org",
    )
    club = make_initiative(name="Nordstadtliga", slug="liga", contact_email="kontakt-liga@example.org")
    make_initiative(name="Versteckte Initiative", slug="versteckt", is_hidden=True)
    make_event(slug="offen", title="Offenes Treffen", initiative=club, place="room", room=room)
    make_event(slug="online", title="Online-Treffen", place="online", online_url="https://meet.example/geheim")
    make_event(slug="entwurf", title="Unveröffentlichter Entwurf", is_published=False)
    hidden = Conference.objects.create(event=make_event(is_published=False), proposal_deadline=timezone.now())
    Decision.objects.create(conference=hidden, number=1, wording="Geheimer Beschluss", responsible="Büro")
    staff = make_staff()
    application = make_application(call=make_call(), applicant=booker, status="approved", publish_name=False)
    FundEntry.objects.create(application=application, kind="grant", amount="100.00", entered_by=staff)
    return {"room": room}


def test_nothing_private_appears_in_the_api_the_csvs_or_the_json_ld(client, private_world):
    day = days_ahead(2).isoformat()
    urls = [reverse(name) for name in LISTS + CSVS] + [
        reverse(name) + "?period=all" for name in ("api:events", "api:events_csv")
    ]
    urls += [
        reverse("api:room", args=["saal"]),
        reverse("api:room_busy", args=["saal"]) + f"?date_from={day}",
        reverse("api:event", args=["offen"]),
        reverse("api:event", args=["online"]),
        reverse("api:initiative", args=["liga"]),
        reverse("api:openapi-json"),
    ]
    answers = {url: client.get(url).content.decode("utf-8-sig") for url in urls}
    for slug in ("offen", "online"):
        page = client.get(reverse("events:detail", args=[slug])).content.decode()
        answers[f"JSON-LD {slug}"] = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    page = client.get(reverse("initiatives:detail", args=["liga"])).content.decode()
    answers["JSON-LD liga"] = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    assert "Offenes Treffen" in answers[reverse("api:events")]  # the public data are there
    assert json.loads(answers["JSON-LD offen"])["@type"] == "Event"
    assert json.loads(answers["JSON-LD liga"])["@type"] == "Organization"
    for url, text in answers.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret} in {url}"
        assert not EMAIL.findall(text), f"an e-mail address in {url}"
        # timestamps' fractions of a second ("…T18:00:00.017088+01:00") are no phone numbers
        without_times = TIMESTAMP.sub("", text.replace(day, ""))
        assert not PHONE.findall(without_times), f"a phone number in {url}"


# --- The OpenAPI document and the documentation page ----------------------------------------------------------


def test_the_openapi_document_is_valid_and_describes_every_field(client, office):
    from openapi_spec_validator import validate

    document = _json(client, reverse("api:openapi-json"))
    validate(document)
    assert {"/api/v1/events/", "/api/v1/rooms/{slug}/busy/", "/api/v1/funded-projects.csv"} <= set(document["paths"])
    undocumented = [
        f"{name}.{field}"
        for name, schema in document["components"]["schemas"].items()
        for field, spec in schema.get("properties", {}).items()
        if not spec.get("description") and name not in {"BusyOutBody"}
    ]
    assert undocumented == []


def test_the_documentation_page_names_every_field_and_the_licence(client, office):
    office.data_licence = "Datenlizenz Deutschland – Zero – Version 2.0"
    office.data_licence_url = "https://www.govdata.de/dl-de/zero-2-0"
    office.save()
    page = client.get(reverse("open_data")).content.decode()
    assert "Datenlizenz Deutschland – Zero – Version 2.0" in page and "https://www.govdata.de/dl-de/zero-2-0" in page
    for field in (
        "starts_at",
        "busy[].starts_at",
        "booking_rules.fee_per_hour",
        "history[].status",
        "schedules[].description",
    ):
        assert f"<code>{field}</code>" in page
    assert "Europe/Berlin" in page and reverse("api:openapi-json") in page
    assert "swagger" not in page.lower() and "cdn" not in page.lower()
    assert _json(client, reverse("api:events"))["licence"]["url"] == "https://www.govdata.de/dl-de/zero-2-0"


LAZY_API_CHECK = """
import sys
import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
from django.urls import resolve, reverse
WSGIHandler()  # every middleware loaded, as a worker loads them
for name in ("home", "rooms:list", "events:list", "initiatives:list", "fund:home", "account_login", "admin:index"):
    resolve(reverse(name))
print("before", "ninja" in sys.modules, "pydantic" in sys.modules)
print("api", reverse("api:events"), resolve("/api/v1/events/").url_name, "ninja" in sys.modules)
"""


def test_a_worker_loads_the_open_data_api_only_when_it_is_asked_for():
    """django-ninja and pydantic (some 13 MB a worker) are imported by the first request under /api/v1/ or
    reverse("api:…"), not by the portal's pages, their middleware and links; then the API answers as before."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quartier.settings", "DEBUG": "0", "SECRET_KEY": "x" * 50}
    result = subprocess.run(
        [sys.executable, "-c", LAZY_API_CHECK], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR
    )
    assert result.returncode == 0, result.stderr
    assert "before False False" in result.stdout
    assert "api /api/v1/events/ events True" in result.stdout
