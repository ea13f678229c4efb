from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import administrator_required
from assessments.errors import WorkflowError
from assessments.report import expense_category_labels
from assessments.scoring import COMPONENT_KEYS
from core.downloads import CSV, XLSX, attachment
from core.formatting import format_datetime
from core.forms import add_validation_error
from rewards import exports, selectors, services
from rewards.forms import RewardRoundForm, SimulationForm, TierFormSet, tier_initial
from rewards.models import RankingRun, RewardRound, RoundStatus
from rewards.ranking import Tier, validate_tiers
from rewards.simulation import simulate
from rewards.workflow import RoundAction, round_actions, round_allows

PAGE_SIZE = 50


def _published(pk: int) -> RewardRound:
    return get_object_or_404(selectors.published_rounds(), pk=pk)


def public_rounds(request):
    return render(request, "rewards/public_list.html", {"rounds": selectors.published_rounds()})


def public_results(request, pk: int):
    reward_round = _published(pk)
    page = Paginator(selectors.round_results(reward_round), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "round": reward_round,
        "page": page,
        "totals": selectors.award_totals(reward_round),
        "tiers": reward_round.tiers.order_by("position"),
        # claims and requests are the firms' own expense figures: officers see them, the public does not
        "show_claims": request.user.is_authenticated and (request.user.is_officer or request.user.is_administrator),
    }
    return render(request, "rewards/public_results.html", context)


def results_csv(request, pk: int):
    reward_round = _published(pk)
    rows = selectors.result_values(reward_round).iterator(chunk_size=2000)
    return attachment(exports.results_csv(rows), f"round-{reward_round.pk}-results.csv", CSV)


def results_xlsx(request, pk: int):
    reward_round = _published(pk)
    rows = selectors.result_values(reward_round).iterator(chunk_size=2000)
    return attachment(exports.results_xlsx(rows, reward_round.name), f"round-{reward_round.pk}-results.xlsx", XLSX)


@administrator_required
def round_list(request):
    rounds = RewardRound.objects.select_related("scheme").order_by("-reference_year", "-created_at")
    if not request.GET.get("archived"):
        rounds = rounds.filter(archived_at__isnull=True)
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "rewards/round_list.html", {"page": page})


@administrator_required
def round_form(request, pk: int | None = None):
    instance = get_object_or_404(RewardRound, pk=pk) if pk else None
    if instance and instance.status != RoundStatus.DRAFT:
        messages.error(request, _("Only a draft round can be edited."))
        return redirect("rewards:manage", instance.pk)
    form = RewardRoundForm(request.POST or None, instance=instance)
    tiers = TierFormSet(request.POST or None, prefix="tiers", initial=tier_initial(instance) if instance else None)
    if request.method == "POST" and form.is_valid() and tiers.is_valid():
        try:
            reward_round = services.round_save(reward_round=form.instance, tiers=tiers.tiers(), actor=request.user)
        except ValidationError as error:
            add_validation_error(form, error)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Round saved."))
            return redirect("rewards:manage", reward_round.pk)
    return render(request, "rewards/round_form.html", {"form": form, "tiers": tiers, "round": instance})


@administrator_required
def round_manage(request, pk: int):
    reward_round = get_object_or_404(RewardRound.objects.select_related("scheme"), pk=pk)
    progress = selectors.round_progress(reward_round)
    page = Paginator(selectors.round_results(reward_round), PAGE_SIZE).get_page(request.GET.get("page"))
    ineligible = list(selectors.ineligible_assessments(reward_round)[:50])
    context = {
        "round": reward_round,
        "actions": round_actions(reward_round.status),
        "progress": progress,
        "confirm": _confirmations(reward_round, progress),
        "problems": (
            services.validate_round_for_opening(reward_round) if reward_round.status == RoundStatus.DRAFT else []
        ),
        "tiers": reward_round.tiers.order_by("position"),
        "page": page,
        "totals": selectors.award_totals(reward_round),
        "ineligible": [(a, selectors.ineligibility_reasons(reward_round, a)) for a in ineligible],
        "category_labels": expense_category_labels(reward_round.eligible_expense_categories),
        "events": reward_round.events.select_related("actor").order_by("-at", "-pk")[:50],
        "ranking_run": selectors.ranking_run_shown(reward_round),
    }
    return render(request, "rewards/round_manage.html", context)


def _confirmations(reward_round: RewardRound, progress: selectors.RoundProgress) -> dict[str, dict]:
    """What the dialog of each irreversible or costly action says will happen."""
    undecided = services.undecided_text(progress) if progress.undecided else ""
    close_warnings = services.close_warnings(reward_round, progress)
    return {
        RoundAction.CLOSE: {
            "lines": close_warnings or [_("No firm can submit to this round any more.")],
            "needs_check": bool(close_warnings),
            "check_label": _("Close the round all the same."),
        },
        RoundAction.RANK: {
            "lines": [
                _("%(n)s verified assessments are ranked by their verified totals and awards are frozen.")
                % {"n": progress.verified},
                *([undecided] if undecided else []),
            ],
            "needs_check": bool(progress.undecided),
            "check_label": _("Rank without the %(n)s undecided assessments; they get no award.")
            % {"n": progress.undecided},
        },
        RoundAction.REOPEN: {
            "lines": [
                _("The ranking and awards are discarded."),
                _("Officers can decide the round's assessments again; rank the round again afterwards."),
            ]
        },
        RoundAction.PUBLISH: {
            "lines": [
                _("Ranks, tiers and awards become public on the results page."),
                _("Publishing is final: nothing of this round can change afterwards."),
            ]
        },
        RoundAction.ARCHIVE: {
            "lines": [_("The round leaves the list of rounds; it can still be shown with a filter.")]
        },
    }


