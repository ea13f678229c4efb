from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no URL at all: they are only streamed by the access-checked download view."""

    def url(self, name):
        raise ValueError("Evidence files have no public URL; link to the evidence:download view instead.")


def private_storage() -> FileSystemStorage:
    """Evidence storage: outside static and media URLs (no URL), files only 0600."""
    return PrivateFileSystemStorage(
        location=settings.PRIVATE_MEDIA_ROOT,
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )
