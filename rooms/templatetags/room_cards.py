"""`{% room_cards entries wanted rules %}`: the cards of the room list, written in Python.

The cards were a loop in rooms/room_list.html: a page of twelve rooms spent about a third of its uncached time
(issue 18) in the template language's nodes for them: per card some forty variables, a dozen
`{% translate %}`, two `{% blocktranslate %}`, a `{% content %}` per piece of equipment and a loop per list. The
same markup is written here, byte for byte, with one escape per value and each label translated once per page.
`entries` are the room finder's (rooms.availability.room_finder), `wanted` its wanted time (or None), `rules`
the notice and advance rule stated above the finder: a card names its own rule when the rooms differ.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from quartier.template_values import escaped, number_text
from quartier.templatetags.portal import content

register = template.Library()


def capacity_text(capacity: int) -> str:
    """ "12 people" in the active language, as `{% blocktranslate count people=… %}` writes it (the number as
    `{{ people }}` shows it; the translation of the portal's own catalogue as it is)."""
    return ngettext("%(people)s person", "%(people)s people", capacity) % {"people": number_text(capacity)}


def _labels() -> dict[str, str]:
    """The card's fixed texts in the active language, as `{% translate "literal" %}` writes them: a literal is
    safe in the template language, and so is its translation (the portal's own catalogues), not escaped."""
    texts = {
        "free": gettext("Free at that time"),
        "book": gettext("Book this time"),
        "busy": gettext("Not available at that time"),
        "waitlist": gettext("Join the waiting list"),
        "location": gettext("Location"),
        "capacity": gettext("Capacity"),
        "equipment": gettext("Equipment"),
        "booking": gettext("Booking"),
        "approval": gettext("Needs the office's approval"),
        "at_once": gettext("Confirmed at once"),
        "access": gettext("Access"),
        "step_free": gettext("step-free"),
        "not_step_free": gettext("not step-free"),
        "toilet": gettext("accessible toilet"),
        "loop": gettext("hearing loop"),
        "next": gettext("Next free times:"),
        "none": gettext("No free time in the next two weeks."),
    }
    return texts


@register.simple_tag
def room_cards(entries, wanted, rules) -> SafeString:
    """The `<li>` of each entry of the room finder's page, as the template's loop wrote them."""
    label = _labels()
    own_rule = not (rules or {}).get("common")  # the rooms' rules differ: each card states its own
    parts = []
    for entry in entries:
        room = entry["room"]
        book_label = f'<span class="visually-hidden"> {escaped(entry["book_label"])}</span>'
        parts.append(
            f'\n    <li class="card room-card">\n      <h3><a href="{escaped(entry["link"])}">{escaped(room.name)}</a>'
            "</h3>\n      "
        )
        if wanted:
            parts.append("\n        ")
            if entry["is_free"]:
                parts.append(
                    f'<p class="badge badge--free">{label["free"]}</p>\n        <p><a class="button" '
                    f'href="{escaped(entry["wanted_link"])}">{label["book"]}{book_label}</a></p>\n        '
                )
            else:
                problems = "".join(f"<li>{escaped(problem)}</li>" for problem in entry["problems"])
                parts.append(
                    f'<p class="badge badge--busy">{label["busy"]}</p>\n        <ul class="problems">{problems}</ul>'
                    "\n        "
                )
                if entry.get("waitlist_link"):
                    parts.append(
                        f'<p><a href="{escaped(entry["waitlist_link"])}">{label["waitlist"]}{book_label}</a></p>'
                    )
            parts.append("\n      ")
        parts.append("\n      ")
        photo = entry.get("photo")
        if photo:
            parts.append(
                f'<img src="{escaped(photo.image.url)}" alt="{escaped(photo.alt_text)}" width="320" height="200" '
                'loading="lazy">'
            )
        capacity = capacity_text(room.capacity)
        parts.append(
            f'\n      <dl class="facts">\n        <dt>{label["location"]}</dt><dd>{escaped(room.location.name)}, '
            f"{escaped(room.location.street)}</dd>\n        <dt>{label['capacity']}</dt><dd>{capacity}</dd>\n        "
        )
        if entry.get("equipment"):
            items = ", ".join(content(item, "name") for item in entry["equipment"])
            parts.append(f"<dt>{label['equipment']}</dt><dd>{items}</dd>")
        approval = label["approval"] if room.requires_approval else label["at_once"]
        parts.append(f"\n        <dt>{label['booking']}</dt><dd>{approval}</dd>")
        if own_rule:
            rule = gettext("Book at least %(hours)s hours and at most %(days)s days ahead.") % {
                "hours": number_text(room.min_notice_hours),
                "days": number_text(room.max_advance_days),
            }
            parts.append(f"<dd>{rule}</dd>")
        access = label["step_free"] if room.step_free else label["not_step_free"]
        if room.accessible_toilet:
            access += f", {label['toilet']}"
        if room.hearing_loop:
            access += f", {label['loop']}"
        parts.append(f"\n        <dt>{label['access']}</dt><dd>{access}</dd>\n      </dl>\n      ")
        if entry.get("slot_links"):
            slots = "".join(
                f'\n        <li><a href="{escaped(href)}">{escaped(text)}{book_label}</a></li>\n        '
                for href, text in entry["slot_links"]
            )
            parts.append(
                f'\n      <p class="slots-title">{label["next"]}</p>\n      <ul class="slots">\n        {slots}'
                "\n      </ul>\n      "
            )
        else:
            parts.append(f"<p>{label['none']}</p>")
        parts.append("\n    </li>\n    ")
    return SafeString("".join(parts))
