"""Public pages (the methodology, checking a report's code) and a firm's issued maturity reports (members)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments import services as assessment_services
from enterprises.shortcuts import firm_or_404
from reports import methodology as method
from reports import pdf, selectors, services
from reports.forms import IssueReportForm, VerifyForm
from reports.models import IssuedReport
from reports.presentation import report_context

PAGE_SIZE = 25


@require_GET
def methodology(request):
    """How the scores and awards are computed, with the weights and caps of the scheme in force."""
    scheme = assessment_services.default_scheme()
    return render(request, "reports/methodology.html", method.context(scheme))


@login_required
@require_http_methods(["GET", "POST"])
def issued_list(request, enterprise_id: int):
    """The firm's issued reports (GET); issuing a new one for a year (POST) leads straight to its PDF."""
    firm = firm_or_404(request, enterprise_id)
    if request.method == "POST":
        form = IssueReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a year from the list."))
            return redirect("assessments:maturity", firm.pk)
        try:
            issued = services.report_issue(
                enterprise=firm, reference_year=form.cleaned_data["year"], actor=request.user
            )
        except services.ReportError as error:
            messages.error(request, str(error))
            return redirect(f"{reverse('assessments:maturity', args=[firm.pk])}?year={form.cleaned_data['year']}")
        messages.success(
            request,
            _("Report issued with verification code %(code)s; anyone can check it at %(url)s.")
            % {"code": issued.display_code, "url": verify_url(issued)},
        )
        return redirect("reports:pdf", firm.pk, issued.pk)
    page = Paginator(selectors.reports_for(request.user, firm), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/list.html", {"firm": firm, "page": page})


@login_required
@require_GET
def report_pdf(request, enterprise_id: int, pk: int):
    """The PDF of an issued report: members of the firm only (anyone else gets 404, as for every firm page)."""
    firm = firm_or_404(request, enterprise_id)
    issued = get_object_or_404(selectors.reports_for(request.user, firm), pk=pk)
    html = render_to_string("reports/report_pdf.html", report_context(issued, verify_url(issued)), request=request)
    try:
        document = pdf.render_pdf(html)
    except pdf.PdfUnavailable:
        messages.error(request, _("This server cannot make PDF files at the moment. The report and its code are kept."))
        return redirect("reports:list", firm.pk)
    response = HttpResponse(document, content_type="application/pdf")
    filename = f"maturity-report-{issued.reference_year}-{issued.display_code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def verify_url(issued: IssuedReport) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reports:verify_code", args=[issued.display_code])


@require_GET
def verify(request):
    """The form to check a code; a code given in ?code= goes to its page (or is refused right here)."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        issued = selectors.report_by_code(form.cleaned_data["code"])
        if issued is not None:
            return redirect("reports:verify_code", issued.display_code)
        return _not_valid(request, form)
    return render(request, "reports/verify.html", {"form": form})


@require_GET
def verify_code(request, code: str):
    """Anyone holding a report's code sees what the report states; any other code is not valid (404)."""
    issued = selectors.report_by_code(code)
    if issued is None:
        return _not_valid(request, VerifyForm(initial={"code": code[: VerifyForm.base_fields["code"].max_length]}))
    return render(request, "reports/verify.html", {"form": VerifyForm(), "issued": issued, **report_context(issued)})


def _not_valid(request, form):
    return render(request, "reports/verify.html", {"form": form, "not_valid": True}, status=404)
