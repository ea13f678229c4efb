"""Drawing from the plan's one `random.Random` (nothing else in the plan is random)."""

import random
from collections.abc import Sequence
from datetime import date


def weighted(rng: random.Random, pairs: Sequence[tuple]) -> object:
    """One value of (value, weight) pairs."""
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def random_date(rng: random.Random, start: date, end: date) -> date:
    if end < start:
        return end
    return date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
