"""Reading an uploaded file into a table of text cells: CSV (UTF-8, with or without BOM) or XLSX.

The format is detected by content, never by the file name. Row numbers are those a spreadsheet shows:
the header is row 1, and blank rows count (they are skipped, not renumbered).
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import filetype
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_DATA_ROWS = 200_000
MAX_COLUMNS = 100
# XLSX is a zip: its members are checked before any XML is parsed (a "zip bomb" of millions of blank rows
# is a few MB compressed). Normal workbooks compress 5-20x; their largest part is the first sheet.
MAX_XLSX_MEMBERS = 500
MAX_XLSX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_XLSX_RATIO = 200
DELIMITERS = (",", ";", "\t")


class ParseError(Exception):
    """The file cannot be read as a table at all (wrong type, encoding, empty...)."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class SourceRow:
    number: int  # row number in the file; the header is row 1
    values: dict[str, str]  # column name → stripped cell text ("" when blank)
    #: cells found right of the last named column: [(position from 1, text)]
    extra: tuple[tuple[int, str], ...] = ()


@dataclass
class Table:
    columns: list[str]
    rows: list[SourceRow] = field(default_factory=list)
    format: str = "csv"

    @classmethod
    def from_dicts(cls, rows: Iterable[Mapping[str, object]], columns: list[str] | None = None) -> "Table":
        """Rows built in memory (dicts of column → value); numbered as if the first were row 2 of a file."""
        rows = list(rows)
        if columns is None:
            columns = list(rows[0]) if rows else []
        names: dict[object, str] = {}  # each key normalized once, not once per row

        def name(key: object) -> str:
            if key not in names:
                names[key] = normalize_header(key)
            return names[key]

        return cls(
            columns=[normalize_header(c) for c in columns],
            rows=[
                SourceRow(number, {name(k): cell_text(v) for k, v in row.items()})
                for number, row in enumerate(rows, start=2)
            ],
            format="memory",
        )


def normalize_header(name: object) -> str:
    return cell_text(name).strip().lower().replace(" ", "_")


def cell_text(value: object) -> str:
    """A cell as text: numbers without float noise, dates as ISO 8601, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def read_table(data: bytes) -> Table:
    """Parse an uploaded file; raise ParseError when it is not a readable CSV or XLSX table."""
    if not data or not data.strip():
        raise ParseError(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ParseError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
    if data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data)):
        return _read_xlsx(data)
    guessed = filetype.guess(data)
    if guessed is not None:
        raise ParseError(
            _("This is a %(type)s file, not CSV or XLSX. Upload a CSV (UTF-8) or XLSX file.")
            % {"type": guessed.extension.upper()}
        )
    return _read_csv(data)


def estimate_rows(data: bytes) -> int:
    """The data rows of an upload, counted cheaply (milliseconds for 20 MB) to choose where it is imported: a CSV's
    lines less the header (at least its rows); an XLSX's first-sheet dimension, or its row elements when it has none."""
    if data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data)):
        import openpyxl

        try:
            check_zip(data)
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # not readable: read_table says why, at once
            return 0
        try:
            if not workbook.worksheets:
                return 0
            sheet = workbook.worksheets[0]
            last_row = sheet.max_row
            return max((last_row if last_row is not None else _row_elements(sheet)) - 1, 0)
        except Exception:
            return MAX_DATA_ROWS
        finally:
            workbook.close()
    lines = max(data.count(b"\n"), data.count(b"\r")) + (0 if data.endswith((b"\n", b"\r")) else 1)
    return max(lines - 1, 0)  # less the header


#: a row element's start, without and with a namespace prefix (rare): counted, not parsed
ROW_STARTS = (b"<row", b":row ", b":row>")


def _row_elements(sheet) -> int:
    """The <row> elements of a read-only sheet (write-only workbooks record no dimension), streamed."""
    count, tail = 0, b""
    with sheet._get_source() as source:  # openpyxl's stream of the sheet's XML
        while chunk := source.read(1 << 20):
            buffer = tail + chunk  # a 4-byte tail holds no whole start: nothing is counted twice
            count += sum(buffer.count(start) for start in ROW_STARTS)
            tail = buffer[-4:]
    return count


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data:
        raise ParseError(_("This is a binary file, not CSV or XLSX. Upload a CSV (UTF-8) or XLSX file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError(
            _(
                "The file is not UTF-8 text (byte 0x%(byte)02X on line %(line)d). In a spreadsheet, save it as "
                "“CSV UTF-8”, or upload XLSX."
            )
            % {"byte": data[error.start], "line": line}
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return _table(enumerate(reader, start=1), "csv")
    except csv.Error as error:
        raise ParseError(
            _("The file is not valid CSV near row %(row)d: %(reason)s.") % {"row": reader.line_num, "reason": error},
            row=reader.line_num,
        ) from None


def check_zip(data: bytes) -> None:
    """Refuse a workbook whose zip would expand too much, judged by its directory (nothing is unpacked)."""
    too_big = _("The workbook expands to too much data to be read safely; save it again as XLSX, or upload CSV.")
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # openpyxl reports it as not readable
    if len(members) > MAX_XLSX_MEMBERS:
        raise ParseError(too_big)
    if sum(member.file_size for member in members) > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise ParseError(too_big)
    for member in members:
        if member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1024):
            raise ParseError(too_big)


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # imported here: only XLSX uploads need it

    check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, BadZipFile...)
        guessed = filetype.guess(data)
        kind = guessed.extension.upper() if guessed is not None else "ZIP"
        raise ParseError(
            _("This is a %(type)s file, not a readable XLSX workbook. Upload a CSV (UTF-8) or XLSX file.")
            % {"type": kind}
        ) from None
    try:
        if not workbook.worksheets:
            raise ParseError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        rows = (
            (number, [cell_text(value) for value in values[: MAX_COLUMNS + 1]])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        try:
            return _table(rows, "xlsx")
        except ParseError:
            raise
        except Exception:
            raise ParseError(_("The workbook could not be read; save it again as XLSX, or upload CSV.")) from None
    finally:
        workbook.close()


def _table(records: Iterator[tuple[int, list[str]]], file_format: str) -> Table:
    header: list[str] | None = None
    rows: list[SourceRow] = []
    for number, record in records:
        if number > MAX_DATA_ROWS + 1:  # blank rows count: millions of them would take minutes to skip
            raise ParseError(
                _("Too many rows: at most %(max)d rows per file, blank rows included; split the file.")
                % {"max": MAX_DATA_ROWS + 1},
                row=number,
            )
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if header is None:
            if number != 1:
                raise ParseError(_("Row 1 must hold the column names; it is blank."), row=1)
            header = [normalize_header(cell) for cell in cells]
            while header and not header[-1]:
                header.pop()
            if len(header) > MAX_COLUMNS:
                raise ParseError(_("Too many columns (at most %(max)d).") % {"max": MAX_COLUMNS}, row=1)
            continue
        if len(rows) >= MAX_DATA_ROWS:
            raise ParseError(
                _("Too many rows: at most %(max)d data rows per file; split the file.") % {"max": MAX_DATA_ROWS}
            )
        width = len(header)
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        extra = tuple((i + 1, cell) for i, cell in enumerate(cells[width:], start=width) if cell)
        rows.append(SourceRow(number, values, extra))
    if header is None:
        raise ParseError(_("The file is empty."))
    return Table(columns=header, rows=rows, format=file_format)
