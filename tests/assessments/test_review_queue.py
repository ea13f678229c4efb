"""The review queue (/review/): the default "needs action" view, filters, search by firm name and USCC, sorting
by every column, the counts per status, pagination that keeps the filters, batch assignment and a constant
number of queries."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.filters import COLUMNS
from assessments.models import Assessment, AssessmentStatus
from enterprises.models import IndustryGroup
from rewards.models import RoundStatus
from tests.conftest import client_for
from tests.factories import OfficerFactory
from tests.workflow_helpers import make_round, records_for, submitted, verified_row

pytestmark = pytest.mark.django_db

S = AssessmentStatus
STATUS_ORDER = [S.SUBMITTED, S.RETURNED, S.VERIFIED, S.REJECTED]


def _at(year: int, day: int = 1) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 3, day, 9, 30))


def _row(
    status=S.SUBMITTED,
    *,
    name_zh: str,
    name_en: str = "",
    reward_round=None,
    reviewer=None,
    submitted=None,
    year: int = 2014,
    total: str | None = "50",
    stage: int | None = 2,
    industry_group=IndustryGroup.ELECTRONIC_INFORMATION,
) -> int:
    row = verified_row(reward_round, total="1", name_zh=name_zh, name_en=name_en, industry_group=industry_group)
    Assessment.objects.filter(pk=row.pk).update(
        status=status,
        reviewer=reviewer,
        submitted_at=submitted,
        reference_year=year,
        self_total=None if total is None else Decimal(total),
        self_stage=stage,
        industry_group=industry_group,
        **({} if status == S.VERIFIED else {"verified_total": None, "verified_stage": None}),
    )
    return row.pk


@pytest.fixture
def queue(officer):
    """Rows that differ in every column, with ties and empty values. Names start with a digit so that every
    database collation orders them as Python does."""
    other = OfficerFactory(username="reviewer2")
    third = OfficerFactory(username="reviewer3")
    round_a = make_round(name="Round A", status=RoundStatus.CLOSED)
    round_b = make_round(name="Round B", status=RoundStatus.CLOSED)
    rows = {
        # needs action: the officer's own, unassigned and other officers' submitted assessments
        "mine_late": _row(name_zh="3丙科技", name_en="Gamma Tech", reviewer=officer, submitted=_at(2015), total="70"),
        "mine_early": _row(name_zh="5戊科技", name_en="Epsilon", reviewer=officer, submitted=_at(2014), year=2013),
        "free_early": _row(name_zh="1甲科技", name_en="Alpha Tech", reward_round=round_a, submitted=_at(2010)),
        "free_late": _row(name_zh="4丁科技", reward_round=round_b, submitted=_at(2016), total=None, stage=None),
        "other_early": _row(name_zh="2乙科技", name_en="Beta", reviewer=other, submitted=_at(2009), total="90"),
        "other_late": _row(name_zh="3丙科技", name_en="Gamma Two", reviewer=third, submitted=_at(2016), stage=4),
        # decided or back with the firm
        "returned": _row(S.RETURNED, name_zh="6己科技", reward_round=round_a, submitted=_at(2011), total="10"),
        "verified": _row(
            S.VERIFIED,
            name_zh="7庚科技",
            name_en="Geng Biotech",
            reward_round=round_a,
            reviewer=other,
            submitted=_at(2011),
            industry_group=IndustryGroup.BIOPHARMACEUTICAL,
            stage=0,
        ),
        "rejected": _row(S.REJECTED, name_zh="8辛科技", reviewer=officer, submitted=_at(2012), year=2012, stage=1),
    }
    return SimpleNamespace(rows=rows, other=other, third=third, round_a=round_a, round_b=round_b)


def _get(client, **params):
    response = client.get("/review/", params)
    assert response.status_code == 200
    return response


def _queue(client, **params) -> list[int]:
    return [a.pk for a in _get(client, **params).context["page"].object_list]


def _names(rows: dict, pks: list[int]) -> list[str]:
    by_pk = {pk: name for name, pk in rows.items()}
    return [by_pk[pk] for pk in pks]


# ------------------------------------------------------------------------------------------ default view


def test_default_view_needs_action_mine_first(queue, officer):
    response = _get(client_for(officer))
    assert _names(queue.rows, [a.pk for a in response.context["page"].object_list]) == [
        "mine_early",  # mine, oldest submission first
        "mine_late",
        "free_early",  # then unassigned
        "free_late",
        "other_early",  # then the other officers'
        "other_late",
    ]
    html = response.content.decode()
    assert re.search(r'class="nav-link active" aria-current="page" href="[^"]*status=submitted[^"]*"', html)
    assert '<option value="submitted" selected>Needs action</option>' in html
    assert ">you</span>" in html  # the officer's own rows are marked


def test_mine_first_is_per_officer(queue):
    rows = _names(queue.rows, _queue(client_for(queue.other)))
    assert rows == ["other_early", "free_early", "free_late", "mine_early", "mine_late", "other_late"]


def test_the_empty_status_is_the_default_and_all_is_explicit(queue, officer):
    client = client_for(officer)
    assert _queue(client, status="") == _queue(client)
    assert set(_queue(client, status="all")) == set(queue.rows.values())


# ----------------------------------------------------------------------------------------------- filters


def test_status_round_and_other_filters(queue, officer):
    client, rows = client_for(officer), queue.rows
    for status in STATUS_ORDER:
        expected = {pk for name, pk in rows.items() if Assessment.objects.get(pk=pk).status == status}
        assert set(_queue(client, status=status)) == expected, status
    assert set(_queue(client, status="all", round=queue.round_a.pk)) == {
        rows["free_early"],
        rows["returned"],
        rows["verified"],
    }
    assert set(_queue(client, round=queue.round_a.pk)) == {rows["free_early"]}  # needs action in round A
    assert set(_queue(client, status="all", industry_group=IndustryGroup.BIOPHARMACEUTICAL)) == {rows["verified"]}
    assert set(_queue(client, status="all", stage=4)) == {rows["other_late"]}
    assert set(_queue(client, status="all", stage=0)) == {rows["verified"]}
    assert set(_queue(client, status="all", reviewer=queue.other.pk)) == {rows["other_early"], rows["verified"]}
    assert set(_queue(client, status="rejected", reviewer=officer.pk, stage=1)) == {rows["rejected"]}


def test_drafts_never_show(queue, officer):
    draft = _row(S.DRAFT, name_zh="9壬科技", submitted=None)
    client = client_for(officer)
    assert draft not in _queue(client, status="all")
    assert draft not in _queue(client, status="draft")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "nope"}, "needs action"),  # the default status
        ({"round": "abc", "status": "all"}, "all"),  # the other filters still apply
        ({"round": "999999", "status": "returned"}, "returned"),
        ({"stage": "9", "status": "all"}, "all"),
        ({"sort": "bogus", "status": "all"}, "all"),
        ({"q": "x" * 101, "status": "all"}, "all"),  # longer than the search allows: ignored, not a 500
        ({"page": "-3", "status": "all"}, "all"),
    ],
)
def test_invalid_values_are_ignored(queue, officer, params, expected):
    client = client_for(officer)
    response = _get(client, **params)
    wanted = {"needs action": _queue(client), "all": None, "returned": [queue.rows["returned"]]}[expected]
    rows = [a.pk for a in response.context["page"].object_list]
    if wanted is None:
        assert set(rows) == set(queue.rows.values())
    else:
        assert rows == wanted
    if "page" not in params:
        assert response.context["filters"].form.errors  # the form says what was wrong


# ------------------------------------------------------------------------------------------------ search


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("丙科", {"mine_late", "other_late"}),  # Chinese name, part of it
        ("gamma", {"mine_late", "other_late"}),  # English name, any case
        ("GAMMA two", {"other_late"}),
        ("  Alpha Tech  ", {"free_early"}),  # surrounding spaces ignored
        ("biotech", {"verified"}),
        ("庚", {"verified"}),
        ("不存在", set()),
        ("%", set()),  # LIKE wildcards are plain characters
    ],
)
def test_search_by_firm_name_in_both_languages(queue, officer, q, expected):
    assert set(_names(queue.rows, _queue(client_for(officer), q=q, status="all"))) == expected


def test_search_by_uscc(queue, officer):
    client = client_for(officer)
    firm = Assessment.objects.get(pk=queue.rows["returned"]).enterprise
    assert _queue(client, q=firm.uscc, status="all") == [queue.rows["returned"]]
    assert _queue(client, q=firm.uscc.lower(), status="all") == [queue.rows["returned"]]
    assert queue.rows["returned"] in _queue(client, q=firm.uscc[-8:], status="all")
    # the search keeps the status: a returned assessment does not need action
    assert _queue(client, q=firm.uscc) == []


# ----------------------------------------------------------------------------------------------- sorting


def _value(assessment: Assessment, column: str):
    """The column's value as the queue sorts it, or None (sorted last in both directions)."""
    return {
        "firm": assessment.enterprise.name_zh,
        "year": assessment.reference_year,
        "round": assessment.round.name if assessment.round else None,
        "status": STATUS_ORDER.index(assessment.status),
        "submitted": assessment.submitted_at,
        "score": assessment.self_total,
        "stage": assessment.self_stage,
        "reviewer": assessment.reviewer.username if assessment.reviewer else None,
    }[column]


