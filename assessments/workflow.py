"""Which action each assessment state allows, and who may take it: the one table of the workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentStatus as S


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    DELETE = "delete", _("Delete draft")
    ASSIGN = "assign", _("Assign officer")
    REVIEW_ITEM = "review_item", _("Review item")
    VERIFY_REMAINING = "verify_remaining", _("Verify all remaining items")
    RETURN = "return", _("Return for correction")
    VERIFY = "verify", _("Verify")
    REJECT = "reject", _("Reject")


MEMBER, OFFICER = "member", "officer"

#: state → {action: (who may take it, the state it leads to, or None when the state stays)}
TRANSITIONS: dict[str, dict[str, tuple[str, str | None]]] = {
    S.DRAFT: {Action.SUBMIT: (MEMBER, S.SUBMITTED), Action.DELETE: (MEMBER, None)},
    S.SUBMITTED: {
        Action.ASSIGN: (OFFICER, None),
        Action.REVIEW_ITEM: (OFFICER, None),
        Action.VERIFY_REMAINING: (OFFICER, None),
        Action.RETURN: (OFFICER, S.RETURNED),
        Action.VERIFY: (OFFICER, S.VERIFIED),
        Action.REJECT: (OFFICER, S.REJECTED),
    },
    S.RETURNED: {Action.SUBMIT: (MEMBER, S.SUBMITTED)},
    S.VERIFIED: {},
    S.REJECTED: {},
}

#: actions whose comment is required
COMMENT_REQUIRED = frozenset({Action.RETURN, Action.REJECT})


def allowed(status: str, action: str) -> bool:
    return action in TRANSITIONS.get(status, {})


def actor_role(status: str, action: str) -> str | None:
    entry = TRANSITIONS.get(status, {}).get(action)
    return entry[0] if entry else None


def target(status: str, action: str) -> str | None:
    entry = TRANSITIONS.get(status, {}).get(action)
    return entry[1] if entry else None


def actions_for(status: str, role: str) -> list[str]:
    return [action for action, (who, _to) in TRANSITIONS.get(status, {}).items() if who == role]
