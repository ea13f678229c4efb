"""Reward-round writes: open, close, rank (bulk SQL), publish, archive; each one transaction with a row lock."""

import hashlib
import json
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Sum
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from assessments import scoring
from assessments.errors import WorkflowError
from assessments.models import Assessment
from core.db import analyze
from core.formatting import format_datetime
from rewards import ranking
from rewards.allocation import allocate_fen, cap_fen, from_fen, rate_ratio, request_fen, to_fen
from rewards.models import (
    Award,
    Ranking,
    RankingRun,
    RankingRunStatus,
    RewardRound,
    RoundEvent,
    RoundStatus,
    RoundTier,
)
from rewards.selectors import (
    RoundProgress,
    eligible_assessments,
    engine_tiers,
    progress_aggregates,
    round_progress,
)
from rewards.signals import round_changed
from rewards.workflow import RoundAction, round_allows

STREAM_CHUNK = 5000  # rows fetched at a time when streaming a ranking


class ConfirmationRequired(WorkflowError):
    """The action is possible but has consequences the administrator must confirm first (the message names them)."""


def _locked(round_id: int) -> RewardRound:
    return RewardRound.objects.select_for_update().get(pk=round_id)


def _check(reward_round: RewardRound, action: str, actor: User | None, *, run: RankingRun | None = None) -> None:
    """Refuses what the actor or the round's state does not allow, and anything while a worker ranks the round
    (but the ranking `run` itself)."""
    if actor is None or not actor.is_administrator:
        raise WorkflowError(_("Only administrators can manage reward rounds."))
    if not round_allows(reward_round.status, action):
        raise WorkflowError(
            _("The round is %(status)s: “%(action)s” is not possible.")
            % {"status": reward_round.get_status_display().lower(), "action": RoundAction(action).label}
        )
    pending = RankingRun.objects.filter(round=reward_round, status__in=RankingRun.PENDING)
    if run is not None:
        pending = pending.exclude(pk=run.pk)
    if pending.exists():
        raise WorkflowError(_("A worker is ranking this round: wait until it is done (this page shows it)."))


def _log(reward_round: RewardRound, action: str, from_status: str, actor: User, comment: str = "") -> None:
    RoundEvent.objects.create(
        round=reward_round,
        action=action,
        from_status=from_status,
        to_status=reward_round.status,
        actor=actor,
        comment=comment,
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
    _log(reward_round, RoundAction.OPEN, RoundStatus.DRAFT, actor)
    transaction.on_commit(
        lambda: round_changed.send(sender=RewardRound, round_id=round_id, status=RoundStatus.OPEN), robust=True
    )
    return reward_round


def close_warnings(reward_round: RewardRound, progress: RoundProgress, now=None) -> list[str]:
    """What closing now would cut short: the window still running, assessments not yet decided."""
    warnings = []
    if (now or timezone.now()) < reward_round.submission_closes:
        warnings.append(
            _("The submission window runs until %(when)s.") % {"when": format_datetime(reward_round.submission_closes)}
        )
    if progress.drafts:
        warnings.append(_("%(n)s draft assessments can no longer be submitted.") % {"n": progress.drafts})
    if progress.undecided:
        warnings.append(undecided_text(progress))
    return warnings


def undecided_text(progress: RoundProgress) -> str:
    return _(
        "%(n)s assessments are not decided yet: %(submitted)s submitted, %(under_review)s under review, "
        "%(returned)s returned."
    ) % {
        "n": progress.undecided,
        "submitted": progress.submitted,
        "under_review": progress.under_review,
        "returned": progress.returned,
    }


@transaction.atomic
def round_close(*, round_id: int, actor: User, confirmed: bool = False) -> RewardRound:
    """Close for submissions. Closing early or with undecided assessments needs `confirmed`, and the
    round's history records what was confirmed."""
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.CLOSE, actor)
    warnings = close_warnings(reward_round, round_progress(reward_round))
    if warnings and not confirmed:
        raise ConfirmationRequired(" ".join([_("Confirm closing the round:"), *warnings]))
    reward_round.status = RoundStatus.CLOSED
    reward_round.save(update_fields=["status"])
    _log(reward_round, RoundAction.CLOSE, RoundStatus.OPEN, actor, " ".join(warnings))
    return reward_round


def _discard_results(reward_round: RewardRound) -> None:
    with connection.cursor() as cursor:
        for model in (Award, Ranking):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE round_id = %s", [reward_round.pk])


