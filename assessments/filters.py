"""The review queue's filters and sort orders (GET parameters of /review/).

Without parameters the queue shows what needs an officer's action: submitted assessments, the officer's own
assigned ones first, then unassigned ones, then the others', oldest submission first. An invalid value is
ignored (the form shows the error) and the other filters still apply: never a 400 or a 500."""

import django_filters
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.forms import Select
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.selectors import officers
from assessments.models import AssessmentStatus
from assessments.selectors import reward_rounds
from enterprises.models import IndustryGroup

#: the status shown when none is asked for: submitted and not yet decided
NEEDS_ACTION = AssessmentStatus.SUBMITTED.value
ALL = "all"
#: the status filter's choices, in the order of the counts at the top of the queue
STATUS_CHOICES = [
    (NEEDS_ACTION, _("Needs action")),
    (AssessmentStatus.RETURNED.value, AssessmentStatus.RETURNED.label),
    (AssessmentStatus.VERIFIED.value, AssessmentStatus.VERIFIED.label),
    (AssessmentStatus.REJECTED.value, AssessmentStatus.REJECTED.label),
    (ALL, _("All")),
]
#: the workflow's order, for sorting by status
STATUS_ORDER = Case(
    *[When(status=status, then=Value(i)) for i, (status, _label) in enumerate(STATUS_CHOICES[:-1])],
    default=Value(len(STATUS_CHOICES)),
    output_field=IntegerField(),
)
#: sort parameter → what it sorts by (every column of the queue)
COLUMNS = {
    "firm": F("enterprise__name_zh"),
    "year": F("reference_year"),
    "round": F("round__name"),
    "status": STATUS_ORDER,
    "submitted": F("submitted_at"),
    "score": F("self_total"),
    "stage": F("self_stage"),
    "reviewer": F("reviewer__username"),
}
COLUMN_LABELS = {
    "firm": _("Firm"),
    "year": _("Year"),
    "round": _("Round"),
    "status": _("Status"),
    "submitted": _("Submitted"),
    "score": _("Self-reported"),
    "stage": _("Stage"),
    "reviewer": _("Assigned officer"),
}
SEARCH_MAX_LENGTH = 100


def column_order(param: str) -> list:
    """`firm` or `-firm` → its ORDER BY terms: empty values last in both directions."""
    descending = param.startswith("-")
    column = COLUMNS[param.removeprefix("-")]
    return [column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)]


def needs_action_order(user) -> list:
    """The default order: the officer's own assigned assessments, then unassigned ones, then the others'."""
    mine_first = Case(
        When(reviewer_id=user.pk, then=Value(0)),
        When(reviewer__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return [mine_first.asc(), F("submitted_at").asc(nulls_last=True)]


class QueueOrdering(django_filters.OrderingFilter):
    """Sorts by the queue's columns, in both directions; ties are broken by id (in the same direction), so
    pages never repeat or skip a row."""

    def __init__(self, **kwargs):
        super().__init__(fields=[(param, param) for param in COLUMNS], field_labels=COLUMN_LABELS, **kwargs)

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        params = [param for param in value or [] if param]
        if not params:
            return qs
        terms = [term for param in params for term in column_order(param)]
        return qs.order_by(*terms, "-pk" if params[0].startswith("-") else "pk")


class ReviewQueueFilter(django_filters.FilterSet):
    """Filters and sorts the officer's queue (`request` gives the officer, for "mine first")."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Firm name (Chinese or English) or USCC"),
    )
    # rewards sits above assessments: its rounds come through the assessments selector
    round = django_filters.ModelChoiceFilter(label=_("Round"), queryset=lambda request: reward_rounds())
    status = django_filters.ChoiceFilter(
        label=_("Status"), empty_label=None, choices=STATUS_CHOICES, method="by_status"
    )
    industry_group = django_filters.ChoiceFilter(
        label=_("Industry group"), empty_label=None, choices=[("", _("All")), *IndustryGroup.choices]
    )
    stage = django_filters.TypedChoiceFilter(
        label=_("Stage"),
        field_name="self_stage",
        coerce=int,
        empty_value=None,
        choices=[("", _("All"))] + [(i, str(i)) for i in range(5)],
    )
    reviewer = django_filters.ModelChoiceFilter(label=_("Assigned officer"), queryset=lambda request: officers())
    sort = QueueOrdering(label=_("Sort"))

    #: filters that do not narrow the rows counted per status
    NOT_SCOPE = ("status", "sort")

    def __init__(self, data=None, *, queryset: QuerySet, request, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = NEEDS_ACTION
        super().__init__(data, queryset=queryset, request=request, **kwargs)
        for name, field in self.filters.items():  # the labels stand alone above the filters (one label per field)
            field.label = capfirst(field.label or name)

    @property
    def fields(self) -> list:
        """The form's fields but the sort (a column header's link), with Bootstrap's classes on their widgets:
        the template lays them out itself, a crispy field per filter cost a quarter of the queue's time."""
        form = self.form
        form.is_valid()
        shown = []
        for field in form:
            if field.name == "sort":
                continue
            attrs = field.field.widget.attrs
            classes = "select form-select" if isinstance(field.field.widget, Select) else "textinput form-control"
            attrs["class"] = f"{classes} is-invalid" if field.errors else classes
            shown.append(field)
        return shown

    def scope(self, queryset: QuerySet) -> QuerySet:
        """The queue narrowed by every valid filter but the status: what the status counts count."""
        for name, value in self.form.cleaned_data.items():
            if name not in self.NOT_SCOPE:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        cleaned = self.form.cleaned_data  # only the valid fields: an invalid one is left out
        queryset = self.scope(queryset)
        queryset = self.by_status(queryset, "status", self.chosen_status)
        queryset = queryset.order_by(*needs_action_order(self.request.user), "pk")
        return self.filters["sort"].filter(queryset, cleaned.get("sort"))

    @property
    def status_scope(self) -> QuerySet:
        self.form.is_valid()
        return self.scope(self.queryset.all())

    @property
    def chosen_status(self) -> str:
        return self.form.cleaned_data.get("status") or NEEDS_ACTION

    @property
    def sort_param(self) -> str:
        """The one column the queue is sorted by ('' for the default order)."""
        value = self.form.cleaned_data.get("sort") or []
        return value[0] if len(value) == 1 else ""

    def status_tabs(self, counts: dict[str, int]) -> list[dict]:
        """The status choices with their counts (`selectors.status_counts` of `status_scope`)."""
        return [
            {
                "value": value,
                "label": label,
                "count": counts["total"] if value == ALL else counts.get(value, 0),
                "active": value == self.chosen_status,
            }
            for value, label in STATUS_CHOICES
        ]

    def headers(self) -> list[dict]:
        """One per column: its sort parameter, the direction it is sorted in now, and the parameter of the next
        click (ascending first, then descending)."""
        current = self.sort_param
        headers = []
        for param, label in COLUMN_LABELS.items():
            direction = {param: "ascending", f"-{param}": "descending"}.get(current, "")
            headers.append(
                {
                    "param": param,
                    "label": label,
                    "direction": direction,
                    "next": f"-{param}" if current == param else param,
                }
            )
        return headers

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset if value == ALL else queryset.filter(status=value)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Part of the Chinese or the English name, or of the USCC (in any case)."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
            | Q(enterprise__uscc__icontains=value)
        )
