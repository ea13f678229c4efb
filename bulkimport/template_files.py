"""The downloadable templates: a header row and one example row per kind, as CSV or XLSX."""

import csv
import io

from django.utils.translation import gettext as _

from bulkimport.kinds import KindSpec


def template_csv(spec: KindSpec) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(spec.column_names)
    writer.writerow(spec.example_row())
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(spec: KindSpec) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = spec.kind
    sheet.append(spec.column_names)
    sheet.append(spec.example_row())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.columns:  # text cells: a USCC or year is never turned into a number
        for cell in column_cells:
            cell.number_format = "@"
        sheet.column_dimensions[column_cells[0].column_letter].width = max(14, len(str(column_cells[1].value)) + 2)
    docs = workbook.create_sheet("documentation")
    docs.append([_("Column"), _("Required"), _("Format"), _("Allowed values"), _("Description")])
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