def _expected_order(column: str, descending: bool) -> list[int]:
    rows = list(Assessment.objects.exclude(status=S.DRAFT).select_related("enterprise", "round", "reviewer"))
    present = sorted(
        (a for a in rows if _value(a, column) is not None),
        key=lambda a: (_value(a, column), a.pk),
        reverse=descending,
    )
    missing = sorted((a for a in rows if _value(a, column) is None), key=lambda a: a.pk, reverse=descending)
    return [a.pk for a in present + missing]


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", list(COLUMNS))
def test_sort_by_every_column(queue, officer, column, descending):
    param = f"-{column}" if descending else column
    response = _get(client_for(officer), status="all", sort=param)
    assert [a.pk for a in response.context["page"].object_list] == _expected_order(column, descending)
    header = next(h for h in response.context["headers"] if h["param"] == column)
    assert header["direction"] == ("descending" if descending else "ascending")
    assert header["next"] == ("" if descending else "-") + column  # a second click reverses, a third restores
    html = response.content.decode()
    assert f'aria-sort="{header["direction"]}"' in html
    assert html.count("aria-sort=") == 1


def test_every_column_has_a_sort_link(queue, officer):
    html = _get(client_for(officer), q="科技", status="all").content.decode()
    links = re.findall(r'href="\?([^"]*)" data-sort="(\w+)"', html)
    assert [column for _query, column in links] == list(COLUMNS)
    for query, column in links:
        assert f"sort={column}" in query and "q=%E7%A7%91%E6%8A%80" in query and "status=all" in query
    assert "aria-sort=" not in html  # the default order sorts by no single column


