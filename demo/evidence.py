"""The demo evidence files: a small one-page PDF per record of the showcase firms."""

from collections.abc import Callable, Sequence

from django.db import models

from enterprises.models import (
    AnnualReport,
    Certification,
    Establishment,
    Expense,
    ExportRecord,
    PctApplication,
    Publication,
)

#: record type -> (title printed on its evidence, file name)
TITLES: dict[type[models.Model], Callable[..., tuple[str, str]]] = {
    AnnualReport: lambda r: (f"Audited annual report {r.year}", f"annual-report-{r.year}.pdf"),
    ExportRecord: lambda r: (
        f"Export declarations {r.year}: {r.destination.code}, {r.channel}",
        f"exports-{r.year}-{r.destination.code}-{r.channel}.pdf",
    ),
    Establishment: lambda r: (
        f"Registration of the {r.kind} entity in {r.city}, opened {r.opened}",
        f"establishment-{r.country.code}-{r.kind}.pdf",
    ),
    PctApplication: lambda r: (f"PCT request {r.number}", f"pct-{r.number.replace('/', '-')}.pdf"),
    Certification: lambda r: (
        f"Certificate {r.scheme_label} {r.number}, issued {r.issued}",
        f"certificate-{r.scheme}-{r.issued:%Y%m%d}.pdf",
    ),
    Publication: lambda r: (f"{r.title} ({r.venue}, {r.year})", f"publication-{r.year}.pdf"),
    Expense: lambda r: (
        f"Invoice: {r.description}, {r.amount} {r.currency}, {r.date}",
        f"invoice-{r.date:%Y%m%d}-{r.category}.pdf",
    ),
}


def evidence_title(record: models.Model) -> tuple[str, str]:
    """(the title printed on the record's evidence, the file's name)."""
    return TITLES[type(record)](record)


def evidence_pdf(lines: Sequence[str]) -> bytes:
    """A small valid one-page PDF showing `lines` (deterministic: no dates, no random ids)."""
    ops = ["BT", "/F1 16 Tf", "72 770 Td", f"({_escape(lines[0])}) Tj", "/F1 11 Tf"]
    for line in lines[1:]:
        ops += ["0 -20 Td", f"({_escape(line)}) Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    return _pdf_file(objects)


def _escape(text: str) -> str:
    text = text.encode("latin-1", "replace").decode("latin-1")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf_file(objects: list[bytes]) -> bytes:
    """The numbered objects with their cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
