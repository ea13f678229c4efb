"""Response and request shapes shared by the routers. Money is a string with two decimals, next to a
`currency`; dates and times are ISO 8601."""

import datetime

from ninja import Schema


class Error(Schema):
    detail: str
    field: str | None = None
    errors: list[dict] | None = None


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}


class Page(Schema):
    next: str | None = None


class RoundSummary(Schema):
    id: int
    name: str
    reference_year: int
    published_at: datetime.datetime | None
    currency: str
    budget: str
    url: str
    results_url: str


class RoundPage(Page):
    items: list[RoundSummary]


class Tier(Schema):
    position: int
    name: str
    top_share: str | None
    top_rank: int | None
    rate: str
    cap: str | None


class Scheme(Schema):
    name: str
    weights: dict
    caps: dict
    neighbouring: dict | list


class Eligibility(Schema):
    min_stage: int
    min_foreign_revenue: str
    sme_only: bool
    registration_types: list[str]
    eligible_expense_categories: list[str]


class RoundDetail(RoundSummary):
    ranked_firms: int
    awards: int
    awarded: str
    requested: str
    unallocated: str
    eligibility: Eligibility
    scheme: Scheme
    tiers: list[Tier]


class ResultRow(Schema):
    rank: int
    enterprise: str
    uscc: str
    total: str
    tier: str
    award: str
    currency: str


class ResultPage(Page):
    round: int
    items: list[ResultRow]


class StatisticsTable(Schema):
    table: str
    currency: str
    year: int | None
    columns: list[str]
    rows: list[dict[str, str | int | None]]
    warnings: list[str]


class Firm(Schema):
    id: int
    name_zh: str
    name_en: str
    uscc: str
    role: str


class FirmPage(Page):
    items: list[Firm]


class QueueItem(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    uscc: str
    reference_year: int
    round_id: int | None
    round: str | None
    status: str
    submitted_at: datetime.datetime | None
    reviewer: str | None
    self_total: str | None
    self_stage: int | None
    verified_total: str | None
    verified_stage: int | None


class QueuePage(Page):
    items: list[QueueItem]
