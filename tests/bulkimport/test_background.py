"""Large imports run on the task queue: the threshold, the task path and the synchronous path, progress values,
the status fragment for every role, idempotence (a task run twice, a worker killed), failures users and
administrators see, and the write that checks again what changed since the unlocked check."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from bulkimport import services
from bulkimport.models import ImportBatch, ImportStatus, ImportUpload
from bulkimport.parsing import estimate_rows
from bulkimport.tasks import IMPORT_MAX_ATTEMPTS, import_batch
from core.spreadsheets import Sheet
from core.spreadsheets import xlsx_bytes as write_only_xlsx
from enterprises.models import ExportRecord
from tests.bulkimport.helpers import EXPORT_HEADER, csv_bytes, export_row, post_import, xlsx_bytes
from tests.conftest import ROLE_NAMES, client_for
from tests.factories import EnterpriseFactory, ExportRecordFactory
from tests.matrix import LOGIN, check, expect
from tests.task_queue import run_queued, run_queued_once

pytestmark = pytest.mark.django_db

ROWS = 30
DESTINATIONS = ["US", "DE", "JP", "GB", "FR", "KR", "SG", "AU", "CA", "IT"]


@pytest.fixture(autouse=True)
def small_threshold(settings):
    """Files of more than 10 rows go to the queue; progress is committed every 10 steps."""
    settings.IMPORT_BACKGROUND_ROWS = 10
    settings.IMPORT_PROGRESS_ROWS = 10


@pytest.fixture
def firm(db):
    return EnterpriseFactory()


def export_file(firm, rows: int = ROWS, **changes) -> bytes:
    return csv_bytes(
        EXPORT_HEADER,
        [export_row(firm.uscc, 2012 + i // 10, DESTINATIONS[i % 10], **changes) for i in range(rows)],
    )


def queued_batch(firm, officer, *, rows: int = ROWS, dry_run: bool = False, **changes) -> ImportBatch:
    return services.import_enqueue(
        kind="export_records",
        data=export_file(firm, rows, **changes),
        file_name="big.csv",
        actor=officer,
        dry_run=dry_run,
    )


def import_tasks() -> list[DBTaskResult]:
    return [r for r in DBTaskResult.objects.all() if r.task_path == "bulkimport.tasks.import_batch"]


# ------------------------------------------------------------------------------------ where an upload goes


def test_estimate_counts_csv_lines_and_xlsx_rows():
    assert estimate_rows(b"a,b\n1,2\n3,4\n") == estimate_rows(b"a,b\r\n1,2\r\n3,4") == 2  # lines less the header
    assert estimate_rows(b"a,b\r1,2\r") == 1
    assert estimate_rows(b'a,b\n1,"two\nlines"\n') == 2  # a line break in a cell: at least the rows
    assert estimate_rows(xlsx_bytes(["a"], [[i] for i in range(25)])) == 25  # its dimension
    no_dimension = write_only_xlsx([Sheet("s", [["a"], *[[i] for i in range(40)]]), Sheet("t", [["x"]] * 99)])
    assert estimate_rows(no_dimension) == 40  # its row elements, first sheet only
    assert estimate_rows(b"PK\x03\x04 not a zip") >= 0


def test_a_small_file_is_imported_in_the_request(database_queue, officer, firm):
    response = post_import(client_for(officer), "export_records", export_file(firm, rows=10))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("bulkimport:batch", args=[batch.pk])
    assert batch.status == ImportStatus.APPLIED and batch.created == 10 == ExportRecord.objects.count()
    assert batch.started_at is None and not ImportUpload.objects.exists() and not import_tasks()
    page = client_for(officer).get(response.url).content.decode()
    assert "Imported." in page and "hx-trigger" not in page and "<progress" not in page


def test_a_large_file_waits_for_a_worker_then_is_applied(
    database_queue, officer, firm, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, "export_records", export_file(firm))
    batch = ImportBatch.objects.get()
    assert response.url == reverse("bulkimport:batch", args=[batch.pk])
    assert batch.status == ImportStatus.QUEUED and ExportRecord.objects.count() == 0
    assert bytes(batch.upload.data) == export_file(firm)
    (task,) = import_tasks()
    assert task.status == "READY" and task.args_kwargs["kwargs"] == {"batch_id": batch.pk}
    page = client.get(response.url).content.decode()
    assert "Waiting for a worker to start the import" in page
    assert f'hx-get="{reverse("bulkimport:batch_status", args=[batch.pk])}"' in page and 'hx-trigger="every 1s"' in page
    assert ImportBatch.objects.get().get_status_display() in client.get(reverse("bulkimport:upload")).content.decode()

    run_queued()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.created == ROWS == ExportRecord.objects.count()
    assert ExportRecord.history.count() == ROWS
    assert (batch.processed, batch.total, batch.percent) == (2 * ROWS, 2 * ROWS, 100)
    assert batch.started_at <= batch.finished_at and not ImportUpload.objects.exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    page = client.get(response.url).content.decode()
    assert "Imported." in page and 'value="100"' in page and "hx-trigger" not in page


def test_tests_run_the_task_at_once(officer, firm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_import(client_for(officer), "export_records", export_file(firm))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.APPLIED and batch.started_at and ExportRecord.objects.count() == ROWS


def test_a_large_dry_run_and_a_large_bad_file_end_like_small_ones(officer, firm):
    dry = queued_batch(firm, officer, dry_run=True)
    bad = queued_batch(firm, officer, currency="XXX")
    for batch in (dry, bad):
        import_batch.call(batch_id=batch.pk)
    dry.refresh_from_db()
    bad.refresh_from_db()
    assert dry.status == ImportStatus.CHECKED and dry.created == ROWS and ExportRecord.objects.count() == 0
    assert bad.status == ImportStatus.REJECTED and bad.error_count == ROWS and bad.errors[0][:2] == [2, "currency"]
    assert not ImportUpload.objects.exists()
    page = client_for(officer).get(reverse("bulkimport:batch", args=[bad.pk])).content.decode()
    assert "The file has 30 errors" in page and reverse("bulkimport:batch_errors", args=[bad.pk]) in page


def test_an_unreadable_large_file_is_rejected_by_the_worker(officer):
    batch = services.import_enqueue(
        kind="firms", data=b"\xff\xfe" + b"x\n" * 50, file_name="x.csv", actor=officer, dry_run=False
    )
    import_batch.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED and "not UTF-8" in batch.errors[0][2]


# ------------------------------------------------------------------------------------ progress


def test_progress_is_committed_every_n_steps_and_reaches_the_total(officer, firm, monkeypatch):
    batch = queued_batch(firm, officer)
    seen = []  # what the status page would read after each progress write
    write = services.Progress._write

    def spy(progress):
        write(progress)
        stored = ImportBatch.objects.get(pk=batch.pk)
        seen.append((stored.status, stored.processed, stored.total, stored.stage, stored.percent))

    monkeypatch.setattr(services.Progress, "_write", spy)
    import_batch.call(batch_id=batch.pk)
    processed = [entry[1] for entry in seen]
    assert processed == [10, 20, 30, 40, 50, 60, 60]  # every 10 steps (30 read, 30 validated), then "checked"
    assert {entry[0] for entry in seen} == {ImportStatus.RUNNING} and {entry[2] for entry in seen} == {60}
    assert [entry[3] for entry in seen] == ["checking"] * 5 + ["writing"] * 2
    assert [entry[4] for entry in seen][:5] == [16, 33, 50, 66, 83] and seen[-1][4] is None
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.APPLIED


def test_the_stages_shown_while_a_batch_is_pending(officer, firm):
    batch = queued_batch(firm, officer)
    client = client_for(officer)
    url = reverse("bulkimport:batch_status", args=[batch.pk])
    states = [
        ({}, "Waiting for a worker to start the import"),
        ({"status": ImportStatus.RUNNING}, "Reading the file"),
        ({"status": ImportStatus.RUNNING, "rows": ROWS, "total": 60, "processed": 15}, "Checking 30 rows: 25 %"),
        ({"status": ImportStatus.RUNNING, "rows": ROWS, "total": 60, "processed": 60}, "Writing 30 rows"),
    ]
    states.append(
        (
            {"status": ImportStatus.RUNNING, "rows": ROWS, "total": 60, "processed": 60, "dry_run": True},
            "30 rows: 100 %",
        )
    )
    for values, text in states:
        ImportBatch.objects.filter(pk=batch.pk).update(**values)
        fragment = client.get(url, headers={"HX-Request": "true"})
        content = fragment.content.decode()
        assert fragment.status_code == 200 and text in content and 'hx-trigger="every 1s"' in content
    ImportBatch.objects.filter(pk=batch.pk).update(processed=15)
    bar = '<progress class="w-100" max="100" aria-labelledby="batch-stage" value="25">'
    assert bar in client.get(url).content.decode()


# ------------------------------------------------------------------------------------ access


def status_urls(batch) -> list[str]:
    return [reverse("bulkimport:batch_status", args=[batch.pk]), reverse("bulkimport:batch", args=[batch.pk])]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_status_fragment_for_every_role(roles, officer, firm, role):
    """Batches belong to the zone's staff, not to a firm: officers and administrators see every batch (as the
    batch page); firm members get 403, anonymous visitors the log-in page; a missing batch is 404."""
    batch = queued_batch(firm, officer)
    expected = expect(LOGIN, 403, 403, 200, 200)[role]
    for url in status_urls(batch):
        check(roles[role].get(url), expected, role, url)
    missing = reverse("bulkimport:batch_status", args=[batch.pk + 1000])
    check(roles[role].get(missing), expect(LOGIN, 403, 403, 404, 404)[role], role, missing)
    assert roles[role].post(status_urls(batch)[0]).status_code in (302, 403, 405)


def test_the_fragment_of_an_ended_batch_stops_the_polling_and_shows_the_result(officer, firm):
    batch = queued_batch(firm, officer)
    import_batch.call(batch_id=batch.pk)
    url = reverse("bulkimport:batch_status", args=[batch.pk])
    polled = client_for(officer).get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 286  # htmx stops polling on 286 and still swaps the content in
    content = polled.content.decode()
    assert "Imported." in content and 'value="100"' in content and "hx-trigger" not in content
    assert client_for(officer).get(url).status_code == 200  # without htmx: a plain page fragment


# ------------------------------------------------------------------------------------ idempotence


def test_the_task_run_twice_applies_once(officer, firm):
    batch = queued_batch(firm, officer)
    first = import_batch.call(batch_id=batch.pk)
    second = import_batch.call(batch_id=batch.pk)
    assert first["status"] == ImportStatus.APPLIED and second == {"batch": batch.pk, "status": "already ended"}
    assert ExportRecord.objects.count() == ExportRecord.history.count() == ROWS
    assert ImportBatch.objects.get().created == ROWS


def test_a_batch_left_running_by_a_killed_worker_is_applied_once_by_the_next_run(officer, firm):
    batch = queued_batch(firm, officer)
    # what a worker killed in the middle leaves: RUNNING, some progress, nothing written (one transaction)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, rows=ROWS, total=60, processed=20)
    import_batch.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.created == ROWS
    assert ExportRecord.objects.count() == ExportRecord.history.count() == ROWS


def test_a_run_that_finds_its_batch_ended_before_its_write_writes_nothing(officer, firm, monkeypatch):
    """Two runs of one task at once (a lease expired while the first still ran): the second to lock the batch
    finds it ended and leaves it as the first left it."""
    batch = queued_batch(firm, officer)
    checked = services.Progress.checked

    def other_run_finishes_first(progress, *, rows):
        checked(progress, rows=rows)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.APPLIED, created=7)

    monkeypatch.setattr(services.Progress, "checked", other_run_finishes_first)
    assert import_batch.call(batch_id=batch.pk) == {"batch": batch.pk, "status": "already ended"}
    assert ExportRecord.objects.count() == 0 and ImportBatch.objects.get().created == 7


# ------------------------------------------------------------------------------------ failures


def test_a_failing_import_is_retried_then_failed_for_the_user_and_the_administrator(
    settings, database_queue, officer, administrator, firm, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "_write", broken)
    batch = queued_batch(firm, officer)
    import_batch.enqueue(batch_id=batch.pk)  # on commit, as the upload does

    run_queued_once()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED and batch.message == "RuntimeError: disk on fire"
    page = client_for(officer).get(reverse("bulkimport:batch", args=[batch.pk])).content.decode()
    assert "An attempt failed; the import will be tried again" in page and "hx-trigger" in page

    run_queued()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.message == "RuntimeError: disk on fire"
    assert batch.finished_at and not ImportUpload.objects.exists() and ExportRecord.objects.count() == 0
    results = sorted(import_tasks(), key=lambda r: r.args_kwargs["kwargs"].get("attempt", 1))
    assert [r.status for r in results] == ["SUCCESSFUL"] * (IMPORT_MAX_ATTEMPTS - 1) + ["FAILED"]
    page = client_for(officer).get(reverse("bulkimport:batch", args=[batch.pk])).content.decode()
    assert "The import failed. Nothing was written." in page and "disk on fire" in page and "hx-trigger" not in page
    admin = client_for(administrator).get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert "import_batch" in admin.content.decode()


# ------------------------------------------------------------------------------------ check, then write


def test_a_row_changed_between_the_check_and_the_write_is_checked_again_under_the_lock(officer, firm, monkeypatch):
    stored = ExportRecordFactory(enterprise=firm, year=2012, destination="US", channel="direct", value=Decimal("5"))
    batch = queued_batch(firm, officer, rows=20)
    checked = services.Progress.checked

    def someone_saves_meanwhile(progress, *, rows):
        checked(progress, rows=rows)
        ExportRecord.objects.filter(pk=stored.pk).update(value=Decimal("1000000.00"))  # now equal to the file

    monkeypatch.setattr(services.Progress, "checked", someone_saves_meanwhile)
    import_batch.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert (batch.created, batch.updated, batch.unchanged) == (19, 0, 1)  # the second check's counts
    assert ExportRecord.objects.count() == 20 and stored.history.count() == 1  # no update written for it


def test_an_unchanged_store_writes_the_plan_of_the_check(officer, firm, monkeypatch):
    stored = ExportRecordFactory(enterprise=firm, year=2012, destination="US", channel="direct", value=Decimal("5"))
    calls = []
    plan = services._plan
    monkeypatch.setattr(services, "_plan", lambda *a, **k: calls.append(k["lock"]) or plan(*a, **k))
    batch = queued_batch(firm, officer, rows=20)
    import_batch.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert calls == [False]  # checked once, without locks
    assert (batch.created, batch.updated, batch.unchanged) == (19, 1, 0)
    stored.refresh_from_db()
    assert stored.value == Decimal("1000000.00") and stored.history.count() == 2
