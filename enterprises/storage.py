from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Evidence storage: outside static and media URLs (no base_url), files only 0600."""
    return FileSystemStorage(
        location=settings.PRIVATE_MEDIA_ROOT, base_url=None, file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )
