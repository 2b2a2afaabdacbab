"""Demo initiatives of the Nordstadt (the demo lead leads two of them)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from quartier.allowances import AllowanceType
from quartier.models import User

from .models import Audience, Initiative, Membership, Offer, Project, ProjectNews, Topic

TOPICS = [
    ("kultur", "Kultur"),
    ("bildung", "Bildung"),
    ("sport", "Sport"),
    ("beratung", "Beratung"),
    ("nachbarschaftshilfe", "Nachbarschaftshilfe"),
    ("umwelt", "Umwelt"),
    ("jugend", "Jugend"),
    ("senioren", "Senioren"),
    ("integration", "Integration"),
]
AUDIENCES = [
    ("kinder", "Kinder"),
    ("jugendliche", "Jugendliche"),
    ("familien", "Familien"),
    ("erwachsene", "Erwachsene"),
    ("senioren", "Seniorinnen und Senioren"),
]
INITIATIVES = [
    (
        "nordstadtliga",
        "Nordstadtliga",
        "association",
        True,
        "Straßenfußball-Liga für junge Menschen seit 2001.",
        ["sport", "jugend", "integration"],
        ["jugendliche", "kinder"],
        "Deutsch, Türkçe, English",
        "Bolzplatz Nordmarkt",
        "Samstags 10–14 Uhr",
    ),
    (
        "schreibwerkstatt",
        "Schreibwerkstatt Nordstadt",
        "initiative",
        True,
        "Wir schreiben Texte über unseren Stadtteil.",
        ["kultur", "bildung"],
        ["erwachsene"],
        "Deutsch",
        "Stadtteilbüro",
        "Dienstags 18 Uhr",
    ),
    (
        "street-art",
        "Street-Art-Kollektiv",
        "initiative",
        True,
        "Wir gestalten Hauswände mit allen, die mitmachen.",
        ["kultur", "jugend"],
        ["jugendliche", "erwachsene"],
        "Deutsch, English",
        "Werkstatt",
        "nach Absprache",
    ),
    (
        "nachbarschaftshilfe",
        "Nachbarschaftshilfe Nordstadt",
        "initiative",
        True,
        "Einkaufen, Begleiten, Zuhören: Nachbarn helfen Nachbarn.",
        ["nachbarschaftshilfe", "senioren"],
        ["senioren", "familien"],
        "Deutsch, Polski, العربية",
        "Stadtteilbüro",
        "Montags 10 Uhr",
    ),
    (
        "jugendzentrum",
        "Jugendzentrum Nordpol",
        "social",
        True,
        "Offener Treff für Jugendliche.",
        ["jugend", "bildung"],
        ["jugendliche"],
        "Deutsch, Türkçe",
        "Nordstraße 5",
        "Mo–Fr 14–20 Uhr",
    ),
    (
        "bezirksdienst",
        "Bezirksdienst der Polizei",
        "public",
        False,
        "Ihre Ansprechpartner der Polizei im Stadtteil.",
        ["beratung"],
        ["erwachsene"],
        "Deutsch",
        "Polizeiwache Nord",
        "Sprechstunde Do 15–17 Uhr",
    ),
    (
        "baeckerei",
        "Bäckerei am Borsigplatz",
        "business",
        False,
        "Unterstützt Stadtteilfeste mit Brötchen.",
        ["nachbarschaftshilfe"],
        ["familien"],
        "Deutsch, Türkçe",
        "Borsigplatz 3",
        "",
    ),
]


def seed_demo(stdout) -> None:
    _seed_initiatives(stdout)


def _seed_initiatives(stdout) -> None:
    if Initiative.objects.exists():
        stdout.write("Initiatives: demo data already there.")
        return
    topics = {slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in TOPICS}
    audiences = {
        slug: Audience.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in AUDIENCES
    }
    lead = User.objects.get(email="initiative@quartier.example")
    for slug, name, kind, nonprofit, short, topic_slugs, audience_slugs, languages, where, when in INITIATIVES:
        initiative = Initiative.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            is_nonprofit=nonprofit,
            short_description=short,
            description=short,
            languages=languages,
            meets_where=where,
            meets_when=when,
            is_verified=True,
            contact_email=f"{slug}@quartier.example",
        )
        initiative.topics.set(topics[s] for s in topic_slugs)
        initiative.audiences.set(audiences[s] for s in audience_slugs)
    for slug in ("nordstadtliga", "schreibwerkstatt"):
        Membership.objects.create(initiative=Initiative.objects.get(slug=slug), user=lead, role=Membership.Role.LEAD)
    resident = User.objects.get(email="bewohnerin@quartier.example")
    Membership.objects.create(initiative=Initiative.objects.get(slug="nachbarschaftshilfe"), user=resident)
    _seed_projects_and_offers()
    stdout.write(
        f"Initiatives: {Initiative.objects.count()} initiatives, {Project.objects.count()} projects, "
        f"{Offer.objects.count()} volunteering offers."
    )


def _seed_projects_and_offers() -> None:
    today = timezone.localdate()
    liga, workshop, art, help_ = (
        Initiative.objects.get(slug=s)
        for s in ("nordstadtliga", "schreibwerkstatt", "street-art", "nachbarschaftshilfe")
    )
    for initiative, title, status, summary, helpers in [
        (liga, "Fairness-Cup 2026", "running", "Turnier, in dem faires Spiel zählt, nicht nur Tore.", True),
        (liga, "Ligarat der Spieler", "done", "Die Spieler entscheiden mit über die Regeln der Liga.", False),
        (
            workshop,
            "Buch: Geschichten aus der Nordstadt",
            "planned",
            "Wir sammeln Texte für ein gemeinsames Buch.",
            True,
        ),
        (art, "Wand am Borsigplatz", "idea", "Eine graue Wand soll bunt werden.", True),
    ]:
        project = Project.objects.create(
            initiative=initiative,
            title=title,
            slug=slugify(title),
            status=status,
            summary=summary,
            description=summary,
            helpers_wanted=helpers,
            starts_on=today - timedelta(days=30) if status != "idea" else None,
        )
        ProjectNews.objects.create(project=project, text=f"Neuigkeit: {summary}")
    for initiative, title, when, time_needed, allowance in [
        (
            liga,
            "Trainerin oder Trainer für die U12",
            "Samstags 10–12 Uhr",
            "2 Stunden pro Woche",
            AllowanceType.TRAINER,
        ),
        (help_, "Einkaufshilfe für ältere Nachbarn", "nach Absprache", "1–2 Stunden pro Woche", AllowanceType.HONORARY),
        (art, "Helfen beim Street-Art-Tag", "ein Samstag", "6 Stunden", Offer.NO_ALLOWANCE),
    ]:
        Offer.objects.create(
            initiative=initiative,
            title=title,
            description=title + ".",
            when=when,
            time_needed=time_needed,
            helpers_needed=3,
            until=today + timedelta(days=60),
            allowance=allowance,
        )
