"""Reward rounds (DESIGN §4, §6): every action of the round workflow table from every state and by every
role, what opening validates, ranking and awards end to end through the services, publishing as final
(Django admin included), and two administrators acting at once."""

import datetime
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.errors import WorkflowError
from assessments.models import Assessment, ScoringScheme
from assessments.snapshots import item_keys
from enterprises.models import ExpenseCategory, RegistrationType
from reference.models import ExchangeRate
from rewards import ranking, selectors, services, workflow
from rewards.allocation import request_amount
from rewards.models import Award, Ranking, RewardRound, RoundStatus, RoundTier
from tests.conftest import client_for
from tests.factories import AnnualReportFactory, ExpenseFactory
from tests.workflow_helpers import (
    YEAR,
    firm_with_member,
    make_round,
    race,
    records_for,
    submitted,
    verified_row,
    verify_all,
)

pytestmark = pytest.mark.django_db

R = RoundStatus
A = workflow.RoundAction

#: written out independently of workflow.ROUND_TRANSITIONS, which the other tests follow once this one has checked
#: it: state → {action: resulting state}
EXPECTED = {
    R.DRAFT: {A.EDIT: R.DRAFT, A.OPEN: R.OPEN, A.ARCHIVE: R.DRAFT},
    R.OPEN: {A.CLOSE: R.CLOSED, A.SIMULATE: R.OPEN},
    R.CLOSED: {A.RANK: R.RANKED, A.SIMULATE: R.CLOSED},
    R.RANKED: {A.RANK: R.RANKED, A.REOPEN: R.CLOSED, A.PUBLISH: R.PUBLISHED, A.SIMULATE: R.RANKED},
    R.PUBLISHED: {A.ARCHIVE: R.PUBLISHED},
}
TIERS = [
    {"name": "A", "top_share": Decimal("0.2000"), "top_rank": None, "rate": Decimal("0.5000"), "cap": None},
    {"name": "B", "top_share": Decimal("1.0000"), "top_rank": None, "rate": Decimal("0.2000"), "cap": None},
]


def test_expected_table_is_the_round_table():
    assert {s: set(a) for s, a in EXPECTED.items()} == {s: set(a) for s, a in workflow.ROUND_TRANSITIONS.items()}
    for state, actions in EXPECTED.items():
        for action, to in actions.items():
            assert (workflow.ROUND_TRANSITIONS[state][action] or state) == to


def round_in(state: str, administrator) -> RewardRound:
    """A round in `state` with three verified assessments; ranked and published ones went through the services."""
    reward_round = make_round(status=R.CLOSED if state in (R.RANKED, R.PUBLISHED) else state)
    for total in ("70", "60", "50"):
        verified_row(reward_round, total=total, expenses={"exhibition": "100000.00"})
    if state in (R.RANKED, R.PUBLISHED):
        services.round_rank(round_id=reward_round.pk, actor=administrator)
    if state == R.PUBLISHED:
        services.round_publish(round_id=reward_round.pk, actor=administrator)
    return RewardRound.objects.get(pk=reward_round.pk)


def round_state(pk: int) -> dict:
    r = RewardRound.objects.get(pk=pk)
    return {
        "status": r.status,
        "name": r.name,
        "budget": r.budget,
        "archived_at": r.archived_at,
        "ranked_at": r.ranked_at,
        "published_at": r.published_at,
        "tiers": list(RoundTier.objects.filter(round_id=pk).order_by("position").values_list("pk", "name", "rate")),
        "rankings": list(Ranking.objects.filter(round_id=pk).order_by("pk").values_list("pk", "rank", "tier", "total")),
        "awards": list(Award.objects.filter(round_id=pk).order_by("pk").values_list("pk", "amount", "request")),
    }


def act(action: str, reward_round: RewardRound, actor, *, client=None):
    """Take `action` through its service, `round_<action>` (edit: `round_save`; simulate: the simulation page)."""
    if action == A.SIMULATE:
        return client.get(f"/rounds/manage/{reward_round.pk}/simulate/")
    if action == A.EDIT:
        edited = RewardRound.objects.get(pk=reward_round.pk)
        edited.name = "Edited name"
        return services.round_save(reward_round=edited, tiers=TIERS, actor=actor)
    options = {"confirmed": True} if action == A.CLOSE else {}
    return getattr(services, f"round_{action}")(round_id=reward_round.pk, actor=actor, **options)


