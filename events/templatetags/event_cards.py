"""`{% event_cards page past %}`: the cards of the event list, and `{% registration_items %}` the list of "My
registrations", written in Python.

The cards were a loop in events/event_list.html: twenty cards a page, each with its variables, a `{% content %}`,
a `|date`, a `{% time_span %}` and the badges' `{% translate %}` in template nodes (issue 18). The same markup is
written here, byte for byte, with one escape per value; `past`: the archive, which shows no badges.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext

from quartier.links import link_maker
from quartier.template_values import escaped
from quartier.templatetags.portal import content, span_writer
from quartier.templatetags.portal_dates import local_date_writer

register = template.Library()
ISO_FORMAT = "Y-m-d\\TH:i:sO"  # the template's |date:'Y-m-d\\TH:i:sO' (a backslash before the T: written as it is)


@register.simple_tag
def event_cards(events, past) -> SafeString:
    """The `<li>` of each event (with `link`, its category and room selected), as the template's loop wrote them."""
    # {% translate "literal" %} writes its translation as it is (a literal is safe in the template language)
    full, free = gettext("Fully booked: waiting list"), gettext("Places free")
    time_span, iso = span_writer(), local_date_writer(ISO_FORMAT)
    parts = []
    for event in events:
        category = f" · {escaped(event.category.name)}" if event.category else ""
        parts.append(
            f'\n  <li class="card event-card">\n    <h2 class="event-card__title"><a href="{escaped(event.link)}">'
            f'{content(event, "title")}</a></h2>\n    <p class="event-card__when"><time datetime="'
            f'{iso(event.starts_at)}">'
            f"{time_span(event.starts_at, event.ends_at)}</time></p>\n    <p>{escaped(event.where)}{category}</p>\n    "
        )
        if event.capacity and not past:
            if event.is_full:
                parts.append(f'\n      <p class="badge badge--full">{full}</p>\n      \n    ')
            else:
                parts.append(f'\n      <p class="badge badge--open">{free}</p>\n    ')
        parts.append("\n  </li>\n  ")
    return SafeString("".join(parts))


@register.simple_tag
def registration_items(registrations) -> SafeString:
    """The list items of "My registrations" (each with its event and `waiting_position`), as the template's loop
    wrote them: the event linked, its start, the status (and place in line), the cancel link."""
    event_link, cancel_link = link_maker("events:detail"), link_maker("events:registration_cancel", number=True)
    cancel = pgettext("registration", "Cancel")  # as {% translate %} writes it: not escaped
    start_of = local_date_writer("SHORT_WEEKDAY_DATETIME_FORMAT")
    parts = []
    for registration in registrations:
        event = registration.event
        title = escaped(event.title)
        starts = start_of(event.starts_at)
        place = ""
        if registration.waiting_position:
            place = " (" + gettext("place %(position)s") % {"position": escaped(registration.waiting_position)} + ")"
        parts.append(
            f'\n  <li><a href="{escaped(event_link(event.slug))}">{title}</a>, {starts}: '
            f"{escaped(registration.get_status_display())}{place}\n    · "
            f'<a href="{escaped(cancel_link(registration.pk))}">{cancel}<span class="visually-hidden">: {title}</span>'
            "</a></li>\n  "
        )
    return SafeString("".join(parts))