def test_sorting_needs_action_replaces_mine_first(queue, officer):
    rows = _names(queue.rows, _queue(client_for(officer), sort="firm"))
    assert rows == ["free_early", "other_early", "mine_late", "other_late", "free_late", "mine_early"]


# -------------------------------------------------------------------------------------------- the counts


def _counts(response) -> dict[str, int]:
    return {tab["value"]: tab["count"] for tab in response.context["status_tabs"]}


def test_counts_of_each_status(queue, officer):
    client = client_for(officer)
    response = _get(client)
    assert _counts(response) == {"submitted": 6, "returned": 1, "verified": 1, "rejected": 1, "all": 9}
    html = response.content.decode()
    for value, count in _counts(response).items():
        assert re.search(rf'data-status="{value}">[^<]*<span class="badge [^"]*" data-count>{count}</span>', html)
    # the counts follow the search and the round filter, never the status filter
    assert _counts(_get(client, q="科技", status="verified")) == _counts(response)
    assert _counts(_get(client, q="丙")) == {"submitted": 2, "returned": 0, "verified": 0, "rejected": 0, "all": 2}
    assert _counts(_get(client, round=queue.round_a.pk, status="rejected")) == {
        "submitted": 1,
        "returned": 1,
        "verified": 1,
        "rejected": 0,
        "all": 3,
    }


