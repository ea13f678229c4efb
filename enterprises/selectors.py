"""Reads, always scoped to the user: another firm's rows are simply not in the queryset."""

import functools
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, Count, QuerySet, Value, When

from accounts.models import User
from core.formatting import format_amount
from enterprises.models import Enterprise, EvidenceFile, MemberRole, Membership


def enterprises_for(user: User) -> QuerySet[Enterprise]:
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user)


def is_member(user: User, enterprise_id: int) -> bool:
    return enterprises_for(user).filter(pk=enterprise_id).exists()


def enterprise_for(user: User, enterprise_id: int) -> Enterprise:
    """Raises Enterprise.DoesNotExist (the view turns it into 404) for a firm the user is not in."""
    return enterprises_for(user).get(pk=enterprise_id)


def membership_of(user: User, enterprise: Enterprise) -> Membership | None:
    return Membership.objects.filter(user=user, enterprise=enterprise).first()


def members_of(enterprise: Enterprise) -> QuerySet[Membership]:
    owners_first = Case(When(role=MemberRole.OWNER, then=Value(0)), default=Value(1))
    return enterprise.memberships.select_related("user").order_by(owners_first, "user__username")


def records_for(enterprise: Enterprise, model) -> QuerySet:
    """A firm's records of one type, each annotated with its number of evidence files."""
    return model.objects.filter(enterprise=enterprise).annotate(evidence_count=Count("evidence", distinct=True))


def record_counts(enterprise: Enterprise, year: int) -> dict[str, dict[str, int]]:
    """Per record kind (slug): the firm's records of the year and how many have no evidence file, in one query
    (a UNION ALL of one aggregate per kind) rather than one per kind. The statement is built once per process:
    building the seven aggregates with the ORM on every request cost more than running them."""
    from enterprises.records import RECORD_KINDS

    sql, kinds = _record_counts_statement()
    params: list = []
    for kind, by_date in kinds:
        if by_date:
            bounds = (date(year, 1, 1), date(year, 12, 31))
            year_params = [connection.ops.adapt_datefield_value(bound) for bound in bounds]
        else:
            year_params = [year]
        params += [kind.slug, ContentType.objects.get_for_model(kind.model).pk, enterprise.pk, *year_params]
    counts = {slug: {"total": 0, "without_evidence": 0} for slug in RECORD_KINDS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for slug, total, without_evidence in cursor.fetchall():
            counts[slug] = {"total": total, "without_evidence": without_evidence or 0}
    return counts


@functools.cache
def _record_counts_statement() -> tuple[str, list]:
    """The SQL of `record_counts` and, per part, its record kind and whether its year is a date's (a range)."""
    from enterprises.records import RECORD_KINDS

    quote = connection.ops.quote_name
    evidence = EvidenceFile._meta
    evidence_table = quote(evidence.db_table)
    content_type = quote(evidence.get_field("content_type").column)
    object_id = quote(evidence.get_field("object_id").column)
    parts, kinds = [], []
    for kind in RECORD_KINDS.values():
        meta = kind.model._meta
        name, _, transform = kind.year_lookup.partition("__")
        column = quote(meta.get_field(name).column)
        by_date = transform == "year"
        year_condition = f"r.{column} BETWEEN %s AND %s" if by_date else f"r.{column} = %s"
        no_evidence = (
            f"NOT EXISTS (SELECT 1 FROM {evidence_table} e "
            f"WHERE e.{content_type} = %s AND e.{object_id} = r.{quote(meta.pk.column)})"
        )
        parts.append(
            f"SELECT %s, COUNT(*), SUM(CASE WHEN {no_evidence} THEN 1 ELSE 0 END) "
            f"FROM {quote(meta.db_table)} r "
            f"WHERE r.{quote(meta.get_field('enterprise').column)} = %s AND {year_condition}"
        )
        kinds.append((kind, by_date))
    return " UNION ALL ".join(parts), kinds


def evidence_for_record(record) -> QuerySet[EvidenceFile]:
    return record.evidence.select_related("uploaded_by").order_by("-uploaded_at")


def firm_history(enterprise: Enterprise, limit: int = 300) -> list[dict]:
    """Every change to the firm's data (who, when, what), newest first; one query per record type."""
    from enterprises.records import RECORD_KINDS

    sources = [(Enterprise, Enterprise.history.filter(id=enterprise.pk))]
    sources += [(Membership, Membership.history.filter(enterprise_id=enterprise.pk))]
    sources += [(kind.model, kind.model.history.filter(enterprise_id=enterprise.pk)) for kind in RECORD_KINDS.values()]
    sources += [(EvidenceFile, EvidenceFile.history.filter(enterprise_id=enterprise.pk))]
    entries = []
    for model, rows in sources:
        labels = {
            f.attname: f.verbose_name
            for f in model._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at"}
        }
        # Describing a row (str of the instance) may follow its foreign keys: the firm is known, the others
        # (members' users, uploaders) are joined, so the page costs one query per record type.
        foreign_keys = [f for f in model._meta.concrete_fields if f.many_to_one]
        joined = [f.name for f in foreign_keys if f.related_model is not Enterprise]
        previous: dict[int, object] = {}
        for row in rows.select_related("history_user", *joined).order_by("history_date", "history_id"):
            before = previous.get(row.id)
            changes = []
            if row.history_type == "~" and before is not None:
                changes = [
                    {"field": label, "old": _shown(getattr(before, name)), "new": _shown(getattr(row, name))}
                    for name, label in labels.items()
                    if getattr(before, name) != getattr(row, name)
                ]
            previous[row.id] = row
            entries.append(
                {
                    "when": row.history_date,
                    "who": row.history_user,
                    "action": row.history_type,
                    "what": model._meta.verbose_name,
                    "object": _describe(row, foreign_keys, enterprise),
                    "changes": changes,
                }
            )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]


def _shown(value):
    """A changed value as the pages show it: amounts (and shares) with two decimals and thousand separators."""
    return format_amount(value) if isinstance(value, Decimal) else value


def _describe(row, foreign_keys, enterprise: Enterprise) -> str:
    """The historical row's object as people read it, without a query per row."""
    if row.history_type == "-":
        return str(row.id)
    instance = row.instance
    for field in foreign_keys:
        if field.related_model is Enterprise:
            if getattr(instance, field.attname) == enterprise.pk:
                setattr(instance, field.name, enterprise)
        else:
            setattr(instance, field.name, getattr(row, field.name))
    return str(instance)
