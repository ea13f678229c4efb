"""Helpers the benchmark commands share: they print figures, and undo whatever they wrote to measure."""

import os
import resource


class Rollback(Exception):
    """Raised at the end of a benchmark's transaction so that nothing it wrote stays."""


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine_load() -> str:
    """The load averages and the number of processors, so that a figure can be read against what else ran."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} processors"