def test_the_counts_are_one_grouped_query(queue, officer):
    client = client_for(officer)
    with CaptureQueriesContext(connection) as queries:
        _get(client, q="科技", round=queue.round_a.pk)
    grouped = [q["sql"] for q in queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1 and '"status"' in grouped[0]


def test_status_links_keep_the_search_and_drop_the_page(queue, officer):
    html = _get(client_for(officer), q="丙", sort="-year", page="1").content.decode()
    links = {status: query for query, status in re.findall(r'href="\?([^"]*)" data-status="(\w+)"', html)}
    assert set(links) == {"submitted", "returned", "verified", "rejected", "all"}
    for status, query in links.items():
        assert f"status={status}" in query and "q=%E4%B8%99" in query and "sort=-year" in query
        assert "page=" not in query


# -------------------------------------------------------------------------------------------- pagination


def _many(n: int, reward_round=None) -> list[int]:
    return [
        _row(name_zh=f"9分页科技{i:02d}", reward_round=reward_round, submitted=_at(2000 + i % 20, 1 + i % 28))
        for i in range(n)
    ]


def test_pagination_keeps_the_filters_and_the_sort(queue, officer):
    client = client_for(officer)
    paged = set(_many(30, reward_round=queue.round_b))
    params = {"q": "分页", "round": queue.round_b.pk, "sort": "-submitted"}
    first = _get(client, **params)
    assert first.context["page"].paginator.count == 30
    html = first.content.decode()
    next_link = re.search(r'<a class="page-link" href="\?([^"]*)">Next', html).group(1).replace("&amp;", "&")
    for part in ("q=%E5%88%86%E9%A1%B5", f"round={queue.round_b.pk}", "sort=-submitted", "page=2"):
        assert part in next_link
    second = client.get(f"/review/?{next_link}")
    rows = [a.pk for a in first.context["page"].object_list] + [a.pk for a in second.context["page"].object_list]
    assert len(rows) == 30 and set(rows) == paged  # no row repeated or skipped
    assert rows == _expected_order_of(rows, "-submitted")
    # the filter form keeps the sort too
    assert '<input type="hidden" name="sort" value="-submitted">' in html


def _expected_order_of(pks: list[int], param: str) -> list[int]:
    rows = Assessment.objects.filter(pk__in=pks)
    return [a.pk for a in sorted(rows, key=lambda a: (a.submitted_at, a.pk), reverse=param.startswith("-"))]


# --------------------------------------------------------------------------------------- batch assignment


def test_batch_assignment_keeps_the_filters(queue, officer):
    second = OfficerFactory(username="assignee")
    client = client_for(officer)
    ids = [queue.rows["free_early"], queue.rows["free_late"]]
    response = client.post("/review/?status=submitted&q=%E7%A7%91", {"assessments": ids, "officer": second.pk})
    assert response.status_code == 302 and response.url == "/review/?status=submitted&q=%E7%A7%91"
    assert set(Assessment.objects.filter(pk__in=ids).values_list("reviewer_id", flat=True)) == {second.pk}
    assert set(_queue(client, reviewer=second.pk)) == set(ids)
    # assigned to someone else, they move behind the officer's own
    assert _names(queue.rows, _queue(client))[:2] == ["mine_early", "mine_late"]
    response = client.post("/review/", {"assessments": ids, "officer": ""})
    assert response.status_code == 302
    assert set(Assessment.objects.filter(pk__in=ids).values_list("reviewer_id", flat=True)) == {None}


def test_batch_assignment_refusals_are_form_errors(firm_a, member_a, officer):
    records_for(firm_a)
    pending = submitted(firm_a, member_a)
    client = client_for(officer)
    member_officer = OfficerFactory(username="insider")
    firm_a.memberships.create(user=member_officer, role="editor")
    response = client.post("/review/", {"assessments": [pending.pk], "officer": member_officer.pk})
    assert response.status_code == 200
    assert "cannot review it" in response.content.decode()
    # a decided assessment in the batch: the whole batch is refused
    decided = verified_row(None, total="40")
    second = OfficerFactory(username="assignee2")
    response = client.post("/review/", {"assessments": [pending.pk, decided.pk], "officer": second.pk})
    assert response.status_code == 200
    assert "no longer possible" in response.content.decode()
    assert set(Assessment.objects.values_list("reviewer_id", flat=True)) == {None}


# ---------------------------------------------------------------------------------------- query count

QUEUE_QUERIES = 9  # session, user, groups, officers (filter and assign lists), rounds, counts, count, page


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "all", "sort": "-score"},
        {"status": "verified", "sort": "reviewer", "q": "分页"},
        {"status": "all", "sort": "firm", "page": "2"},
    ],
)
def test_queue_keeps_a_constant_number_of_queries(params, officer, django_assert_max_num_queries):
    officers = [officer, OfficerFactory(), OfficerFactory()]
    client = client_for(officer)
    client.get("/review/")  # warm the session and content types

    def add(n: int) -> None:
        for i, pk in enumerate(_many(n)):
            status = [S.SUBMITTED, S.VERIFIED][i % 2]
            Assessment.objects.filter(pk=pk).update(reviewer=officers[i % 3], status=status)

    add(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/review/", params).status_code == 200
    add(57)
    with django_assert_max_num_queries(QUEUE_QUERIES), CaptureQueriesContext(connection) as large:
        response = client.get("/review/", params)
    assert len(response.context["page"].object_list) == 25
    assert len(large) == len(small), (len(small), len(large))


QUEUE_FILTERED_QUERIES = QUEUE_QUERIES + 2  # the chosen round and officer are looked up to validate them


def test_the_filtered_queue_keeps_a_constant_number_of_queries(officer, django_assert_max_num_queries):
    reviewer = OfficerFactory()
    reward_round = make_round(status=RoundStatus.CLOSED)
    client = client_for(officer)
    client.get("/review/")
    params = {"round": reward_round.pk, "reviewer": reviewer.pk, "stage": 2, "status": "all", "sort": "score"}

    def add(n: int) -> None:
        for pk in _many(n, reward_round=reward_round):
            Assessment.objects.filter(pk=pk).update(reviewer=reviewer)

    add(3)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get("/review/", params).context["page"].object_list) == 3
    add(37)
    with django_assert_max_num_queries(QUEUE_FILTERED_QUERIES), CaptureQueriesContext(connection) as large:
        response = client.get("/review/", params | {"page": 2})
    assert len(response.context["page"].object_list) == 15
    assert len(large) == len(small), (len(small), len(large))