@pytest.mark.parametrize("state", list(R.values))
@pytest.mark.parametrize("action", list(A.values))
def test_every_round_action_from_every_state(state, action, administrator):
    reward_round = round_in(state, administrator)
    before = round_state(reward_round.pk)
    client = client_for(administrator)
    expected = (workflow.ROUND_TRANSITIONS[state][action] or state) if workflow.round_allows(state, action) else None
    if action == A.SIMULATE:
        response = act(action, reward_round, administrator, client=client)
        if expected:
            assert response.status_code == 200 and "form" in response.context
        else:
            assert response.status_code == 302 and response.url == f"/rounds/manage/{reward_round.pk}/"
            page = client.get(response.url).content.decode()
            assert "is not possible" in page
        assert round_state(reward_round.pk) == before
        return
    if expected is None:
        with pytest.raises(WorkflowError) as refused:
            act(action, reward_round, administrator)
        assert "is not possible" in str(refused.value)
        assert reward_round.get_status_display().lower() in str(refused.value)
        assert round_state(reward_round.pk) == before
        return
    act(action, reward_round, administrator)
    after = round_state(reward_round.pk)
    assert after["status"] == expected
    if action == A.EDIT:
        assert after["name"] == "Edited name"
        assert [name for _pk, name, _rate in after["tiers"]] == ["A", "B"]
    if action == A.ARCHIVE:
        assert after["archived_at"] is not None
    if action == A.RANK:
        assert after["ranked_at"] is not None
        assert [rank for _pk, rank, _tier, _total in after["rankings"]] == [1, 2, 3]
        assert len(after["awards"]) == sum(1 for *_rest, tier, _total in after["rankings"] if tier)
        assert not set(after["rankings"]) & set(before["rankings"])  # ranking again replaces the rows
    if action == A.REOPEN:
        assert after["ranked_at"] is None and after["rankings"] == [] and after["awards"] == []
    if action == A.PUBLISH:
        assert after["published_at"] is not None
        assert after["rankings"] == before["rankings"] and after["awards"] == before["awards"]


ALLOWED = [(state, action) for state in R.values for action in workflow.round_actions(state)]


@pytest.mark.parametrize(("state", "action"), ALLOWED)
def test_only_administrators_manage_rounds(state, action, administrator, officer, member_a):
    reward_round = round_in(state, administrator)
    before = round_state(reward_round.pk)
    for user in (officer, member_a):
        if action == A.SIMULATE:
            assert act(action, reward_round, user, client=client_for(user)).status_code == 403
        else:
            with pytest.raises(WorkflowError, match="Only administrators"):
                act(action, reward_round, user)
        assert round_state(reward_round.pk) == before


def test_only_administrators_create_rounds(officer):
    new = RewardRound(
        name="X",
        reference_year=YEAR,
        submission_opens=timezone.now(),
        submission_closes=timezone.now() + datetime.timedelta(days=3),
        review_deadline=datetime.date(2100, 1, 1),
        budget=Decimal("1"),
        scheme=ScoringScheme.objects.get(is_default=True),
    )
    with pytest.raises(WorkflowError, match="Only administrators"):
        services.round_save(reward_round=new, tiers=TIERS, actor=officer)
    assert not RewardRound.objects.exists()


def test_round_save_refuses_bad_tiers_without_writing(administrator):
    reward_round = make_round(status=R.DRAFT)
    before = round_state(reward_round.pk)
    bad_tier_lists = [
        [{**TIERS[0], "rate": Decimal("1.5")}],
        [{**TIERS[0], "rate": Decimal("0")}],
        [{**TIERS[0], "top_rank": 3}],  # two bounds
        [{**TIERS[0], "top_share": None}],  # no bound
        [TIERS[0], {**TIERS[1], "name": "A"}],  # duplicate name
        [{**TIERS[0], "cap": Decimal("-1")}],
    ]
    for tiers in bad_tier_lists:
        edited = RewardRound.objects.get(pk=reward_round.pk)
        edited.name = "changed"
        with pytest.raises(ValidationError):
            services.round_save(reward_round=edited, tiers=tiers, actor=administrator)
        assert round_state(reward_round.pk) == before


