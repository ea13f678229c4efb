"""Reads, always scoped to the user: another firm's rows are simply not in the queryset."""

from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

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
    (a UNION ALL of one aggregate per kind) rather than one per kind."""
    from enterprises.records import RECORD_KINDS

    parts = [
        kind.model.objects.filter(enterprise=enterprise, **{kind.year_lookup: year})
        .order_by()
        .annotate(record_kind=Value(kind.slug, output_field=CharField()))
        .values("record_kind")
        .annotate(
            total=Count("pk", distinct=True),
            without_evidence=Count("pk", filter=Q(evidence__isnull=True), distinct=True),
        )
        for kind in RECORD_KINDS.values()
    ]
    counts = {slug: {"total": 0, "without_evidence": 0} for slug in RECORD_KINDS}
    for row in parts[0].union(*parts[1:], all=True):
        counts[row["record_kind"]] = {"total": row["total"], "without_evidence": row["without_evidence"]}
    return counts


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
