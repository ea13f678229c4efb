from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import administrator_required
from assessments.errors import WorkflowError
from assessments.models import Assessment
from assessments.report import expense_category_labels
from assessments.scoring import COMPONENT_KEYS
from config.downloads import CSV, XLSX, attachment
from config.forms import add_validation_error
from rewards import exports, selectors, services
from rewards.forms import RewardRoundForm, SimulationForm, TierFormSet, tier_initial
from rewards.models import RewardRound, RoundStatus
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
    }
    return render(request, "rewards/public_results.html", context)


def results_csv(request, pk: int):
    reward_round = _published(pk)
    rows = selectors.round_results(reward_round).iterator(chunk_size=2000)
    return attachment(exports.results_csv(rows), f"round-{reward_round.pk}-results.csv", CSV)


def results_xlsx(request, pk: int):
    reward_round = _published(pk)
    rows = selectors.round_results(reward_round).iterator(chunk_size=2000)
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
    by_status = dict(
        Assessment.objects.filter(round=reward_round)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    page = Paginator(selectors.round_results(reward_round), PAGE_SIZE).get_page(request.GET.get("page"))
    ineligible = list(selectors.ineligible_assessments(reward_round)[:50])
    context = {
        "round": reward_round,
        "actions": round_actions(reward_round.status),
        "by_status": by_status,
        "problems": (
            services.validate_round_for_opening(reward_round) if reward_round.status == RoundStatus.DRAFT else []
        ),
        "tiers": reward_round.tiers.order_by("position"),
        "page": page,
        "totals": selectors.award_totals(reward_round),
        "ineligible": [(a, selectors.ineligibility_reasons(reward_round, a)) for a in ineligible],
        "category_labels": expense_category_labels(reward_round.eligible_expense_categories),
    }
    return render(request, "rewards/round_manage.html", context)


ACTIONS = {
    "open": (services.round_open, _("Round opened: firms can submit now.")),
    "close": (services.round_close, _("Round closed for submissions.")),
    "rank": (services.round_rank, _("Ranking and awards computed and frozen.")),
    "publish": (services.round_publish, _("Results published. They are public and final.")),
    "archive": (services.round_archive, _("Round archived.")),
}


@administrator_required
@require_POST
def round_action(request, pk: int, action: str):
    reward_round = get_object_or_404(RewardRound, pk=pk)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    try:
        service(round_id=reward_round.pk, actor=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(done))
    return redirect("rewards:manage", reward_round.pk)


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
