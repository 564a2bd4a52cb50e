"""Pace: words per minute overall, per window, and stretches too fast or too slow."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from vivavoce.transcript import Word

WINDOW_S = 10.0


@dataclass(frozen=True)
class PaceWindow:
    start_s: float
    end_s: float
    wpm: float


@dataclass(frozen=True)
class PaceFlag:
    start_s: float
    end_s: float
    wpm: float
    kind: str  # "fast" or "slow"


def per_minute(count: float, seconds: float) -> float | None:
    return count / (seconds / 60) if seconds > 0 else None


def windows(words: list[Word], start_s: float, end_s: float, window_s: float = WINDOW_S) -> list[PaceWindow]:
    """Words per minute in consecutive windows of the speaking span (a word counts where its
    middle falls); a last window shorter than half a window joins the one before."""
    if end_s - start_s <= 0:
        return []
    n = max(1, int((end_s - start_s) / window_s + 0.5))
    edges = [start_s + i * window_s for i in range(n)] + [end_s]
    counts = [0] * n
    for w in words:
        middle = (w.start_s + w.end_s) / 2
        index = min(n - 1, max(0, int((middle - start_s) // window_s)))
        counts[index] += 1
    return [PaceWindow(a, b, counts[i] / (b - a) * 60) for i, (a, b) in enumerate(pairwise(edges)) if b > a]


def variation(ws: list[PaceWindow]) -> float | None:
    """Coefficient of variation of window pace (0 = perfectly even)."""
    if len(ws) < 2:
        return None
    rates = [w.wpm for w in ws]
    mean = sum(rates) / len(rates)
    if mean == 0:
        return None
    return math.sqrt(sum((r - mean) ** 2 for r in rates) / len(rates)) / mean


def flags(ws: list[PaceWindow], band_wpm: tuple[float, float]) -> list[PaceFlag]:
    """Runs of windows outside the band, merged."""
    low, high = band_wpm
    out: list[PaceFlag] = []
    for w in ws:
        kind = "fast" if w.wpm > high else "slow" if w.wpm < low else None
        if kind is None:
            continue
        if out and out[-1].kind == kind and abs(out[-1].end_s - w.start_s) < 1e-9:
            prev = out.pop()
            total_s = (prev.end_s - prev.start_s) + (w.end_s - w.start_s)
            mean = (prev.wpm * (prev.end_s - prev.start_s) + w.wpm * (w.end_s - w.start_s)) / total_s
            out.append(PaceFlag(prev.start_s, w.end_s, mean, kind))
        else:
            out.append(PaceFlag(w.start_s, w.end_s, w.wpm, kind))
    return out
