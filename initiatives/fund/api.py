"""The fund's part of the open-data API (quartier/api.py): the funded projects, as the public list shows them.

Public is `FundApplication.objects.funded()`, and who applied is `public_applicant_name`: the initiative, or a
resident's name only with her consent (`publish_name`), else "private person".
"""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from quartier import opendata

from .models import FundApplication

router = Router(tags=["neighbourhood fund"])


class FundRef(Schema):
    name: str = Field(description="Name of the fund.")
    year: int = Field(description="Its budget year.")


class ReportPhoto(Schema):
    url: str = Field(description="Address of the photo.")
    alt: str = Field(description="Description of the photo for people who cannot see it.")

    @staticmethod
    def resolve_url(photo) -> str:
        return opendata.absolute(photo.image.url)


class FundedProjectOut(Schema):
    id: int = Field(description="Number of the project on the portal, stable.")
    title: str = Field(description="Title of the project.")
    applicant: str = Field(
        description="Who applied: the initiative, or a resident's name only with her consent, else “private person”."
    )
    initiative: str | None = Field(
        description="Short name of the applying initiative if it is in the directory, else null."
    )
    fund: FundRef = Field(description="The fund that granted it.")
    granted: Decimal = Field(description="Amount granted (EUR, decimal string), less corrections.")
    status: str = Field(description="`approved` (running) or `closed` (report and spending checked).")
    benefit: str = Field(description="The benefit for the district, as the application states it.")
    report: str = Field(description="The short report after the project, empty until there is one.")
    photos: list[ReportPhoto] = Field(description="Photos of the report.")

    @staticmethod
    def resolve_applicant(application) -> str:
        return application.public_applicant_name

    @staticmethod
    def resolve_initiative(application) -> str | None:
        initiative = application.initiative
        return initiative.slug if initiative is not None and initiative.is_public else None

    @staticmethod
    def resolve_fund(application):
        return application.call.fund

    @staticmethod
    def resolve_photos(application) -> list:
        return list(application.photos.all())


class FundedPage(opendata.Page):
    items: list[FundedProjectOut] = Field(description="The funded projects of this page.")


class FundedFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2999, description="Only projects of the funds of this budget year.")


def _funded(filters: FundedFilters):
    applications = FundApplication.objects.funded().with_details().prefetch_related("photos")  # as the public list
    if filters.year:
        applications = applications.filter(call__fund__year=filters.year)
    return applications.order_by("-call__fund__year", "call__fund__name", "title", "pk")


@router.get(
    "/funded-projects/",
    response={200: FundedPage},
    url_name="funded_projects",
    summary="Funded projects of the neighbourhood fund",
    operation_id="list_funded_projects",
)
def funded_projects(request: HttpRequest, filters: Query[FundedFilters], paging: Query[opendata.PageQuery]):
    """Every project the jury funded, with the amount and the report: newest budget year first."""
    return opendata.page_answer(
        request, apps=["fund", "initiatives"], queryset=lambda: _funded(filters), schema=FundedProjectOut, paging=paging
    )


@router.get(
    "/funded-projects.csv",
    url_name="funded_projects_csv",
    summary="Funded projects as CSV",
    operation_id="funded_projects_csv",
    openapi_extra=opendata.CSV_OPENAPI,
)
def funded_projects_csv(request: HttpRequest, filters: Query[FundedFilters]):
    """The funded projects (as filtered) as CSV with the fields of the JSON items."""
    return opendata.csv_answer(
        request,
        apps=["fund", "initiatives"],
        queryset=lambda: _funded(filters),
        schema=FundedProjectOut,
        filename="funded-projects.csv",
    )
