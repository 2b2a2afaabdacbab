from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import get_language_info

from quartier import translations


class Command(BaseCommand):
    help = (
        "The catalogues' state per language (status), bring them up to date with the code (update), list what "
        "changed since a language's last review (changed LANG), record a review (reviewed LANG --by NAME)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "update", "changed", "reviewed"])
        parser.add_argument("language", nargs="?")
        parser.add_argument("--by", default="", help="who reviewed (reviewed)")

    def handle(self, *args, action, language, by, **options):
        if action in {"changed", "reviewed"} and language not in translations.languages():
            raise CommandError(f"Name a language: one of {', '.join(translations.languages())}.")
        getattr(self, action)(language, by)

    def status(self, language, by):
        self.stdout.write(f"{'language':<22} {'entries':>8} {'missing':>8} {'fuzzy':>6} {'not reviewed':>13}")
        for code in translations.languages():
            items = translations.entries(code)
            missing = sum(1 for item in items if not item.entry.translated() and "fuzzy" not in item.entry.flags)
            fuzzy = sum(1 for item in items if "fuzzy" in item.entry.flags)
            name = f"{code} {get_language_info(code)['name']}"
            unreviewed = len(translations.changed(code))
            self.stdout.write(f"{name:<22} {len(items):>8} {missing:>8} {fuzzy:>6} {unreviewed:>13}")

    def update(self, language, by):
        for place in translations.update():
            self.stdout.write(f"updated {place}")
        self.stdout.write("Translate the new (empty) and changed (fuzzy) entries, then: manage.py compile_catalogues")

    def changed(self, language, by):
        items = translations.changed(language)
        for item in items:
            entry = item.entry
            where = ", ".join(f"{path}" for path, _line in entry.occurrences[:2])
            context = f" [{entry.msgctxt}]" if entry.msgctxt else ""
            translated = " | ".join(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
            self.stdout.write(f"{item.place}: {where}{context}\n  en: {entry.msgid}\n  {language}: {translated}\n")
        self.stdout.write(f"{len(items)} entries changed since the last review of {language}.")

    def reviewed(self, language, by):
        if not by:
            raise CommandError("Say who reviewed: --by NAME.")
        count = translations.record_review(language, by, date.today().isoformat())
        self.stdout.write(f"Recorded {count} entries of {language} as reviewed by {by}.")
