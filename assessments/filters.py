"""The review queue's filters and sort orders (GET parameters of /review/)."""

import django_filters
from django.db.models import F, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.selectors import officers
from assessments.models import AssessmentStatus
from assessments.selectors import reward_rounds
from enterprises.models import IndustryGroup

DEFAULT_SORT = "submitted"
SORTS = {
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "-score": (F("self_total").desc(nulls_last=True), "pk"),
    "score": (F("self_total").asc(nulls_last=True), "pk"),
}


class ReviewQueueFilter(django_filters.FilterSet):
    """Filters the officer's queue. One invalid value shows the whole queue (in submission order), never a 400."""

    # rewards sits above assessments: its rounds come through the assessments selector
    round = django_filters.ModelChoiceFilter(label=_("round"), queryset=lambda request: reward_rounds())
    status = django_filters.ChoiceFilter(
        label=_("status"),
        empty_label=None,
        choices=[("", _("all but draft"))] + [c for c in AssessmentStatus.choices if c[0] != AssessmentStatus.DRAFT],
    )
    industry_group = django_filters.ChoiceFilter(
        label=_("industry group"), empty_label=None, choices=[("", _("all")), *IndustryGroup.choices]
    )
    stage = django_filters.TypedChoiceFilter(
        label=_("stage"),
        field_name="self_stage",
        coerce=int,
        empty_value=None,
        choices=[("", _("all"))] + [(i, str(i)) for i in range(5)],
    )
    reviewer = django_filters.ModelChoiceFilter(label=_("assigned officer"), queryset=lambda request: officers())
    sort = django_filters.ChoiceFilter(
        label=_("sort"),
        empty_label=None,
        method="sort_by",
        choices=[
            ("submitted", _("submission date")),
            ("-submitted", _("newest first")),
            ("-score", _("score, highest first")),
            ("score", _("score, lowest first")),
        ],
    )

    def __init__(self, data=None, *, queryset: QuerySet, **kwargs):
        super().__init__(data, queryset=queryset.order_by(*SORTS[DEFAULT_SORT]), **kwargs)
        for name, field in self.filters.items():  # the labels stand alone above the filters (one label per field)
            field.label = capfirst(field.label or name)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.form.is_valid():
            return queryset
        return super().filter_queryset(queryset)

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS[value])
