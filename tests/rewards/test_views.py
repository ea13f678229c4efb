"""Reward-round pages (DESIGN §6, §7): every URL of rewards/urls.py x every role, the public results page
and its CSV/XLSX exports, constant query counts, the what-if simulation and the round form."""

import csv
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.formatting import format_amount
from rewards import services
from rewards.models import Award, Ranking, RewardRound, RoundStatus, RoundTier
from tests.conftest import ROLE_NAMES, client_for
from tests.matrix import LOGIN, check, check_pages, expect
from tests.workflow_helpers import default_scheme, make_round, verified_row

pytestmark = pytest.mark.django_db

R = RoundStatus


def ranked_round(administrator, *, totals=("70", "60", "50"), publish=True, **fields) -> RewardRound:
    reward_round = make_round(status=R.CLOSED, **fields)
    for i, total in enumerate(totals):
        verified_row(reward_round, total=total, expenses={"exhibition": f"{100000 + i}.00"}, name_zh=f"公司{total}-{i}")
    services.round_rank(round_id=reward_round.pk, actor=administrator)
    if publish:
        services.round_publish(round_id=reward_round.pk, actor=administrator)
    return RewardRound.objects.get(pk=reward_round.pk)


@pytest.fixture
def world(role_users, administrator):
    return SimpleNamespace(
        published=ranked_round(administrator, name="Published"),
        ranked=ranked_round(administrator, name="Ranked", publish=False),
        draft=make_round(name="Draft", status=R.DRAFT),
        open=make_round(name="Open", status=R.OPEN),
        users=role_users,
    )


def get_pages(w) -> dict:
    public = expect(200, 200, 200, 200, 200)
    hidden = expect(404, 404, 404, 404, 404)
    admin = expect(LOGIN, 403, 403, 403, 200)
    p, k, d = w.published.pk, w.ranked.pk, w.draft.pk
    pages = {
        "/rounds/": public,
        "/rounds/manage/": admin,
        "/rounds/manage/?archived=1": admin,
        "/rounds/manage/new/": admin,
    }
    for pk in (p,):
        pages |= {f"/rounds/{pk}/": public, f"/rounds/{pk}/results.csv": public, f"/rounds/{pk}/results.xlsx": public}
    for pk in (k, d, w.open.pk, 999999):  # not published (or missing): 404 for everybody, administrators included
        pages |= {f"/rounds/{pk}/": hidden, f"/rounds/{pk}/results.csv": hidden, f"/rounds/{pk}/results.xlsx": hidden}
    for pk in (p, k, d, w.open.pk):
        pages[f"/rounds/manage/{pk}/"] = admin
    pages[f"/rounds/manage/{d}/edit/"] = admin
    pages[f"/rounds/manage/{p}/edit/"] = expect(LOGIN, 403, 403, 403, (302, f"/rounds/manage/{p}/"))
    pages[f"/rounds/manage/{k}/simulate/"] = admin
    pages[f"/rounds/manage/{w.open.pk}/simulate/"] = admin
    pages[f"/rounds/manage/{d}/simulate/"] = expect(LOGIN, 403, 403, 403, (302, f"/rounds/manage/{d}/"))
    pages[f"/rounds/manage/{p}/simulate/"] = expect(LOGIN, 403, 403, 403, (302, f"/rounds/manage/{p}/"))
    pages["/rounds/manage/999999/"] = expect(LOGIN, 403, 403, 403, 404)
    pages[f"/rounds/manage/{k}/ranking/"] = admin  # the fragment a background ranking's page polls
    pages[f"/rounds/manage/{k}/publish/"] = expect(LOGIN, 403, 403, 403, 405)  # GET on an action
    return pages


