"""Demo assessments and the 2014 reward round (DESIGN.md section 7) -- the extension point of seed_demo."""

import random

from django.core.management.base import OutputWrapper

from accounts.models import User
from enterprises.models import Enterprise


def seed_assessments_and_round(
    *, rng: random.Random, enterprises: list[Enterprise], accounts: dict[str, User], stdout: OutputWrapper
) -> None:
    """Filled in by the assessments/rewards work.

    seed_demo calls this inside its transaction, after every firm and its 2009-2014 records (and firm1's
    and firm2's evidence files) are written and before it prints the accounts; an exception rolls the
    whole seeding back.

    rng: a `random.Random` of its own, derived from --seed (draw from it only, for reproducible data).
    enterprises: the N saved firms in plan order; enterprises[0] is firm1's, enterprises[1] firm2's.
    accounts: the demo users by username: "admin", "officer", "firm1", "firm2".
    stdout: the command's output, for progress lines.
    """
