"""Shared pieces of the downloads: spreadsheet-safe CSV cells, amounts for German bookkeeping, PDFs from HTML."""

from .money import amount_text


def csv_safe(value: str) -> str:
    """Text that a spreadsheet must not run as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_amount(value) -> str:
    """An amount with two places and the decimal comma German bookkeeping tools read (columns split by ';')."""
    return amount_text(value, grouping=False)


def no_fetch(url, *args, **kwargs):
    """A PDF embeds everything it needs: nothing is fetched, from this host or any other."""
    raise ValueError(f"not fetched: {url}")


def pdf_from_html(html: str) -> bytes:
    """The PDF of an HTML document (WeasyPrint), with every external resource refused."""
    from weasyprint import HTML  # imported here: loading Pango costs time that other pages need not pay

    return HTML(string=html, url_fetcher=no_fetch).write_pdf()
