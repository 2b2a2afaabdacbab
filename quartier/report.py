"""The annual report (Jahresbericht): the figures each app contributes for a period, with their counting rules.

Each app declares `report = "app.report.section"` in its apps.py (quartier/contributions.py); the function takes
a `Period` and returns a `Section` of `Figure`s. Every figure carries its counting rule (what counts, cancelled or
reversed rows or not, as of which day), shown beside it on the page, in the PDF, the CSV and the spreadsheet.
The apps count with aggregate queries: a few per section, whatever the number of rows.

The public page "Der Stadtteil in Zahlen" shows only the figures marked `public`, and no number that stands for
fewer than `MIN_GROUP` people (`basis`): a small group could be recognised.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import contributions
from .money import euro

MIN_GROUP = 5  # no public number about fewer people than this

COUNT, MONEY, HOURS, PERCENT = "count", "money", "hours", "percent"


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in the portal's time zone."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_at(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def as_of(self) -> date:
        """The day the states (open, done, waiting) are read: today, since the records keep no history of them."""
        return timezone.localdate()

    @property
    def as_of_text(self) -> str:
        return formats.date_format(self.as_of, "SHORT_DATE_FORMAT")

    def weekdays(self) -> dict[int, int]:
        """How many Mondays (0) … Sundays (6) the period has."""
        days = (self.end - self.start).days + 1
        counts = {weekday: days // 7 for weekday in range(7)}
        for offset in range(days % 7):
            counts[(self.start.weekday() + offset) % 7] += 1
        return counts

    def label(self) -> str:
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31):
            return str(self.start.year)
        first, last = (formats.date_format(day, "SHORT_DATE_FORMAT") for day in (self.start, self.end))
        return f"{first} – {last}"


@dataclass
class Row:
    """One line of a figure's breakdown; `basis` is the number of people behind it (None: not about people)."""

    label: str
    value: int | Decimal | float
    basis: int | None = None


@dataclass
class Figure:
    label: str
    value: int | Decimal | float | None
    rule: str
    unit: str = COUNT
    rows: list[Row] = field(default_factory=list)
    public: bool = False
    basis: int | None = None  # the number of people behind the figure (None: not about people)

    @property
    def text(self) -> str:
        return "" if self.value is None else display(self.value, self.unit)

    def row_texts(self) -> list[tuple[Row, str]]:
        return [(row, display(row.value, self.unit)) for row in self.rows]

    def public_rows(self) -> list[Row]:
        return [row for row in self.rows if shown(row.basis)]

    def public_row_texts(self) -> list[tuple[Row, str]]:
        return [(row, display(row.value, self.unit)) for row in self.public_rows()]

    @property
    def has_hidden_rows(self) -> bool:
        return len(self.public_rows()) < len(self.rows)


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure]


def shown(basis: int | None) -> bool:
    """Whether a number may be public: it stands for no people, or for at least `MIN_GROUP` of them."""
    return basis is None or basis >= MIN_GROUP


def display(value, unit: str) -> str:
    if unit == MONEY:
        return euro(value)
    if unit == HOURS:
        return formats.number_format(value, 1, use_l10n=True, force_grouping=True) + " h"
    if unit == PERCENT:
        return formats.number_format(value, 1, use_l10n=True) + " %"
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def hours(duration: timedelta | None) -> float:
    return round((duration or timedelta()).total_seconds() / 3600, 2)


def share(part, whole) -> float:
    return round(100 * float(part) / float(whole), 1) if whole else 0.0


def report(period: Period) -> list[Section]:
    """Every app's section, in app order (a section that fails fails the report: no figure is left out quietly)."""
    return [section_for(period) for section_for in contributions.report_sections()]


def public_report(period: Period) -> list[Section]:
    """The public figures only, with the rows about fewer than `MIN_GROUP` people left out."""
    sections = []
    for section in report(period):
        figures = [figure for figure in section.figures if figure.public and shown(figure.basis)]
        if figures:
            sections.append(Section(section.key, section.title, figures))
    return sections


# --- Charts ------------------------------------------------------------------------------------------------


CHART_LABEL_WIDTH, CHART_BAR_WIDTH, CHART_ROW = 250, 280, 28


@dataclass
class Bar:
    label: str
    text: str
    y: int
    length: float

    @property
    def text_x(self) -> float:
        return CHART_LABEL_WIDTH + self.length + 6


def bars(figure: Figure, rows: list[Row]) -> list[Bar]:
    """The bars of a horizontal bar chart of a figure's breakdown, for the portal's own SVG template."""
    largest = max((float(row.value) for row in rows), default=0) or 1
    return [
        Bar(row.label, display(row.value, figure.unit), CHART_ROW * index, round(CHART_BAR_WIDTH * length / largest))
        for index, (row, length) in enumerate((row, float(row.value)) for row in rows)
    ]


# --- Downloads ---------------------------------------------------------------------------------------------


def table_rows(sections: list[Section]):
    """The report as rows (section, figure, breakdown, value, unit, counting rule) for the CSV and spreadsheet."""
    for section in sections:
        for figure in section.figures:
            yield [section.title, figure.label, "", figure.value if figure.value is not None else "", figure.rule]
            for row in figure.rows:
                yield [section.title, figure.label, row.label, row.value, ""]


def header() -> list[str]:
    return [_("Section"), _("Figure"), _("Breakdown"), _("Value"), _("Counting rule")]


def xlsx(sections: list[Section], title: str) -> bytes:
    """The report as a spreadsheet (openpyxl): one sheet, numbers as numbers, amounts in euro format."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Annual report")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(header())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    units = [figure.unit for section in sections for figure in section.figures for _row in [None, *figure.rows]]
    for row, unit in zip(table_rows(sections), units, strict=True):
        value = row[3]
        sheet.append([row[0], row[1], row[2], float(value) if isinstance(value, Decimal) else value, row[4]])
        cell = sheet.cell(row=sheet.max_row, column=4)
        cell.number_format = {MONEY: "#,##0.00 €", HOURS: "#,##0.0", PERCENT: "0.0"}.get(unit, "#,##0")
        sheet.cell(row=sheet.max_row, column=5).alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDE", (22, 40, 32, 14, 80), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
