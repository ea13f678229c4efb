"""Freezing a firm's records into a snapshot, and turning a snapshot back into a scoring profile and a scorecard.

`build_snapshot` reads the database; everything else here is pure.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from assessments import scoring
from enterprises.models import (
    AnnualReport,
    Certification,
    Enterprise,
    Establishment,
    EvidenceFile,
    Expense,
    ExportRecord,
    PctApplication,
    Publication,
    is_sme,
)
from reference.rates import RateTable, round_cents, to_cny

SECTIONS = (
    "annual_report",
    "exports",
    "establishments",
    "pct_applications",
    "certifications",
    "publications",
    "expenses",
)
MODELS = {
    "annual_report": AnnualReport,
    "exports": ExportRecord,
    "establishments": Establishment,
    "pct_applications": PctApplication,
    "certifications": Certification,
    "publications": Publication,
    "expenses": Expense,
}


def _money(amount: Decimal, currency: str, year: int, rates: RateTable) -> dict[str, str]:
    return {"amount": str(amount), "currency": currency, "cny": str(round_cents(to_cny(amount, currency, year, rates)))}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def build_snapshot(enterprise: Enterprise, year: int, rates: RateTable) -> dict[str, Any]:
    """Every record that counts for `year`, with CNY amounts; raises MissingExchangeRate."""
    year_end, year_start = date(year, 12, 31), date(year, 1, 1)
    report = AnnualReport.objects.filter(enterprise=enterprise, year=year).first()
    data: dict[str, Any] = {
        "reference_year": year,
        "enterprise": {
            "id": enterprise.pk,
            "name_zh": enterprise.name_zh,
            "name_en": enterprise.name_en,
            "uscc": enterprise.uscc,
            "registration_type": enterprise.registration_type,
            "industry_group": enterprise.industry_group,
        },
        "annual_report": [],
    }
    if report:
        data["annual_report"] = [
            {
                "id": report.pk,
                "currency": report.currency,
                "domestic_scope": report.domestic_scope,
                **{
                    name: _money(getattr(report, name), report.currency, year, rates)
                    for name in ("revenue_total", "revenue_foreign", "assets_total", "assets_foreign", "imports_total")
                },
                "employees_total": report.employees_total,
                "employees_foreign": report.employees_foreign,
            }
        ]
    data["exports"] = [
        {
            "id": e.pk,
            "country": e.destination.code,
            "channel": e.channel,
            "value": _money(e.value, e.currency, year, rates),
        }
        for e in ExportRecord.objects.filter(enterprise=enterprise, year=year).order_by("destination", "channel", "pk")
    ]
    data["establishments"] = [
        {
            "id": e.pk,
            "country": e.country.code,
            "city": e.city,
            "kind": e.kind,
            "ownership_pct": str(e.ownership_pct),
            "opened": _iso(e.opened),
            "closed": _iso(e.closed),
            "employees": e.employees,
        }
        for e in Establishment.objects.filter(enterprise=enterprise).active_at(year_end).order_by("country", "pk")
    ]
    data["pct_applications"] = [
        {
            "id": p.pk,
            "number": p.number,
            "filed": _iso(p.filed),
            "title": p.title,
            "publication_number": p.publication_number,
            "national_phase": list(p.national_phase),
        }
        for p in PctApplication.objects.filter(enterprise=enterprise, filed__year=year).order_by("filed", "pk")
    ]
    data["certifications"] = [
        {
            "id": c.pk,
            "scheme": c.scheme_key,
            "scheme_label": c.scheme_label,
            "number": c.number,
            "issuer": c.issuer,
            "target_market": c.target_market.code or None,
            "issued": _iso(c.issued),
            "expires": _iso(c.expires),
        }
        for c in Certification.objects.filter(enterprise=enterprise, issued__lte=year_end)
        .filter(Q(expires__isnull=True) | Q(expires__gte=year_start))
        .order_by("issued", "pk")
    ]
    data["publications"] = [
        {"id": p.pk, "title": p.title, "venue": p.venue, "country": p.country.code, "year": p.year}
        for p in Publication.objects.filter(enterprise=enterprise, year=year).order_by("pk")
    ]
    data["expenses"] = [
        {
            "id": x.pk,
            "category": x.category,
            "description": x.description,
            "date": _iso(x.date),
            "provider": x.provider,
            "value": _money(x.amount, x.currency, year, rates),
        }
        for x in Expense.objects.filter(enterprise=enterprise, date__year=year).order_by("date", "pk")
    ]
    data["evidence"] = _evidence_index(data)
    return data


def _evidence_index(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """item key → evidence files attached to that record at submission.

    One plain filter (the record types, the records' ids) and the exact (type, id) pairs kept here: an OR of one
    condition per type cost more to build than the query took to run."""
    section_for_type = {ContentType.objects.get_for_model(model).pk: section for section, model in MODELS.items()}
    wanted = {(type_id, item["id"]) for type_id, section in section_for_type.items() for item in data[section]}
    index: dict[str, list[dict[str, Any]]] = {}
    if not wanted:
        return index
    files = (
        EvidenceFile.objects.filter(
            content_type_id__in=sorted({type_id for type_id, _id in wanted}),
            object_id__in=sorted({object_id for _type, object_id in wanted}),
        )
        .order_by("pk")
        .values_list("pk", "content_type_id", "object_id", "original_name", "size")
    )
    for pk, type_id, object_id, name, size in files:
        if (type_id, object_id) in wanted:
            index.setdefault(f"{section_for_type[type_id]}:{object_id}", []).append(
                {"id": pk, "name": name, "size": size}
            )
    return index


def item_keys(data: dict[str, Any]) -> list[str]:
    return [f"{section}:{item['id']}" for section in SECTIONS for item in data.get(section, [])]


def evidence_ids(data: dict[str, Any]) -> list[int]:
    return sorted({file["id"] for files in data.get("evidence", {}).values() for file in files})


def profile_from_snapshot(data: dict[str, Any], verified: set[str] | None = None) -> dict[str, Any]:
    """The engine's profile (DESIGN section 7). With `verified`, only those items count."""

    def counted(section: str) -> list[dict[str, Any]]:
        return [item for item in data.get(section, []) if verified is None or f"{section}:{item['id']}" in verified]

    reports = counted("annual_report")
    report = reports[0] if reports else None
    profile: dict[str, Any] = {
        "reference_year": data["reference_year"],
        # An unverified annual report gives no scope: the conservative rung (local) applies.
        "domestic_scope": report["domestic_scope"] if report else ("local" if verified is not None else "national"),
        "exports": [
            {"country": e["country"], "channel": e["channel"], "value": e["value"]["cny"]} for e in counted("exports")
        ],
        "establishments": [
            {"country": e["country"], "kind": e["kind"], "opened": e["opened"], "closed": e["closed"]}
            for e in counted("establishments")
        ],
        "pct_applications": [
            {"number": p["number"], "filed": p["filed"], "national_phase": p["national_phase"]}
            for p in counted("pct_applications")
        ],
        "certifications": [
            {"scheme": c["scheme"], "issued": c["issued"], "expires": c["expires"]} for c in counted("certifications")
        ],
        "publications_abroad": len(counted("publications")),
    }
    if report:
        for name in ("revenue_total", "revenue_foreign", "assets_total", "assets_foreign"):
            profile[name] = report[name]["cny"]
        profile["employees_total"] = report["employees_total"]
        profile["employees_foreign"] = report["employees_foreign"]
    return profile


def score_snapshot(data: dict[str, Any], scheme: scoring.Scheme, verified: set[str] | None = None) -> dict[str, Any]:
    """The scorecard of a snapshot: self-reported, or with `verified` counting only the items the officer verified."""
    return scoring.score(scoring.parse_profile(profile_from_snapshot(data, verified)), scheme)


def verified_expenses_by_category(data: dict[str, Any], verified: set[str]) -> dict[str, str]:
    year = data["reference_year"]
    totals: dict[str, Decimal] = {}
    for x in data.get("expenses", []):
        if f"expenses:{x['id']}" in verified and x["date"].startswith(f"{year}-"):
            totals[x["category"]] = totals.get(x["category"], Decimal("0")) + Decimal(x["value"]["cny"])
    return {category: str(amount) for category, amount in sorted(totals.items())}


def verified_firm_figures(data: dict[str, Any], verified: set[str]) -> tuple[Decimal | None, bool | None]:
    """(foreign revenue in CNY, SME or not) from the annual report, when the officer verified it."""
    reports = [r for r in data.get("annual_report") or [] if f"annual_report:{r['id']}" in verified]
    if not reports:
        return None, None
    report = reports[0]
    sme = is_sme(employees=report["employees_total"], revenue_cny=Decimal(report["revenue_total"]["cny"]))
    return Decimal(report["revenue_foreign"]["cny"]), sme


def revenue_cny(data: dict[str, Any]) -> Decimal | None:
    reports = data.get("annual_report") or []
    return Decimal(reports[0]["revenue_total"]["cny"]) if reports else None
