"""Anomaly detection (DESIGN section 8) in SQL, portable to SQLite and PostgreSQL.

Every rule is one SELECT giving (rule, enterprise_id, year, record_id, a, b, currency), joined by UNION ALL
(`detection_sql`); conditions on firms are pushed down into each rule's table scan. Detecting the whole zone
reads every export record (about 1.5 s at 20,000 firms), so it is not done per page view: services.findings_refresh
stores the result as Finding rows (per firm after its data change, for every firm after a rate change, a bulk
import or on demand) and the list and CSV page through those rows in SQL. The review page's firm card and the
explain form detect live, for one firm (`_run`: page and counts per rule in one statement).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from anomalies.models import Explanation, Finding, Rule, ZoneCheck
from assessments.models import Assessment, AssessmentStatus
from assessments.selectors import UNDER_REVIEW_OR_DECIDED
from core.formatting import format_amount, format_date, format_integer
from enterprises.models import AnnualReport, Enterprise, Establishment, EvidenceFile, ExportRecord, Membership
from enterprises.selectors import enterprises_for
from reference.models import ExchangeRate

PAGE_SIZE = 25
GROWTH_FACTOR = 10
STAGE_GAP = 2
MAX_ID = 2**63


class Status:
    OPEN = "open"
    EXPLAINED = "explained"
    ALL = "all"


@dataclass(frozen=True)
class AnomalyFilters:
    rule: str = ""
    year: int | None = None
    search: str = ""
    status: str = Status.OPEN
    #: detect for these firms only (None: every firm)
    enterprise_ids: tuple[int, ...] | None = None
    #: (rule, enterprise_id, year, record_id): exactly one anomaly
    key: tuple[str, int, int, int] | None = None


@dataclass
class Anomaly:
    rule: str
    enterprise_id: int
    year: int
    record_id: int
    a: Decimal | None
    b: Decimal | None
    currency: str
    firm_name: str
    firm_name_en: str
    uscc: str
    explanation_id: int | None
    reason: str = ""
    link: str = ""
    link_label: str = ""

    @property
    def key(self) -> tuple[str, int, int, int]:
        return (self.rule, self.enterprise_id, self.year, self.record_id)

    @property
    def rule_label(self) -> str:
        return Rule(self.rule).label

    @property
    def is_explained(self) -> bool:
        return self.explanation_id is not None


@dataclass
class AnomalyList:
    rows: list[Anomaly]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _cny(amount: str, currency: str, rate: str) -> str:
    """An amount in CNY; NULL when its currency has no rate that year (a NULL fails every comparison)."""
    return f"(CASE WHEN {currency} = 'CNY' THEN {amount} ELSE {amount} * {rate}.cny_per_unit END)"


def _scope(filters: AnomalyFilters, alias: str, year_column: str | None, years_back: int = 0) -> tuple[str, list]:
    """Conditions on one rule's base table: the firm and the year when the filters name them."""
    conditions, params = [], []
    ids = (filters.key[1],) if filters.key else filters.enterprise_ids
    if ids is not None:
        conditions.append(f"{alias}.enterprise_id IN ({', '.join(['%s'] * len(ids)) or 'NULL'})")
        params += list(ids)
    year = filters.key[2] if filters.key else filters.year
    if year is not None and year_column is not None:
        conditions.append(f"{alias}.{year_column} BETWEEN %s AND %s")
        params += [year - years_back, year]
    return " AND ".join(conditions) or "1 = 1", params