# --------------------------------------------------------------------------------------- opening


def _problems(**changes) -> list[str]:
    tiers = changes.pop("tiers", None)
    reward_round = make_round(status=R.DRAFT, tiers=tiers, **changes)
    return services.validate_round_for_opening(reward_round)


def test_a_valid_round_has_no_problem():
    assert _problems() == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"budget": Decimal("0")}, "budget must be more than 0"),
        ({"eligible_expense_categories": []}, "at least one eligible expense category"),
        ({"review_deadline": datetime.date(2000, 1, 1)}, "review deadline"),
        ({"tiers": []}, "at least one tier"),
        (
            {
                "tiers": [
                    {"name": "A", "top_share": Decimal("0.5"), "rate": Decimal("0.5"), "cap": None},
                    {"name": "B", "top_share": Decimal("0.1"), "rate": Decimal("0.2"), "cap": None},
                ]
            },
            "must be greater than the previous",
        ),
        (
            {
                "tiers": [
                    {"name": "A", "top_share": Decimal("0.3"), "rate": Decimal("0.5"), "cap": None},
                    {"name": "B", "top_share": Decimal("0.3"), "rate": Decimal("0.2"), "cap": None},
                ]
            },
            "must be greater than the previous",
        ),
        (
            {
                "tiers": [
                    {"name": "A", "top_rank": 10, "rate": Decimal("0.5"), "cap": None},
                    {"name": "B", "top_rank": 5, "rate": Decimal("0.2"), "cap": None},
                ]
            },
            "must be greater than the previous",
        ),
    ],
)
def test_opening_validates(changes, message, administrator):
    problems = _problems(**changes)
    assert len(problems) == 1 and message in problems[0], problems
    reward_round = RewardRound.objects.get()
    with pytest.raises(ValidationError) as refused:
        services.round_open(round_id=reward_round.pk, actor=administrator)
    assert message in " ".join(refused.value.messages)
    assert RewardRound.objects.get().status == R.DRAFT


def test_opening_validates_the_schemes_weights(administrator):
    bad = ScoringScheme.objects.create(
        name="Bad",
        weights={
            "stage": "30",
            "geography": "10",
            "tni": "20",
            "breadth": "10",
            "pct": "15",
            "certifications": "10",
            "publications": "4",
        },
        caps={"breadth": 20, "pct": 10, "certifications": 5, "publications": 5},
        neighbouring=[],
    )
    problems = _problems(scheme=bad)
    assert len(problems) == 1 and "weights must sum to 100" in problems[0]


def test_the_window_must_close_after_it_opens(administrator):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():  # a CHECK constraint backs the form and the services
        make_round(status=R.DRAFT, submission_opens=now, submission_closes=now)
    reward_round = make_round(status=R.DRAFT)
    reward_round.submission_closes = reward_round.submission_opens
    with pytest.raises(ValidationError):
        services.round_save(reward_round=reward_round, tiers=TIERS, actor=administrator)
    assert RewardRound.objects.get().submission_closes > RewardRound.objects.get().submission_opens


def test_all_problems_are_listed_on_the_manage_page(administrator):
    reward_round = make_round(status=R.DRAFT, budget=Decimal("0"), eligible_expense_categories=[], tiers=[])
    client = client_for(administrator)
    page = client.get(f"/rounds/manage/{reward_round.pk}/").content.decode()
    for message in ("budget must be more than 0", "eligible expense category", "at least one tier"):
        assert message in page
    response = client.post(f"/rounds/manage/{reward_round.pk}/open/", follow=True)
    assert "budget must be more than 0" in response.content.decode()
    assert RewardRound.objects.get().status == R.DRAFT


# --------------------------------------------------------------------------------------- ranking


def _rank(reward_round, administrator, *, exclude_undecided: bool = False) -> list[tuple]:
    services.round_rank(round_id=reward_round.pk, actor=administrator, exclude_undecided=exclude_undecided)
    return list(
        Ranking.objects.filter(round=reward_round)
        .order_by("rank", "enterprise_id")
        .values_list("enterprise_id", "rank", "tier", "total")
    )


