"""Charts for the progress and batch pages as inline SVG: a metric over sessions against its
band, and a metric's spread across files (a strip plot) against its band. Axes and bands
are labelled; each chart carries a text alternative. Pure: numbers in, SVG text out."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vivavoce.report.html.page import esc

CHART_CSS = """
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(24rem, 1fr)); gap: .75rem 1.25rem; }
.chart { margin: 0; } .chart figcaption { font-weight: 600; font-size: .9rem; }
.chart svg { display: block; width: 100%; height: auto; }
svg a:focus-visible circle { stroke: var(--ink); stroke-width: 3; }
"""


@dataclass(frozen=True)
class Target:
    """A metric's band: from ``low`` to ``high`` (either may be open) and how to say it."""

    low: float | None
    high: float | None
    text: str  # e.g. "target 130-160 wpm"

    def holds(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class ChartPoint:
    label: str  # under the x axis
    value: float | None
    tip: str  # what hovering (and a screen reader) says
    href: str | None = None


def nice_top(value: float) -> float:
    """The top of an axis at or above ``value`` whose quarters are round numbers (1, 2, 2.5, 5 x 10^k)."""
    if value <= 0:
        return 1.0
    quarter = value / 4
    scale = 10 ** math.floor(math.log10(quarter))
    return 4 * next(m * scale for m in (1, 2, 2.5, 5, 10) if m * scale >= quarter - 1e-9)


def y_ticks(top: float) -> list[float]:
    return [top * i / 4 for i in range(5)]


def tick_text(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:g}"


def band_rect(target: Target, top: float, y: Callable[[float], float], x0: float, x1: float) -> str:
    low, high = target.low or 0.0, min(target.high if target.high is not None else top, top)
    if high <= low:
        return ""
    return (
        f'<rect class="band" x="{x0}" y="{y(high)}" width="{x1 - x0}" height="{y(low) - y(high)}"/>'
        f'<text class="band-label" x="{x1 - 4}" y="{y(high) + 12}" text-anchor="end">{esc(target.text)}</text>'
    )


def y_axis(top: float, y: Callable[[float], float], x0: float, x1: float, unit: str) -> str:
    parts = [
        f'<line class="grid" x1="{x0}" y1="{y(v)}" x2="{x1}" y2="{y(v)}"/>'
        f'<text x="{x0 - 5}" y="{y(v) + 4}" text-anchor="end">{tick_text(v)}</text>'
        for v in y_ticks(top)
    ]
    parts.append(f'<text class="axis-title" x="2" y="10">{esc(unit)}</text>')
    return "".join(parts)


def over_time(title: str, unit: str, points: Sequence[ChartPoint], target: Target, chart_id: str) -> str:
    """One metric, one point per session (oldest left), the band behind; a point links to its report."""
    width, height, left, right, top_y, bottom = 460, 210, 46, 10, 18, 36
    known = [p.value for p in points if p.value is not None]
    top = nice_top(max(known + [target.high or 0.0, target.low or 0.0]) * 1.1)
    step = (width - left - right) / max(len(points), 1)

    def x(i: int) -> float:
        return round(left + step * (i + 0.5), 1)

    def y(v: float) -> float:
        return round(height - bottom - v / top * (height - bottom - top_y), 1)

    parts = [
        band_rect(target, top, y, left, width - right),
        y_axis(top, y, left, width - right, unit),
        f'<line class="axis" x1="{left}" y1="{y(0)}" x2="{width - right}" y2="{y(0)}"/>',
    ]
    line = [(x(i), y(p.value)) for i, p in enumerate(points) if p.value is not None]
    if len(line) > 1:
        parts.append(f'<path class="line" d="M{" L".join(f"{a},{b}" for a, b in line)}"/>')
    every = max(1, math.ceil(len(points) / 8))
    for i, p in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            parts.append(f'<text x="{x(i)}" y="{height - bottom + 14}" text-anchor="middle">{esc(p.label)}</text>')
        if p.value is not None:
            dot = (
                f'<circle class="dot{"" if target.holds(p.value) else " out"}" cx="{x(i)}" cy="{y(p.value)}" '
                f'r="5"><title>{esc(p.tip)}</title></circle>'
            )
            parts.append(f'<a href="{esc(p.href)}" aria-label="{esc(p.tip)}">{dot}</a>' if p.href else dot)
    parts.append(
        f'<text class="axis-title" x="{width - right}" y="{height - 4}" text-anchor="end">session '
        "(number · month-day)</text>"
    )
    return figure(title, width, height, "".join(parts), describe(title, points, target), chart_id)


def describe(title: str, points: Sequence[ChartPoint], target: Target) -> str:
    said = "; ".join(p.tip for p in points if p.value is not None) or "no values"
    return f"{title} ({target.text}): {said}."


def figure(title: str, width: int, height: int, svg: str, text: str, chart_id: str) -> str:
    return (
        f'<figure class="chart" id="{esc(chart_id)}"><figcaption>{esc(title)}</figcaption>'
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{esc(text)}">{svg}</svg></figure>'
    )


def anchor(x: float, left: float, right: float, room: float = 40) -> str:
    """Where a label at ``x`` hangs so that it stays inside the plot."""
    return "start" if x < left + room else "end" if x > right - room else "middle"


def strip_plot(title: str, unit: str, values: Sequence[tuple[str, float | None]], target: Target, chart_id: str) -> str:
    """A metric across files: one dot per file along the value axis (spread up and down so dots
    do not hide each other), the band behind, the median marked."""
    width, height, left, right, axis_y = 460, 150, 14, 14, 104
    known = sorted(v for _, v in values if v is not None)
    top = nice_top(max(known + [target.high or 0.0, target.low or 0.0]) * 1.05)

    def x(v: float) -> float:
        return round(left + v / top * (width - left - right), 1)

    parts = []
    low, high = target.low or 0.0, min(target.high if target.high is not None else top, top)
    if high > low:
        parts.append(
            f'<rect class="band" x="{x(low)}" y="14" width="{x(high) - x(low)}" height="{axis_y - 14}"/>'
            f'<text class="band-label" x="{x(low) + 4}" y="26">{esc(target.text)}</text>'
        )
    parts.append(f'<line class="axis" x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}"/>')
    for v in y_ticks(top):
        parts.append(f'<text x="{x(v)}" y="{axis_y + 15}" text-anchor="middle">{tick_text(v)}</text>')
    parts.append(f'<text class="axis-title" x="{width - right}" y="{height - 6}" text-anchor="end">{esc(unit)}</text>')
    for i, (name, v) in enumerate((n, v) for n, v in values if v is not None):
        cy = 40 + (i * 37 % 56)  # spread the dots over the lane, the same way every time
        parts.append(
            f'<circle class="dot{"" if target.holds(v) else " out"}" cx="{x(v)}" cy="{cy}" r="4.5" '
            f'opacity=".8"><title>{esc(name)}: {tick_text(v)} {esc(unit)}</title></circle>'
        )
    if known:
        median = known[len(known) // 2] if len(known) % 2 else (known[len(known) // 2 - 1] + known[len(known) // 2]) / 2
        parts.append(
            f'<line class="axis" x1="{x(median)}" y1="30" x2="{x(median)}" y2="{axis_y}" '
            'stroke-dasharray="4 3"/>'
            f'<text x="{x(median)}" y="{axis_y - 4}" text-anchor="{anchor(x(median), left, width - right)}" '
            'class="axis-title">median '
            f"{tick_text(median)}</text>"
        )
    text = f"{title} across {len(known)} file(s) ({target.text}): " + (
        f"from {tick_text(known[0])} to {tick_text(known[-1])}, {sum(map(target.holds, known))} in band."
        if known
        else "no values."
    )
    return figure(title, width, height, "".join(parts), text, chart_id)