def _rules_sql(filters: AnomalyFilters) -> tuple[str, list]:
    """The CTEs ending in `anomalies`: one UNION ALL branch per rule."""
    report, export, rate = _table(AnnualReport), _table(ExportRecord), _table(ExchangeRate)
    establishment, evidence, assessment = _table(Establishment), _table(EvidenceFile), _table(Assessment)
    params: list = []

    export_scope, scope_params = _scope(filters, "e", "year", years_back=1)
    params += scope_params
    ctes = [
        f"""converted AS (
            SELECT e.enterprise_id, e.year, SUM({_cny("e.value", "e.currency", "r")}) AS cny,
                   SUM(CASE WHEN e.currency <> 'CNY' AND r.id IS NULL THEN 1 ELSE 0 END) AS missing
            FROM {export} e LEFT JOIN {rate} r ON r.currency = e.currency AND r.year = e.year
            WHERE {export_scope} GROUP BY e.enterprise_id, e.year)""",
        # the previous recorded year by a window, not a self-join: one sort whatever the planner's estimates
        """exports AS (
            SELECT c.enterprise_id, c.year, c.cny, c.missing,
                   LAG(c.year) OVER (PARTITION BY c.enterprise_id ORDER BY c.year) AS previous_year,
                   LAG(c.cny) OVER (PARTITION BY c.enterprise_id ORDER BY c.year) AS previous_cny,
                   LAG(c.missing) OVER (PARTITION BY c.enterprise_id ORDER BY c.year) AS previous_missing
            FROM converted c)""",
    ]
    evidence_scope, scope_params = _scope(filters, "w", None)
    params += scope_params
    ctes.append(
        f"""shared AS (
            SELECT v.sha256, COUNT(DISTINCT v.enterprise_id) AS firms FROM {evidence} v
            WHERE v.sha256 IN (SELECT w.sha256 FROM {evidence} w WHERE w.sha256 <> '' AND {evidence_scope})
            GROUP BY v.sha256 HAVING COUNT(DISTINCT v.enterprise_id) > 1)"""
    )

    branches = []
    for rule, foreign, total, currency in (
        (Rule.FOREIGN_REVENUE, "revenue_foreign", "revenue_total", "ar.currency"),
        (Rule.FATA, "assets_foreign", "assets_total", "ar.currency"),
        (Rule.FETE, "employees_foreign", "employees_total", "''"),
    ):
        where, scope_params = _scope(filters, "ar", "year")
        branches.append(
            (
                f"""SELECT '{rule.value}' AS rule, ar.enterprise_id, ar.year, ar.id AS record_id,
                CAST(ar.{foreign} AS NUMERIC(24, 2)) AS a, CAST(ar.{total} AS NUMERIC(24, 2)) AS b,
                {currency} AS currency FROM {report} ar WHERE {where} AND ar.{foreign} > ar.{total}""",
                scope_params,
            )
        )
    where, scope_params = _scope(filters, "ar", "year")
    branches.append(
        (
            f"""SELECT '{Rule.EXPORTS_ABOVE_REVENUE.value}', ar.enterprise_id, ar.year, ar.id, x.cny,
            {_cny("ar.revenue_total", "ar.currency", "r")}, 'CNY'
            FROM exports x JOIN {report} ar ON ar.enterprise_id = x.enterprise_id AND ar.year = x.year
            LEFT JOIN {rate} r ON r.currency = ar.currency AND r.year = ar.year
            WHERE {where} AND x.missing = 0 AND x.cny > {_cny("ar.revenue_total", "ar.currency", "r")}""",
            scope_params,
        )
    )
    where, scope_params = _scope(filters, "x", "year")
    branches.append(
        (
            f"""SELECT '{Rule.EXPORT_GROWTH.value}', x.enterprise_id, x.year, 0, x.cny, x.previous_cny, 'CNY'
            FROM exports x WHERE {where} AND x.previous_year = x.year - 1 AND x.missing = 0 AND x.previous_missing = 0
            AND x.previous_cny > 0 AND x.cny > {GROWTH_FACTOR} * x.previous_cny""",
            scope_params,
        )
    )
    where, scope_params = _scope(filters, "v", None)
    uploaded_year, year_params = connection.ops.datetime_extract_sql("year", "v.uploaded_at", (), _tzname())
    branches.append(
        (
            f"""SELECT '{Rule.SHARED_EVIDENCE.value}', v.enterprise_id,
            CAST(MIN({uploaded_year}) AS INTEGER), MIN(v.id),
            MAX(s.firms) - 1, NULL, ''
            FROM {evidence} v JOIN shared s ON s.sha256 = v.sha256 WHERE {where}
            GROUP BY v.enterprise_id, v.sha256""",
            [*year_params, *scope_params],
        )
    )
    where, scope_params = _scope(filters, "es", None)
    opened_year, year_params = connection.ops.date_extract_sql("year", "es.opened", ())
    branches.append(
        (
            f"""SELECT '{Rule.ESTABLISHMENT_DATES.value}', es.enterprise_id,
            CAST({opened_year} AS INTEGER), es.id, NULL, NULL, ''
            FROM {establishment} es WHERE {where} AND es.closed < es.opened""",
            [*year_params, *scope_params],
        )
    )
    where, scope_params = _scope(filters, "sa", "reference_year")
    branches.append(
        (
            f"""SELECT '{Rule.STAGE_GAP.value}', sa.enterprise_id, sa.reference_year, sa.id, sa.self_stage,
            sa.verified_stage, '' FROM {assessment} sa
            WHERE {where} AND sa.status = %s AND sa.self_stage >= sa.verified_stage + {STAGE_GAP}""",
            [*scope_params, AssessmentStatus.VERIFIED.value],
        )
    )
    if filters.key:
        branches = [branch for branch, rule in zip(branches, _BRANCH_RULES, strict=True) if rule == filters.key[0]]
    union = " UNION ALL ".join(sql for sql, _params in branches)
    for _sql, branch_params in branches:
        params += branch_params
    ctes.append(f"anomalies (rule, enterprise_id, year, record_id, a, b, currency) AS ({union})")
    return "WITH " + ",\n".join(ctes), params


