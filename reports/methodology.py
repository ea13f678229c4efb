"""The methodology page's figures: the components with the weights and caps of the scheme in force.

The weights, caps and neighbouring markets are read from the scheme (the database), never written here;
the formulas are those of `assessments.scoring` (DESIGN section 3).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from assessments import glossary, report, scoring
from assessments.models import ScoringScheme

#: per component: (raw value, the records it is computed from)
COMPONENT_TEXTS = {
    "stage": (
        _("The firm's stage, 0 to 4: the deepest stage reached in any foreign market (below)."),
        _("Export records (their channel) and foreign establishments (kind, opened, closed)."),
    ),
    "geography": (
        _("Level 1 to 4 (below)."),
        _("Export records and foreign establishments; without foreign activity, the firm's domestic scope."),
    ),
    "tni": (
        _("TNI: the mean of FSTS, FATA and FETE, skipping a ratio whose total is 0 or not reported; 0 if none."),
        _("The annual report: revenue, assets and employees, in total and abroad."),
    ),
    "breadth": (
        _("Distinct foreign markets with export value above 0 or an establishment active on 31 December."),
        _("Export records and foreign establishments."),
    ),
    "pct": (
        _("PCT applications whose international filing date is in the year; a number filed twice counts once."),
        _("PCT applications (number, filing date)."),
    ),
    "certifications": (
        _("Distinct certification schemes valid on at least one day of the year (issue and expiry dates included)."),
        _("Certifications (scheme, issued, expires)."),
    ),
    "publications": (
        _("Publications abroad in the year."),
        _("Publications abroad."),
    ),
}


def plain(number: Decimal | int) -> str:
    """30 for Decimal('30.00'), 12.5 for Decimal('12.50'): a weight as people write it."""
    return format(Decimal(number).normalize(), "f")


def _formula(key: str, caps: dict[str, int]) -> str:
    if key == "stage":
        return "raw ÷ 4"
    if key == "geography":
        return "(raw − 1) ÷ 3"
    if key == "tni":
        return str(_("raw, kept between 0 and 1"))
    if key in ("breadth", "pct"):
        return f"min(1, ln(1 + raw) ÷ ln(1 + {caps[key]}))"
    return f"min(1, raw ÷ {caps[key]})"


def components(engine: scoring.Scheme) -> list[dict]:
    rows = []
    for key in scoring.COMPONENT_KEYS:
        raw, evidence = COMPONENT_TEXTS[key]
        rows.append(
            {
                "key": key,
                "label": glossary.abbreviate(report.COMPONENT_LABELS[key]),
                "raw": glossary.abbreviate(raw),
                "evidence": glossary.abbreviate(evidence),
                "formula": _formula(key, engine.caps),
                "cap": engine.caps.get(key),
                "weight": plain(engine.weights[key]),
            }
        )
    return rows


def context(scheme: ScoringScheme) -> dict:
    engine = scheme.to_engine()
    return {
        "scheme": scheme,
        "components": components(engine),
        "stages": report.STAGES,
        "geography": report.GEOGRAPHY,
        "neighbouring": sorted((code, countries.name(code)) for code in engine.neighbouring),
        "abbreviations": [
            {"short": short, "title": title, "anchor": anchor}
            for short, (title, anchor) in glossary.ABBREVIATIONS.items()
            if short not in glossary.RATIOS  # those have their own section, "Ratios"
        ],
    }
