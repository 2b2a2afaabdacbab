"""Shared pieces of the downloads: spreadsheet-safe CSV files, amounts for German bookkeeping, PDFs from HTML.

Every CSV of the portal is written by `csv_download`: no export writes a cell of its own.
"""

import csv
import re
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .money import amount_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-12,50", "1.234,00", "42") cannot be a formula; a spreadsheet must still read it as a number.
PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d{3})*(?:,\d+)?")


def csv_safe(value: str) -> str:
    """Text that a spreadsheet must not run as a formula (CSV injection)."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def csv_cell(value) -> str:
    """One cell: nothing for None, plain numbers as they are, any other text made formula-safe."""
    if value is None:
        return ""
    text = str(value)
    return text if PLAIN_NUMBER.fullmatch(text) else csv_safe(text)


class SafeCsvWriter:
    """A `csv.writer` (`;`-separated, as German spreadsheets expect) that passes every cell through `csv_cell`."""

    def __init__(self, file):
        self._writer = csv.writer(file, delimiter=";")

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([csv_cell(value) for value in row])


def as_download(response: HttpResponse, filename: str, *, inline: bool = False) -> HttpResponse:
    """Name the file a response downloads as: any language's letters (RFC 6266 ``filename*``), so that a file
    named by a translated word ("حجز-12.pdf", "бронювання-12.pdf") keeps its name in every browser."""
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def csv_download(filename: str, header: Iterable) -> tuple[HttpResponse, SafeCsvWriter]:
    """A CSV attachment with its header row written; the caller adds the rows through the returned writer."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    as_download(response, filename)
    response.write("\ufeff")  # so that spreadsheet programs read the umlauts (UTF-8)
    writer = SafeCsvWriter(response)
    writer.writerow(header)
    return response, writer


def csv_amount(value) -> str:
    """An amount with two places and the decimal comma German bookkeeping tools read (columns split by ';')."""
    return amount_text(value, grouping=False)


def stylesheet(name: str) -> str:
    """A stylesheet of the portal's static files (e.g. "css/door.css"), for a PDF, which fetches nothing: the same
    file the page links."""
    from django.contrib.staticfiles import finders

    with open(finders.find(name), encoding="utf-8") as file:
        return file.read()


def no_fetch(url, *args, **kwargs):
    """A PDF embeds everything it needs: nothing is fetched, from this host or any other."""
    raise ValueError(f"not fetched: {url}")


def pdf_from_html(html: str) -> bytes:
    """The PDF of an HTML document (WeasyPrint), with every external resource refused."""
    from weasyprint import HTML  # imported here: loading Pango costs time that other pages need not pay

    return HTML(string=html, url_fetcher=no_fetch).write_pdf()