_BRANCH_RULES = (
    Rule.FOREIGN_REVENUE,
    Rule.FATA,
    Rule.FETE,
    Rule.EXPORTS_ABOVE_REVENUE,
    Rule.EXPORT_GROWTH,
    Rule.SHARED_EVIDENCE,
    Rule.ESTABLISHMENT_DATES,
    Rule.STAGE_GAP,
)


def _tzname() -> str | None:
    return timezone.get_current_timezone_name()


ORDER = "year DESC, name_zh, enterprise_id, rule, record_id"
COLUMNS = "rule, enterprise_id, year, record_id, a, b, currency, name_zh, name_en, uscc, explanation_id"


def _statement(*, user: User, filters: AnomalyFilters, limit: int | None, offset: int) -> tuple[str, list]:
    ctes, params = _rules_sql(filters)
    conditions = [f"an.enterprise_id NOT IN (SELECT m.enterprise_id FROM {_table(Membership)} m WHERE m.user_id = %s)"]
    params.append(user.pk)
    if filters.status == Status.OPEN:
        conditions.append("ex.id IS NULL")
    elif filters.status == Status.EXPLAINED:
        conditions.append("ex.id IS NOT NULL")
    if filters.key:
        conditions.append("an.enterprise_id = %s AND an.year = %s AND an.record_id = %s")
        params += list(filters.key[1:])
    if filters.year is not None:
        conditions.append("an.year = %s")
        params.append(filters.year)
    sql = f"""{ctes},
        filtered AS (
            SELECT an.rule, an.enterprise_id, an.year, an.record_id, an.a, an.b, an.currency,
                   f.name_zh, f.name_en, f.uscc, ex.id AS explanation_id
            FROM anomalies an JOIN {_table(Enterprise)} f ON f.id = an.enterprise_id
            LEFT JOIN {_table(Explanation)} ex ON ex.rule = an.rule AND ex.enterprise_id = an.enterprise_id
                 AND ex.year = an.year AND ex.record_id = an.record_id
            WHERE {" AND ".join(conditions)})
        SELECT 0 AS kind, {COLUMNS} FROM (
            SELECT {COLUMNS} FROM filtered WHERE {"rule = %s" if filters.rule else "1 = 1"}
            ORDER BY {ORDER} {"LIMIT %s OFFSET %s" if limit is not None else ""}) page
        UNION ALL
        SELECT 1, rule, NULL, NULL, NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL FROM filtered GROUP BY rule
        ORDER BY kind, {ORDER}"""
    if filters.rule:
        params.append(filters.rule)
    if limit is not None:
        params += [limit, offset]
    return sql, params


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _run(*, user: User, filters: AnomalyFilters, limit: int | None = None, offset: int = 0) -> AnomalyList:
    sql, params = _statement(user=user, filters=filters, limit=limit, offset=offset)
    result = AnomalyList(rows=[], counts={})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, rule, enterprise_id, year, record_id, a, b, currency, name, name_en, uscc, explained in cursor:
            if kind == 1:
                result.counts[rule] = int(a)
            else:
                result.rows.append(
                    Anomaly(
                        rule=rule,
                        enterprise_id=enterprise_id,
                        year=int(year),
                        record_id=int(record_id),
                        a=_decimal(a),
                        b=_decimal(b),
                        currency=currency or "",
                        firm_name=name,
                        firm_name_en=name_en or "",
                        uscc=uscc,
                        explanation_id=explained,
                    )
                )
    return result


