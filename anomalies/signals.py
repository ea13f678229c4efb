"""Keeps the stored anomalies current: a firm is checked again after any change to its records or assessments
saved through the site; every firm after an exchange-rate change or an applied bulk import (which writes in
bulk, without per-row signals). Anything else that writes in bulk (seed_demo, raw SQL) is followed by
`manage.py detect_anomalies` or the page's "check every firm" button."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from anomalies import services
from assessments.models import Assessment
from enterprises.models import AnnualReport, Establishment, EvidenceFile, ExportRecord
from reference.models import ExchangeRate


def _refresh_firm(sender, instance, **kwargs) -> None:
    enterprise_id = instance.enterprise_id
    transaction.on_commit(lambda: services.findings_refresh(enterprise_ids=[enterprise_id]))


def _refresh_evidence(sender, instance, **kwargs) -> None:
    """The firm and every firm holding a file with the same hash (their "shared file" anomaly changes too)."""
    enterprise_id, sha256 = instance.enterprise_id, instance.sha256

    def refresh() -> None:
        others = EvidenceFile.objects.filter(sha256=sha256).values_list("enterprise_id", flat=True) if sha256 else []
        services.findings_refresh(enterprise_ids=[enterprise_id, *others])

    transaction.on_commit(refresh)


def _refresh_all(sender, **kwargs) -> None:
    transaction.on_commit(lambda: services.findings_refresh())


def _refresh_after_import(sender, instance, **kwargs) -> None:
    if instance.status == "applied" and (instance.created or instance.updated):
        _refresh_all(sender)


def connect() -> None:
    for model in (AnnualReport, ExportRecord, Establishment, Assessment):
        post_save.connect(_refresh_firm, sender=model, dispatch_uid=f"anomalies-{model.__name__}-save")
        post_delete.connect(_refresh_firm, sender=model, dispatch_uid=f"anomalies-{model.__name__}-delete")
    post_save.connect(_refresh_evidence, sender=EvidenceFile, dispatch_uid="anomalies-evidence-save")
    post_delete.connect(_refresh_evidence, sender=EvidenceFile, dispatch_uid="anomalies-evidence-delete")
    post_save.connect(_refresh_all, sender=ExchangeRate, dispatch_uid="anomalies-rate-save")
    post_delete.connect(_refresh_all, sender=ExchangeRate, dispatch_uid="anomalies-rate-delete")
    # by name: bulk import is an app above this one
    post_save.connect(_refresh_after_import, sender="bulkimport.ImportBatch", dispatch_uid="anomalies-import")
