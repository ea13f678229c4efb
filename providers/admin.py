from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from providers.models import ServiceProvider


@admin.register(ServiceProvider)
class ServiceProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name"]