def detection_sql(filters: AnomalyFilters) -> tuple[str, list]:
    """The live detection: (rule, enterprise_id, year, record_id, a, b, currency) of every anomaly."""
    ctes, params = _rules_sql(filters)
    return f"{ctes} SELECT rule, enterprise_id, year, record_id, a, b, currency FROM anomalies", params


def findings_for(*, user: User, filters: AnomalyFilters, with_rule: bool = True) -> QuerySet[Finding]:
    """The stored anomalies the filters select, without the firms the user belongs to (as the review queue)."""
    explained = Explanation.objects.filter(
        rule=OuterRef("rule"),
        enterprise_id=OuterRef("enterprise_id"),
        year=OuterRef("year"),
        record_id=OuterRef("record_id"),
    )
    findings = Finding.objects.exclude(enterprise__in=enterprises_for(user))
    if filters.status == Status.OPEN:
        findings = findings.exclude(Exists(explained))
    elif filters.status == Status.EXPLAINED:
        findings = findings.filter(Exists(explained))
    if filters.year is not None:
        findings = findings.filter(year=filters.year)
    if filters.search.strip():
        text = filters.search.strip()
        findings = findings.filter(
            Q(enterprise__name_zh__icontains=text)
            | Q(enterprise__name_en__icontains=text)
            | Q(enterprise__uscc__icontains=text)
        )
    if with_rule and filters.rule:
        findings = findings.filter(rule=filters.rule)
    return findings


def counts_by_rule(*, user: User, filters: AnomalyFilters) -> dict[str, int]:
    rows = findings_for(user=user, filters=filters, with_rule=False).order_by().values("rule").annotate(n=Count("pk"))
    return {row["rule"]: row["n"] for row in rows}


def _rows(findings: QuerySet[Finding]) -> list[Anomaly]:
    explanation = Explanation.objects.filter(
        rule=OuterRef("rule"),
        enterprise_id=OuterRef("enterprise_id"),
        year=OuterRef("year"),
        record_id=OuterRef("record_id"),
    ).values("pk")[:1]
    findings = findings.select_related("enterprise").annotate(explanation_id=Subquery(explanation))
    return [
        Anomaly(
            rule=f.rule,
            enterprise_id=f.enterprise_id,
            year=f.year,
            record_id=f.record_id,
            a=f.a,
            b=f.b,
            currency=f.currency,
            firm_name=f.enterprise.name_zh,
            firm_name_en=f.enterprise.name_en,
            uscc=f.enterprise.uscc,
            explanation_id=f.explanation_id,
        )
        for f in findings
    ]


def anomaly_page(*, user: User, filters: AnomalyFilters, page_number, page_size: int = PAGE_SIZE):
    """One page of stored anomalies (described and linked): only its rows are read."""
    page = Paginator(findings_for(user=user, filters=filters), page_size).get_page(page_number)
    page.object_list = describe(_rows(page.object_list))
    return page


def anomalies_all(*, user: User, filters: AnomalyFilters) -> list[Anomaly]:
    """Every stored anomaly the filters select (the CSV download), described."""
    return describe(_rows(findings_for(user=user, filters=filters)))


def last_check() -> ZoneCheck | None:
    return ZoneCheck.objects.order_by("-finished_at").first()


def firm_anomalies(*, user: User, enterprise: Enterprise, limit: int = 10) -> tuple[list[Anomaly], int]:
    """A firm's open anomalies (at most `limit`) and how many there are."""
    result = _run(user=user, filters=AnomalyFilters(enterprise_ids=(enterprise.pk,)), limit=limit)
    return describe(result.rows), result.total


def anomaly_get(*, user: User, key: tuple[str, int, int, int]) -> Anomaly | None:
    """The anomaly with this key if it is still detected and the user may see it (explained or not)."""
    rule, enterprise_id, year, record_id = key
    if rule not in Rule.values or not (0 < enterprise_id < MAX_ID and 0 <= record_id < MAX_ID and year < 2**15):
        return None  # no such anomaly (and numbers the database would not even take)
    rows = _run(user=user, filters=AnomalyFilters(key=key, status=Status.ALL)).rows
    return describe(rows)[0] if rows else None


def _money(value: Decimal | None) -> str:
    return "" if value is None else format_amount(value)


def _ratio(a: Decimal | None, b: Decimal | None) -> str:
    return "∞" if a is None or not b else format_amount(a / b)


def _integer(value: Decimal | None) -> str:
    return "" if value is None else format_integer(value)