@transaction.atomic
def round_rank(*, round_id: int, actor: User, exclude_undecided: bool = False) -> RewardRound:
    """Freeze Ranking and Award rows: ranks and tiers by one SQL window query, awards by the exact allocation.

    Refused while assessments of the round are undecided, unless the administrator explicitly ranks without
    them (`exclude_undecided`, recorded with their number in the round's history). Bulk SQL throughout
    (DESIGN §6): the previous results go in two DELETEs, the rankings in one INSERT ... SELECT, the awards in
    one COPY (PostgreSQL); only the claims and the allocation run in Python, over rows streamed from the
    database and kept as plain integers (200,000 firms stay well under 100 MB).
    """
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.RANK, actor)
    return _rank(reward_round, actor=actor, exclude_undecided=exclude_undecided)


def _undecided_comment(progress: RoundProgress, *, exclude_undecided: bool) -> str:
    """What the round's history says of undecided assessments; refused while any is left unless excluded."""
    if not progress.undecided:
        return ""
    if not exclude_undecided:
        raise ConfirmationRequired(
            " ".join([undecided_text(progress), _("Decide them first, or rank explicitly without them.")])
        )
    return _("Ranked without %(n)s undecided assessments.") % {"n": progress.undecided}


def _rank(reward_round: RewardRound, *, actor: User, exclude_undecided: bool) -> RewardRound:
    # The review's progress and the decisions the ranking's fingerprint records come from one reading, taken
    # before the ranking: a decision committed after it can only make publishing ask for a new ranking.
    progress_fields, decision_fields = progress_aggregates(), _decision_aggregates()
    counted = Assessment.objects.filter(round=reward_round).aggregate(**{**progress_fields, **decision_fields})
    decisions = {key: counted[key] for key in decision_fields}
    progress = RoundProgress(**{key: counted[key] for key in progress_fields})
    comment = _undecided_comment(progress, exclude_undecided=exclude_undecided)
    from_status = reward_round.status
    _discard_results(reward_round)
    tiers = engine_tiers(reward_round)
    insert_rankings(reward_round, tiers)
    terms = {tier.name: (rate_ratio(tier.rate), cap_fen(tier.cap)) for tier in tiers}
    categories = sorted(set(reward_round.eligible_expense_categories))
    # Streamed, one row of plain values per firm with a tier: no model objects, no Decimal per award.
    ranking_ids, enterprise_ids, claims, requests = [], [], [], []
    for pk, enterprise_id, tier_name, *amounts in _tiered_rows(reward_round, categories):
        claim = ranking.claim_of(amounts)
        rate, cap = terms[tier_name]
        ranking_ids.append(pk)
        enterprise_ids.append(enterprise_id)
        claims.append(claim)
        requests.append(request_fen(claim, rate, cap))
    awards = allocate_fen(requests, to_fen(reward_round.budget, "budget"))
    insert_awards(reward_round, ranking_ids, enterprise_ids, claims, requests, awards)
    analyze(Ranking, Award)
    reward_round.status = RoundStatus.RANKED
    reward_round.ranked_at = timezone.now()
    reward_round.ranked_inputs = ranking_inputs(reward_round, decisions)
    reward_round.save(update_fields=["status", "ranked_at", "ranked_inputs"])
    _log(reward_round, RoundAction.RANK, from_status, actor, comment)
    return reward_round


@transaction.atomic
def round_rank_or_queue(*, round_id: int, actor: User, exclude_undecided: bool = False) -> RankingRun | None:
    """Rank a round now, or, with more than RANKING_BACKGROUND_ASSESSMENTS verified assessments, have a worker
    rank it (the returned run; the round's page follows it). Refusals come at once in both cases."""
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.RANK, actor)
    progress = round_progress(reward_round)
    if progress.verified <= settings.RANKING_BACKGROUND_ASSESSMENTS:
        _rank(reward_round, actor=actor, exclude_undecided=exclude_undecided)
        return None
    _undecided_comment(progress, exclude_undecided=exclude_undecided)
    from rewards.tasks import rank_round  # the task module imports this one

    run = RankingRun.objects.create(
        round=reward_round, requested_by=actor, exclude_undecided=exclude_undecided, assessments=progress.verified
    )
    transaction.on_commit(lambda: rank_round.enqueue(run_id=run.pk), robust=True)
    return run


def ranking_run_execute(*, run_id: int) -> RankingRun | None:
    """A worker ranks the round of a waiting run; None when the run has already ended (its task ran twice).

    Round, then run, are locked as the request that queued the run locked them; a refusal (the round changed
    since: undecided assessments, another state) ends the run FAILED with the reason, nothing changed."""
    pending = RankingRun.objects.filter(pk=run_id, status__in=RankingRun.PENDING)
    round_id = pending.values_list("round_id", flat=True).first()
    if round_id is None:
        return None
    pending.update(status=RankingRunStatus.RUNNING, started_at=timezone.now(), message="")
    try:
        with transaction.atomic():
            reward_round = _locked(round_id)
            run = pending.select_for_update(of=("self",)).select_related("requested_by").first()
            if run is None:
                return None
            _check(reward_round, RoundAction.RANK, run.requested_by, run=run)
            _rank(reward_round, actor=run.requested_by, exclude_undecided=run.exclude_undecided)
            _end_run(run, RankingRunStatus.DONE)
    except (WorkflowError, ValidationError) as error:
        with transaction.atomic():
            run = pending.select_for_update().first()
            if run is not None:
                _end_run(run, RankingRunStatus.FAILED, " ".join(getattr(error, "messages", [str(error)])))
    return RankingRun.objects.get(pk=run_id)


