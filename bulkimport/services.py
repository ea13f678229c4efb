"""Bulk import of firms, annual reports and export records: validate everything, then write in bulk.

All or nothing: if any row is bad nothing is written, and the error report names each bad row's number
(as in the file, header = row 1), column and reason. Rows equal to what is stored are left untouched, so
importing the same file twice changes nothing the second time. New rows are bulk-inserted and changed
rows bulk-updated (only their changed fields), with history rows written in bulk too (who, when, what).
Every run, dry or real, is recorded as an ImportBatch.

Two steps: the check (parse, match, validate every row) reads without locks or a transaction, so a worker can
commit its progress as it goes; the write locks the stored rows the file touches, and writes the checked plan
if none of them changed since the check, else checks again under the lock. A file of more than
IMPORT_BACKGROUND_ROWS rows is imported by a worker (bulkimport.tasks), guarded by its batch's status: a batch
ends once, whether its task runs twice or its worker is killed and the task is run again.
"""

import hashlib
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries.fields import Country, CountryField

from accounts.models import User
from bulkimport.kinds import KINDS, Column, KindSpec
from bulkimport.models import PENDING, ImportBatch, ImportStatus, ImportUpload
from bulkimport.parsing import ParseError, SourceRow, Table, estimate_rows, read_table
from core.db import analyze, insert_returning
from enterprises.models import Enterprise

MAX_CHANGES_SHOWN = 50
WRITE_BATCH_SIZE = 1000
UPDATE_BATCH_SIZE = 500


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the file as a whole
    column: str
    reason: str


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: the first changes: {"row", "action": "create"|"update", "key", "fields": [[column, old, new], ...]}
    changes: list[dict] = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Plan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    creates: list[models.Model] = field(default_factory=list)
    #: changed field names → objects with exactly those fields changed
    updates: dict[frozenset[str], list[models.Model]] = field(default_factory=lambda: defaultdict(list))
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)
    #: what the check read, to see under the write's lock whether it still holds
    parsed: list[tuple[SourceRow, dict[str, Any]]] = field(default_factory=list)
    firm_ids: dict[str, int] = field(default_factory=dict)
    #: key → (pk, values of the file's columns) of every stored row the file matched, as the check read them
    stored: dict[tuple, tuple] = field(default_factory=dict)
    columns: set[str] = field(default_factory=set)

    @property
    def updated(self) -> int:
        return sum(len(objs) for objs in self.updates.values())

    def add(self, row: SourceRow, key: tuple, obj: models.Model, action: str | None, changed: list) -> None:
        """Count a valid row: to create, to update (grouped by the fields it changes) or unchanged (None)."""
        if action is None:
            self.unchanged += 1
            return
        if action == "create":
            self.creates.append(obj)
        else:
            self.updates[frozenset(name for name, _old, _new in changed)].append(obj)
        if len(self.changes) < MAX_CHANGES_SHOWN:
            key_shown = " / ".join(_shown(v) for v in key)
            self.changes.append({"row": row.number, "action": action, "key": key_shown, "fields": changed})


class _Conflict(Exception):
    """The database changed under the import (a concurrent write): nothing was written."""


class _Finished(Exception):
    """The background batch already ended (its task ran twice): nothing is done again."""


class Progress:
    """A background import's progress, committed on its batch every `every` steps (a row read, a row validated)
    by an UPDATE of its own, outside any transaction, so the status page sees it while the worker goes on."""

    def __init__(self, batch_id: int, *, every: int):
        self.batch_id = batch_id
        self.every = max(1, every)
        self.done = 0
        self.written = 0

    def start(self, *, rows: int) -> None:
        self.done = self.written = 0
        ImportBatch.objects.filter(pk=self.batch_id).update(rows=rows, total=2 * rows, processed=0)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.done - self.written >= self.every:
            self._write()

    def checked(self, *, rows: int) -> None:
        """Every row is read and validated: what is left is the write."""
        self.done = 2 * rows
        self._write()

    def _write(self) -> None:
        self.written = self.done
        ImportBatch.objects.filter(pk=self.batch_id).update(processed=self.done)


Advance = Callable[[int], None]


