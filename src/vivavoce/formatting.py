"""How times and numbers are written, everywhere: one duration format, one clock."""

from __future__ import annotations

MISSING = "-"


def as_shown(seconds: float) -> float:
    """A duration rounded as ``duration`` writes it: judge what the user reads."""
    return round(seconds, 1) if seconds < 9.95 else float(round(seconds))


def duration(seconds: float | None) -> str:
    """A length of time: '1.6 s' under 10 s, '26 s' above (the one duration format)."""
    if seconds is None:
        return MISSING
    return f"{seconds:.1f} s" if seconds < 9.95 else f"{seconds:.0f} s"


def clock(seconds: float) -> str:
    """A moment in a recording: '1:05' (minutes:seconds from its start), '2:00:05' past an hour."""
    whole = int(seconds)
    if whole >= 3600:
        return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"


def band(low: float, high: float, unit: str) -> str:
    return f"{low:g}-{high:g} {unit}"


def number(value: float | None, digits: int = 0) -> str:
    return MISSING if value is None else f"{value:.{digits}f}"


def short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
