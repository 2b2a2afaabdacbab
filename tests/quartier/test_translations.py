"""The eight interface languages: every catalogue complete, in step with the code, keeping placeholders and
markup, with each language's own plural forms; the switch names each language in itself and keeps the choice;
mails go out in the recipient's language; reviews of a language are recorded (docs/translations.md)."""

import re
import shutil
from collections import Counter
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from quartier import mail, translations

from ..conftest import require
from ..factories import PASSWORD, make_user

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES]
CATALOGUES = [(place, code) for place in translations.PLACES for code in LANGUAGES]
PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[sdifr]|%[sdif]|\{[a-zA-Z0-9_]*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
SELF_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "bg": "Български",
    "ro": "Română",
    "pl": "Polski",
    "uk": "Українська",
}


def _keys(catalogue) -> set:
    return {(entry.msgctxt, entry.msgid) for entry in catalogue if not entry.obsolete}


def test_the_portal_speaks_the_nordstadts_languages():
    assert LANGUAGES == ["de", "en", "tr", "ar", "bg", "ro", "pl", "uk"]
    assert settings.LANGUAGE_CODE == "de"


@pytest.mark.parametrize(("place", "language"), CATALOGUES, ids=lambda value: str(value))
def test_every_catalogue_has_the_entries_of_the_english_one(place, language):
    path = translations.catalogue_path(place, language)
    assert path.exists(), f"{path} is missing: manage.py translations update"
    english = polib.pofile(str(translations.catalogue_path(place, "en")))
    assert _keys(polib.pofile(str(path))) == _keys(english)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_own_plural_forms(language):
    """Arabic has six forms, Polish and Ukrainian four, Romanian three: the header is the language's own, and every
    plural entry fills each form (an empty form shows the English text for some counts)."""
    django_catalogue = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    expected = polib.pofile(str(django_catalogue)).metadata["Plural-Forms"]
    forms = int(re.search(r"nplurals=(\d+)", expected)[1])
    for place in translations.PLACES:
        catalogue = polib.pofile(str(translations.catalogue_path(place, language)))
        header = catalogue.metadata["Plural-Forms"]
        assert re.sub(r"[\s;()]", "", header) == re.sub(r"[\s;()]", "", expected), place
        for entry in catalogue:
            if entry.msgid_plural and not entry.obsolete:
                assert sorted(entry.msgstr_plural) == list(range(forms)), (place, entry.msgid)
                assert all(entry.msgstr_plural.values()), (place, entry.msgid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_and_the_markup(language):
    """A lost %(name)s breaks the page (a KeyError, or the value missing); a lost tag breaks the markup."""
    broken = []
    for item in translations.entries(language):
        entry = item.entry
        if not entry.translated():
            continue
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        wanted = set().union(*(PLACEHOLDER.findall(source) for source in sources))
        targets = (
            [entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural)]
            if entry.msgid_plural
            else [entry.msgstr]
        )
        for target in targets:
            found = set(PLACEHOLDER.findall(target))
            # a singular form may say "one" in words instead of the count
            missing = {name for name in wanted - found if not (entry.msgid_plural and target is not targets[-1])}
            if missing or found - wanted:
                broken.append(
                    f"{item.place} {entry.msgid[:50]!r}: {sorted(missing)} missing, {sorted(found - wanted)} extra"
                )
            if not entry.msgid_plural and Counter(TAG.findall(target)) != Counter(TAG.findall(entry.msgid)):
                broken.append(f"{item.place} {entry.msgid[:50]!r}: markup differs")
    assert broken == [], "\n".join(broken[:20])


def test_the_catalogues_are_in_step_with_the_code(tmp_path):
    """Every string the code marks for translation is in its catalogue, and no catalogue keeps strings the code
    no longer has (a string missing from the catalogues shows in English on a German page). Needs GNU gettext
    (xgettext, msgmerge), as `manage.py translations update` does: CI installs it."""
    require(shutil.which("xgettext") and shutil.which("msgmerge"), "GNU gettext is missing (apt-get install gettext)")
    copy = tmp_path / "portal"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "node_modules", "var", ".git", "tests", "bench", "*.mo", "__pycache__"),
    )
    # Only the English catalogue is compared (msgmerge costs a run per language); the other languages hold exactly
    # its entries (test_every_catalogue_has_the_entries_of_the_english_one), so they are in step when it is.
    translations.update(root=copy, only=["en"])
    stale = []
    for place in translations.PLACES:
        current = _keys(polib.pofile(str(translations.catalogue_path(place, "en"))))
        wanted = _keys(polib.pofile(str(translations.catalogue_path(place, "en", copy))))
        stale += [f"{place}: missing {msgid!r}" for _context, msgid in sorted(wanted - current, key=str)]
        stale += [f"{place}: no longer used {msgid!r}" for _context, msgid in sorted(current - wanted, key=str)]
    assert stale == [], "manage.py translations update, then translate:\n" + "\n".join(stale[:30])