def matrix_urls(w):
    return list(get_pages(w))


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_get_pages_by_role(role, world):
    check_pages(client_for(world.users.get(role)), get_pages(world), role)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_round_actions_by_role(role, world):
    client = client_for(world.users.get(role))
    url = f"/rounds/manage/{world.open.pk}/close/"
    expected = expect(LOGIN, 403, 403, 403, (302, f"/rounds/manage/{world.open.pk}/"))[role]
    check(client.post(url, {"confirmed": "1"}), expected, role, url)
    assert RewardRound.objects.get(pk=world.open.pk).status == (R.CLOSED if role == "administrator" else R.OPEN)
    check(client.post(f"/rounds/manage/{world.open.pk}/explode/"), expect(LOGIN, 403, 403, 403, 404)[role], role, "x")
    form = client.post("/rounds/manage/new/", {"name": "Sneaky"})
    check(form, expect(LOGIN, 403, 403, 403, 200)[role], role, "create")
    assert not RewardRound.objects.filter(name="Sneaky").exists()


def test_round_actions_through_the_page(administrator):
    reward_round = make_round(status=R.DRAFT)
    verified_row(reward_round, total="50", expenses={"exhibition": "1000.00"})
    client = client_for(administrator)
    for action, status in (
        ("open", R.OPEN),
        ("close", R.CLOSED),
        ("rank", R.RANKED),
        ("rank", R.RANKED),
        ("publish", R.PUBLISHED),
        ("archive", R.PUBLISHED),
    ):
        response = client.post(f"/rounds/manage/{reward_round.pk}/{action}/", {"confirmed": "1"}, follow=True)
        assert response.status_code == 200
        assert RewardRound.objects.get().status == status
    assert RewardRound.objects.get().archived_at is not None
    assert list(client.get("/rounds/manage/").context["page"].object_list) == []
    assert len(client.get("/rounds/manage/?archived=1").context["page"].object_list) == 1


# ------------------------------------------------------------------------------------ public results


def test_public_results_page(world):
    html = client_for(None).get(f"/rounds/{world.published.pk}/").content.decode()
    for ranking in Ranking.objects.filter(round=world.published).select_related("enterprise"):
        assert ranking.enterprise.name_zh in html and ranking.enterprise.uscc in html
    assert "final" in html
    assert world.ranked.name not in client_for(None).get("/rounds/").content.decode()
    assert world.published.name in client_for(None).get("/rounds/").content.decode()


@pytest.mark.parametrize(
    ("role", "sees_claims"), [(None, False), ("member_a", False), ("officer", True), ("administrator", True)]
)
def test_public_results_show_claims_and_requests_only_to_officers(world, request, role, sees_claims):
    """Seen: every visitor saw each firm's claimed and requested expense amounts."""
    award = Award.objects.filter(round=world.published).first()
    user = request.getfixturevalue(role) if role else None
    html = client_for(user).get(f"/rounds/{world.published.pk}/").content.decode()
    assert ("Claim (CNY)" in html) is sees_claims
    assert ("Request (CNY)" in html) is sees_claims
    assert (format_amount(award.claim_cny) in html) is sees_claims
    assert format_amount(award.amount) in html
    assert html.index("results.xlsx") < html.index("results.csv"), "the XLSX is offered first"


