from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "name_en", "uscc", "registration_type", "industry_group"]
    list_filter = ["registration_type", "industry_group"]
    search_fields = ["name_zh", "name_en", "uscc"]
    inlines = [MembershipInline]


class FirmRecordAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["enterprise"]
    list_select_related = ["enterprise"]
    search_fields = ["enterprise__name_zh", "enterprise__uscc"]


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
    readonly_fields = ["file", "sha256", "size", "mime_type"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "enterprise", "role", "expires_at", "accepted_at"]
    raw_id_fields = ["enterprise", "invited_by", "accepted_by"]
