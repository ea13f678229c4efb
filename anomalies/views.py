from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import officer_required
from anomalies import selectors, services
from anomalies.forms import AnomalyFilter, ExplanationForm
from anomalies.models import Explanation, Rule
from core.downloads import CSV, attachment
from core.forms import add_validation_error
from core.spreadsheets import csv_bytes_for_excel


def _filters(request: HttpRequest) -> AnomalyFilter:
    return AnomalyFilter(request.GET or None, queryset=Explanation.objects.none())


@officer_required
@require_safe
def anomaly_list(request: HttpRequest):
    filterset = _filters(request)
    filters = filterset.filters_or_default()
    counts = selectors.counts_by_rule(user=request.user, filters=filters)
    context = {
        "filter": filterset,
        "page": selectors.anomaly_page(user=request.user, filters=filters, page_number=request.GET.get("page")),
        "counts": [(rule, counts.get(rule.value, 0)) for rule in Rule],
        "query": request.GET.urlencode(),
        "filters": filters,
        "last_check": selectors.last_check(),
    }
    return render(request, "anomalies/list.html", context)


@officer_required
@require_POST
def zone_check(request: HttpRequest):
    found = services.findings_refresh(actor=request.user)
    messages.success(request, _("Every firm checked: %(count)s anomalies.") % {"count": found})
    return redirect("anomalies:list")


@officer_required
@require_safe
def anomaly_csv(request: HttpRequest):
    filters = _filters(request).filters_or_default()
    header = [_("rule"), _("firm"), _("uscc"), _("year"), _("record"), _("reason"), _("status"), _("link")]
    rows = (
        [
            row.rule,
            row.firm_name,
            row.uscc,
            row.year,
            row.record_id or "",
            row.reason,
            _("explained") if row.is_explained else _("open"),
            request.build_absolute_uri(row.link) if row.link else "",
        ]
        for row in selectors.anomalies_all(user=request.user, filters=filters)
    )
    return attachment(csv_bytes_for_excel([header, *rows]), "anomalies.csv", CSV)


@officer_required
def anomaly_explain(request: HttpRequest, rule: str, enterprise_id: int, year: int, record_id: int):
    anomaly = selectors.anomaly_get(user=request.user, key=(rule, enterprise_id, year, record_id))
    if anomaly is None:
        raise Http404
    explanation = Explanation.objects.filter(pk=anomaly.explanation_id).select_related("explained_by").first()
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = ExplanationForm(request.POST or None, instance=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.anomaly_explain(
                rule=rule,
                enterprise_id=enterprise_id,
                year=year,
                record_id=record_id,
                actor=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Anomaly marked as explained."))
            return redirect(next_url or "anomalies:list")
    history = explanation.history.select_related("history_user").order_by("-history_date") if explanation else []
    context = {"anomaly": anomaly, "form": form, "explanation": explanation, "history": history, "next": next_url}
    return render(request, "anomalies/explain.html", context, status=400 if form.errors else 200)