def _no_progress(steps: int = 1) -> None:
    return None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_upload(*, kind: str, data: bytes, file_name: str, actor: User | None, dry_run: bool) -> ImportBatch:
    """An upload from the import page: imported at once, or, with more than IMPORT_BACKGROUND_ROWS rows, recorded
    as a waiting batch a worker imports (the page follows its progress)."""
    if estimate_rows(data) > settings.IMPORT_BACKGROUND_ROWS:
        return import_enqueue(kind=kind, data=data, file_name=file_name, actor=actor, dry_run=dry_run)
    return import_file(kind=kind, data=data, file_name=file_name, actor=actor, dry_run=dry_run).batch


@transaction.atomic
def import_enqueue(*, kind: str, data: bytes, file_name: str, actor: User | None, dry_run: bool) -> ImportBatch:
    """Record the upload as a waiting batch, with its file, and queue its import once this is committed."""
    from bulkimport.tasks import import_batch  # the task module imports this one

    batch = ImportBatch.objects.create(
        user=actor if actor is not None and actor.pk else None,
        kind=kind,
        file_name=file_name[:255],
        sha256=sha256_hex(data),
        dry_run=dry_run,
        status=ImportStatus.QUEUED,
    )
    ImportUpload.objects.create(batch=batch, data=data)
    transaction.on_commit(lambda: import_batch.enqueue(batch_id=batch.pk), robust=True)
    return batch


def import_batch_run(*, batch_id: int) -> ImportBatch | None:
    """A worker imports a waiting batch's file, writing its progress; None when the batch has already ended."""
    batch = ImportBatch.objects.filter(pk=batch_id, status__in=PENDING).select_related("user", "upload").first()
    if batch is None:
        return None
    started = {"status": ImportStatus.RUNNING, "started_at": timezone.now(), "processed": 0, "total": 0, "message": ""}
    ImportBatch.objects.filter(pk=batch_id, status__in=PENDING).update(**started)
    for name, value in started.items():
        setattr(batch, name, value)
    progress = Progress(batch_id, every=settings.IMPORT_PROGRESS_ROWS)
    data = bytes(batch.upload.data)
    try:
        result = import_file(
            kind=batch.kind,
            data=data,
            file_name=batch.file_name,
            actor=batch.user,
            dry_run=batch.dry_run,
            batch=batch,
            progress=progress,
        )
    except _Finished:
        return None
    return result.batch


def import_batch_failed(*, batch_id: int, error: Exception, gave_up: bool) -> None:
    """A background import's attempt failed: the batch waits for the retry, or, after the last, ends FAILED."""
    message = f"{type(error).__name__}: {error}"[:2000]
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id, status__in=PENDING).first()
        if batch is None:
            return
        batch.message = message
        if gave_up:
            batch.status = ImportStatus.FAILED
            batch.finished_at = timezone.now()
            ImportUpload.objects.filter(batch=batch).delete()
        else:
            batch.status = ImportStatus.QUEUED
        batch.save(update_fields=["message", "status", "finished_at"])


