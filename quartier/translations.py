"""The portal's gettext catalogues: where they are, how they are brought up to date, and what a native speaker
has reviewed (docs/translations.md).

Source strings are English. Each place below has a catalogue per language of ``settings.LANGUAGES``. A review
is recorded per language in ``locale/reviews/<language>.txt``: one fingerprint per entry (context, source and
translation) that a native speaker has read. An entry whose source or translation changed since, or that is new,
has a fingerprint not in that file: ``manage.py translations changed <language>`` lists exactly those.
"""

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each place holds the catalogue of the code under it; `ignore` keeps out the places nested inside it.
PLACES = {
    "locale": Path("."),
    "rooms/locale": Path("rooms"),
    "events/locale": Path("events"),
    "initiatives/locale": Path("initiatives"),
    "initiatives/fund/locale": Path("initiatives/fund"),
    "volunteers/locale": Path("volunteers"),
}
NOT_OURS = [".venv/*", "node_modules/*", "var/*", "tests/*", "bench/*", "docs/*"]
REVIEWS = ROOT / "locale" / "reviews"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def catalogue_path(place: str, language: str, root: Path = ROOT) -> Path:
    return root / place / language / "LC_MESSAGES" / "django.po"


def _ignored_inside(place: str) -> list[str]:
    """The other places nested in this place's directory: their code has its own catalogue."""
    here = PLACES[place].as_posix()
    inside = [other.as_posix() for other in PLACES.values() if other.as_posix() != here]
    if here != ".":
        inside = [other.removeprefix(here + "/") for other in inside if other.startswith(here + "/")]
    return [f"{other}/*" for other in inside]


def update(root: Path = ROOT, only: list[str] | None = None) -> list[str]:
    """Bring every catalogue of every language (or of the languages `only` names) up to date with the code
    (gettext's makemessages, per place).

    New strings arrive empty, changed ones fuzzy: the catalogue test fails until they are translated."""
    done = []
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    for place, directory in PLACES.items():
        args = ["makemessages"]
        args += [f"--locale={code}" for code in (only or languages())]
        for pattern in NOT_OURS + _ignored_inside(place):
            args += ["--ignore", pattern]
        binary = Path(sys.executable).with_name("django-admin")
        result = subprocess.run([str(binary), *args], cwd=root / directory, env=env, capture_output=True, text=True)
        if result.returncode:  # e.g. a duplicate entry after a merge: msgmerge names the file and line
            raise RuntimeError(f"makemessages in {place} failed:\n{result.stderr.strip()}")
        done.append(place)
    return done


def fingerprint(entry: polib.POEntry) -> str:
    """What a reviewer read: the context, the source (with plural) and the translation (each form)."""
    forms = (
        [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)] if entry.msgid_plural else [entry.msgstr]
    )
    text = "\x04".join([entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", *forms])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass
class Entry:
    place: str
    entry: polib.POEntry

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.entry)


def entries(language: str, root: Path | None = None) -> list[Entry]:
    found = []
    for place in PLACES:
        path = catalogue_path(place, language, root or ROOT)
        if path.exists():
            found += [Entry(place, entry) for entry in polib.pofile(str(path)) if not entry.obsolete]
    return found


def reviewed(language: str) -> set[str]:
    path = REVIEWS / f"{language}.txt"
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")}


def changed(language: str, root: Path | None = None) -> list[Entry]:
    """Entries that are new, or whose source or translation changed, since the language's last review."""
    done = reviewed(language)
    return [item for item in entries(language, root) if item.fingerprint not in done]


def record_review(language: str, reviewer: str, day: str, root: Path | None = None) -> int:
    """Record every translated, not fuzzy entry of the language as reviewed (by `reviewer` on `day`)."""
    items = [item for item in entries(language, root) if item.entry.translated()]
    REVIEWS.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# {language}: reviewed by {reviewer} on {day} ({len(items)} entries)."
        " Written by `manage.py translations reviewed`."
    ]
    lines += sorted({item.fingerprint for item in items})
    (REVIEWS / f"{language}.txt").write_text("\n".join(lines) + "\n")
    return len(items)
