"""The maturity report's explanations: the Uppsala ladders, what the next rung takes, readable snapshot items."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.formatting import format_date, format_money
from enterprises.models import EstablishmentKind, ExpenseCategory, ExportChannel

STAGES = [
    (0, _("Domestic only"), _("No foreign activity.")),
    (1, _("Direct exports"), _("Exports without a regular channel.")),
    (2, _("Agents"), _("Exports through an independent agent or distributor.")),
    (3, _("Sales subsidiary"), _("An own representative, sales, service or R&D establishment abroad.")),
    (4, _("Foreign production"), _("An own manufacturing establishment abroad.")),
]

GEOGRAPHY = [
    (1, _("Local"), _("Sales in the home province only.")),
    (2, _("National"), _("Sales across China.")),
    (3, _("Neighbouring"), _("Foreign markets close to China only.")),
    (4, _("Global"), _("At least one market beyond the neighbouring ones.")),
]

NEXT_STAGE = {
    0: _("Start exporting: a first direct export to a foreign market reaches stage 1."),
    1: _("Sell through an independent agent or distributor in a market you export to (stage 2)."),
    2: _("Set up an own sales entity (or representative office) in a market you serve through agents (stage 3)."),
    3: _("Open an own manufacturing establishment abroad (stage 4)."),
    4: _("The top of the establishment chain: deepen more markets, patents and certifications."),
}

NEXT_GEOGRAPHY = {
    1: _("Sell beyond your home province (national)."),
    2: _("Enter a neighbouring market such as Hong Kong, Japan or Korea."),
    3: _("Enter a market beyond the neighbouring ones, e.g. Europe or North America."),
    4: _("Global already: deepen the markets beyond the neighbouring ones."),
}


def ladder(rungs, current: int) -> list[dict]:
    return [
        {"value": value, "label": label, "help": help_text, "reached": value <= current, "current": value == current}
        for value, label, help_text in rungs
    ]


COMPONENT_LABELS = {
    "stage": _("Market stage"),
    "geography": _("Geography"),
    "tni": _("Transnationality (TNI)"),
    "breadth": _("Breadth of markets"),
    "pct": _("PCT applications"),
    "certifications": _("International certifications"),
    "publications": _("Publications abroad"),
}


def explain(scorecard: dict, year: int | None) -> list[dict]:
    """The scorecard's components with a translated label and a translated one-line reason.

    The engine's own `reason` is English (it is part of the `score` command's stable output);
    this builds the same explanation from the scorecard's figures in the reader's language.
    """
    markets: dict[str, int] = scorecard.get("markets", {})
    stage, geography = scorecard["stage"], scorecard["geography"]
    deepest = sorted(code for code, value in markets.items() if value == stage)
    year_text = year if year is not None else ""

    def dash(value):
        return value if value is not None else "—"

    raw = {c["key"]: c["raw"] for c in scorecard["components"]}
    texts = {
        "stage": (
            gettext("no foreign activity in %(year)s") % {"year": year_text}
            if stage == 0
            else gettext("stage %(stage)s reached in %(markets)s") % {"stage": stage, "markets": ", ".join(deepest)}
        ),
        "geography": {
            1: gettext("no foreign activity; domestic sales in the home province only"),
            2: gettext("no foreign activity; domestic sales across China"),
            3: gettext("every active market is a neighbouring one: %(markets)s")
            % {"markets": ", ".join(sorted(markets))},
            4: gettext("active beyond the neighbouring markets"),
        }[geography],
        "tni": gettext("mean of FSTS %(fsts)s, FATA %(fata)s, FETE %(fete)s (a ratio without a total is skipped)")
        % {
            "fsts": dash(scorecard.get("fsts")),
            "fata": dash(scorecard.get("fata")),
            "fete": dash(scorecard.get("fete")),
        },
        "breadth": ngettext(
            "%(count)s foreign market: %(markets)s", "%(count)s foreign markets: %(markets)s", raw.get("breadth", 0)
        )
        % {"count": raw.get("breadth", 0), "markets": ", ".join(sorted(markets)) or "—"},
        "pct": ngettext(
            "%(count)s application filed in %(year)s", "%(count)s applications filed in %(year)s", raw.get("pct", 0)
        )
        % {"count": raw.get("pct", 0), "year": year_text},
        "certifications": ngettext(
            "%(count)s scheme valid in %(year)s", "%(count)s schemes valid in %(year)s", raw.get("certifications", 0)
        )
        % {"count": raw.get("certifications", 0), "year": year_text},
        "publications": ngettext(
            "%(count)s publication abroad in %(year)s",
            "%(count)s publications abroad in %(year)s",
            raw.get("publications", 0),
        )
        % {"count": raw.get("publications", 0), "year": year_text},
    }
    return [
        {
            **component,
            "label": COMPONENT_LABELS.get(component["key"], component["key"]),
            "explanation": texts.get(component["key"], component["reason"]),
        }
        for component in scorecard["components"]
    ]


def peer_rows(scorecard: dict, medians: dict[str, Decimal] | None) -> list[dict]:
    """Each component's subscore next to the peers' median (None without enough peers)."""
    return [
        {
            "key": component["key"],
            "label": COMPONENT_LABELS.get(component["key"], component["key"]),
            "subscore": Decimal(component["subscore"]),
            "median": (medians or {}).get(component["key"]),
        }
        for component in scorecard["components"]
    ]


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else str((value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def peer_chart(scorecard: dict, medians: dict[str, Decimal] | None) -> dict:
    """Chart.js data (the statistics page's format, drawn by static/js/zone-charts.js): the firm's subscores
    and, with enough peers, their medians, in % of each component's maximum."""
    rows = peer_rows(scorecard, medians)
    datasets = [{"label": str(_("This firm")), "data": [_percent(row["subscore"]) for row in rows]}]
    if medians is not None:
        datasets.append({"label": str(_("Peers' median")), "data": [_percent(row["median"]) for row in rows]})
    return {
        "type": "bar",
        "labels": [str(row["label"]) for row in rows],
        "datasets": datasets,
        "axis": str(_("Subscore as a percentage of the component's maximum")),
        "stacked": False,
        "horizontal": True,
    }


SECTION_LABELS = {
    "annual_report": _("Annual report"),
    "exports": _("Export record"),
    "establishments": _("Foreign establishment"),
    "pct_applications": _("PCT application"),
    "certifications": _("Certification"),
    "publications": _("Publication abroad"),
    "expenses": _("Expense"),
}


def _money(value: dict) -> str:
    """ "28,900,000.00 USD (199,410,000.00 CNY)": the amount as recorded and, in another currency, in CNY."""
    text = format_money(value["amount"], value["currency"])
    return text if value["currency"] == "CNY" else f"{text} ({format_money(value['cny'], 'CNY')})"


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def expense_category_labels(values: list[str]) -> list[str]:
    return [_label(ExpenseCategory, value) for value in values]


def summarize(section: str, item: dict) -> str:
    """A snapshot item in one line, as an officer checks it against its evidence."""
    if section == "annual_report":
        return gettext("revenue %(revenue)s, foreign %(foreign)s; employees %(employees)s, abroad %(abroad)s") % {
            "revenue": _money(item["revenue_total"]),
            "foreign": _money(item["revenue_foreign"]),
            "employees": item["employees_total"],
            "abroad": item["employees_foreign"],
        }
    if section == "exports":
        return f"{item['country']} · {_label(ExportChannel, item['channel'])} · {_money(item['value'])}"
    if section == "establishments":
        closed = f" – {format_date(item['closed'])}" if item.get("closed") else ""
        kind = _label(EstablishmentKind, item["kind"])
        return f"{kind} · {item['city']}, {item['country']} · {format_date(item['opened'])}{closed}"
    if section == "pct_applications":
        return f"{item['number']} · {format_date(item['filed'])} · {item['title']}"
    if section == "certifications":
        expires = format_date(item.get("expires"))
        return f"{item['scheme_label']} {item['number']} · {format_date(item['issued'])} – {expires}"
    if section == "publications":
        return f"{item['title']} · {item['venue']}, {item['country']} {item['year']}"
    if section == "expenses":
        category = _label(ExpenseCategory, item["category"])
        return f"{category} · {format_date(item['date'])} · {_money(item['value'])} · {item.get('provider', '')}"
    return ""
