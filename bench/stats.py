"""Summary statistics shared by the benchmark scripts."""

from __future__ import annotations

import math
import statistics


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary_ms(samples: list[float], decimals: int = 1) -> str:
    """Median, p95 and max of samples in seconds, written in milliseconds."""
    median, p95, worst = (
        value * 1000
        for value in (statistics.median(samples), percentile(samples, 0.95), max(samples))
    )
    digits = f"6.{decimals}f"
    return f"median {median:{digits}} ms   p95 {p95:{digits}} ms   max {worst:{digits}} ms"
