from django.contrib import admin

from assessments.admin import GuardedHistoryAdmin
from core.admin import ReadOnlyAdmin
from rewards.models import Award, Ranking, RankingRun, RewardRound, RoundStatus, RoundTier


def _round_of(obj):
    return getattr(obj, "round", obj) if obj is not None else None


FROZEN_STATUSES = (RoundStatus.RANKED, RoundStatus.PUBLISHED)


class FrozenWhenPublishedMixin:
    """Ranked and published rounds are read-only in Django admin: a published round is final, and a ranked
    one changes only through the site (re-open for ranking), so its ranking always matches its rules."""

    def _published(self, obj) -> bool:
        reward_round = _round_of(obj)
        return reward_round is not None and reward_round.status in FROZEN_STATUSES

    def has_change_permission(self, request, obj=None):
        return not self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._published(obj) and super().has_delete_permission(request, obj)


class RoundTierInline(FrozenWhenPublishedMixin, admin.TabularInline):
    model = RoundTier
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not self._published(obj) and super().has_add_permission(request, obj)


@admin.register(RewardRound)
class RewardRoundAdmin(FrozenWhenPublishedMixin, GuardedHistoryAdmin):
    list_display = ["name", "reference_year", "status", "budget", "submission_opens", "submission_closes"]
    list_filter = ["status", "reference_year"]
    inlines = [RoundTierInline]
    # created_by is an audit field: set from the request, never chosen (nor required once its user is deleted).
    readonly_fields = ["status", "ranked_at", "published_at", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Ranking)
class RankingAdmin(FrozenWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["round", "rank", "enterprise", "total", "tier"]
    list_filter = ["round"]
    list_select_related = ["round", "enterprise"]
    raw_id_fields = ["assessment", "enterprise"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(RankingAdmin):
    list_display = ["round", "enterprise", "claim_cny", "request", "amount"]
    raw_id_fields = ["ranking", "enterprise"]


@admin.register(RankingRun)
class RankingRunAdmin(ReadOnlyAdmin):
    """What workers did with the rankings of large rounds (the tasks themselves: "Task results")."""

    list_display = ["requested_at", "round", "requested_by", "assessments", "status", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["round", "requested_by"]
