"""The page in Leichte Sprache: the office's text (`Office.leichte_sprache`) read as sections, each with its picture.

The text is the legal pages' plain format (quartier/legal_defaults.py) with three additions of the rules of Leichte
Sprache: one sentence per line (kept as line breaks), lists ("- " and "1. " lines) and a picture beside each section
("Bild: <name>" right under its heading). Nothing is HTML: the template escapes every part.
"""

import re
from dataclasses import dataclass, field

from .legal_defaults import fill

# The pictures staff may choose (static/img/leichte-sprache/<name>.svg): simple pictograms drawn for the portal.
PICTURES = ("haus", "tuer", "kalender", "menschen", "telefon", "rollstuhl")
_PICTURE_LINE = re.compile(r"^Bild:\s*(\w+)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+")


@dataclass
class Block:
    """A paragraph ("p", one sentence per line) or a list ("ul", "ol", one item per line); a line is a list of
    (text, link or "") parts."""

    kind: str
    lines: list = field(default_factory=list)


@dataclass
class Section:
    heading: str = ""
    picture: str = ""
    blocks: list[Block] = field(default_factory=list)


def sections(text: str, office) -> list[Section]:
    """The sections of the text, the office's placeholders filled; the office's phone number and e-mail address
    become links wherever they stand. A first section without a heading is the introduction."""
    links = _links(office)
    result = [Section()]
    joined = False  # whether the next line continues the block before it (no blank line in between)
    for raw in fill(text, office).replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        current = result[-1]
        if not line:
            joined = False
            continue
        if line.startswith("## "):
            result.append(Section(heading=line[3:].strip()))
            joined = False
            continue
        picture = _PICTURE_LINE.match(line)
        if picture and current.heading and not current.blocks and picture[1].lower() in PICTURES:
            current.picture = f"img/leichte-sprache/{picture[1].lower()}.svg"
            continue
        kind, line = _kind(line)
        if not (joined and current.blocks and current.blocks[-1].kind == kind):
            current.blocks.append(Block(kind))
        current.blocks[-1].lines.append(_parts(line, links))
        joined = True
    return [section for section in result if section.heading or section.blocks]


def _kind(line: str) -> tuple[str, str]:
    if line.startswith("- "):
        return "ul", line[2:].strip()
    if _NUMBERED.match(line):
        return "ol", _NUMBERED.sub("", line)
    return "p", line


def _links(office) -> dict[str, str]:
    links = {}
    if office.phone:
        links[office.phone] = "tel:" + office.phone.replace(" ", "")
    if office.email:
        links[office.email] = f"mailto:{office.email}"
    return links


def _parts(line: str, links: dict[str, str]) -> list[tuple[str, str]]:
    if not links:
        return [(line, "")]
    pattern = "|".join(re.escape(text) for text in sorted(links, key=len, reverse=True))
    parts, position = [], 0
    for match in re.finditer(pattern, line):
        if match.start() > position:
            parts.append((line[position : match.start()], ""))
        parts.append((match[0], links[match[0]]))
        position = match.end()
    if position < len(line):
        parts.append((line[position:], ""))
    return parts