def _opened_message(reward_round: RewardRound) -> str:
    if timezone.now() < reward_round.submission_opens:
        return _("Round opened. Firms can submit from %(opens)s until %(closes)s.") % {
            "opens": format_datetime(reward_round.submission_opens),
            "closes": format_datetime(reward_round.submission_closes),
        }
    return _("Round opened. Firms can submit now, until %(closes)s.") % {
        "closes": format_datetime(reward_round.submission_closes)
    }


@administrator_required
@require_POST
def round_action(request, pk: int, action: str):
    reward_round = get_object_or_404(RewardRound, pk=pk)
    checked = request.POST.get("confirmed") == "1"
    calls = {
        RoundAction.OPEN: (services.round_open, {}, _opened_message),
        RoundAction.CLOSE: (
            services.round_close,
            {"confirmed": checked},
            lambda r: _("Round closed for submissions."),
        ),
        RoundAction.RANK: (services.round_rank_or_queue, {"exclude_undecided": checked}, _ranked_message),
        RoundAction.REOPEN: (
            services.round_reopen,
            {"comment": request.POST.get("comment", "")[:2000]},
            lambda r: _("Round re-opened for ranking: the ranking was discarded."),
        ),
        RoundAction.PUBLISH: (
            services.round_publish,
            {},
            lambda r: _("Results published. They are public and final."),
        ),
        RoundAction.ARCHIVE: (services.round_archive, {}, lambda r: _("Round archived.")),
    }
    if action not in calls:
        raise Http404
    service, options, done = calls[action]
    try:
        outcome = service(round_id=reward_round.pk, actor=request.user, **options)
    except WorkflowError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done(outcome))
    return redirect("rewards:manage", reward_round.pk)


def _ranked_message(run: RankingRun | None) -> str:
    if run is None:
        return _("Ranking and awards computed and frozen.")
    return _("A worker is ranking the round's %(n)s verified assessments; this page shows when it is done.") % {
        "n": run.assessments
    }


@administrator_required
@require_safe
def ranking_status(request, pk: int):
    """The round page's fragment of a background ranking, which htmx polls every second; once the ranking has
    ended it has the whole page reloaded (HX-Refresh), which then shows the ranking or the failure."""
    reward_round = get_object_or_404(RewardRound, pk=pk)
    run = selectors.ranking_run_shown(reward_round)
    response = render(request, "rewards/_ranking_run.html", {"round": reward_round, "ranking_run": run})
    if request.htmx and (run is None or not run.pending):
        response["HX-Refresh"] = "true"
    return response


@administrator_required
def round_simulate(request, pk: int):
    reward_round = get_object_or_404(RewardRound.objects.select_related("scheme"), pk=pk)
    if not round_allows(reward_round.status, RoundAction.SIMULATE):
        # e.g. a draft has no validated tiers yet: simulating it would fail
        messages.error(
            request,
            _("The round is %(status)s: “%(action)s” is not possible.")
            % {"status": reward_round.get_status_display().lower(), "action": RoundAction.SIMULATE.label},
        )
        return redirect("rewards:manage", reward_round.pk)
    scheme_weights = reward_round.scheme.to_engine().weights
    form = SimulationForm(request.GET or None, weights=scheme_weights, initial={"budget": reward_round.budget})
    tiers = TierFormSet(request.GET or None, prefix="tiers", initial=tier_initial(reward_round))
    context = {"round": reward_round, "form": form, "tiers": tiers, "component_keys": COMPONENT_KEYS}
    if request.GET and form.is_valid() and tiers.is_valid():
        engine_tiers = [Tier(**t) for t in tiers.tiers()]
        try:
            validate_tiers(engine_tiers)
        except ValueError as error:
            tiers._non_form_errors = tiers.error_class([str(error)])
        else:
            current, simulated, moves = simulate(
                reward_round, budget=form.cleaned_data["budget"], tiers=engine_tiers, weights=form.weights()
            )
            changed = [m for m in moves if m.rank_change or m.award_change or m.tier_changed]
            context.update(
                {
                    "current": current,
                    "simulated": simulated,
                    "moves": Paginator(changed, PAGE_SIZE).get_page(request.GET.get("page")),
                    "unchanged": len(moves) - len(changed),
                    "budget_change": form.cleaned_data["budget"] - reward_round.budget,
                    "zero": Decimal(0),
                }
            )
    return render(request, "rewards/simulate.html", context)
