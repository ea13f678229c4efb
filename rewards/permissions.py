"""Round rules: what each round state allows, and whether a round takes submissions now."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.errors import WorkflowError
from rewards.models import RewardRound, RoundStatus


def check_round_accepts_submissions(reward_round: RewardRound) -> None:
    now = timezone.now()
    if reward_round.status != RoundStatus.OPEN:
        raise WorkflowError(_("The round “%(round)s” is not open for submissions.") % {"round": reward_round.name})
    if now < reward_round.submission_opens:
        raise WorkflowError(
            _("The round “%(round)s” opens for submissions on %(when)s.")
            % {
                "round": reward_round.name,
                "when": date_format(timezone.localtime(reward_round.submission_opens), "DATETIME_FORMAT"),
            }
        )
    if now > reward_round.submission_closes:
        raise WorkflowError(
            _("The submission window of “%(round)s” closed on %(when)s.")
            % {
                "round": reward_round.name,
                "when": date_format(timezone.localtime(reward_round.submission_closes), "DATETIME_FORMAT"),
            }
        )
