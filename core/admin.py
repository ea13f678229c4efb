from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """An audit record or a worker's account of its work: shown in Django admin, never added, changed or
    deleted there."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
