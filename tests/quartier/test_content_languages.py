"""Texts entered by staff and leads in several languages (quartier/content_languages.py): the page's language
where there is a version, German marked as German where there is none; search finds any version; the leads'
forms and the admin save each version."""

import pytest
from django.urls import reverse

from events.models import Event
from initiatives.models import Offer
from rooms.models import Equipment

from ..events.factories import make_event
from ..initiatives.factories import make_initiative, make_membership
from ..rooms.factories import days_ahead, make_room

pytestmark = pytest.mark.django_db

RULES_DE = "Bitte verlassen Sie den Raum besenrein."
RULES_EN = "Please leave the room swept clean."
FALLBACK_NOTE = '<small class="content-language">(in German)</small>'


def _in_english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_english_interface_shows_the_english_house_rules(client, office):
    room = make_room(house_rules_de=RULES_DE, house_rules_en=RULES_EN)
    html = _in_english(client).get(room.get_absolute_url()).content.decode()
    assert f'<p class="preserve-lines">{RULES_EN}</p>' in html
    assert RULES_DE not in html


def test_without_english_house_rules_the_german_ones_show_marked_as_german(client, office):
    room = make_room(house_rules_de=RULES_DE)
    html = _in_english(client).get(room.get_absolute_url()).content.decode()
    assert f'<span lang="de">{RULES_DE}</span> {FALLBACK_NOTE}' in html


def test_the_german_interface_shows_german_without_a_note(client, office):
    room = make_room(house_rules_de=RULES_DE, house_rules_en=RULES_EN)
    html = client.get(room.get_absolute_url()).content.decode()
    assert RULES_DE in html and RULES_EN not in html
    assert 'class="content-language"' not in html


def test_equipment_names_follow_the_page_language(client, office):
    room = make_room()
    room.equipment.add(
        Equipment.objects.create(slug="kueche", name_de="Küche", name_en="Kitchen"),
        Equipment.objects.create(slug="werkbank", name_de="Werkbänke"),
    )
    html = _in_english(client).get(room.get_absolute_url()).content.decode()
    assert "Kitchen" in html and "Küche" not in html
    assert f'<span lang="de">Werkbänke</span> {FALLBACK_NOTE}' in html


def test_event_title_and_description_in_english_and_a_german_only_event_marked(client, office):
    make_event(title_de="Nachbarschaftsfrühstück", title_en="Neighbourhood breakfast", slug="fruehstueck")
    make_event(title_de="Lesung", slug="lesung")
    html = _in_english(client).get(reverse("events:list")).content.decode()
    assert "Neighbourhood breakfast" in html and "Nachbarschaftsfrühstück" not in html
    assert f'<span lang="de">Lesung</span> {FALLBACK_NOTE}' in html
    event = Event.objects.get(slug="fruehstueck")
    detail = _in_english(client).get(event.get_absolute_url()).content.decode()
    assert "<h1>Neighbourhood breakfast</h1>" in detail
    assert '<span lang="de">Alle sind willkommen.</span>' in detail  # the description has no English version


def test_a_legal_page_without_an_english_version_shows_the_german_text_marked(client, office):
    html = _in_english(client).get("/impressum/").content.decode()
    assert '<div lang="de"><h2>Angaben gemäß § 5 DDG</h2>' in html
    assert '<p class="content-language">(in German)</p>' in html
    office.imprint_en = "## Information under § 5 DDG\n{name}"
    office.save()
    html = _in_english(client).get("/impressum/").content.decode()
    assert "<h2>Information under § 5 DDG</h2>" in html
    assert "Angaben gemäß" not in html and '<p class="content-language">' not in html


