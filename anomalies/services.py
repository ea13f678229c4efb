from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from anomalies import selectors
from anomalies.models import COMMENT_MAX_LENGTH, Explanation


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
    explanation = (
        Explanation.objects.select_for_update()
        .filter(rule=rule, enterprise_id=enterprise_id, year=year, record_id=record_id)
        .first()
    ) or Explanation(rule=rule, enterprise_id=enterprise_id, year=year, record_id=record_id)
    explanation.comment = comment
    explanation.explained_by = actor
    explanation.explained_at = timezone.now()
    explanation.full_clean(validate_unique=False)
    explanation.save()
    return explanation
