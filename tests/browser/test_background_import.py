"""An officer uploads a large file: the import runs in the background, the page's progress bar follows it by
polling and reaches 100 %, and the result appears, all without reloading the page.

The queue is the real database queue (as in production, not the test settings' immediate backend), and the
worker is a thread of this test running what `manage.py db_worker` runs for each task (tests/task_queue.py). It
starts only once the page shows the batch waiting, and pauses after its first progress write until the page
has shown that progress, so every state is seen for sure. With the in-memory SQLite test database the thread
uses the connection the live server shares (as the live server's own threads do); on PostgreSQL its own.
"""

import threading

import pytest
from django.db import connections

from accounts.services import staff_user_create
from bulkimport import services
from bulkimport.models import ImportBatch, ImportStatus
from enterprises.models import ExportRecord
from tests.browser.conftest import log_in
from tests.bulkimport.helpers import EXPORT_HEADER, csv_bytes, export_row
from tests.factories import EnterpriseFactory
from tests.task_queue import run_queued

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "journey-Password-2014"
ROWS = 40
DESTINATIONS = ["US", "DE", "JP", "GB", "FR", "KR", "SG", "AU", "CA", "IT"]


class Worker(threading.Thread):
    """Runs the queue's ready tasks; holds still after the first progress write until `resume` is set."""

    def __init__(self, monkeypatch):
        super().__init__(name="test-worker", daemon=True)
        test_connection = connections["default"]  # the wrapper itself, not the thread-local proxy
        in_memory = test_connection.vendor == "sqlite" and test_connection.is_in_memory_db()
        self.shared = test_connection if in_memory else None
        self.paused = threading.Event()
        self.resume = threading.Event()
        self.error: BaseException | None = None
        write = services.Progress._write

        def write_then_pause(progress):
            write(progress)
            if not self.paused.is_set():
                self.paused.set()
                self.resume.wait(timeout=60)

        monkeypatch.setattr(services.Progress, "_write", write_then_pause)

    def run(self):
        if self.shared is not None:
            self.shared.inc_thread_sharing()
            connections["default"] = self.shared
        try:
            run_queued()
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            if self.shared is not None:
                self.shared.dec_thread_sharing()
            else:
                connections.close_all()


def test_a_large_import_shows_its_progress_and_then_its_result(page, settings, database_queue, monkeypatch):
    settings.IMPORT_BACKGROUND_ROWS = 10
    settings.IMPORT_PROGRESS_ROWS = 10
    firm = EnterpriseFactory()
    rows = [
        export_row(firm.uscc, 2012 + i // 20, DESTINATIONS[i % 10], "direct" if i % 20 < 10 else "agent")
        for i in range(ROWS)
    ]
    staff_user_create(username="officer7", email="officer7@example.org", password=PASSWORD, role="officer")

    log_in(page, "officer7", PASSWORD)
    page.click("nav a:has-text('Import')")
    page.wait_for_url("**/import/")
    page.check("input[name=kind][value=export_records]")
    page.uncheck("input[name=dry_run]")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "exports.csv", "mimeType": "text/csv", "buffer": csv_bytes(EXPORT_HEADER, rows)}],
    )
    page.click("main form button[type=submit]:has-text('Check and import')")
    page.wait_for_url("**/import/batches/*/")
    page.wait_for_selector("#batch-status:has-text('Waiting for a worker to start the import')")
    assert ImportBatch.objects.get().status == ImportStatus.QUEUED and ExportRecord.objects.count() == 0
    page.evaluate("window.sameDocument = true")  # gone if anything reloads the page

    worker = Worker(monkeypatch)
    worker.start()
    try:
        assert worker.paused.wait(timeout=30), worker.error
        page.wait_for_selector("#batch-stage:has-text('Checking 40 rows: 12 %')")
        assert page.get_attribute("#batch-status progress", "value") == "12"
    finally:
        worker.resume.set()
        worker.join(timeout=60)
    assert worker.error is None and not worker.is_alive()

    page.wait_for_selector("#batch-status .alert-success:has-text('Imported.')", timeout=30_000)
    assert page.get_attribute("#batch-status progress", "value") == "100"
    assert page.evaluate("window.sameDocument") is True  # polling swapped the fragment in; no reload
    assert "Created" in page.inner_text("#batch-status dl") and f"{ROWS}" in page.inner_text("#batch-status dl")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.APPLIED and batch.created == ROWS == ExportRecord.objects.count()
    page.wait_for_timeout(1500)  # the polling has stopped: the result stays as it is
    assert page.locator("#batch-status[hx-trigger]").count() == 0
