"""The shared parts of the open-data API (/api/v1/): the apps' routers (`api` in their apps.py, collected by
quartier/api.py) answer through these, so that every list pages, validates, counts and writes CSV alike.

- `page_answer`: one page of a queryset as JSON (`?page=`, `?page_size=` up to 100), in two queries plus the
  prefetches of the page: the count and the page's rows, whatever the page size.
- `csv_answer`: every row of the same queryset as a CSV download with the same fields as the JSON items
  (nested objects as `room.name`, lists of values joined by " | ", lists of objects as JSON), through
  `quartier.exports.csv_download`.
- `conditional`: the ETag and Last-Modified of an answer, and the 304 when the client has it. They come from
  the generations of the apps whose data it shows (quartier/caching.py: any save there starts a new one), the
  office record (the licence) and, for answers that change with the clock (upcoming events, busy times), the
  current `FRESHNESS` interval. A 304 costs no query of the data.
- `AddressThrottle`: at most `API_RATE_LIMIT` requests a minute per client address (`client_address`, the
  address the portal's other limits count by), under the cache's "ratelimit:" prefix.
- `local`: times in the portal's time zone (Europe/Berlin) with their offset.

Nothing here decides what is public: each router asks its app's own querysets (`Event.objects.published()`,
`Initiative.objects.visible()` …), the same the public pages use.
"""

import hashlib
import json
import math
import time
import types
import typing
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from ninja import Field, Schema
from ninja.throttling import BaseThrottle
from pydantic import BaseModel

from .adapters import client_address
from .caching import generations
from .exports import csv_download
from .links import absolute  # noqa: F401 - the address of a link in an answer (opendata.absolute)
from .models import Office

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
FRESHNESS = 300  # seconds: how long an answer that changes with the clock keeps its ETag
CACHE_CONTROL = "public, max-age=60"


