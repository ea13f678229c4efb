from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ASSESSMENT_SUBMITTED = "submitted", _("An assessment assigned to me was submitted")
    ASSESSMENT_RETURNED = "returned", _("An assessment of my firm was returned for correction")
    ASSESSMENT_VERIFIED = "verified", _("An assessment of my firm was verified")
    ASSESSMENT_REJECTED = "rejected", _("An assessment of my firm was rejected")
    ROUND_OPENED = "round_opened", _("A reward round my firm is eligible for opened")
    ROUND_PUBLISHED = "round_published", _("The results of a round my firm took part in were published")
    SUBMISSION_REMINDER = "submission_reminder", _("Reminder: a round's submissions close soon")
    REVIEW_REMINDER = "review_reminder", _("Reminder: the review deadline of a round is near")


class Notification(models.Model):
    """One message in a user's in-site list, written in the recipient's language when it was sent."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class EmailOptOut(models.Model):
    """A kind of email the user switched off (the in-site notification is still written)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)

    class Meta:
        verbose_name = _("email switched off")
        verbose_name_plural = _("emails switched off")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"


class SentReminder(models.Model):
    """The record that decides whether a reminder goes out: inserted first, the unique constraint refuses twins."""

    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_step = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient", "due_step"], name="sent_reminder_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id} → {self.recipient} ({self.due_step})"
