from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnomaliesConfig(AppConfig):
    name = "anomalies"
    verbose_name = _("Anomalies")

    def ready(self) -> None:
        from anomalies import signals

        signals.connect()
