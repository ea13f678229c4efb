"""Which administrator action each reward-round state allows: the one table of the round workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rewards.models import RoundStatus as S


class RoundAction(models.TextChoices):
    EDIT = "edit", _("Edit")
    OPEN = "open", _("Open")
    CLOSE = "close", _("Close")
    RANK = "rank", _("Rank")
    REOPEN = "reopen", _("Re-open for ranking")
    PUBLISH = "publish", _("Publish")
    ARCHIVE = "archive", _("Archive")
    SIMULATE = "simulate", _("Simulate")


#: state → {action: the state it leads to (None: stays)}
ROUND_TRANSITIONS: dict[str, dict[str, str | None]] = {
    S.DRAFT: {RoundAction.EDIT: None, RoundAction.OPEN: S.OPEN, RoundAction.ARCHIVE: None},
    S.OPEN: {RoundAction.CLOSE: S.CLOSED, RoundAction.SIMULATE: None},
    S.CLOSED: {RoundAction.RANK: S.RANKED, RoundAction.SIMULATE: None},
    S.RANKED: {
        RoundAction.RANK: S.RANKED,
        RoundAction.REOPEN: S.CLOSED,
        RoundAction.PUBLISH: S.PUBLISHED,
        RoundAction.SIMULATE: None,
    },
    S.PUBLISHED: {RoundAction.ARCHIVE: None},
}


def round_allows(status: str, action: str) -> bool:
    return action in ROUND_TRANSITIONS.get(status, {})


def round_actions(status: str) -> list[str]:
    return list(ROUND_TRANSITIONS.get(status, {}))