def ranking_run_failed(*, run_id: int, error: Exception, gave_up: bool) -> None:
    """An attempt failed unexpectedly: the run waits for the retry, or, after the last, ends FAILED."""
    with transaction.atomic():
        run = RankingRun.objects.select_for_update().filter(pk=run_id, status__in=RankingRun.PENDING).first()
        if run is None:
            return
        message = f"{type(error).__name__}: {error}"[:2000]
        if gave_up:
            _end_run(run, RankingRunStatus.FAILED, message)
        else:
            run.status, run.message = RankingRunStatus.QUEUED, message
            run.save(update_fields=["status", "message"])


def _end_run(run: RankingRun, status: str, message: str = "") -> None:
    run.status, run.message, run.finished_at = status, message, timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])


def _decision_aggregates() -> dict:
    return {
        "n": Count("pk"),
        "verified": progress_aggregates()["verified"],
        "total": Sum("verified_total"),
        "last": Max("decided_at"),
    }


def ranking_inputs(reward_round: RewardRound, decisions: dict | None = None) -> str:
    """A fingerprint of everything a ranking is computed from: the round's rules and tiers and the decisions
    on its assessments (`decisions`, the `_decision_aggregates` of its assessments, read here when not given).
    Publishing compares it with the one stored at ranking time."""
    if decisions is None:
        decisions = Assessment.objects.filter(round=reward_round).aggregate(**_decision_aggregates())
    rules = RewardRound.objects.filter(pk=reward_round.pk).values(
        "reference_year",
        "budget",
        "scheme_id",
        "min_stage",
        "min_foreign_revenue",
        "sme_only",
        "registration_types",
        "eligible_expense_categories",
    )[0]
    tiers = list(reward_round.tiers.order_by("position").values_list("name", "top_share", "top_rank", "rate", "cap"))
    text = json.dumps([rules, tiers, decisions], default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def round_reopen(*, round_id: int, actor: User, comment: str = "") -> RewardRound:
    """Back from ranked to closed: the ranking and awards are discarded, decisions can change again."""
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.REOPEN, actor)
    _discard_results(reward_round)
    reward_round.status = RoundStatus.CLOSED
    reward_round.ranked_at = None
    reward_round.ranked_inputs = ""
    reward_round.save(update_fields=["status", "ranked_at", "ranked_inputs"])
    _log(reward_round, RoundAction.REOPEN, RoundStatus.RANKED, actor, comment.strip())
    return reward_round


def _tiered_rows(reward_round: RewardRound, categories: list[str]) -> Iterator[tuple]:
    """(ranking id, enterprise id, tier, then the verified expense of each of `categories` as text or None) of
    the ranked firms with a tier, in priority order (rank, then enterprise id), streamed in chunks (a
    server-side cursor on PostgreSQL). The ORM writes the SQL (the JSON key lookups differ per database);
    the rows are read raw: for 200,000 rows the ORM's per-row conversions would cost more than the query."""
    expenses = {
        f"expense_{i}": KeyTextTransform(category, "assessment__verified_expenses")
        for i, category in enumerate(categories)
    }
    queryset = (
        Ranking.objects.filter(round=reward_round)
        .exclude(tier="")
        .annotate(**expenses)
        .order_by("rank", "enterprise_id")
        .values_list("id", "enterprise_id", "tier", *expenses)
    )
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(STREAM_CHUNK):
            yield from rows


