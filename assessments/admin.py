from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import Assessment, AssessmentSnapshot, AssessmentTransition, ScoringScheme


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """simple_history's "revert to this version" form saves on POST after checking only the *view* permission:
    refuse it wherever changing the object is refused (read-only assessments, used schemes, published rounds)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(GuardedHistoryAdmin):
    list_display = ["name", "is_default", "created_at"]

    def has_change_permission(self, request, obj=None):
        """A scheme an assessment or an opened round used is immutable: create a new one instead."""
        return not (obj is not None and obj.is_used) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_used) and super().has_delete_permission(request, obj)


class TransitionInline(admin.TabularInline):
    model = AssessmentTransition
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "comment", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(GuardedHistoryAdmin):
    """Read-only: the workflow changes assessments, through its service functions only."""

    list_display = ["enterprise", "reference_year", "round", "status", "self_total", "verified_total", "reviewer"]
    list_filter = ["status", "reference_year", "round"]
    list_select_related = ["enterprise", "round", "reviewer"]
    search_fields = ["enterprise__name_zh", "enterprise__uscc"]
    inlines = [TransitionInline]
    list_per_page = 50  # one per firm and year: 50 rendered per page, no second COUNT(*) of the whole table
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_changelist(self, request, **kwargs):
        return AssessmentChangeList


class AssessmentChangeList(ChangeList):
    """The list shows no scorecard: its rows leave the verified scorecard and expenses (JSON) unread."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer("verified_scorecard", "verified_expenses")


@admin.register(AssessmentSnapshot)
class AssessmentSnapshotAdmin(admin.ModelAdmin):
    list_display = ["assessment", "version", "created_at"]
    list_select_related = ["assessment__enterprise"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
