"""A planned firm as unsaved model instances (`seed_demo` writes them in bulk)."""

from dataclasses import asdict

from demo.plan import FirmPlan, fen_to_decimal
from enterprises.models import (
    AnnualReport,
    Certification,
    Enterprise,
    Establishment,
    Expense,
    ExportRecord,
    PctApplication,
    Publication,
)


def enterprise_of(firm: FirmPlan) -> Enterprise:
    return Enterprise(
        name_zh=firm.name_zh,
        name_en=firm.name_en,
        uscc=firm.uscc,
        registration_type=firm.registration_type,
        industry_group=firm.industry,
        founded=firm.founded,
    )


def firm_rows(firm: FirmPlan, enterprise: Enterprise) -> dict[type, list]:
    """Unsaved records of one firm (`enterprise` must be saved before they are)."""
    return {
        AnnualReport: [
            AnnualReport(
                enterprise=enterprise,
                year=r.year,
                currency="CNY",
                revenue_total=fen_to_decimal(r.revenue_total),
                revenue_foreign=fen_to_decimal(r.revenue_foreign),
                assets_total=fen_to_decimal(r.assets_total),
                assets_foreign=fen_to_decimal(r.assets_foreign),
                employees_total=r.employees_total,
                employees_foreign=r.employees_foreign,
                imports_total=fen_to_decimal(r.imports_total),
                domestic_scope=r.domestic_scope,
            )
            for r in firm.reports
        ],
        ExportRecord: [
            ExportRecord(
                enterprise=enterprise,
                year=row.year,
                destination=row.country,
                channel=row.channel,
                currency=row.currency,
                value=row.value,
            )
            for row in firm.export_rows
        ],
        Establishment: [
            Establishment(
                enterprise=enterprise,
                country=s.country,
                city=s.city,
                kind=s.kind,
                ownership_pct=s.ownership,
                opened=s.opened,
                closed=s.closed,
                employees=s.employees,
            )
            for s in firm.sites
        ],
        PctApplication: [
            PctApplication(
                enterprise=enterprise,
                number=p.number,
                filed=p.filed,
                title=p.title,
                publication_number=p.publication_number,
                national_phase=list(p.national_phase),
            )
            for p in firm.pct
        ],
        Certification: [Certification(enterprise=enterprise, **asdict(c)) for c in firm.certifications],
        Publication: [Publication(enterprise=enterprise, **asdict(p)) for p in firm.publications],
        Expense: [
            Expense(
                enterprise=enterprise,
                category=e.category,
                description=e.description,
                currency="CNY",
                amount=fen_to_decimal(e.amount),
                date=e.day,
                provider=e.provider,
            )
            for e in firm.expenses
        ],
    }