def describe(rows: list[Anomaly]) -> list[Anomaly]:
    """Sets each row's reason (with its figures) and link: at most three queries for the whole page."""
    # one query per lookup whatever the page holds (an empty list still asks), so the count never varies
    establishments = Establishment.objects.in_bulk(
        [r.record_id for r in rows if r.rule == Rule.ESTABLISHMENT_DATES] or [0]
    )
    files = EvidenceFile.objects.only("original_name", "sha256").in_bulk(
        [r.record_id for r in rows if r.rule == Rule.SHARED_EVIDENCE] or [0]
    )
    reviewable: dict[int, list[tuple[int, int]]] = {}
    for pk, enterprise_id, year in (
        Assessment.objects.filter(enterprise_id__in={r.enterprise_id for r in rows} or {0})
        .filter(status__in=UNDER_REVIEW_OR_DECIDED)
        .order_by("enterprise_id", "-reference_year", "-submitted_at", "-pk")
        .values_list("pk", "enterprise_id", "reference_year")
    ):
        reviewable.setdefault(enterprise_id, []).append((pk, year))
    for row in rows:
        figures = {"a": _money(row.a), "b": _money(row.b), "currency": row.currency, "year": row.year}
        if row.rule == Rule.FOREIGN_REVENUE:
            row.reason = _(
                "foreign revenue %(a)s %(currency)s above total revenue %(b)s %(currency)s (FSTS %(ratio)s)"
            ) % {**figures, "ratio": _ratio(row.a, row.b)}
        elif row.rule == Rule.FATA:
            row.reason = _(
                "foreign assets %(a)s %(currency)s above total assets %(b)s %(currency)s (FATA %(ratio)s)"
            ) % {**figures, "ratio": _ratio(row.a, row.b)}
        elif row.rule == Rule.FETE:
            row.reason = _("%(a)s employees abroad above %(b)s employees in total (FETE %(ratio)s)") % {
                "a": _integer(row.a),
                "b": _integer(row.b),
                "ratio": _ratio(row.a, row.b),
            }
        elif row.rule == Rule.EXPORTS_ABOVE_REVENUE:
            row.reason = _("exports %(a)s CNY above total revenue %(b)s CNY") % figures
        elif row.rule == Rule.EXPORT_GROWTH:
            row.reason = _("exports %(a)s CNY in %(year)s, %(ratio)s times the %(b)s CNY of %(previous)s") % {
                **figures,
                "ratio": _ratio(row.a, row.b),
                "previous": row.year - 1,
            }
        elif row.rule == Rule.SHARED_EVIDENCE:
            file = files.get(row.record_id)
            others = int(row.a or 0)
            row.reason = ngettext(
                "file “%(name)s” (SHA-256 %(hash)s…) is also attached by %(count)s other firm",
                "file “%(name)s” (SHA-256 %(hash)s…) is also attached by %(count)s other firms",
                others,
            ) % {
                "name": file.original_name if file else "?",
                "hash": file.sha256[:12] if file else "?",
                "count": others,
            }
        elif row.rule == Rule.ESTABLISHMENT_DATES:
            place = establishments.get(row.record_id)
            row.reason = _("%(what)s closed on %(closed)s, before it opened on %(opened)s") % {
                "what": place or "?",
                "closed": format_date(place.closed) if place else "?",
                "opened": format_date(place.opened) if place else "?",
            }
        elif row.rule == Rule.STAGE_GAP:
            row.reason = _("self-reported stage %(a)s, verified stage %(b)s") % {
                "a": _integer(row.a),
                "b": _integer(row.b),
            }
        _link(row, reviewable.get(row.enterprise_id, []))
    return rows


def _link(row: Anomaly, assessments: list[tuple[int, int]]) -> None:
    """Officers open firm records only through a review (enterprises.permissions): the evidence file of a firm
    under review, the assessment itself, or else the firm's assessment of that year (or its latest)."""
    if row.rule == Rule.STAGE_GAP:
        row.link, row.link_label = reverse("review:detail", args=[row.record_id]), _("Assessment")
    elif not assessments:
        row.link, row.link_label = "", ""
    elif row.rule == Rule.SHARED_EVIDENCE:
        row.link, row.link_label = reverse("evidence:download", args=[row.record_id]), _("Evidence file")
    else:
        pk, year = next(((pk, year) for pk, year in assessments if year == row.year), assessments[0])
        row.link = reverse("review:detail", args=[pk])
        row.link_label = _("Assessment %(year)s") % {"year": year}