# The OpenAPI description of a CSV answer (the routes' `openapi_extra`).
CSV_OPENAPI = {
    "responses": {
        200: {
            "description": "CSV, `;`-separated, UTF-8 with a byte order mark; the columns are the fields of the JSON "
            "items (nested fields as `field.subfield`, lists of values joined by ` | `, lists of objects as JSON).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="The page to return, counted from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}."
    )


class Licence(Schema):
    name: str = Field(description="The licence the data are published under (set by the office).")
    url: str = Field(description="Where the licence text is.")
    attribution: str = Field(description="The name to credit when you use the data.")


class Page(Schema):
    """The envelope of every list; the apps' pages add `items`."""

    count: int = Field(description="How many items match the filters, on all pages.")
    page: int = Field(description="This page, counted from 1.")
    pages: int = Field(description="How many pages there are.")
    page_size: int = Field(description="Items per page.")
    next: str | None = Field(description="The address of the next page, or null on the last one.")
    previous: str | None = Field(description="The address of the previous page, or null on the first one.")
    licence: Licence = Field(description="The licence of the data.")


class NotFound(Schema):
    detail: str = Field(description="Why there is nothing at this address.")


def licence() -> dict:
    office = Office.load()
    return {
        "name": office.data_licence,
        "url": office.data_licence_url,
        "attribution": f"{office.name} {office.district}".strip(),
    }


def local(moment: datetime | None) -> datetime | None:
    """A stored time in the portal's time zone, so that the JSON carries the local time with its offset."""
    return timezone.localtime(moment) if moment else None


# --- Validators and 304 --------------------------------------------------------------------------------------


def _validators(request, apps, clock: bool) -> tuple[str, float]:
    office = Office.load()
    moments = [value / 1e9 for value in generations(apps)] + [office.updated_at.timestamp()]
    if clock:
        moments.append(time.time() // FRESHNESS * FRESHNESS)
    last_modified = math.floor(max(moments))
    parts = [request.path, request.META.get("QUERY_STRING", ""), translation.get_language(), *map(str, moments)]
    return '"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"', last_modified


def _headers(response, etag: str, last_modified: float):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    office = Office.load()
    if office.data_licence_url:
        response["Link"] = f'<{office.data_licence_url}>; rel="license"'
    return response


def conditional(request, *, apps, clock: bool, build) -> HttpResponse:
    """`build()`'s response with ETag and Last-Modified, or a 304 without running it when the client's copy
    (If-None-Match, else If-Modified-Since) is current."""
    etag, last_modified = _validators(request, apps, clock)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _headers(not_modified, etag, last_modified)
    return _headers(build(), etag, last_modified)


# --- Lists as JSON and as CSV --------------------------------------------------------------------------------


def dump(schema: type[Schema], obj) -> dict:
    return schema.from_orm(obj).model_dump(mode="json")


def _page_link(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return absolute(request.path) + "?" + query.urlencode()


def page_answer(request, *, apps, queryset, schema, paging: PageQuery, clock: bool = False) -> HttpResponse:
    """One page of `queryset()` (called only when the client's copy is stale) as JSON items of `schema`."""

    def build():
        paginator = Paginator(queryset(), paging.page_size)
        try:
            page = paginator.page(paging.page)
        except EmptyPage:
            return JsonResponse({"detail": "There is no such page."}, status=404)
        return JsonResponse(
            {
                "count": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "page_size": paging.page_size,
                "next": _page_link(request, page.next_page_number()) if page.has_next() else None,
                "previous": _page_link(request, page.previous_page_number()) if page.has_previous() else None,
                "licence": licence(),
                "items": [dump(schema, obj) for obj in page.object_list],
            },
            json_dumps_params={"ensure_ascii": False},
        )

    return conditional(request, apps=apps, clock=clock, build=build)


def item_answer(request, *, apps, get, schema, clock: bool = False) -> HttpResponse:
    """One object as JSON; `get()` returns it or None (404)."""

    def build():
        obj = get()
        if obj is None:
            return JsonResponse({"detail": "Not found."}, status=404)
        return JsonResponse({"licence": licence(), **dump(schema, obj)}, json_dumps_params={"ensure_ascii": False})

    return conditional(request, apps=apps, clock=clock, build=build)


def _nested_model(annotation):
    """The schema of a nested object field (also an optional one), else None (values and lists)."""
    candidates = [annotation]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        candidates = typing.get_args(annotation)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def columns(schema: type[BaseModel], prefix: str = "") -> list[str]:
    """The CSV columns of a schema: its fields, a nested object's fields as `field.subfield`."""
    names = []
    for name, field in schema.model_fields.items():
        nested = _nested_model(field.annotation)
        names += columns(nested, f"{prefix}{name}.") if nested else [prefix + name]
    return names


def _cell(value):
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return " | ".join(str(item) for item in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _row(data: dict, names: list[str]) -> list:
    row = []
    for name in names:
        value = data
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        row.append(_cell(value))
    return row


def csv_answer(request, *, apps, queryset, schema, filename: str, clock: bool = False) -> HttpResponse:
    """Every row of `queryset()` as CSV, with the fields of the JSON items (`columns`)."""

    def build():
        names = columns(schema)
        response, writer = csv_download(filename, names)
        for obj in queryset().iterator(chunk_size=500):
            writer.writerow(_row(dump(schema, obj), names))
        return response

    return conditional(request, apps=apps, clock=clock, build=build)


# --- Rate limit ------------------------------------------------------------------------------------------------


class AddressThrottle(BaseThrottle):
    """At most `settings.API_RATE_LIMIT` requests per minute from one client address (fixed windows)."""

    WINDOW = 60

    def allow_request(self, request) -> bool:
        window = int(time.time() // self.WINDOW)
        key = f"ratelimit:api:{client_address(request)}:{window}"  # "ratelimit:" counts on while Redis is down
        cache.add(key, 0, self.WINDOW + 5)
        return cache.incr(key) <= settings.API_RATE_LIMIT

    def wait(self) -> float:
        return self.WINDOW - time.time() % self.WINDOW


# --- The documentation page (/offene-daten/) -------------------------------------------------------------------


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _variants(document: dict, schema: dict) -> tuple[dict, bool]:
    """The schema of a value that may be null, and whether it may."""
    options = schema.get("anyOf") or schema.get("oneOf")
    if not options:
        return _resolve(document, schema), False
    real = [option for option in options if option.get("type") != "null"]
    return _resolve(document, real[0]) if real else {}, len(real) < len(options)


def _type_text(document: dict, schema: dict) -> str:
    schema, nullable = _variants(document, schema)
    if schema.get("type") == "array":
        item, _nullable = _variants(document, schema.get("items", {}))
        text = "list of " + ("objects" if "properties" in item else _type_text(document, item))
    elif "properties" in schema:
        text = "object"
    else:
        text = schema.get("type", "value")
        if schema.get("format"):
            text += f" ({schema['format']})"
        if schema.get("enum"):
            text += ": " + ", ".join(map(str, schema["enum"]))
    return text + (" or null" if nullable else "")


def _fields(document: dict, schema: dict, prefix: str = "") -> list[dict]:
    """Every field of a schema, nested ones as `field.subfield` and `field[].subfield`, with type and text."""
    rows = []
    schema, _nullable = _variants(document, schema)
    for name, field in schema.get("properties", {}).items():
        rows.append(
            {"name": prefix + name, "type": _type_text(document, field), "description": field.get("description", "")}
        )
        inner, _nullable = _variants(document, field)
        if inner.get("type") == "array":
            item, _nullable = _variants(document, inner.get("items", {}))
            if "properties" in item:
                rows += _fields(document, item, f"{prefix}{name}[].")
        elif "properties" in inner:
            rows += _fields(document, inner, f"{prefix}{name}.")
    return rows


def documentation(document: dict) -> tuple[list[dict], list[dict]]:
    """The operations of an OpenAPI document for the human page (address, parameters, every field of an answer
    or of a list's items), and the fields of the pages' envelope, which every list shares."""
    operations, envelope = [], []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = operation.get("responses", {})
            answer = responses.get(200) or responses.get("200") or {}  # ninja's keys are numbers until JSON
            content = answer.get("content", {})
            json_schema = content.get("application/json", {}).get("schema")
            operations.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "type": _type_text(document, parameter.get("schema", {})),
                            "description": parameter.get("description")
                            or parameter.get("schema", {}).get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "fields": _fields(document, json_schema) if json_schema else [],
                    "csv": "text/csv" in content,
                    "paged": False,
                }
            )
            answer_schema = _resolve(document, json_schema) if json_schema else {}
            if {"items", "count"} <= set(answer_schema.get("properties", {})):
                item = _resolve(document, answer_schema["properties"]["items"]["items"])
                operations[-1].update(fields=_fields(document, item), paged=True)
                envelope = envelope or [
                    row for row in _fields(document, answer_schema) if not row["name"].startswith("items")
                ]
    return operations, envelope
