"""Writes on the directory (administrators only); history rows record who changed what."""

from django.db import transaction

from providers.models import ServiceProvider


@transaction.atomic
def provider_save(*, provider: ServiceProvider) -> ServiceProvider:
    provider.full_clean()
    provider.save()
    return provider


@transaction.atomic
def provider_unlist(*, provider: ServiceProvider) -> ServiceProvider:
    """Soft delete: the provider disappears for firms and from suggestions; its history stays."""
    provider = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
    if provider.is_active:
        provider.is_active = False
        provider.save(update_fields=["is_active"])
    return provider
