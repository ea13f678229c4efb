from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.module_loading import import_string


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no URL at all: they are only streamed by the access-checked download view."""

    def url(self, name):
        raise ValueError("Evidence files have no public URL; link to the evidence:download view instead.")


def private_storage() -> Storage:
    """Evidence storage, never served by URL. By default a folder (`PRIVATE_MEDIA_ROOT`, files only 0600); with
    `EVIDENCE_STORAGE_BACKEND` another Django storage class shared by every web host, e.g. django-storages'
    `storages.backends.s3.S3Storage` with `EVIDENCE_STORAGE_OPTIONS` (a private bucket, no public URLs)."""
    if settings.EVIDENCE_STORAGE_BACKEND:
        return import_string(settings.EVIDENCE_STORAGE_BACKEND)(**settings.EVIDENCE_STORAGE_OPTIONS)
    return PrivateFileSystemStorage(
        location=settings.PRIVATE_MEDIA_ROOT,
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )
