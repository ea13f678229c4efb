"""Helpers the benchmark commands share: they print figures, and undo whatever they wrote to measure."""


class Rollback(Exception):
    """Raised at the end of a benchmark's transaction so that nothing it wrote stays."""


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"
