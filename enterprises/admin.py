from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from enterprises import services
from enterprises.models import (
    AnnualReport,
    Certification,
    Enterprise,
    Establishment,
    EvidenceFile,
    Expense,
    ExportRecord,
    Invitation,
    Membership,
    PctApplication,
    Publication,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        """Each row shows the membership's text (its user and firm): joined, not two queries per member."""
        return super().get_queryset(request).select_related("user", "enterprise")


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "name_en", "uscc", "registration_type", "industry_group"]
    list_filter = ["registration_type", "industry_group"]
    search_fields = ["name_zh", "name_en", "uscc"]
    inlines = [MembershipInline]
    # Tens of thousands of rows: 50 rendered per page, and no second COUNT(*) of the whole table for "of N".
    list_per_page = 50
    show_full_result_count = False

    def delete_model(self, request, obj):
        services.enterprise_delete(enterprise=obj)

    def delete_queryset(self, request, queryset):
        for enterprise in queryset:
            services.enterprise_delete(enterprise=enterprise)


class FirmRecordAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["enterprise"]
    list_select_related = ["enterprise"]
    search_fields = ["enterprise__name_zh", "enterprise__uscc"]
    list_per_page = 50  # hundreds of thousands of rows: see EnterpriseAdmin
    show_full_result_count = False


for model, columns in (
    (AnnualReport, ["enterprise", "year", "currency", "revenue_total", "revenue_foreign"]),
    (ExportRecord, ["enterprise", "year", "destination", "channel", "currency", "value"]),
    (Establishment, ["enterprise", "country", "city", "kind", "opened", "closed"]),
    (PctApplication, ["enterprise", "number", "filed"]),
    (Certification, ["enterprise", "scheme", "number", "issued", "expires"]),
    (Publication, ["enterprise", "title", "venue", "year"]),
    (Expense, ["enterprise", "category", "date", "currency", "amount"]),
):
    admin.site.register(model, type(f"{model.__name__}Admin", (FirmRecordAdmin,), {"list_display": columns}))


@admin.register(EvidenceFile)
class EvidenceFileAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "enterprise", "mime_type", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["enterprise", "uploaded_by"]
    fields = [
        "enterprise",
        "content_type",
        "object_id",
        "stored_file",
        "original_name",
        "mime_type",
        "size",
        "sha256",
        "uploaded_by",
    ]
    readonly_fields = ["stored_file", "sha256", "size", "mime_type"]

    def has_add_permission(self, request) -> bool:
        return False  # evidence comes in through the upload view, which checks size and type

    def has_delete_permission(self, request, obj=None) -> bool:
        return not (obj is not None and obj.snapshots.exists()) and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.evidence_delete(evidence=obj)

    def delete_queryset(self, request, queryset):
        for evidence in queryset:
            services.evidence_delete(evidence=evidence)

    @admin.display(description=_("stored file"))
    def stored_file(self, obj) -> str:
        """The private storage has no URLs: show the stored name, never a link."""
        return obj.file.name if obj and obj.file else "—"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "enterprise", "role", "expires_at", "accepted_at"]
    raw_id_fields = ["enterprise", "invited_by", "accepted_by"]
