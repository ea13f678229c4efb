"""Helpers the benchmark commands share: they print figures, and undo whatever they wrote to measure."""

import functools
import os
import resource
import time


class Rollback(Exception):
    """Raised at the end of a benchmark's transaction so that nothing it wrote stays."""


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine_load() -> str:
    """The load averages, the number of processors and the reference loop's time, so that a figure can be read
    against what else ran and against the same command on another machine."""
    one, five, fifteen = os.getloadavg()
    return (
        f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} processors, "
        f"reference loop {reference_loop_ms():.0f} ms"
    )


@functools.cache
def reference_loop_ms() -> float:
    """The best of three runs of a fixed pure-Python loop (1,000,000 additions), in milliseconds: the speed of
    one processor as this process gets it. Two machines (or one machine shared with other work) differ by a
    factor of two or three; a page time is only comparable between runs with a similar reference."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number
        best = min(best, time.perf_counter() - start)
    return best * 1000