def test_the_directory_search_finds_an_initiative_by_an_english_word(client, office):
    make_initiative(name="Garten am Hafen", short_description_de="Wir gärtnern.", short_description_en="We garden.")
    make_initiative(name="Lesekreis", short_description_de="Wir lesen.")
    for language in ("de", "en"):
        client.cookies["django_language"] = language
        html = client.get(reverse("initiatives:list"), {"q": "garden"}).content.decode()
        assert "Garten am Hafen" in html and "Lesekreis" not in html


def test_the_directory_search_stems_each_language_on_postgresql(client, office, postgres):
    make_initiative(name="Garten am Hafen", short_description_de="Wir gärtnern.", description_en="Neighbours gardening")
    html = client.get(reverse("initiatives:list"), {"q": "gardens"}).content.decode()
    assert "Garten am Hafen" in html  # "gardens" and "gardening" share the English stem


def test_the_lead_form_saves_the_english_title_beside_the_german_one(client, office, initiative_lead):
    initiative = make_initiative(name="Garten")
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    client.force_login(initiative_lead)
    form = client.get(reverse("events:create")).content.decode()
    assert "Titel (Englisch, freiwillig)" in form
    data = {
        "initiative": initiative.pk,
        "title": "Gartentag",
        "title_en": "Garden day",
        "description": "Wir pflanzen.",
        "description_en": "",
        "place": "address",
        "address": "Hafen 1",
        "date": days_ahead(10).isoformat(),
        "start": "10:00",
        "end": "12:00",
        "max_companions": "2",
    }
    assert client.post(reverse("events:create"), data).status_code == 302
    event = Event.objects.get()
    assert (event.title_de, event.title_en, event.description_de, event.description_en) == (
        "Gartentag",
        "Garden day",
        "Wir pflanzen.",
        "",
    )
    # Editing in the English interface: the text's own field is still the German version.
    _in_english(client)
    edit = client.get(reverse("events:edit", args=[event.slug])).content.decode()
    assert 'value="Gartentag"' in edit and "Title (German)" in edit
    client.post(reverse("events:edit", args=[event.slug]), {**data, "title": "Gartentag 2", "title_en": "Garden day 2"})
    event.refresh_from_db()
    assert (event.title_de, event.title_en) == ("Gartentag 2", "Garden day 2")


