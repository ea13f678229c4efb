from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.decorators import officer_required
from bulkimport import services
from bulkimport.forms import ImportForm
from bulkimport.kinds import KINDS
from bulkimport.models import ImportBatch
from bulkimport.template_files import template_csv, template_xlsx
from core.downloads import CSV, XLSX, attachment
from core.spreadsheets import csv_bytes_for_excel

ERRORS_SHOWN = 500
HTMX_STOP_POLLING = 286


@officer_required
def upload(request):
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "kind": request.GET.get("kind") if request.GET.get("kind") in KINDS else None,
            "dry_run": request.GET.get("dry_run") != "0",
        },
    )
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        batch = services.import_upload(
            kind=form.cleaned_data["kind"],
            data=upload_file.read(),
            file_name=upload_file.name,
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("bulkimport:batch", pk=batch.pk)
    batches = Paginator(ImportBatch.objects.select_related("user"), 20).get_page(request.GET.get("page"))
    return render(request, "bulkimport/upload.html", {"form": form, "kinds": KINDS.values(), "page": batches})


@officer_required
def template_download(request, kind: str, fmt: str):
    spec = KINDS.get(kind)
    if spec is None or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        return attachment(template_csv(spec), f"import-{kind}.csv", CSV)
    return attachment(template_xlsx(spec), f"import-{kind}.xlsx", XLSX)


def _batch_context(batch: ImportBatch) -> dict:
    return {
        "batch": batch,
        "spec": KINDS[batch.kind],
        "errors": batch.errors[:ERRORS_SHOWN],
        "errors_hidden": max(0, len(batch.errors) - ERRORS_SHOWN),
        "changes_truncated": len(batch.changes) < batch.created + batch.updated,
    }


@officer_required
def batch_detail(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.select_related("user"), pk=pk)
    return render(request, "bulkimport/batch.html", _batch_context(batch))


@officer_required
@require_safe
def batch_status(request, pk: int):
    """The batch page's status fragment, which htmx polls while a worker imports the batch; its answer once the
    batch has ended, status 286, stops the polling."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    response = render(request, "bulkimport/_batch_status.html", _batch_context(batch))
    if request.htmx and not batch.pending:
        response.status_code = HTMX_STOP_POLLING
    return response


@officer_required
def batch_errors_csv(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    rows = [[_("row"), _("column"), _("reason")], *batch.errors]
    return attachment(csv_bytes_for_excel(rows), f"import-{batch.pk}-errors.csv", CSV)