def import_file(
    *,
    kind: str,
    data: bytes,
    file_name: str,
    actor: User | None,
    dry_run: bool,
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Parse an uploaded file and import it; a file that cannot be read is a rejected batch.

    `batch`: the waiting batch a worker imports this file for (it is ended, never a new one created)."""
    digest = sha256_hex(data)
    try:
        table = read_table(data)
    except ParseError as error:
        result = ImportResult(kind=kind, dry_run=dry_run, errors=[RowError(error.row, error.column, error.message)])
        result.batch = _record(result, actor=actor, file_name=file_name, sha256=digest, batch=batch)
        return result
    return import_run(
        kind=kind,
        rows=table,
        actor=actor,
        dry_run=dry_run,
        file_name=file_name,
        sha256=digest,
        batch=batch,
        progress=progress,
    )


def import_run(
    *,
    kind: str,
    rows: Table | Sequence[Mapping[str, Any]],
    actor: User | None,
    dry_run: bool,
    file_name: str,
    sha256: str,
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row of `rows` and, unless `dry_run` or any row is bad, write them in one transaction.

    `rows` is a parsed Table (row numbers as in the file) or a list of dicts of column → value. `batch` and
    `progress`: a worker's waiting batch, ended by this run, and where the run writes how far it is.
    """
    spec = KINDS[kind]
    table = rows if isinstance(rows, Table) else Table.from_dicts(rows)
    result = ImportResult(kind=kind, dry_run=dry_run, rows=len(table.rows))
    errors = _check_header(spec, table)
    if errors:
        result.errors = errors
    elif not table.rows:
        result.errors = [RowError(None, "", _("The file has a header row but no data rows."))]
    else:
        if progress is not None:
            progress.start(rows=len(table.rows))
        plan = _plan(spec, table, lock=False, advance=progress.advance if progress is not None else _no_progress)
        if progress is not None:
            progress.checked(rows=len(table.rows))
        _fill(result, plan)
        if not plan.errors and not dry_run:
            _apply(spec, table, plan, result, actor=actor, file_name=file_name, sha256=sha256, batch=batch)
    if result.batch is None:
        result.batch = _record(result, actor=actor, file_name=file_name, sha256=sha256, batch=batch)
    return result


def _apply(
    spec: KindSpec,
    table: Table,
    plan: _Plan,
    result: ImportResult,
    *,
    actor: User | None,
    file_name: str,
    sha256: str,
    batch: ImportBatch | None,
) -> None:
    """Write a checked plan in one transaction, under the lock of the stored rows it touches; if any of them
    changed since the check, check again under the lock. Leaves `result.batch` None when nothing was written."""
    try:
        with transaction.atomic():
            if batch is not None:
                _claim(batch)
            if _changed_since_check(spec, plan):
                plan = _plan(spec, table, lock=True)
                _fill(result, plan)
                if plan.errors:
                    transaction.set_rollback(True)
                    return
            result.batch = _record(result, actor=actor, file_name=file_name, sha256=sha256, batch=batch)
            _write(spec, plan, actor=actor, reason=_("Import #%(batch)d") % {"batch": result.batch.pk})
            analyze(spec.model)
    except (IntegrityError, _Conflict):
        result.created = result.updated = result.unchanged = 0
        result.changes = []
        result.batch = None
        result.errors = [
            RowError(
                None,
                "",
                _(
                    "The data changed while the file was being imported (someone else saved the same records); "
                    "nothing was written. Run the import again."
                ),
            )
        ]


def _claim(batch: ImportBatch) -> None:
    """Lock a worker's batch for its ending: a second run of its task waits here, then finds it ended."""
    if not ImportBatch.objects.select_for_update().filter(pk=batch.pk, status__in=PENDING).exists():
        raise _Finished


def _changed_since_check(spec: KindSpec, plan: _Plan) -> bool:
    """Lock the stored rows the file's keys match and tell whether any differs from what the check read."""
    now = _stored_fingerprints(spec, plan.parsed, plan.firm_ids, _updatable(spec, plan.columns))
    for _row, values in plan.parsed:
        key = tuple(values[name] for name in spec.key)
        if now.get(key) != plan.stored.get(key):
            return True
    return False


def _stored_fingerprints(
    spec: KindSpec, parsed: list[tuple[SourceRow, dict]], firm_ids: dict[str, int], names: list[str]
) -> dict[tuple, tuple]:
    """Like `_existing` under lock, the `_fingerprint` of each row read as values, without model instances."""
    meta = spec.model._meta
    key_names = list(spec.key) if not spec.references_firm else ["enterprise_id", *spec.key[1:]]
    fields = [meta.get_field(name) for name in (*key_names, meta.pk.attname, *names)]
    cleaners = [f.get_clean_value if isinstance(f, CountryField) else None for f in fields]  # as the descriptor
    uscc_of = {firm_id: uscc for uscc, firm_id in firm_ids.items()}
    found = {}
    for queryset in _stored_candidates(spec, parsed, uscc_of, lock=True):
        for row in queryset.values_list(*(f.attname for f in fields)):
            row = [value if clean is None else clean(value) for value, clean in zip(row, cleaners, strict=True)]
            first = uscc_of[row[0]] if spec.references_firm else row[0]
            key = (first, *(_plain(value) for value in row[1 : len(key_names)]))
            found[key] = tuple(_plain(value) for value in row[len(key_names) :])
    return found


def _updatable(spec: KindSpec, columns: set[str]) -> list[str]:
    return [name for name in spec.field_columns if name in columns and name not in spec.key]


def _fingerprint(obj: models.Model, names: list[str]) -> tuple:
    return (obj.pk, *(_stored(obj, name) for name in names))


def _fill(result: ImportResult, plan: _Plan) -> None:
    result.errors = sorted(plan.errors, key=lambda e: (e.row or 0,))
    if plan.errors:
        return
    result.created, result.updated, result.unchanged = len(plan.creates), plan.updated, plan.unchanged
    result.changes = plan.changes


def _record(
    result: ImportResult, *, actor: User | None, file_name: str, sha256: str, batch: ImportBatch | None = None
) -> ImportBatch:
    """The batch of a finished run: a new one, or the worker's waiting `batch` ended (once: see `_claim`)."""
    if result.errors:
        status = ImportStatus.REJECTED
    else:
        status = ImportStatus.CHECKED if result.dry_run else ImportStatus.APPLIED
    values = {
        "status": status,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "error_count": len(result.errors),
        "errors": [[e.row, e.column, e.reason] for e in result.errors],
        "changes": result.changes,
    }
    if batch is None:
        return ImportBatch.objects.create(
            user=actor if actor is not None and actor.pk else None,
            kind=result.kind,
            file_name=file_name[:255],
            sha256=sha256,
            dry_run=result.dry_run,
            **values,
        )
    with transaction.atomic():
        _claim(batch)
        for name, value in values.items():
            setattr(batch, name, value)
        batch.processed = batch.total = 2 * result.rows
        batch.finished_at = timezone.now()
        batch.save()  # not update(): an applied batch's post_save has the anomalies checked again
        ImportUpload.objects.filter(batch=batch).delete()
    return batch


def _check_header(spec: KindSpec, table: Table) -> list[RowError]:
    errors = []
    known = set(spec.column_names)
    seen: set[str] = set()
    allowed = ", ".join(spec.column_names)
    for position, name in enumerate(table.columns, start=1):
        if not name:
            errors.append(
                RowError(
                    1,
                    _("column %(n)d") % {"n": position},
                    _("This column has no name. The columns are: %(columns)s.") % {"columns": allowed},
                )
            )
        elif name not in known:
            errors.append(
                RowError(
                    1,
                    name,
                    _("Unknown column for %(kind)s. The columns are: %(columns)s.")
                    % {"kind": spec.label, "columns": allowed},
                )
            )
        elif name in seen:
            errors.append(RowError(1, name, _("This column appears twice.")))
        seen.add(name)
    for name in spec.required_names:
        if name not in seen:
            errors.append(RowError(1, name, _("Required column missing.")))
    return errors


def _chunks(values: list, size: int | None) -> list[list]:
    if not size:
        return [values]
    return [values[i : i + size] for i in range(0, len(values), size)]


def _in_chunk_size() -> int | None:
    """Largest IN list per query: unlimited on PostgreSQL, SQLite's variable limit (with room to spare)."""
    limit = connection.features.max_query_params
    return None if limit is None else max(100, limit - 50)


def _stored(obj: models.Model, name: str) -> Any:
    """A loaded field's plain value (a country as its code), without building descriptor objects."""
    return _plain(obj.__dict__[name])


def _plain(value: Any) -> Any:
    if isinstance(value, Country):
        return value.code
    return value


def _shown(value: Any) -> str:
    value = _plain(value)
    return "" if value is None else str(value)


def _parse_rows(
    spec: KindSpec, table: Table, errors: list[RowError], advance: Advance = _no_progress
) -> list[tuple[SourceRow, dict[str, Any]]]:
    """Parse each row's cells; rows with any bad cell, or with the key of an earlier row, are reported and left out."""
    present = [column for column in spec.columns if column.name in set(table.columns)]
    first_row_of: dict[tuple, int] = {}
    parsed_cells: dict[tuple[str, str], tuple[bool, Any]] = {}
    parsed = []
    for row in table.rows:
        advance(1)
        row_errors = [
            RowError(row.number, _("column %(n)d") % {"n": position}, _("A value right of the last named column."))
            for position, _text in row.extra
        ]
        values = _parse_cells(row, present, row_errors, parsed_cells)
        duplicate = _duplicate(spec, row, values, first_row_of)
        if duplicate is not None:
            row_errors.append(duplicate)
        errors.extend(row_errors)
        if not row_errors:
            parsed.append((row, values))
    return parsed


def _parse_cells(
    row: SourceRow, columns: list[Column], errors: list[RowError], parsed_cells: dict[tuple[str, str], tuple[bool, Any]]
) -> dict[str, Any]:
    """The row's typed values by column (a blank optional cell: the column's default); bad cells go to `errors`.

    A parser's answer depends on the cell's text alone: `parsed_cells` keeps it ((column, text) → (True, value)
    or (False, message)) for the file's other cells of the same text (years, codes, firms repeat)."""
    values: dict[str, Any] = {}
    for column in columns:
        text = row.values.get(column.name, "")
        if not text:
            if column.required:
                errors.append(RowError(row.number, column.name, _("This value is required.")))
            else:
                values[column.name] = column.default
            continue
        key = (column.name, text)
        answer = parsed_cells.get(key)
        if answer is None:
            try:
                answer = (True, column.parse(text))
            except ValidationError as error:
                answer = (False, " ".join(error.messages))
            parsed_cells[key] = answer
        if answer[0]:
            values[column.name] = answer[1]
        else:
            errors.append(RowError(row.number, column.name, answer[1]))
    return values


def _duplicate(spec: KindSpec, row: SourceRow, values: dict[str, Any], first_row_of: dict) -> RowError | None:
    """The error of a row whose key an earlier row of the file has; `first_row_of` maps each key to its first row."""
    if not all(name in values for name in spec.key):
        return None
    key = tuple(values[name] for name in spec.key)
    first = first_row_of.setdefault(key, row.number)
    if first == row.number:
        return None
    key_columns = ", ".join(spec.key)
    return RowError(
        row.number,
        key_columns,
        _("Duplicate: row %(first)d has the same %(columns)s (%(key)s); each may appear once per file.")
        % {"first": first, "columns": key_columns, "key": " / ".join(_shown(v) for v in key)},
    )


def _firm_ids(usccs: set[str]) -> dict[str, int]:
    ids = {}
    for chunk in _chunks(sorted(usccs), _in_chunk_size()):
        ids.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
    return ids


def _existing(spec: KindSpec, parsed: list[tuple[SourceRow, dict]], firm_ids: dict[str, int], *, lock: bool) -> dict:
    """The stored rows the file's keys may match, keyed like the file: one query (per IN chunk)."""
    uscc_of = {firm_id: uscc for uscc, firm_id in firm_ids.items()}
    found = {}
    for queryset in _stored_candidates(spec, parsed, uscc_of, lock=lock):
        for obj in queryset:
            if spec.references_firm:
                found[(uscc_of[obj.enterprise_id], *(_stored(obj, name) for name in spec.key[1:]))] = obj
            else:
                found[(obj.uscc,)] = obj
    return found


def _stored_candidates(
    spec: KindSpec, parsed: list[tuple[SourceRow, dict]], uscc_of: dict[int, str], *, lock: bool
) -> Iterator[models.QuerySet]:
    """The stored rows the file's keys may match, one queryset per IN chunk (rows locked with `lock`): the
    firms by USCC, or the rows of the file's firms (`uscc_of`: id → USCC) and years."""
    if spec.references_firm:
        years = sorted({values["year"] for _row, values in parsed})
        wanted, lookup, other = sorted(uscc_of), "enterprise_id__in", {"year__in": years}
    else:
        wanted, lookup, other = sorted({values["uscc"] for _row, values in parsed}), "uscc__in", {}
    for chunk in _chunks(wanted, _in_chunk_size()):
        queryset = spec.model.objects.filter(**{lookup: chunk}, **other).order_by()
        yield queryset.select_for_update() if lock else queryset


def _validation_errors(row: SourceRow, error: ValidationError, columns: set[str]) -> list[RowError]:
    errors = []
    for name, messages in error.message_dict.items():
        column = name if name in columns else ""
        if name == NON_FIELD_ERRORS:
            column = ""
        errors.extend(RowError(row.number, column, message) for message in messages)
    return errors


def _plan(spec: KindSpec, table: Table, *, lock: bool, advance: Advance = _no_progress) -> _Plan:
    """Parse, match with the stored rows and validate every row: what to create, what to update, every error.

    `advance(n)` is called as rows are read (once each) and validated (once each, a bad row among the last)."""
    plan = _Plan(rows=len(table.rows))
    parsed = _parse_rows(spec, table, plan.errors, advance)
    firm_ids: dict[str, int] = {}
    if spec.references_firm:
        firm_ids = _firm_ids({values["uscc"] for _row, values in parsed})
        parsed = _of_known_firms(parsed, firm_ids, plan.errors)
    plan.parsed, plan.firm_ids = parsed, firm_ids
    existing = _existing(spec, parsed, firm_ids, lock=lock)
    columns = set(table.columns)
    plan.columns = columns
    updatable = _updatable(spec, columns)
    validator = _Validator(spec.model, exclude=_checked_elsewhere(spec))
    for row, values in parsed:
        advance(1)
        key = tuple(values[name] for name in spec.key)
        stored = existing.get(key)
        if stored is None:
            obj, changed = _new_object(spec, values, firm_ids)
            action = "create"
        else:
            plan.stored[key] = _fingerprint(stored, updatable)
            obj, changed = stored, _apply_changes(stored, values, updatable)
            action = "update" if changed else None
        try:
            validator.full_clean(obj)
        except ValidationError as error:
            plan.errors.extend(_validation_errors(row, error, columns))
            continue
        plan.add(row, key, obj, action, changed)
    return plan


class _Validator:
    """`obj.full_clean(exclude, validate_unique=False, validate_constraints=False)` for many rows, with each field's
    clean of a value done once.

    A field other than a relation cleans a value whatever the row (Field.clean: to_python, validate, its
    validators): its answer, the cleaned value or the errors, is kept by field and value (type and text
    too: 1.0 and 1.00 are equal decimals) and given again to every row with the same value. Model.clean()
    runs for every row, as in full_clean."""

    def __init__(self, model: type[models.Model], *, exclude: list[str]):
        self.fields = [f for f in model._meta.fields if f.name not in exclude and not f.generated]
        self.answers: dict[tuple, tuple[bool, Any]] = {}

    def full_clean(self, obj: models.Model) -> None:
        errors: dict = {}
        try:
            self._clean_fields(obj)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            obj.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_fields(self, obj: models.Model) -> None:
        """Model.clean_fields with the kept answers."""
        errors = {}
        for f in self.fields:
            raw_value = getattr(obj, f.attname)
            if (f.blank and raw_value in f.empty_values) or isinstance(raw_value, DatabaseDefault):
                continue
            try:
                setattr(obj, f.attname, self._clean(f, raw_value, obj))
            except ValidationError as error:
                errors[f.name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def _clean(self, f: models.Field, value: Any, obj: models.Model) -> Any:
        if f.is_relation:
            return f.clean(value, obj)
        key = (f.attname, type(value), value, str(value))
        try:
            answer = self.answers.get(key)
        except TypeError:  # not hashable
            return f.clean(value, obj)
        if answer is None:
            try:
                answer = (True, f.clean(value, obj))
            except ValidationError as error:
                answer = (False, error.error_list)
            self.answers[key] = answer
        if answer[0]:
            return answer[1]
        raise ValidationError(answer[1])


def _of_known_firms(
    parsed: list[tuple[SourceRow, dict]], firm_ids: dict[str, int], errors: list[RowError]
) -> list[tuple[SourceRow, dict]]:
    """The rows whose USCC names a stored firm; every other row is reported."""
    known = []
    for row, values in parsed:
        if values["uscc"] in firm_ids:
            known.append((row, values))
            continue
        errors.append(
            RowError(
                row.number,
                "uscc",
                _(
                    "No firm has this USCC (%(uscc)s). Firms must exist before their records are imported: "
                    "import the firms file first."
                )
                % {"uscc": values["uscc"]},
            )
        )
    return known


def _checked_elsewhere(spec: KindSpec) -> list[str]:
    """Fields full_clean skips: the firm was looked up by `_firm_ids`; countries were checked by the column
    parser against the same list (django-countries' choice check walks ~250 choices per row: too slow for
    20,000 rows)."""
    exclude = ["enterprise"] if spec.references_firm else []
    return exclude + [f.name for f in spec.model._meta.concrete_fields if isinstance(f, CountryField)]


def _new_object(spec: KindSpec, values: dict[str, Any], firm_ids: dict[str, int]) -> tuple[models.Model, list]:
    """An unsaved object of the row, with its changes as shown ([column, "", new] for every column read)."""
    data = {name: values[name] for name in spec.field_columns if name in values}
    if spec.references_firm:
        data["enterprise_id"] = firm_ids[values["uscc"]]
    changed = [[name, "", _shown(values[name])] for name in spec.column_names if name in values]
    return spec.model(**data), changed


def _apply_changes(obj: models.Model, values: dict[str, Any], names: list[str]) -> list[list[str]]:
    """Set on `obj` the values of `names` that differ from the stored ones; returns [column, old, new] of each."""
    changed = [
        [name, _shown(_stored(obj, name)), _shown(values[name])] for name in names if _stored(obj, name) != values[name]
    ]
    for name, _old, _new in changed:
        setattr(obj, name, values[name])
    return changed


def _write(spec: KindSpec, plan: _Plan, *, actor: User | None, reason: str) -> None:
    model = spec.model
    now = timezone.now()
    user = actor if actor is not None and actor.pk else None
    if plan.creates:
        pks = insert_returning(model, plan.creates, batch_size=WRITE_BATCH_SIZE)
        _history_rows(model, pks, history_type="+", user=user, reason=reason, date=now)
    stamped = any(f.name == "updated_at" for f in model._meta.concrete_fields)
    for changed, objs in plan.updates.items():
        names = sorted(changed)
        if stamped:
            for obj in objs:
                obj.updated_at = now
            names.append("updated_at")
        rows = _bulk_update(model, objs, names)
        if rows != len(objs):  # a row vanished since it was read
            raise _Conflict
        _history_rows(model, [obj.pk for obj in objs], history_type="~", user=user, reason=reason, date=now)


def _history_rows(
    model: type[models.Model], pks: list[int], *, history_type: str, user: User | None, reason: str, date
) -> None:
    """The history rows of the just written rows `pks`, in this order, copied from the table by INSERT … SELECT.

    The same rows as simple_history's bulk_history_create (tracked fields, date, user, reason, type; no
    signals), without building a historical instance per row and compiling its fields into SQL."""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    if user is None:
        user = history.get_default_history_user(model())
    quote = connection.ops.quote_name
    meta, history_meta = model._meta, history._meta
    tracked = [meta.get_field(f.name).column for f in history.tracked_fields]
    extra = ["history_date", "history_change_reason", "history_type", "history_user"]
    targets = [history_meta.get_field(f.name).column for f in history.tracked_fields]
    targets += [history_meta.get_field(name).column for name in extra]
    params = [
        history_meta.get_field("history_date").get_db_prep_save(date, connection),
        reason,
        history_type,
        user.pk if user is not None else None,
    ]
    max_params = connection.features.max_query_params or 30_000
    size = max(1, min(WRITE_BATCH_SIZE, max_params - len(params)))
    sql = (
        f"INSERT INTO {quote(history_meta.db_table)} ({', '.join(quote(c) for c in targets)}) "
        f"SELECT {', '.join(f's.{quote(c)}' for c in tracked)}, %s, %s, %s, %s "
        f"FROM (VALUES {{values}}) AS k JOIN {quote(meta.db_table)} s ON s.{quote(meta.pk.column)} = k.column1 "
        "ORDER BY k.column2"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pks), size):
            batch = pks[start : start + size]
            values = ", ".join(f"(%s, {n})" for n in range(len(batch)))
            cursor.execute(sql.format(values=values), params + batch)


def _bulk_update(model: type[models.Model], objs: list[models.Model], names: list[str]) -> int:
    """UPDATE … SET … FROM (VALUES …) in batches: one statement per batch, whatever the row count.

    Django's bulk_update builds a CASE WHEN per row and field, which costs ~1 ms per row in Python; this
    costs a parameter per cell. PostgreSQL and SQLite ≥ 3.33 understand it; other databases fall back.
    """
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite") or (vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33)):
        return model._default_manager.bulk_update(objs, names, batch_size=UPDATE_BATCH_SIZE)
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.pk] + [meta.get_field(name) for name in names]
    aliases = [f"column{i}" for i in range(1, len(fields) + 1)]  # VALUES' column names in both databases
    assignments = ", ".join(
        f"{quote(f.column)} = "
        + (f"CAST(v.{alias} AS {f.db_type(connection)})" if vendor == "postgresql" else f"v.{alias}")
        for f, alias in zip(fields[1:], aliases[1:], strict=True)
    )
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    max_params = connection.features.max_query_params or 30_000
    size = max(1, min(WRITE_BATCH_SIZE, max_params // len(fields)))
    table = quote(meta.db_table)
    rows = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in batch for f in fields]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([placeholder] * len(batch))}) AS v "
                f"WHERE {table}.{quote(meta.pk.column)} = v.column1",
                params,
            )
            rows += cursor.rowcount
    return rows
