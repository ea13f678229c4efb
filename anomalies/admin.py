from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anomalies.models import Explanation, ZoneCheck


@admin.register(Explanation)
class ExplanationAdmin(SimpleHistoryAdmin):
    list_display = ["rule", "enterprise", "year", "record_id", "explained_by", "explained_at"]
    list_filter = ["rule", "year"]
    search_fields = ["enterprise__name_zh", "enterprise__uscc", "comment"]
    readonly_fields = ["rule", "enterprise", "year", "record_id", "explained_by", "explained_at"]


@admin.register(ZoneCheck)
class ZoneCheckAdmin(admin.ModelAdmin):
    list_display = ["finished_at", "findings", "requested_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
