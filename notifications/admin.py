from django.contrib import admin

from notifications.models import EmailOptOut, Notification, SentReminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "subject", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "subject"]
    raw_id_fields = ["recipient"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "recipient", "due_step", "sent_at"]
    list_filter = ["kind", "due_step"]
    raw_id_fields = ["recipient"]


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "kind"]
    raw_id_fields = ["user"]