def test_results_csv_is_exactly_the_stable_interface(administrator):
    reward_round = ranked_round(
        administrator,
        totals=("70", "60", "60", "9.5"),
        budget=Decimal("50000.00"),
        tiers=[
            {"name": "A", "top_rank": 1, "rate": Decimal("0.5"), "cap": Decimal("30000")},
            {"name": "B", "top_rank": 3, "rate": Decimal("0.1"), "cap": None},
        ],
    )
    response = client_for(None).get(f"/rounds/{reward_round.pk}/results.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="round-{reward_round.pk}-results.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == ["rank", "enterprise", "uscc", "total", "tier", "award"]
    expected = []
    rankings = Ranking.objects.filter(round=reward_round).select_related("enterprise").order_by("rank", "enterprise_id")
    for ranking in rankings:
        award = Award.objects.filter(ranking=ranking).first()
        expected.append(
            [
                str(ranking.rank),
                ranking.enterprise.name_zh,
                ranking.enterprise.uscc,
                f"{ranking.total:.2f}",
                ranking.tier,
                f"{award.amount:.2f}" if award else "0.00",
            ]
        )
    assert rows[1:] == expected
    # requests: A min(30,000, 50 % of 100,000) = 30,000; B 10 % of 100,001 = 10,000.10 and 10,000.20 → 50,000.30
    # against a 50,000 budget: oversubscribed, Σ awards = budget
    assert [row[0] for row in rows[1:]] == ["1", "2", "2", "4"]
    assert [row[3] for row in rows[1:]] == ["70.00", "60.00", "60.00", "9.50"]
    assert [row[4] for row in rows[1:]] == ["A", "B", "B", ""]
    assert rows[4][5] == "0.00"
    assert sum(Decimal(row[5]) for row in rows[1:]) == Decimal("50000.00")
    assert all(len(row[5].split(".")[1]) == 2 for row in rows[1:])


def test_results_xlsx_opens_with_openpyxl(world):
    response = client_for(None).get(f"/rounds/{world.published.pk}/results.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == ("rank", "enterprise", "uscc", "total", "tier", "award")
    csv_rows = list(
        csv.reader(io.StringIO(client_for(None).get(f"/rounds/{world.published.pk}/results.csv").content.decode()))
    )
    assert len(rows) == len(csv_rows) == 4
    for xlsx_row, csv_row in zip(rows[1:], csv_rows[1:], strict=True):
        assert xlsx_row[0] == int(csv_row[0]) and xlsx_row[1:3] == tuple(csv_row[1:3])
        assert Decimal(str(xlsx_row[3])).quantize(Decimal("0.01")) == Decimal(csv_row[3])
        assert Decimal(str(xlsx_row[5])).quantize(Decimal("0.01")) == Decimal(csv_row[5])
    # the award is grouped by thousands in the spreadsheet program's language; the total is a score
    assert workbook.active.cell(row=2, column=6).number_format == "#,##0.00"
    assert workbook.active.cell(row=2, column=4).number_format == "0.00"
    assert isinstance(workbook.active.cell(row=2, column=6).value, int | float)


RESULTS_QUERIES = 5  # anonymous: round, count, award totals, tiers, page of rankings with firms and awards
MANAGE_QUERIES = 11  # session, user, groups, round, progress, count, ineligible, totals, tiers, page, events


def _grow(reward_round, administrator, n: int) -> None:
    RewardRound.objects.filter(pk=reward_round.pk).update(status=R.CLOSED)
    for i in range(n):
        verified_row(reward_round, total=str(10 + i % 50), expenses={"exhibition": f"{5000 + i}.00"})
    services.round_rank(round_id=reward_round.pk, actor=administrator)
    services.round_publish(round_id=reward_round.pk, actor=administrator)


@pytest.mark.parametrize(
    ("who", "url", "bound"),
    [
        ("anonymous", "/rounds/{pk}/", RESULTS_QUERIES),
        ("administrator", "/rounds/manage/{pk}/", MANAGE_QUERIES),
    ],
)
def test_results_pages_keep_a_constant_number_of_queries(who, url, bound, administrator, django_assert_max_num_queries):
    reward_round = make_round(status=R.CLOSED)
    client = client_for(administrator if who == "administrator" else None)
    _grow(reward_round, administrator, 3)
    path = url.format(pk=reward_round.pk)
    client.get(path)
    with CaptureQueriesContext(connection) as small, django_assert_max_num_queries(bound):
        assert client.get(path).status_code == 200
    _grow(reward_round, administrator, 37)
    # some verified but ineligible assessments too, listed with their reasons on the manage page
    RewardRound.objects.filter(pk=reward_round.pk).update(min_stage=3)
    for _ in range(5):
        verified_row(reward_round, total="20", stage=1)
    with CaptureQueriesContext(connection) as large, django_assert_max_num_queries(bound):
        response = client.get(path)
    assert response.context["page"].paginator.count >= 40
    assert len(large) == len(small), (len(small), len(large))


# ------------------------------------------------------------------------------------------ simulation


def _tier_data(tiers: list[tuple]) -> dict:
    data = {
        "tiers-TOTAL_FORMS": str(len(tiers)),
        "tiers-INITIAL_FORMS": "0",
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "10",
    }
    for i, (name, bound, value, rate, cap) in enumerate(tiers):
        data |= {
            f"tiers-{i}-name": name,
            f"tiers-{i}-bound": bound,
            f"tiers-{i}-value": value,
            f"tiers-{i}-rate": rate,
            f"tiers-{i}-cap": cap,
        }
    return data


ROUND_TIERS = [("A", "share", "10", "50", ""), ("B", "share", "50", "30", "200000")]  # make_round's tiers


def _frozen(reward_round) -> dict:
    return {
        "round": RewardRound.objects.filter(pk=reward_round.pk).values().get(),
        "tiers": list(RoundTier.objects.filter(round=reward_round).values()),
        "rankings": list(Ranking.objects.filter(round=reward_round).order_by("pk").values()),
        "awards": list(Award.objects.filter(round=reward_round).order_by("pk").values()),
        "history": RewardRound.history.count(),
    }


@pytest.fixture
def simulated_round(administrator):
    reward_round = ranked_round(
        administrator, totals=[str(t) for t in range(90, 40, -5)], publish=False, budget=Decimal("100000.00")
    )
    return reward_round


def _simulate(client, reward_round, **params):
    data = {"budget": str(reward_round.budget), **_tier_data(ROUND_TIERS), **params}
    response = client.get(f"/rounds/manage/{reward_round.pk}/simulate/", data)
    assert response.status_code == 200
    return response


def test_a_bigger_budget_changes_awards_without_saving(simulated_round, administrator):
    client = client_for(administrator)
    before = _frozen(simulated_round)
    same = _simulate(client, simulated_round)
    assert same.context["simulated"].total_awarded == same.context["current"].total_awarded == Decimal("100000.00")
    assert same.context["unchanged"] == 10
    response = _simulate(client, simulated_round, budget="1000000.00")
    current, simulated = response.context["current"], response.context["simulated"]
    assert current.total_awarded == Decimal("100000.00")  # oversubscribed now
    assert simulated.total_awarded == simulated.total_requested > current.total_awarded
    assert simulated.unallocated == Decimal("1000000.00") - simulated.total_requested
    assert any(move.award_change > 0 for move in response.context["moves"])
    assert _frozen(simulated_round) == before


def test_changed_weights_reorder_firms(administrator):
    reward_round = make_round(status=R.CLOSED)
    stage_firm = verified_row(reward_round, total="30.00", subscores={"stage": "1"}, expenses={"exhibition": "1000.00"})
    pct_firm = verified_row(
        reward_round, total="20.00", subscores={"pct": "1", "publications": "1"}, expenses={"exhibition": "1000.00"}
    )
    services.round_rank(round_id=reward_round.pk, actor=administrator)
    before = _frozen(reward_round)
    weights = {
        "stage": "0",
        "geography": "0",
        "tni": "0",
        "breadth": "0",
        "pct": "50",
        "certifications": "0",
        "publications": "50",
    }
    response = _simulate(
        client_for(administrator), reward_round, change_weights="on", **{f"weight_{k}": v for k, v in weights.items()}
    )
    moves = {move.enterprise_id: move for move in response.context["moves"]}
    assert moves[pct_firm.enterprise_id].current.rank == 2 and moves[pct_firm.enterprise_id].simulated.rank == 1
    assert moves[pct_firm.enterprise_id].simulated.total == Decimal("100.00")
    assert moves[stage_firm.enterprise_id].simulated.rank == 2 and moves[stage_firm.enterprise_id].rank_change == -1
    assert _frozen(reward_round) == before


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {
                "change_weights": "on",
                "weight_stage": "31",
                "weight_geography": "10",
                "weight_tni": "20",
                "weight_breadth": "10",
                "weight_pct": "15",
                "weight_certifications": "10",
                "weight_publications": "5",
            },
            "must sum to 100",
        ),
        ({"change_weights": "on", "weight_stage": "30"}, "Give every weight"),
        ({"change_weights": "on", "weight_stage": "-5"}, "greater than or equal to 0"),
        ({"budget": "-1"}, "greater than or equal to 0"),
        ({"budget": "lots"}, "Enter a number"),
        ({"budget": "1.234"}, "decimal places"),
        (
            _tier_data([("A", "share", "50", "50", ""), ("B", "share", "10", "30", "")]),
            "must be greater than the previous",
        ),
        (_tier_data([("A", "rank", "5", "50", ""), ("B", "rank", "5", "30", "")]), "must be greater than the previous"),
        (_tier_data([("A", "share", "150", "50", "")]), "at most 100%"),
        (_tier_data([("A", "rank", "2.5", "50", "")]), "whole number"),
        (_tier_data([("A", "share", "10", "150", "")]), "less than or equal to 100"),
        (_tier_data([("A", "share", "10", "0", "")]), "greater than or equal to 0.01"),
        (_tier_data([("A", "share", "10", "50", ""), ("A", "share", "20", "30", "")]), "its own name"),
        (_tier_data([]), "at least one tier"),
        ({"tiers-TOTAL_FORMS": "", "tiers-INITIAL_FORMS": ""}, "at least one tier"),  # tampered management form
    ],
)
def test_bad_simulation_input_is_a_form_error(params, message, simulated_round, administrator):
    before = _frozen(simulated_round)
    response = _simulate(client_for(administrator), simulated_round, **params)
    assert "simulated" not in response.context
    assert message in response.content.decode().replace("&#x27;", "'"), message
    assert _frozen(simulated_round) == before


