from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulkimportConfig(AppConfig):
    name = "bulkimport"
    verbose_name = _("Bulk import")
