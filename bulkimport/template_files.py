"""The downloadable templates: a header row and one example row per kind, as CSV or XLSX."""

from django.utils.translation import gettext as _

from bulkimport.kinds import KindSpec
from core.spreadsheets import Sheet, csv_bytes_for_excel, xlsx_bytes


def template_csv(spec: KindSpec) -> bytes:
    return csv_bytes_for_excel([spec.column_names, spec.example_row()])


def template_xlsx(spec: KindSpec) -> bytes:
    """Text cells ("@"): a USCC or year is never turned into a number when edited."""
    from openpyxl.utils import get_column_letter

    example = spec.example_row()
    widths = {get_column_letter(i + 1): max(14, len(str(value)) + 2) for i, value in enumerate(example)}
    docs = [[_("Column"), _("Required"), _("Format"), _("Allowed values"), _("Description")]]
    for column in spec.columns:
        allowed = "; ".join(f"{code} ({label})" for code, label in column.allowed()) if column.allowed else ""
        docs.append(
            [
                column.name,
                _("yes") if column.required else _("no"),
                str(column.format),
                allowed,
                str(column.description),
            ]
        )
    docs.append([])
    docs.append([_("Only the first sheet is imported.")])
    return xlsx_bytes(
        [
            Sheet(
                spec.kind,
                [spec.column_names, example],
                text_format_columns=True,
                bold_header=True,
                column_widths=widths,
            ),
            Sheet("documentation", docs),
        ]
    )