def test_simulation_of_an_open_round_with_no_verified_firm(administrator):
    reward_round = make_round(status=R.OPEN)
    response = _simulate(client_for(administrator), reward_round, budget="5")
    assert response.context["simulated"].results == []


# ------------------------------------------------------------------------------------------ round form


def _round_data(**changes) -> dict:
    now = timezone.localtime()
    data = {
        "name": "Round 2015",
        "reference_year": "2015",
        "submission_opens": (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "submission_closes": (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "review_deadline": (now + datetime.timedelta(days=60)).strftime("%Y-%m-%d"),
        "budget": "2000000.00",
        "scheme": str(default_scheme().pk),
        "min_stage": "1",
        "min_foreign_revenue": "0",
        "registration_types": ["llc", "private"],
        "eligible_expense_categories": ["exhibition", "training"],
        **_tier_data([("Gold", "rank", "10", "50", "300000"), ("Silver", "share", "40", "20", "")]),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_create_a_round(administrator):
    response = client_for(administrator).post("/rounds/manage/new/", _round_data())
    reward_round = RewardRound.objects.get()
    assert response.status_code == 302 and response.url == f"/rounds/manage/{reward_round.pk}/"
    assert (reward_round.status, reward_round.created_by, reward_round.budget) == (
        R.DRAFT,
        administrator,
        Decimal("2000000.00"),
    )
    assert reward_round.registration_types == ["llc", "private"]
    tiers = list(reward_round.tiers.order_by("position").values_list("name", "top_rank", "top_share", "rate", "cap"))
    assert tiers == [
        ("Gold", 10, None, Decimal("0.5000"), Decimal("300000.00")),
        ("Silver", None, Decimal("0.4000"), Decimal("0.2000"), None),
    ]
    assert services.validate_round_for_opening(reward_round) == []


def test_edit_a_draft_round_replaces_its_tiers(administrator):
    client = client_for(administrator)
    client.post("/rounds/manage/new/", _round_data())
    reward_round = RewardRound.objects.get()
    page = client.get(f"/rounds/manage/{reward_round.pk}/edit/")
    assert page.context["tiers"].initial[0]["name"] == "Gold"
    response = client.post(
        f"/rounds/manage/{reward_round.pk}/edit/",
        _round_data(name="Renamed", **_tier_data([("Only", "share", "100", "10", "")])),
    )
    assert response.status_code == 302
    assert RewardRound.objects.get().name == "Renamed"
    assert list(RoundTier.objects.values_list("name", flat=True)) == ["Only"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"reference_year": "next year"}, "reference_year"),
        ({"submission_closes": "2000-01-01T00:00"}, "submission_closes"),
        ({"submission_opens": "not a date"}, "submission_opens"),
        ({"review_deadline": "2000-01-01"}, "review_deadline"),
        ({"budget": "-5"}, "budget"),
        ({"budget": "1e400"}, "budget"),
        ({"scheme": "999999"}, "scheme"),
        ({"min_stage": "9"}, "min_stage"),
        ({"registration_types": ["martian"]}, "registration_types"),
        ({"eligible_expense_categories": ["bribes"]}, "eligible_expense_categories"),
    ],
)
def test_round_form_errors_write_nothing(changes, field, administrator):
    response = client_for(administrator).post("/rounds/manage/new/", _round_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not RewardRound.objects.exists() and not RoundTier.objects.exists()


def _plausible_round_cases() -> list[tuple[dict, str, str]]:
    """(changes, field, message): years to the current one, planned dates up to five years ahead."""
    today = timezone.localdate()
    dates = f"Enter a date from 1980-01-01 to {today.year + 5}-12-31."
    return [
        ({"reference_year": str(today.year + 1)}, "reference_year", f"Enter a year from 1980 to {today.year}."),
        ({"reference_year": "1979"}, "reference_year", f"Enter a year from 1980 to {today.year}."),
        ({"submission_opens": "0001-01-01T00:00"}, "submission_opens", dates),
        ({"submission_closes": "9999-12-31T23:59"}, "submission_closes", dates),
        ({"review_deadline": "9999-12-31"}, "review_deadline", dates),
        ({"review_deadline": f"{today.year + 6}-01-01"}, "review_deadline", dates),
    ]


@pytest.mark.parametrize("case", range(len(_plausible_round_cases())))
def test_round_years_and_dates_are_plausible(case, administrator):
    changes, field, message = _plausible_round_cases()[case]
    response = client_for(administrator).post("/rounds/manage/new/", _round_data(**changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field], response.context["form"].errors
    assert not RewardRound.objects.exists() and not RoundTier.objects.exists()


def test_a_round_for_the_current_year(administrator):
    this_year = str(timezone.localdate().year)
    response = client_for(administrator).post("/rounds/manage/new/", _round_data(reference_year=this_year))
    assert response.status_code == 302 and RewardRound.objects.get().reference_year == int(this_year)


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([("A", "share", "150", "50", "")], "at most 100%"),
        ([("A", "rank", "1.5", "50", "")], "whole number"),
        ([("A", "share", "10", "101", "")], "less than or equal to 100"),
        ([("A", "share", "10", "50", "-3")], "greater than or equal to 0.01"),
        ([("A", "share", "10", "50", ""), ("A", "share", "20", "10", "")], "its own name"),
        ([], "at least one tier"),
    ],
)
def test_round_form_tier_errors_write_nothing(tiers, message, administrator):
    response = client_for(administrator).post("/rounds/manage/new/", _round_data(**_tier_data(tiers)))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not RewardRound.objects.exists() and not RoundTier.objects.exists()


def test_editing_a_draft_with_bad_input_changes_nothing(administrator):
    reward_round = make_round(status=R.DRAFT, created_by=None)
    before = _frozen(reward_round)
    client = client_for(administrator)
    response = client.post(
        f"/rounds/manage/{reward_round.pk}/edit/", _round_data(name="", **_tier_data([("A", "share", "10", "50", "")]))
    )
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert _frozen(reward_round) == before
    # a round whose creator is gone stays editable
    response = client.post(f"/rounds/manage/{reward_round.pk}/edit/", _round_data(name="Fine"))
    assert response.status_code == 302 and RewardRound.objects.get().name == "Fine"
    assert RewardRound.objects.get().scheme == default_scheme()
