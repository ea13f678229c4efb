from django.contrib import admin

from reports.models import IssuedReport


@admin.register(IssuedReport)
class IssuedReportAdmin(admin.ModelAdmin):
    """Read-only: a report's figures are what its PDF states, so nobody may change them."""

    list_display = ["code", "enterprise", "reference_year", "issued_at", "issued_by"]
    list_filter = ["reference_year"]
    list_select_related = ["enterprise", "issued_by"]
    search_fields = ["code", "enterprise__name_zh", "enterprise__uscc"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