def test_the_lead_form_of_an_offer_saves_the_english_version(client, office, initiative_lead):
    initiative = make_initiative(name="Garten")
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    client.force_login(initiative_lead)
    data = {
        "title": "Gießen im Sommer",
        "title_en": "Watering in summer",
        "description": "Wir suchen Hilfe beim Gießen.",
        "description_en": "We need help with watering.",
        "when": "Juli",
        "time_needed": "2 Stunden",
        "helpers_needed": "3",
        "until": days_ahead(30).isoformat(),
        "allowance": "none",
        "is_open": "on",
    }
    response = client.post(reverse("initiatives:offer_create", args=[initiative.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    offer = Offer.objects.get()
    assert (offer.title_de, offer.title_en) == ("Gießen im Sommer", "Watering in summer")
    html = _in_english(client).get(offer.get_absolute_url()).content.decode()
    assert "We need help with watering." in html


def test_the_admin_saves_every_language_version(client, staff, office):
    client.force_login(staff)
    form = client.get(reverse("admin:rooms_equipment_add")).content.decode()
    assert 'name="name_de"' in form and 'name="name_en"' in form and 'lang="ar" dir="rtl"' in form
    response = client.post(
        reverse("admin:rooms_equipment_add"),
        {"name_de": "Küche", "name_en": "Kitchen", "name_tr": "Mutfak", "name_ar": "مطبخ", "slug": "kueche"},
    )
    assert response.status_code == 302
    kitchen = Equipment.objects.get()
    names = (kitchen.name_de, kitchen.name_en, kitchen.name_tr, kitchen.name_ar)
    assert names == ("Küche", "Kitchen", "Mutfak", "مطبخ")


def test_the_admin_requires_the_german_version(client, staff, office):
    client.force_login(staff)
    response = client.post(reverse("admin:rooms_equipment_add"), {"name_en": "Kitchen", "slug": "kueche"})
    assert response.status_code == 200 and not Equipment.objects.exists()


def test_cached_fragments_differ_by_language(client, office, settings):
    settings.FRAGMENT_CACHE_SECONDS = 60
    make_initiative(name="Garten", short_description_de="Wir gärtnern.", short_description_en="We garden.")
    assert "Wir gärtnern." in client.get(reverse("initiatives:list")).content.decode()
    assert "We garden." in _in_english(client).get(reverse("initiatives:list")).content.decode()


def test_the_lead_form_folds_each_further_language_into_its_own_group(client, office, initiative_lead):
    """Eight languages are sixteen more fields for a title and a description: German stays in the form, each
    other language is a group of its own (fieldset, legend in the language's own name) inside one closed
    disclosure, which is open when a version has text; a Turkish and an Arabic title are saved."""
    import re

    initiative = make_initiative(name="Garten")
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    client.force_login(initiative_lead)
    form = client.get(reverse("events:create")).content.decode()
    folded = re.search(r'<details class="translations">(.*?)</details>', form, re.S)
    assert folded, "the further languages are not folded away"
    before = form[: folded.start()]
    assert 'name="title"' in before and 'name="description"' in before
    assert 'name="title_en"' not in before and 'name="title_tr"' not in before
    legends = re.findall(r"<legend>(.*?)</legend>", folded[1], re.S)
    assert len(legends) == 7
    assert any("Türkisch" in legend and 'lang="tr">Türkçe' in legend for legend in legends)
    assert any("Arabisch" in legend and 'lang="ar" dir="rtl">' in legend for legend in legends)
    assert 'name="title_ar"' in folded[1] and 'lang="ar" dir="rtl"' in folded[1]
    data = {
        "initiative": initiative.pk,
        "title": "Gartentag",
        "title_tr": "Bahçe günü",
        "title_ar": "يوم الحديقة",
        "description": "Wir pflanzen.",
        "place": "address",
        "address": "Hafen 1",
        "date": days_ahead(10).isoformat(),
        "start": "10:00",
        "end": "12:00",
        "max_companions": "2",
    }
    assert client.post(reverse("events:create"), data).status_code == 302
    event = Event.objects.get()
    assert (event.title_tr, event.title_ar, event.title_pl) == ("Bahçe günü", "يوم الحديقة", "")
    edit = client.get(reverse("events:edit", args=[event.slug])).content.decode()
    assert '<details class="translations" open>' in edit and 'value="Bahçe günü"' in edit
    # a refused form keeps what was typed in every language, and the summary names it
    refused = client.post(reverse("events:edit", args=[event.slug]), {**data, "title": "", "title_uk": "День саду"})
    html = refused.content.decode()
    assert refused.status_code == 200 and 'value="День саду"' in html and 'value="Bahçe günü"' in html
    assert 'href="#id_title"' in html


@pytest.mark.parametrize("language", ["de", "en", "ar", "tr"])
def test_a_list_reads_a_texts_version_as_the_model_attribute_gives_it(language):
    """text_chooser (a decision card's conference title from plain columns) and `shown` (every card's title) give
    what `event.title` gives in the page's language: that version where it has text, else German."""
    from django.utils import translation

    from quartier import content_languages

    versions = [
        {"title_de": "Stadtteilkonferenz", "title_en": "District conference", "title_ar": ""},
        {"title_de": "Hoffest", "title_en": "", "title_tr": "Avlu şenliği"},
    ]
    for texts in versions:
        event = Event(**texts)
        with translation.override(language):
            choose = content_languages.text_chooser(Event, "title")
            values = [getattr(event, column) for column in content_languages.columns("title")]
            assert choose(values) == event.title
            code, text = content_languages.shown(event, "title")
            assert text == event.title
            assert code == (language if texts.get(f"title_{language}") else "de")
