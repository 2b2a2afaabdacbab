from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

SKIP = {".venv", "node_modules", "var", ".git"}


def catalogues() -> list[Path]:
    """Every .po file of the project: locale/ and each app's own locale/."""
    base = Path(settings.BASE_DIR)
    found = []
    for po_path in sorted(base.glob("**/LC_MESSAGES/*.po")):
        if not SKIP.intersection(po_path.relative_to(base).parts):
            found.append(po_path)
    return found


class Command(BaseCommand):
    help = "Compile the .po translation catalogues to .mo in Python (no GNU gettext needed)."

    def handle(self, *args, **options):
        for po_path in catalogues():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            self.stdout.write(f"compiled {mo_path.relative_to(settings.BASE_DIR)}")
