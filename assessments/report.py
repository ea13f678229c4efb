"""The maturity report's explanations: the Uppsala ladders and what the next rung takes (pure)."""

from django.utils.translation import gettext_lazy as _

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
    4: _("Already global."),
}

#: expense categories / service-provider categories that help each next stage
NEXT_STAGE_SERVICES = {
    0: ["market_research", "exhibitions", "consulting"],
    1: ["market_research", "exhibitions", "law"],
    2: ["law", "tax", "accounting", "hr", "consulting"],
    3: ["law", "tax", "consulting", "hr"],
    4: ["patent_agency", "certification", "consulting"],
}


def ladder(rungs, current: int) -> list[dict]:
    return [
        {"value": value, "label": label, "help": help_text, "reached": value <= current, "current": value == current}
        for value, label, help_text in rungs
    ]