def insert_rankings(reward_round: RewardRound, tiers: list[ranking.Tier] | None = None) -> int:
    """INSERT ... SELECT with RANK() OVER: every eligible verified assessment gets its shared rank and tier.

    A firm's tier is the first whose bound its rank meets, the bounds coming from ``ranking.tier_bounds`` for
    the number of eligible firms (counted first) as parameters: the SQL holds no copy of the rule. Should
    that number change before the INSERT (say, a firm's registration type edited meanwhile), the rows inserted
    are the ranking and their tiers are set again from the bounds for their number.
    """
    tiers = engine_tiers(reward_round) if tiers is None else tiers
    eligible = eligible_assessments(reward_round).order_by()
    counted = eligible.count()
    select_sql, params = eligible.values(
        row_assessment=F("pk"), row_enterprise=F("enterprise_id"), row_total=F("verified_total")
    ).query.sql_with_params()
    tier_sql, tier_params = _tier_case("r.row_rank", ranking.tier_bounds(tiers, counted))
    sql = (
        f"INSERT INTO {Ranking._meta.db_table} (round_id, assessment_id, enterprise_id, rank, total, tier) "
        f"SELECT %s, r.row_assessment, r.row_enterprise, r.row_rank, r.row_total, {tier_sql} FROM ("
        f"SELECT e.row_assessment, e.row_enterprise, e.row_total, RANK() OVER (ORDER BY e.row_total DESC) AS row_rank "
        f"FROM ({select_sql}) e) r"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (reward_round.pk, *tier_params, *params))
        inserted = cursor.rowcount
    if inserted != counted:
        _set_tiers(reward_round, ranking.tier_bounds(tiers, inserted))
    return inserted


def _tier_case(rank_sql: str, bounds: list[tuple[ranking.Tier, int]]) -> tuple[str, list]:
    """SQL of the tier name for the rank ``rank_sql``: the first tier whose bound it meets, else ''."""
    if not bounds:
        return "''", []
    whens = " ".join([f"WHEN {rank_sql} <= %s THEN %s"] * len(bounds))
    return f"CASE {whens} ELSE '' END", [value for tier, bound in bounds for value in (bound, tier.name)]


def _set_tiers(reward_round: RewardRound, bounds: list[tuple[ranking.Tier, int]]) -> None:
    tier_sql, tier_params = _tier_case(connection.ops.quote_name("rank"), bounds)
    sql = f"UPDATE {Ranking._meta.db_table} SET tier = {tier_sql} WHERE round_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*tier_params, reward_round.pk])


def insert_awards(
    reward_round: RewardRound,
    ranking_ids: list[int],
    enterprise_ids: list[int],
    claims: list[Decimal],
    request_fen: list[int],
    award_fen: list[int],
) -> None:
    """Insert the awards (same order in every list: ranking, enterprise, claim, request and award in fen)
    without model instances.

    The one branch per database: PostgreSQL takes the rows by COPY (one statement; the rows are integers and
    plain decimals, written in COPY's text format in blocks of STREAM_CHUNK lines rather than adapted value by
    value); SQLite runs in the process, where ``executemany`` of a prepared INSERT costs no round trips.
    """
    if not ranking_ids:
        return
    table = Award._meta.db_table
    columns = "(ranking_id, round_id, enterprise_id, claim_cny, request, amount)"
    rows = zip(ranking_ids, enterprise_ids, claims, request_fen, award_fen, strict=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            round_id = int(reward_round.pk)
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                lines = []
                for ranking_id, enterprise_id, claim, request, amount in rows:
                    lines.append(
                        f"{ranking_id:d}\t{round_id:d}\t{enterprise_id:d}\t{claim:f}\t"
                        f"{_fen_text(request)}\t{_fen_text(amount)}\n"
                    )
                    if len(lines) == STREAM_CHUNK:
                        copy.write("".join(lines))
                        lines.clear()
                copy.write("".join(lines))
        else:
            cursor.executemany(
                f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (ranking_id, reward_round.pk, enterprise_id, claim, from_fen(request), from_fen(amount))
                    for ranking_id, enterprise_id, claim, request, amount in rows
                ],
            )


def _fen_text(fen: int) -> str:
    """Whole fen as the text of a non-negative amount with 2 decimals (what ``from_fen`` gives, as text)."""
    return f"{fen // 100}.{fen % 100:02d}"


@transaction.atomic
def round_publish(*, round_id: int, actor: User) -> RewardRound:
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.PUBLISH, actor)
    if reward_round.ranked_inputs != ranking_inputs(reward_round):
        raise WorkflowError(
            _("The round's rules, tiers or decisions changed after it was ranked. Rank it again before publishing.")
        )
    reward_round.status = RoundStatus.PUBLISHED
    reward_round.published_at = timezone.now()
    reward_round.save(update_fields=["status", "published_at"])
    _log(reward_round, RoundAction.PUBLISH, RoundStatus.RANKED, actor)
    transaction.on_commit(
        lambda: round_changed.send(sender=RewardRound, round_id=round_id, status=RoundStatus.PUBLISHED), robust=True
    )
    return reward_round


@transaction.atomic
def round_archive(*, round_id: int, actor: User) -> RewardRound:
    reward_round = _locked(round_id)
    _check(reward_round, RoundAction.ARCHIVE, actor)
    if reward_round.archived_at is None:
        reward_round.archived_at = timezone.now()
        reward_round.save(update_fields=["archived_at"])
        _log(reward_round, RoundAction.ARCHIVE, reward_round.status, actor)
    return reward_round
