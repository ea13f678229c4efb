from django.contrib import admin

from bulkimport.models import ImportBatch
from core.admin import ReadOnlyAdmin


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Read-only: an import batch is an audit record."""

    list_display = [
        "created_at",
        "user",
        "kind",
        "file_name",
        "status",
        "dry_run",
        "rows",
        "created",
        "updated",
        "unchanged",
        "error_count",
        "finished_at",
    ]
    list_filter = ["kind", "status", "dry_run"]
    search_fields = ["file_name", "sha256", "user__username"]
    list_select_related = ["user"]
