from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _new_release(sender, using, **kwargs) -> None:
    """Every `migrate` (run once per release) replaces the statistics token: figures cached by the previous
    code, in a cache that outlives the processes (Redis), are not served by the new one."""
    from zone import freshness

    freshness.replace_token(connections[using])


class ZoneConfig(AppConfig):
    name = "zone"
    verbose_name = _("Zone statistics")

    def ready(self) -> None:
        post_migrate.connect(_new_release, sender=self)
