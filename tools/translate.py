"""Fill a German catalogue from a {msgid: msgstr} table; report what is still untranslated.

Usage: python tools/translate.py locale/de/LC_MESSAGES/django.po tools/de_quartier.py
The English catalogue needs no table: its translations are the msgids themselves (fill_english).
"""

import runpy
import sys

import polib


def fill(po_path: str, table: dict[str, str]) -> list[str]:
    catalogue = polib.pofile(po_path)
    for entry in catalogue:
        key = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}\x04{entry.msgid}"
        if key in table:
            value = table[key]
            if entry.msgid_plural:
                singular, plural = value if isinstance(value, tuple) else (value, value)
                entry.msgstr_plural = {0: singular, 1: plural}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save()
    return [e.msgid for e in catalogue if not e.translated() and not e.obsolete]


def fill_english(po_path: str) -> None:
    catalogue = polib.pofile(po_path)
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save()


if __name__ == "__main__":
    po, table_file = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
    if table_file is None:
        fill_english(po)
    else:
        missing = fill(po, runpy.run_path(table_file)["DE"])
        for msgid in missing:
            print("UNTRANSLATED:", repr(msgid))
