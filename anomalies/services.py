from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from anomalies import selectors
from anomalies.models import COMMENT_MAX_LENGTH, Explanation, Finding, ZoneCheck


@transaction.atomic
def anomaly_explain(
    *, rule: str, enterprise_id: int, year: int, record_id: int, actor: User, comment: str
) -> Explanation:
    """Marks a detected anomaly explained (or replaces its explanation; the history keeps the earlier one)."""
    if not actor.is_officer:
        raise ValidationError(_("Only officers can explain anomalies."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Explain the anomaly.")})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": _("At most %(limit)s characters, please.") % {"limit": COMMENT_MAX_LENGTH}})
    key = (rule, enterprise_id, year, record_id)
    if selectors.anomaly_get(user=actor, key=key) is None:
        raise ValidationError(_("This anomaly is no longer detected."))
    fields = {"comment": comment, "explained_by": actor, "explained_at": timezone.now()}
    # get_or_create: two officers explaining a new anomaly at once leave one row, the later comment winning
    explanation, created = Explanation.objects.select_for_update().get_or_create(
        rule=rule, enterprise_id=enterprise_id, year=year, record_id=record_id, defaults=fields
    )
    if not created:
        for name, value in fields.items():
            setattr(explanation, name, value)
        explanation.full_clean(validate_unique=False)
        explanation.save()
    return explanation


def findings_refresh(*, enterprise_ids: Iterable[int] | None = None, actor: User | None = None) -> int:
    """Re-detects the anomalies of these firms (None: every firm) and stores them, in one transaction of two
    SQL statements; a check of every firm is recorded as a ZoneCheck. Returns the number of anomalies stored."""
    ids = None if enterprise_ids is None else tuple(sorted(set(enterprise_ids)))
    if ids == ():
        return 0
    started = timezone.now()
    sql, params = selectors.detection_sql(selectors.AnomalyFilters(enterprise_ids=ids, status=selectors.Status.ALL))
    table = connection.ops.quote_name(Finding._meta.db_table)
    columns = "rule, enterprise_id, year, record_id, a, b, currency"
    with transaction.atomic(), connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"DELETE FROM {table}")
        else:
            cursor.execute(f"DELETE FROM {table} WHERE enterprise_id IN ({', '.join(['%s'] * len(ids))})", ids)
        cursor.execute(
            f"INSERT INTO {table} ({columns}, detected_at) SELECT {columns}, %s FROM ({sql}) detected",
            [connection.ops.adapt_datetimefield_value(started), *params],
        )
        stored = cursor.rowcount
        if ids is None:
            ZoneCheck.objects.create(
                started_at=started, finished_at=timezone.now(), findings=stored, requested_by=actor
            )
    return stored
