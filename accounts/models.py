from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts import roles


class SecondFactorAction(models.TextChoices):
    ENROL = "enrol", _("enrolled")
    VERIFY = "verify", _("verified")
    FAIL = "fail", _("failed")
    RESET = "reset", _("reset")


class User(AbstractUser):
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of your emails and notifications."),
    )
    # Kept by notifications.services, so the navigation shows the count without a query of its own.
    unread_notifications = models.PositiveIntegerField(_("unread notifications"), default=0, editable=False)
    #: False only between sign-up and following the e-mailed link; staff-created and existing users are verified.
    email_verified = models.BooleanField(_("e-mail address verified"), default=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def _group_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.is_superuser or roles.ADMINISTRATOR in self._group_names)

    @property
    def is_officer(self) -> bool:
        """Officers review assessments; administrators hold every officer right too."""
        return self.is_active and (self.is_administrator or roles.OFFICER in self._group_names)

    def has_perm(self, perm, obj=None) -> bool:
        """Administrators hold every permission, as superusers do (Django admin included)."""
        return self.is_administrator or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return self.is_administrator or super().has_module_perms(app_label)

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username


class SecondFactorEvent(models.Model):
    """The audit log of two-factor authentication: enrolments, verifications, failures, resets."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_events")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=SecondFactorAction.choices)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("second-factor event")
        verbose_name_plural = _("second-factor events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
