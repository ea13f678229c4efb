"""The one way the site writes CSV and XLSX files: text cells can never become spreadsheet formulas.

OWASP "CSV injection": a cell starting with = + - @ tab or carriage return may be evaluated as a formula
by a spreadsheet program, so such text gets a leading apostrophe (in CSV and XLSX alike, so the file stays
safe when converted). A value that is a plain decimal number ("-3", "12.50") is no formula and stays as it
is. In XLSX every text cell is written as a string (never a formula) and numbers (int, Decimal, float) stay
numeric cells. Self-contained: depends on the standard library and XlsxWriter only.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: XLSX number formats: amounts with two decimals and thousand separators (the spreadsheet program shows them
#: in its user's language), scores with two decimals, percentages with one, counts whole. CSV stays plain.
AMOUNT_FORMAT = "#,##0.00"
SCORE_FORMAT = "0.00"
PERCENT_FORMAT = "0.0"
INTEGER_FORMAT = "0"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?\Z")


def neutralise(value) -> str:
    """The text of a cell, with a leading apostrophe when a spreadsheet could read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_cell(value) -> str:
    """Line breaks become "\n": Python 3.11's csv module leaves a lone "\r" unquoted with "\n" line ends."""
    if value is None:
        return ""
    if _is_number(value):
        return str(value)
    return _one_line_end(neutralise(value))


def _one_line_end(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_text(rows: Iterable[Sequence], *, lineterminator: str = "\n") -> str:
    """CSV text of `rows` (the header is the first row); numbers as `str(number)`, text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_bytes_for_excel(rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with BOM and CRLF line ends: what Excel opens correctly (Chinese text included)."""
    return ("\ufeff" + csv_text(rows, lineterminator="\r\n")).encode("utf-8")


@dataclass
class Sheet:
    """One worksheet: `rows` (header first), optional number formats per column index, bold header."""

    title: str
    rows: list[Sequence]
    number_formats: dict[int, str] = field(default_factory=dict)
    text_format_columns: bool = False  # mark every cell "@" (text) so editing keeps codes as text
    bold_header: bool = False
    column_widths: dict[str, float] = field(default_factory=dict)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one worksheet per `Sheet`, written by XlsxWriter (about three times faster than
    openpyxl's write-only mode, which cost the statistics workbook more than its aggregations).

    Text is always written as a string cell (never a formula), numbers as numeric cells: a spreadsheet holds
    them as binary floating point, so beyond 15 significant digits it keeps no more than a CSV reader would.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats: dict[tuple[str | None, bool], object] = {}

    def cell_format(number_format: str | None, bold: bool):
        key = (number_format, bold)
        if key not in formats:
            properties = {"num_format": number_format} if number_format else {}
            formats[key] = workbook.add_format({**properties, "bold": True} if bold else properties)
        return formats[key]

    for spec in sheets:
        sheet = workbook.add_worksheet((spec.title or "sheet")[:31])
        text = "@" if spec.text_format_columns else None
        for letter, width in spec.column_widths.items():
            sheet.set_column(f"{letter}:{letter}", width, cell_format(text, False) if text else None)
        for index, row in enumerate(spec.rows):
            bold = index == 0 and spec.bold_header
            for column, value in enumerate(row):
                if _is_number(value):
                    sheet.write_number(index, column, value, cell_format(text or spec.number_formats.get(column), bold))
                elif value is None:
                    if text or bold:
                        sheet.write_blank(index, column, None, cell_format(text, bold))
                else:
                    sheet.write_string(index, column, _one_line_end(neutralise(value)), cell_format(text, bold))
    workbook.close()
    return buffer.getvalue()
