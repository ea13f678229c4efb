from django.contrib import admin

from bulkimport.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