def test_ties_share_a_rank(administrator):
    reward_round = make_round(status=R.CLOSED)
    firms = [verified_row(reward_round, total=t).enterprise_id for t in ("90", "80", "80", "70")]
    ranked = _rank(reward_round, administrator)
    assert [(firm, rank) for firm, rank, _tier, _total in ranked] == [
        (firms[0], 1),
        (firms[1], 2),
        (firms[2], 2),
        (firms[3], 4),
    ]


def test_tied_firms_on_a_tier_boundary_get_the_better_tier(administrator):
    reward_round = make_round(
        status=R.CLOSED,
        tiers=[
            {"name": "Gold", "top_rank": 2, "rate": Decimal("0.5"), "cap": None},
            {"name": "Silver", "top_share": Decimal("0.75"), "rate": Decimal("0.2"), "cap": None},
        ],
    )
    for total in ("90", "80", "80", "70", "60"):
        verified_row(reward_round, total=total)
    ranked = _rank(reward_round, administrator)
    # Gold: rank <= 2, which three firms meet; Silver: rank <= ceil(0.75 * 5) = 4; rank 5: no tier
    assert [(rank, tier) for _firm, rank, tier, _total in ranked] == [
        (1, "Gold"),
        (2, "Gold"),
        (2, "Gold"),
        (4, "Silver"),
        (5, ""),
    ]
    assert Award.objects.filter(round=reward_round).count() == 4


def test_ineligible_firms_are_excluded_and_listed_with_reasons(administrator):
    reward_round = make_round(
        status=R.CLOSED,
        min_stage=2,
        min_foreign_revenue=Decimal("500000"),
        sme_only=True,
        registration_types=[RegistrationType.LIMITED_LIABILITY, RegistrationType.PRIVATE],
    )
    eligible = verified_row(reward_round, total="50", stage=2, foreign_revenue="500000")
    low_stage = verified_row(reward_round, total="90", stage=1)
    low_revenue = verified_row(reward_round, total="80", foreign_revenue="499999.99")
    no_revenue = verified_row(reward_round, total="80", foreign_revenue=None)
    large = verified_row(reward_round, total="70", is_sme=False)
    foreign = verified_row(reward_round, total="60", registration_type=RegistrationType.WHOLLY_FOREIGN)
    # not verified, or another round's: not ranked, not listed
    other = verified_row(make_round(name="Other", status=R.CLOSED), total="99")
    returned = verified_row(reward_round, total="95")
    Assessment.objects.filter(pk=returned.pk).update(status="returned", verified_total=None)

    ranked = _rank(reward_round, administrator, exclude_undecided=True)
    assert [firm for firm, *_ in ranked] == [eligible.enterprise_id]
    ineligible = selectors.ineligible_assessments(reward_round)
    reasons = {a.pk: selectors.ineligibility_reasons(reward_round, a) for a in ineligible}
    assert reasons == {
        low_stage.pk: ["stage 1 below 2"],
        low_revenue.pk: ["verified foreign revenue below the minimum"],
        no_revenue.pk: ["verified foreign revenue below the minimum"],
        large.pk: ["not a verified SME"],
        foreign.pk: ["registration type not eligible"],
    }
    assert other.pk not in reasons
    page = client_for(administrator).get(f"/rounds/manage/{reward_round.pk}/").content.decode()
    assert "Verified but not eligible" in page
    for reason in ("stage 1 below 2", "not a verified SME", "registration type not eligible"):
        assert reason in page


def test_an_empty_round_ranks_to_nothing(administrator):
    reward_round = make_round(status=R.CLOSED)
    assert _rank(reward_round, administrator) == []
    assert RewardRound.objects.get().status == R.RANKED
    assert not Award.objects.exists()
    services.round_publish(round_id=reward_round.pk, actor=administrator)
    response = client_for(None).get(f"/rounds/{reward_round.pk}/")
    assert response.status_code == 200 and "No eligible firm." in response.content.decode()
    assert client_for(None).get(f"/rounds/{reward_round.pk}/results.csv").content.decode() == (
        "rank,enterprise,uscc,total,tier,award\n"
    )


def test_a_round_whose_requests_are_all_zero_awards_nothing(administrator):
    reward_round = make_round(status=R.CLOSED)
    for total in ("60", "50"):
        verified_row(reward_round, total=total, expenses={})
    verified_row(reward_round, total="40", expenses={"exhibition": "0.00"})
    _rank(reward_round, administrator)
    assert list(Award.objects.values_list("request", "amount").distinct()) == [(Decimal("0.00"), Decimal("0.00"))]
    assert selectors.award_totals(RewardRound.objects.get())["unallocated"] == reward_round.budget


