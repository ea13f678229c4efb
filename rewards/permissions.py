"""Round rules: whether a round takes submissions now."""

from assessments.errors import WorkflowError
from rewards.models import RewardRound


def check_round_accepts_submissions(reward_round: RewardRound) -> None:
    problem = reward_round.submission_problem()
    if problem:
        raise WorkflowError(problem)