@pytest.mark.django_db
def test_the_switch_names_each_language_in_itself_and_keeps_the_choice(client, office):
    user = make_user(email="nachbarin@example.org", language="de")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    page = client.get(reverse("home")).content.decode()
    for code, name in SELF_NAMES.items():
        assert re.search(rf'lang="{code}"[^>]*>{name}<', page), f"{name} ({code}) is not in the switch"
    for code in LANGUAGES:
        response = client.post(reverse("set_language"), {"language": code, "next": "/"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.language == code
        home = client.get(reverse("home"))
        assert home.headers["Content-Language"] == code
        assert f'lang="{code}"' in home.content.decode()[:200]


def _in(language: str, *texts: str) -> list[str]:
    with translation.override(language):
        return [gettext(text) for text in texts]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_mail_goes_out_in_the_recipients_language(office, mailoutbox, language):
    """A string missing from a language's catalogue would come out in German (the default language): each text
    of the mail must be the language's own, unlike the German and the English one."""
    user = make_user(email="maria@example.org", display_name="Maria", language=language)
    mail.send(
        user,
        "account/email/password_changed_message.txt",
        {},
        subject_template="account/email/password_changed_subject.txt",
    )
    (message,) = mailoutbox
    texts = ("Your password has been changed", "Your password has been changed.", "Kind regards", "Phone")
    subject, changed, regards, phone = _in(language, *texts)
    assert subject in message.subject
    assert changed in message.body and regards in message.body and f"{phone}: " in message.body
    sentences = texts[:3]  # "Telefon" is Turkish, Romanian and Polish too
    for other in {"de", "en"} - {language}:
        assert set(_in(language, *sentences)).isdisjoint(_in(other, *sentences)), f"{language} mail has {other} texts"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["tr", "ar", "bg", "ro", "pl", "uk"])
def test_pages_in_the_new_languages_are_in_that_language(client, office, language):
    client.cookies["django_language"] = language
    page = client.get(reverse("rooms:list")).content.decode()
    texts = ("Rooms", "Log in", "Opening hours")
    translated = _in(language, *texts)
    assert set(translated).isdisjoint(_in("de", *texts) + _in("en", *texts))
    for text in translated:
        assert text in page


def test_a_review_is_recorded_and_what_changed_since_is_listed(tmp_path, monkeypatch):
    """The reviewer's list: after a review nothing is listed; a new translation of one entry is listed again."""
    copy = tmp_path / "portal"
    for place in translations.PLACES:
        target = translations.catalogue_path(place, "de", copy)
        target.parent.mkdir(parents=True)
        shutil.copy(translations.catalogue_path(place, "de"), target)
    monkeypatch.setattr(translations, "REVIEWS", tmp_path / "reviews")
    assert len(translations.changed("de", copy)) == len(translations.entries("de", copy))
    recorded = translations.record_review("de", "Ayşe Demir", "2026-12-02", copy)
    assert recorded == len(translations.entries("de", copy)) > 1000
    assert "reviewed by Ayşe Demir on 2026-12-02" in (tmp_path / "reviews" / "de.txt").read_text()
    assert translations.changed("de", copy) == []
    rooms = translations.catalogue_path("rooms/locale", "de", copy)
    catalogue = polib.pofile(str(rooms))
    entry = next(entry for entry in catalogue if entry.msgid == "Booking rules")
    entry.msgstr = "Regeln für Buchungen"
    catalogue.save()
    (listed,) = translations.changed("de", copy)
    assert (listed.place, listed.entry.msgid, listed.entry.msgstr) == (
        "rooms/locale",
        "Booking rules",
        "Regeln für Buchungen",
    )


def test_the_review_command_lists_and_records(tmp_path, monkeypatch, capsys):
    from django.core.management import call_command

    monkeypatch.setattr(translations, "REVIEWS", tmp_path)
    call_command("translations", "status")
    status = capsys.readouterr().out
    assert re.search(r"tr Turkish\s+\d+\s+0\s+0\s+\d+", status), status
    call_command("translations", "reviewed", "en", by="Office")
    call_command("translations", "changed", "en")
    assert "0 entries changed since the last review of en." in capsys.readouterr().out


def test_no_translated_string_hides_in_an_f_string():
    """xgettext reads no f-strings: a `_("notice")` inside one drops out of the catalogues at the next update, and
    the word shows in English on every page (it happened to five download names)."""
    hidden = re.compile(r"""\bf(["'])[^"'\n]*\{\s*(?:_|gettext|pgettext|ngettext)\(""")
    found = []
    for place in ("quartier", "rooms", "events", "initiatives", "volunteers"):
        for source in (ROOT / place).glob("**/*.py"):
            for number, line in enumerate(source.read_text().splitlines(), 1):
                if hidden.search(line):
                    found.append(f"{source.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "\n".join(found)
