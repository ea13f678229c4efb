"""Reward-round writes: open, close, rank (bulk SQL), publish, archive; each one transaction with a row lock."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from assessments import scoring
from assessments.errors import WorkflowError
from rewards import ranking
from rewards.allocation import allocate, request_amount
from rewards.models import Award, Ranking, RewardRound, RoundStatus, RoundTier
from rewards.selectors import eligible_assessments, engine_tiers
from rewards.workflow import RoundAction, round_allows


def _locked(round_id: int) -> RewardRound:
    return RewardRound.objects.select_for_update().get(pk=round_id)


def _check(reward_round: RewardRound, action: str, actor: User) -> None:
    if not actor.is_administrator:
        raise WorkflowError(_("Only administrators can manage reward rounds."))
    if not round_allows(reward_round.status, action):
        raise WorkflowError(
            _("The round is %(status)s: “%(action)s” is not possible.")
            % {"status": reward_round.get_status_display().lower(), "action": RoundAction(action).label}
        )


@transaction.atomic
def round_save(*, reward_round: RewardRound, tiers: list[dict], actor: User) -> RewardRound:
    """Create or edit a draft round with its tiers (best first)."""
    if reward_round.pk:
        current = _locked(reward_round.pk)
        _check(current, RoundAction.EDIT, actor)
    elif not actor.is_administrator:
        raise WorkflowError(_("Only administrators can manage reward rounds."))
    else:
        reward_round.created_by = actor
    # created_by is SET_NULL: a round whose creator was deleted must stay editable.
    reward_round.full_clean(exclude=["created_by"])
    reward_round.save()
    reward_round.tiers.all().delete()
    new_tiers = [RoundTier(round=reward_round, position=i, **tier) for i, tier in enumerate(tiers, 1)]
    _validate_tiers(new_tiers)
    RoundTier.objects.bulk_create(new_tiers)
    return reward_round


def _validate_tiers(tiers: list[RoundTier]) -> None:
    """Field rules and constraints of each tier, before writing: bad tiers are a ValidationError, not an
    IntegrityError (the whole save is rolled back)."""
    problems = []
    names = [tier.name for tier in tiers]
    if len(set(names)) != len(names):
        problems.append(_("Each tier needs its own name."))
    for tier in tiers:
        try:
            tier.full_clean(exclude=["round"], validate_unique=False)
        except ValidationError as error:
            label = _("Tier %(position)s (%(name)s)") % {"position": tier.position, "name": tier.name}
            problems += [f"{label}: {message}" for message in error.messages]
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})


def validate_round_for_opening(reward_round: RewardRound) -> list[str]:
    """Everything that must hold before firms can submit; returns the problems (empty: ready)."""
    problems = []
    try:
        reward_round.scheme.to_engine()
    except scoring.SchemeError as error:
        problems.append(_("Scoring scheme: %(error)s") % {"error": error})
    tiers = engine_tiers(reward_round)
    try:
        ranking.validate_tiers(tiers)
    except ValueError as error:
        problems.append(_("Tiers: %(error)s") % {"error": error})
    if reward_round.budget <= 0:
        problems.append(_("The budget must be more than 0."))
    if reward_round.submission_closes <= reward_round.submission_opens:
        problems.append(_("The submission window must close after it opens."))
    if reward_round.review_deadline < reward_round.submission_closes.date():
        problems.append(_("The review deadline must not be before the submission window closes."))
    if not reward_round.eligible_expense_categories:
        problems.append(_("Choose at least one eligible expense category."))
    return problems


@transaction.atomic
def round_open(*, round_id: int, actor: User) -> RewardRound:
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.OPEN, actor)
    problems = validate_round_for_opening(reward_round)
    if problems:
        raise ValidationError(problems)
    reward_round.status = RoundStatus.OPEN
    reward_round.save(update_fields=["status"])
    return reward_round


@transaction.atomic
def round_close(*, round_id: int, actor: User) -> RewardRound:
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.CLOSE, actor)
    reward_round.status = RoundStatus.CLOSED
    reward_round.save(update_fields=["status"])
    return reward_round


@transaction.atomic
def round_rank(*, round_id: int, actor: User) -> RewardRound:
    """Freeze Ranking and Award rows: ranks by one SQL window query, awards by the exact allocation."""
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.RANK, actor)
    Award.objects.filter(round=reward_round).delete()
    Ranking.objects.filter(round=reward_round).delete()
    insert_rankings(reward_round)
    tiers = engine_tiers(reward_round)
    n = Ranking.objects.filter(round=reward_round).count()
    for tier in tiers:
        Ranking.objects.filter(round=reward_round, tier="", rank__lte=ranking.tier_bound(tier, n)).update(tier=tier.name)
    rows = list(
        Ranking.objects.filter(round=reward_round).exclude(tier="").order_by("rank", "enterprise_id")
        .values_list("pk", "enterprise_id", "rank", "total", "tier", "assessment__verified_expenses")
    )
    by_name = {tier.name: tier for tier in tiers}
    categories = set(reward_round.eligible_expense_categories)
    requests = []
    claims = {}
    for pk, _enterprise, _rank, _total, tier_name, expenses in rows:
        claim = sum((Decimal(v) for k, v in (expenses or {}).items() if k in categories), Decimal("0"))
        claims[pk] = claim
        tier = by_name[tier_name]
        requests.append((pk, request_amount(claim, tier.rate, tier.cap)))
    awards = allocate(requests, reward_round.budget)
    request_for = dict(requests)
    Award.objects.bulk_create(
        [
            Award(ranking_id=pk, round=reward_round, enterprise_id=enterprise_id, claim_cny=claims[pk],
                  request=request_for[pk], amount=awards[pk])
            for pk, enterprise_id, *_rest in rows
        ],
        batch_size=2000,
    )
    reward_round.status = RoundStatus.RANKED
    reward_round.ranked_at = timezone.now()
    reward_round.save(update_fields=["status", "ranked_at"])
    return reward_round


def insert_rankings(reward_round: RewardRound) -> int:
    """INSERT ... SELECT with RANK() OVER: every eligible verified assessment gets its shared rank."""
    eligible = eligible_assessments(reward_round).values(
        row_assessment=F("pk"), row_enterprise=F("enterprise_id"), row_total=F("verified_total")
    )
    select_sql, params = eligible.query.sql_with_params()
    table = Ranking._meta.db_table
    sql = (
        f"INSERT INTO {table} (round_id, assessment_id, enterprise_id, rank, total, tier) "
        f"SELECT %s, e.row_assessment, e.row_enterprise, RANK() OVER (ORDER BY e.row_total DESC), e.row_total, '' "
        f"FROM ({select_sql}) e"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (reward_round.pk, *params))
        return cursor.rowcount


@transaction.atomic
def round_publish(*, round_id: int, actor: User) -> RewardRound:
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.PUBLISH, actor)
    reward_round.status = RoundStatus.PUBLISHED
    reward_round.published_at = timezone.now()
    reward_round.save(update_fields=["status", "published_at"])
    return reward_round


@transaction.atomic
def round_archive(*, round_id: int, actor: User) -> RewardRound:
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.ARCHIVE, actor)
    if reward_round.archived_at is None:
        reward_round.archived_at = timezone.now()
        reward_round.save(update_fields=["archived_at"])
    return reward_round
