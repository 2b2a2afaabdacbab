"""The PDF statement (Bescheinigung) for the tax office: every column of every table on the A4 page, none cut off.

The PDF is rendered as the volunteer downloads it, then read with PDFium: where each character lies (text boxes),
and the page painted as a picture (PNG) to see that each column heading is really printed inside the page.
"""

from datetime import date

import pypdfium2 as pdfium
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.initiatives.factories import make_initiative
from volunteers.models import AllowanceType

from .factories import make_declaration, make_engagement, make_volunteer, pay

pytestmark = pytest.mark.django_db

USAGE_HEADINGS = [
    "Allowance",
    "Tax-free cap",
    "Paid here (tax-free)",
    "Declared from elsewhere",
    "Used",
    "Remaining",
    "Taxable",
]
PAYMENT_HEADINGS = ["Paid on", "Payer", "Activity", "Period or purpose", "Tax-free", "Taxable"]


def _statement_pdf(client, resident, staff, language) -> bytes:
    volunteer = make_volunteer(user=resident, name="Maria Kowalski-Schmidtbauer")
    honorary = make_engagement(volunteer=volunteer, activity="Kasse beim Stadtteilfest")
    make_declaration(honorary, 2025, received_elsewhere="120.50")
    club = make_initiative(is_nonprofit=True, name="Sportgemeinschaft Nordstadt-Borsigplatz")
    trainer = make_engagement(
        volunteer=volunteer, payer_initiative=club, activity="Training der Jugend", allowance_type=AllowanceType.TRAINER
    )
    make_declaration(trainer, 2025, received_elsewhere="1250.00")
    pay(honorary, "300.00", date(2025, 4, 1), staff, purpose="Frühjahr und Sommerfest")
    pay(trainer, "1600.00", date(2025, 11, 3), staff, purpose="Trainingsstunden Januar bis Oktober")
    client.force_login(resident)
    url = reverse("volunteers:statement_pdf", args=[volunteer.pk, 2025])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def _words_with_boxes(textpage):
    """Each word on the page with its box (left, bottom, right, top) in PDF points, in reading order."""
    words, current, box = [], "", None
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1).replace("\ufffe", "-")  # PDFium's mark of a hyphen at a line end
        if not char.strip():
            if current:
                words.append((current, box))
            current, box = "", None
            continue
        left, bottom, right, top = textpage.get_charbox(index)
        current += char
        box = (left, bottom, right, top) if box is None else (min(box[0], left), bottom, max(box[2], right), top)
    if current:
        words.append((current, box))
    return words


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_column_of_the_statement_lies_inside_the_a4_page(client, resident, office, staff, language):
    pdf = pdfium.PdfDocument(_statement_pdf(client, resident, staff, language))
    assert len(pdf) == 1
    page = pdf[0]
    width, height = page.get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    textpage = page.get_textpage()
    words = _words_with_boxes(textpage)
    text = " ".join(word for word, _box in words)
    with translation.override(language):
        headings = [gettext(heading) for heading in USAGE_HEADINGS + PAYMENT_HEADINGS]
    for heading in headings:  # a heading may wrap inside its cell, never leave the page
        assert heading in text, f"{heading!r} is missing from the PDF"
    outside = [word for word, (left, bottom, right, top) in words if left < 0 or right > width or bottom < 0]
    assert outside == [], f"cut off at the page's edge: {outside}"

    # Painted, not only placed: each heading's words show ink inside the page.
    scale = 2
    picture = page.render(scale=scale).to_pil().convert("L")
    by_word = {}
    for word, box in words:
        by_word.setdefault(word, box)
    for heading in headings:
        for word in heading.split():
            left, bottom, right, top = by_word[word]
            region = picture.crop(
                (
                    int(left * scale),
                    int((height - top) * scale),
                    int(right * scale) + 1,
                    int((height - bottom) * scale) + 1,
                )
            )
            assert region.getextrema()[0] < 128, f"{word!r} is not printed"
