"""Evidence storage behind a setting: a folder by default, any Django storage class shared by several hosts."""

from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage

from enterprises.storage import PrivateFileSystemStorage, private_storage


def test_the_default_is_the_private_folder(settings, tmp_path):
    settings.EVIDENCE_STORAGE_BACKEND = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    storage = private_storage()
    assert isinstance(storage, PrivateFileSystemStorage) and storage.location == str(tmp_path)
    assert storage.file_permissions_mode == 0o600


def test_another_storage_class_with_its_options(settings):
    settings.EVIDENCE_STORAGE_BACKEND = "django.core.files.storage.InMemoryStorage"
    settings.EVIDENCE_STORAGE_OPTIONS = {"location": "evidence"}
    storage = private_storage()
    assert isinstance(storage, InMemoryStorage) and storage.location.endswith("evidence")
    name = storage.save("firm-1/contract.pdf", ContentFile(b"%PDF-1.4"))
    assert storage.open(name).read() == b"%PDF-1.4"