def worked_round(budget: str) -> tuple[RewardRound, list[int]]:
    """Tier A: top rank 1, 50 %, cap 30,000; tier B: everybody else, 20 %, no cap; four firms."""
    reward_round = make_round(
        name=f"Budget {budget}",
        status=R.CLOSED,
        budget=Decimal(budget),
        eligible_expense_categories=["exhibition", "training"],
        tiers=[
            {"name": "A", "top_rank": 1, "rate": Decimal("0.5"), "cap": Decimal("30000.00")},
            {"name": "B", "top_share": Decimal("1"), "rate": Decimal("0.2"), "cap": None},
        ],
    )
    firms = [
        verified_row(reward_round, total="90", expenses={"exhibition": "60000.00", "training": "40000.00"}),
        verified_row(reward_round, total="80", expenses={"exhibition": "50000.00", "patent_fees": "99999.00"}),
        verified_row(reward_round, total="80", expenses={"training": "33333.33"}),
        verified_row(reward_round, total="70", expenses={"market_research": "12345.00"}),
    ]
    return reward_round, [f.enterprise_id for f in firms]


def _awards(reward_round) -> list[tuple]:
    return list(
        Award.objects.filter(round=reward_round)
        .order_by("ranking__rank", "enterprise_id")
        .values_list("claim_cny", "request", "amount")
    )


def test_worked_example_when_the_budget_covers_every_request(administrator):
    reward_round, firms = worked_round("100000.00")
    ranked = _rank(reward_round, administrator)
    assert [(f, r, t) for f, r, t, _total in ranked] == [
        (firms[0], 1, "A"),
        (firms[1], 2, "B"),
        (firms[2], 2, "B"),
        (firms[3], 4, "B"),
    ]
    assert _awards(reward_round) == [
        (Decimal("100000.00"), Decimal("30000.00"), Decimal("30000.00")),  # min(cap 30,000, 50 % of 100,000)
        (Decimal("50000.00"), Decimal("10000.00"), Decimal("10000.00")),  # patent fees are not eligible
        (Decimal("33333.33"), Decimal("6666.66"), Decimal("6666.66")),  # 6,666.666 rounded down to the fen
        (Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
    ]
    totals = selectors.award_totals(RewardRound.objects.get(pk=reward_round.pk))
    assert totals["awarded"] == totals["requested"] == Decimal("46666.66")
    assert totals["unallocated"] == Decimal("53333.34")


def test_worked_example_when_oversubscribed(administrator):
    reward_round, _firms = worked_round("10000.00")
    _rank(reward_round, administrator)
    # shares of 10,000 over 46,666.66 requested: 6,428.57|15, 2,142.85|71, 1,428.57|12 → the one fen left goes
    # to the largest remainder (the second firm)
    assert [amount for _claim, _request, amount in _awards(reward_round)] == [
        Decimal("6428.57"),
        Decimal("2142.86"),
        Decimal("1428.57"),
        Decimal("0.00"),
    ]
    totals = selectors.award_totals(RewardRound.objects.get(pk=reward_round.pk))
    assert totals["awarded"] == Decimal("10000.00") and totals["unallocated"] == Decimal("0.00")
    assert all(amount <= request for _claim, request, amount in _awards(reward_round))


def test_claims_end_to_end_through_the_workflow(administrator, officer):
    """Only verified expenses of eligible categories dated in the reference year count, converted to CNY."""
    ExchangeRate.objects.create(currency="USD", year=YEAR, cny_per_unit=Decimal("6.16"))
    reward_round = make_round(
        eligible_expense_categories=[ExpenseCategory.EXHIBITION, ExpenseCategory.TRAINING, ExpenseCategory.PATENT_FEES]
    )
    firm, member = firm_with_member()
    records = records_for(firm)  # exhibition 100,000 CNY in the year
    training = ExpenseFactory(
        enterprise=firm, category="training", currency="USD", amount=Decimal("10000.00"), date=datetime.date(YEAR, 6, 1)
    )
    patents = ExpenseFactory(
        enterprise=firm, category="patent_fees", amount=Decimal("50000.00"), date=datetime.date(YEAR, 7, 1)
    )
    ExpenseFactory(
        enterprise=firm, category="market_research", amount=Decimal("70000.00"), date=datetime.date(YEAR, 8, 1)
    )  # not an eligible category
    ExpenseFactory(
        enterprise=firm, category="exhibition", amount=Decimal("80000.00"), date=datetime.date(YEAR - 1, 8, 1)
    )  # not in the reference year
    assessment = submitted(firm, member, reward_round=reward_round)
    keys = [key for key in item_keys(assessment.current_snapshot.data) if key != f"expenses:{patents.pk}"]
    verify_all(assessment, officer, keys=keys)
    services.round_close(round_id=reward_round.pk, actor=administrator, confirmed=True)
    services.round_rank(round_id=reward_round.pk, actor=administrator)
    award = Award.objects.get(round=reward_round)
    assert records["expense"].amount == Decimal("100000.00") and training.pk
    assert award.claim_cny == Decimal("161600.00")  # 100,000 + 10,000 USD at 6.16; not patents (unverified)
    assert award.request == Decimal("80800.00")  # tier A (top 10 % of 1 firm = rank 1), rate 50 %
    assert award.amount == Decimal("80800.00")


def test_ranking_again_replaces_the_rows(administrator):
    reward_round = make_round(status=R.CLOSED)
    verified_row(reward_round, total="50")
    _rank(reward_round, administrator)
    old_rankings = set(Ranking.objects.values_list("pk", flat=True))
    newcomer = verified_row(reward_round, total="60")
    ranked = _rank(reward_round, administrator)
    assert ranked[0][0] == newcomer.enterprise_id
    assert Ranking.objects.filter(round=reward_round).count() == 2
    assert Award.objects.filter(round=reward_round).count() == Ranking.objects.exclude(tier="").count() == 1
    assert not old_rankings & set(Ranking.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("seed", range(4))
def test_round_rank_agrees_with_the_pure_engine(seed, administrator):
    """The bulk SQL ranking (ranks, n and tier bounds in one INSERT ... SELECT) and the integer request
    arithmetic give exactly what rewards.ranking.compute_results gives for the same entries."""
    rnd = random.Random(seed)
    tiers = [
        [
            {"name": "A", "top_share": Decimal("0.1"), "rate": Decimal("0.5"), "cap": Decimal("20000.00")},
            {"name": "B", "top_share": Decimal("0.3333"), "rate": Decimal("0.3333"), "cap": None},
        ],
        [
            {"name": "A", "top_rank": 3, "rate": Decimal("0.9"), "cap": Decimal("7777.77")},
            {"name": "B", "top_share": Decimal("0.5"), "rate": Decimal("0.25"), "cap": Decimal("10000")},
            {"name": "C", "top_rank": 25, "rate": Decimal("0.0001"), "cap": None},
        ],
        [{"name": "Only", "top_share": Decimal("1"), "rate": Decimal("1"), "cap": None}],
        [
            {"name": "A", "top_rank": 1, "rate": Decimal("0.1234"), "cap": Decimal("0.01")},
            {"name": "B", "top_rank": 2, "rate": Decimal("0.5"), "cap": None},
        ],
    ][seed]
    reward_round = make_round(
        status=R.CLOSED,
        budget=Decimal(rnd.choice(["1000.00", "123456.78", "99999999.99"])),
        eligible_expense_categories=["exhibition", "training"],
        tiers=tiers,
    )
    entries = []
    for _ in range(rnd.randint(20, 30)):
        categories = rnd.sample(["exhibition", "training", "patent_fees"], rnd.randint(0, 3))
        expenses = {c: f"{rnd.randint(0, 10**7) / 100:.2f}" for c in categories}
        row = verified_row(
            reward_round, total=f"{rnd.choice([40, 50, 60, 70])}.{rnd.choice(['00', '50'])}", expenses=expenses
        )
        claim = sum((Decimal(v) for k, v in expenses.items() if k != "patent_fees"), Decimal("0"))
        entries.append(ranking.Entry(row.enterprise_id, row.verified_total, claim))
    expected = ranking.compute_results(entries, selectors.engine_tiers(reward_round), reward_round.budget)
    services.round_rank(round_id=reward_round.pk, actor=administrator)
    got = {
        r.enterprise_id: (r.rank, r.tier or None, getattr(r, "award", None))
        for r in Ranking.objects.filter(round=reward_round).select_related("award")
    }
    assert len(got) == len(expected.results)
    for result in expected.results:
        rank, tier, award = got[result.key]
        assert (rank, tier) == (result.rank, result.tier), result
        if tier is None:
            assert award is None
        else:
            assert (award.claim_cny, award.request, award.amount) == (result.claim_cny, result.request, result.award)


def test_requests_equal_the_exact_rational_formula():
    rnd = random.Random(7)
    claims = [Decimal("0"), Decimal("0.01"), Decimal("1.005"), Decimal("123.456789"), Decimal("99999999999999.99")]
    claims += [Decimal(rnd.randint(0, 10**10)) / 100 for _ in range(300)]
    for rate, cap in [
        (Decimal("0.3"), None),
        (Decimal("0.7777"), Decimal("5.55")),
        (Decimal("1"), Decimal("0.01")),
        (Decimal("0.0001"), Decimal("300000")),
    ]:
        for claim in claims:
            exact = Fraction(rate) * Fraction(claim)
            if cap is not None:
                exact = min(exact, Fraction(cap))
            expected = Decimal(math.floor(exact * 100)) / 100
            assert str(request_amount(claim, rate, cap)) == str(expected.quantize(Decimal("0.01"))), (claim, rate, cap)


# ----------------------------------------------------------------------------------- publication


def test_publishing_is_final(administrator):
    reward_round = round_in(R.PUBLISHED, administrator)
    before = round_state(reward_round.pk)
    for action in (A.RANK, A.PUBLISH, A.EDIT, A.OPEN, A.CLOSE):
        with pytest.raises(WorkflowError, match="is not possible"):
            act(action, reward_round, administrator)
    client = client_for(administrator)
    for action in ("rank", "publish", "open", "close"):
        response = client.post(f"/rounds/manage/{reward_round.pk}/{action}/", follow=True)
        assert "is not possible" in response.content.decode()
    response = client.get(f"/rounds/manage/{reward_round.pk}/edit/")
    assert response.status_code == 302
    assert round_state(reward_round.pk) == before


def _admin_form(reward_round) -> dict:
    local = timezone.localtime
    return {
        "name": "Rewritten",
        "reference_year": reward_round.reference_year,
        "submission_opens_0": local(reward_round.submission_opens).strftime("%Y-%m-%d"),
        "submission_opens_1": local(reward_round.submission_opens).strftime("%H:%M:%S"),
        "submission_closes_0": local(reward_round.submission_closes).strftime("%Y-%m-%d"),
        "submission_closes_1": local(reward_round.submission_closes).strftime("%H:%M:%S"),
        "review_deadline": reward_round.review_deadline.isoformat(),
        "budget": "1.00",
        "scheme": reward_round.scheme_id,
        "min_stage": "0",
        "min_foreign_revenue": "0",
        "registration_types": "[]",
        "eligible_expense_categories": '["exhibition"]',
        "archived_at_0": "",
        "archived_at_1": "",
        "tiers-TOTAL_FORMS": "0",
        "tiers-INITIAL_FORMS": "0",
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "1000",
    }


def test_django_admin_cannot_change_a_published_round(administrator):
    reward_round = round_in(R.PUBLISHED, administrator)
    before = round_state(reward_round.pk)
    client = client_for(administrator)
    ranking = Ranking.objects.filter(round=reward_round).first()
    award = Award.objects.filter(round=reward_round).first()
    tier = reward_round.tiers.first()
    base = "/admin/rewards"
    assert client.get(f"{base}/rewardround/{reward_round.pk}/change/").status_code == 200  # read-only view
    refused = [
        client.post(f"{base}/rewardround/{reward_round.pk}/change/", _admin_form(reward_round)),
        client.get(f"{base}/rewardround/{reward_round.pk}/delete/"),
        client.post(f"{base}/rewardround/{reward_round.pk}/delete/", {"post": "yes"}),
        client.post(f"{base}/ranking/{ranking.pk}/change/", {"rank": "1"}),
        client.post(f"{base}/ranking/{ranking.pk}/delete/", {"post": "yes"}),
        client.post(f"{base}/award/{award.pk}/change/", {"amount": "1"}),
        client.post(f"{base}/award/{award.pk}/delete/", {"post": "yes"}),
        client.post(f"{base}/ranking/", {"action": "delete_selected", "_selected_action": [ranking.pk], "post": "yes"}),
        client.post(f"{base}/award/", {"action": "delete_selected", "_selected_action": [award.pk], "post": "yes"}),
        client.post(
            f"{base}/rewardround/", {"action": "delete_selected", "_selected_action": [reward_round.pk], "post": "yes"}
        ),
    ]
    for response in refused:
        assert response.status_code in (302, 403) or "permission" in response.content.decode().lower()
    assert round_state(reward_round.pk) == before
    assert RoundTier.objects.filter(pk=tier.pk).exists()

    # the history page's "revert" must not bypass it either
    history = RewardRound.history.filter(id=reward_round.pk).earliest("history_date")
    url = f"{base}/rewardround/{reward_round.pk}/history/{history.history_id}/"
    response = client.post(url, _admin_form(reward_round))
    assert response.status_code == 403
    assert round_state(reward_round.pk) == before


def test_django_admin_still_edits_a_draft_round(administrator):
    reward_round = make_round(status=R.DRAFT)
    response = client_for(administrator).post(
        f"/admin/rewards/rewardround/{reward_round.pk}/change/", _admin_form(reward_round)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RewardRound.objects.get().name == "Rewritten"


def test_django_admin_history_revert_of_assessments_is_refused(administrator, officer):
    firm, member = firm_with_member()
    AnnualReportFactory(enterprise=firm, year=YEAR)
    assessment = submitted(firm, member)
    history = Assessment.history.filter(id=assessment.pk).earliest("history_date")
    response = client_for(administrator).post(
        f"/admin/assessments/assessment/{assessment.pk}/history/{history.history_id}/",
        {"enterprise": firm.pk, "reference_year": YEAR, "scheme": assessment.scheme_id, "status": "draft"},
    )
    assert response.status_code == 403
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"


# --------------------------------------------------------------------------------- concurrency


@pytest.mark.django_db(transaction=True)
def test_double_publish_leaves_one_result(administrator):
    reward_round = round_in(R.RANKED, administrator)
    outcomes = race(*[lambda: services.round_publish(round_id=reward_round.pk, actor=administrator)] * 2)
    errors = [error for _result, error in outcomes if error is not None]
    assert len(errors) == 1 and isinstance(errors[0], WorkflowError), outcomes
    published = RewardRound.objects.get(pk=reward_round.pk)
    assert published.status == R.PUBLISHED
    assert RewardRound.history.filter(id=reward_round.pk, status=R.PUBLISHED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ranking_twice_at_once_leaves_one_consistent_ranking(administrator):
    reward_round = make_round(status=R.CLOSED, budget=Decimal("50000.00"))
    for i in range(30):
        verified_row(reward_round, total=str(40 + i % 7), expenses={"exhibition": f"{10000 + i * 1000}.00"})
    outcomes = race(*[lambda: services.round_rank(round_id=reward_round.pk, actor=administrator)] * 2)
    assert all(error is None for _result, error in outcomes), outcomes  # ranking a ranked round again is allowed
    assert Ranking.objects.filter(round=reward_round).count() == 30
    assert Ranking.objects.filter(round=reward_round).values("enterprise").distinct().count() == 30
    totals = selectors.award_totals(RewardRound.objects.get(pk=reward_round.pk))
    assert totals["awarded"] == Decimal("50000.00") and totals["n"] == Award.objects.count()


@pytest.mark.django_db(transaction=True)
def test_publish_racing_a_new_ranking_leaves_a_consistent_round(administrator):
    reward_round = round_in(R.RANKED, administrator)
    outcomes = race(
        lambda: services.round_rank(round_id=reward_round.pk, actor=administrator),
        lambda: services.round_publish(round_id=reward_round.pk, actor=administrator),
    )
    final = RewardRound.objects.get(pk=reward_round.pk)
    assert final.status == R.PUBLISHED
    assert Ranking.objects.filter(round=reward_round).count() == 3
    assert Award.objects.filter(round=reward_round).count() == Ranking.objects.exclude(tier="").count() == 2
    errors = [error for _result, error in outcomes if error is not None]
    assert all(isinstance(error, WorkflowError) for error in errors)
