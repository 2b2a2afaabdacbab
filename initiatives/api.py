"""The directory's part of the open-data API (quartier/api.py), shaped after Open Referral (HSDS) where it fits:
an organisation with its topics, languages, where and when it meets, and its contact as published.

Public is `Initiative.objects.visible()`, the directory's own filter. The contact e-mail is never shown (the
contact form forwards to it): the contact is the website and the address of the contact form.
"""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from quartier import opendata

from .models import Initiative

router = Router(tags=["initiatives"])


class Term(Schema):
    slug: str = Field(description="Short name; the filter of the same name takes it.")
    name: str = Field(description="Name.")


class Place(Schema):
    """HSDS `location`, as far as the portal knows it: a description in words."""

    name: str = Field(description="Where the initiative meets, in its own words.")


class Schedule(Schema):
    """HSDS `schedule`: a description in words (the portal keeps no machine-readable times for it)."""

    description: str = Field(description="When the initiative meets, in its own words.")


class Contact(Schema):
    website: str = Field(description="The initiative's website, empty if none.")
    contact_form_url: str = Field(description="The portal's form to write to the initiative (its e-mail stays hidden).")


class InitiativeOut(Schema):
    id: str = Field(description="Short name of the initiative, unique and stable (HSDS `id`).")
    name: str = Field(description="Name (HSDS `name`).")
    short_description: str = Field(description="One or two sentences about it.")
    description: str = Field(description="Description (HSDS `description`, plain text).")
    url: str = Field(description="The initiative's page on the portal.")
    kind: Initiative.Kind = Field(
        description="`initiative`, `association` (Verein), `business`, `social` (institution) or `public` (partner)."
    )
    is_nonprofit: bool = Field(description="Non-profit (gemeinnützig), as the office checked.")
    topics: list[Term] = Field(description="Fields of work (HSDS `taxonomy_term`s).")
    audiences: list[Term] = Field(description="Who it is for.")
    languages: list[str] = Field(description="Languages spoken, as the initiative names them (HSDS `languages`).")
    locations: list[Place] = Field(description="Where it meets; empty if not given.")
    schedules: list[Schedule] = Field(description="When it meets; empty if not given.")
    contact: Contact = Field(description="The contact as published on the portal.")
    logo_url: str | None = Field(description="The logo, null if none.")
    logo_alt: str = Field(description="Description of the logo for people who cannot see it.")
    events_url: str = Field(description="Its upcoming events in the API.")
    ical_url: str = Field(description="Its upcoming events as an iCalendar feed.")

    @staticmethod
    def resolve_id(initiative) -> str:
        return initiative.slug

    @staticmethod
    def resolve_url(initiative) -> str:
        return opendata.absolute(initiative.get_absolute_url())

    @staticmethod
    def resolve_topics(initiative) -> list:
        return list(initiative.topics.all())

    @staticmethod
    def resolve_audiences(initiative) -> list:
        return list(initiative.audiences.all())

    @staticmethod
    def resolve_languages(initiative) -> list[str]:
        return [part.strip() for part in initiative.languages.split(",") if part.strip()]

    @staticmethod
    def resolve_locations(initiative) -> list:
        return [{"name": initiative.meets_where}] if initiative.meets_where.strip() else []

    @staticmethod
    def resolve_schedules(initiative) -> list:
        return [{"description": initiative.meets_when}] if initiative.meets_when.strip() else []

    @staticmethod
    def resolve_contact(initiative) -> dict:
        return {
            "website": initiative.website,
            "contact_form_url": opendata.absolute(reverse("initiatives:contact", args=[initiative.slug])),
        }

    @staticmethod
    def resolve_logo_url(initiative) -> str | None:
        return opendata.absolute(initiative.logo.url) if initiative.logo else None

    @staticmethod
    def resolve_events_url(initiative) -> str:
        return opendata.absolute(reverse("api:events") + f"?initiative={initiative.slug}")

    @staticmethod
    def resolve_ical_url(initiative) -> str:
        return opendata.absolute(reverse("events:initiative_feed", args=[initiative.slug]))


class InitiativePage(opendata.Page):
    items: list[InitiativeOut] = Field(description="The initiatives of this page.")


class DirectoryFilters(Schema):
    kind: Initiative.Kind | None = Field(None, description="Only initiatives of this kind.")
    topic: str | None = Field(None, description="Only initiatives with this topic (its short name).")
    audience: str | None = Field(None, description="Only initiatives for this audience (its short name).")
    language: str | None = Field(None, description="Only initiatives that name this language (part of the word).")


def _initiatives(filters: DirectoryFilters):
    initiatives = Initiative.objects.visible().with_listing_data()
    if filters.kind:
        initiatives = initiatives.filter(kind=filters.kind)
    if filters.topic:
        initiatives = initiatives.filter(topics__slug=filters.topic)
    if filters.audience:
        initiatives = initiatives.filter(audiences__slug=filters.audience)
    if filters.language and filters.language.strip():
        initiatives = initiatives.filter(languages__icontains=filters.language.strip())
    return initiatives.order_by("name", "pk").distinct()


@router.get(
    "/initiatives/",
    response={200: InitiativePage},
    url_name="initiatives",
    summary="Directory of initiatives",
    operation_id="list_initiatives",
)
def initiatives(request: HttpRequest, filters: Query[DirectoryFilters], paging: Query[opendata.PageQuery]):
    """The directory: initiatives, associations, businesses and partners of the district."""
    return opendata.page_answer(
        request, apps=["initiatives"], queryset=lambda: _initiatives(filters), schema=InitiativeOut, paging=paging
    )


@router.get(
    "/initiatives.csv",
    url_name="initiatives_csv",
    summary="Directory as CSV",
    operation_id="initiatives_csv",
    openapi_extra=opendata.CSV_OPENAPI,
)
def initiatives_csv(request: HttpRequest, filters: Query[DirectoryFilters]):
    """The whole directory (as filtered) as CSV with the fields of the JSON items."""
    return opendata.csv_answer(
        request,
        apps=["initiatives"],
        queryset=lambda: _initiatives(filters),
        schema=InitiativeOut,
        filename="initiatives.csv",
    )


@router.get(
    "/initiatives/{slug}/",
    response={200: InitiativeOut, 404: opendata.NotFound},
    url_name="initiative",
    summary="One initiative",
    operation_id="get_initiative",
)
def initiative(request: HttpRequest, slug: str):
    """One initiative of the directory by its short name."""
    return opendata.item_answer(
        request,
        apps=["initiatives"],
        get=lambda: Initiative.objects.visible().with_listing_data().filter(slug=slug).first(),
        schema=InitiativeOut,
    )
