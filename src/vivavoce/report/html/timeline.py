"""One answer's timeline as inline SVG: loudness (or speech spans), the words, each um/uh
(sure and uncertain told apart) and each long pause as a marker, the rough STAR sections
and the pace over time against its band, on one time axis. Pure: the document in, SVG out.

The page's script turns a click anywhere on it into a seek and moves the playhead with
the player; the figure's caption says in words what the picture shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vivavoce.analysis.fillers import NON_LEXICAL_KIND, SURE_CONFIDENCE
from vivavoce.answer import Answer
from vivavoce.report.html.charts import nice_top, tick_text, y_ticks
from vivavoce.report.html.page import esc
from vivavoce.report.present import band, clock, duration

WIDTH, LEFT, RIGHT = 1000, 100, 14
LOUD = (4, 50)  # lane top and height, in viewBox units
WORDS = (60, 10)
MARKS = (76, 18)
STAR = (100, 16)
PACE = (128, 92)
AXIS_Y = 222
HEIGHT = 254
STAR_NAMES = {"situation": "Situation", "task": "Task", "action": "Action", "result": "Result"}

TIMELINE_CSS = """
.timeline { display: block; width: 100%; cursor: crosshair; border-radius: 6px; }
.timeline svg { display: block; width: 100%; height: auto; }
svg .env { fill: #94a3b8; } svg .speech { fill: #cbd5e1; }
svg .word { fill: #64748b; } svg .lane-label { font-size: 11px; fill: var(--muted); }
svg .marker.filler.sure { fill: #b45309; } svg .marker.filler.unsure { fill: #fff; stroke: #b45309; stroke-width: 1.5;
  stroke-dasharray: 2 1.5; }
svg .marker.pause { fill: #7e22ce; opacity: .8; } svg .marker.pause.mid { fill: var(--bad); }
svg .star-situation { fill: #dbeafe; } svg .star-task { fill: #ede9fe; } svg .star-action { fill: #fef3c7; }
svg .star-result { fill: #dcfce7; } svg .star-text { font-size: 10.5px; fill: var(--ink); }
svg .playhead { stroke: var(--accent); stroke-width: 2; }
"""


@dataclass(frozen=True)
class Axis:
    """Seconds to x in the viewBox."""

    end_s: float

    def x(self, t: float) -> float:
        return round(LEFT + max(0.0, min(t, self.end_s)) / self.end_s * (WIDTH - LEFT - RIGHT), 1)


def end_of(answer: Answer) -> float:
    ends = [answer.take.duration_s or 0.0] + [w.end_s for w in answer.words]
    return max(max(ends), 1.0)


def lane_label(text: str, lane: tuple[int, int]) -> str:
    top, height = lane
    return f'<text class="lane-label" x="{LEFT - 6}" y="{top + height / 2 + 4}" text-anchor="end">{esc(text)}</text>'


def loudness(answer: Answer, axis: Axis, envelope: Sequence[float] | None) -> str:
    """The loudness envelope (0-1 per equal slice of the recording), or the speech spans without one."""
    top, height = LOUD
    middle = top + height / 2
    if not envelope:
        spans = "".join(
            f'<rect class="speech" x="{axis.x(s.start_s)}" y="{top + 8}" height="{height - 16}" '
            f'width="{max(axis.x(s.end_s) - axis.x(s.start_s), 0.5)}"/>'
            for s in answer.speech_spans
        )
        return lane_label("speech", LOUD) + spans
    step = axis.end_s / len(envelope)
    upper = [f"{axis.x((i + 0.5) * step)},{round(middle - v * height / 2, 1)}" for i, v in enumerate(envelope)]
    lower = [
        f"{axis.x((i + 0.5) * step)},{round(middle + v * height / 2, 1)}"
        for i, v in reversed(list(enumerate(envelope)))
    ]
    return lane_label("loudness", LOUD) + f'<polygon class="env" points="{" ".join(upper + lower)}"/>'


def words_lane(answer: Answer, axis: Axis) -> str:
    top, height = WORDS
    ticks = "".join(
        f'<rect class="word" x="{axis.x(w.start_s)}" y="{top}" height="{height}" '
        f'width="{max(axis.x(w.end_s) - axis.x(w.start_s) - 0.6, 0.8):.1f}"><title>{clock(w.start_s)} '
        f"{esc(w.text)}</title></rect>"
        for w in answer.words
        if w.text
    )
    return lane_label("words", WORDS) + ticks


def markers_lane(answer: Answer, axis: Axis) -> str:
    """One marker per um/uh (filled: sure; hollow: uncertain) and per long pause."""
    top, height = MARKS
    m = answer.metrics
    assert m is not None
    marks = []
    for p in m.long_pauses:
        where = "mid" if p.location == "mid-sentence" else "between"
        marks.append(
            f'<rect class="marker pause {where}" x="{axis.x(p.start_s)}" y="{top + 2}" height="{height - 4}" '
            f'width="{max(axis.x(p.end_s) - axis.x(p.start_s), 2)}" rx="2"><title>{clock(p.start_s)} '
            f"{esc(p.location)} pause, {duration(p.duration_s)}</title></rect>"
        )
    for f in m.of_kind(NON_LEXICAL_KIND):
        sure = f.confidence >= SURE_CONFIDENCE
        tip = f"{clock(f.start_s)} {f.word}" + ("" if sure else f" (uncertain, {f.confidence:.0%} sure)")
        marks.append(
            f'<circle class="marker filler {"sure" if sure else "unsure"}" cx="{axis.x(f.start_s)}" '
            f'cy="{top + height / 2}" r="5"><title>{esc(tip)}</title></circle>'
        )
    return lane_label("um/uh, pauses", MARKS) + "".join(marks)


def star_sections(answer: Answer) -> list[tuple[str, float, float]]:
    """Consecutive sentences of one STAR part joined: (part, start_s, end_s)."""
    st = answer.metrics.structure if answer.metrics else None
    sections: list[tuple[str, float, float]] = []
    for s in st.sentences if st else ():
        if sections and sections[-1][0] == s.part:
            sections[-1] = (s.part, sections[-1][1], s.end_s)
        else:
            sections.append((s.part, s.start_s, s.end_s))
    return sections


def star_lane(answer: Answer, axis: Axis) -> str:
    top, height = STAR
    parts = []
    for part, start_s, end_s in star_sections(answer):
        x0, x1 = axis.x(start_s), axis.x(end_s)
        name = STAR_NAMES.get(part, part)
        text = name if x1 - x0 > 52 else name[0] if x1 - x0 > 10 else ""
        parts.append(
            f'<rect class="star-{esc(part)}" x="{x0}" y="{top}" width="{max(x1 - x0, 1)}" height="{height}">'
            f"<title>{esc(name)} {clock(start_s)}–{clock(end_s)}</title></rect>"
            f'<text class="star-text" x="{x0 + 4}" y="{top + height - 4}">{esc(text)}</text>'
        )
    return lane_label("STAR (rough)", STAR) + "".join(parts)


def pace_lane(answer: Answer, axis: Axis) -> str:
    """Pace per window as steps, against the pace band; the y axis in words a minute."""
    top, height = PACE
    m = answer.metrics
    windows = m.pace_windows if m else ()
    low, high = answer.norms.pace_wpm
    ceiling = nice_top(max([high * 1.2] + [w.wpm * 1.05 for w in windows]))

    def y(v: float) -> float:
        return round(top + height - v / ceiling * height, 1)

    right = WIDTH - RIGHT
    parts = [
        f'<rect class="band" x="{LEFT}" y="{y(high)}" width="{right - LEFT}" height="{y(low) - y(high)}"/>',
        (
            f'<text class="band-label" x="{right - 4}" y="{y(high) - 3}" text-anchor="end">target '
            f"{esc(band(low, high, 'wpm'))}</text>"
        ),
        f'<line class="axis" x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{top + height}"/>',
    ]
    for v in y_ticks(ceiling):
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y(v)}" x2="{right}" y2="{y(v)}" opacity=".6"/>'
            f'<text x="{LEFT - 4}" y="{y(v) + 4}" text-anchor="end">{tick_text(v)}</text>'
        )
    parts.append(
        f'<text class="axis-title" x="{LEFT - 34}" y="{top + height / 2 + 4}" text-anchor="end">pace, wpm</text>'
    )
    if windows:
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{axis.x(w.start_s)},{y(w.wpm)} H{axis.x(w.end_s)}" for i, w in enumerate(windows)
        )
        parts.append(f'<path class="line" d="{path}"/>')
        parts += [
            f'<circle class="dot" cx="{axis.x((w.start_s + w.end_s) / 2)}" cy="{y(w.wpm)}" r="3">'
            f"<title>{clock(w.start_s)}–{clock(w.end_s)}: {w.wpm:.0f} wpm</title></circle>"
            for w in windows
        ]
    else:
        parts.append(f'<text x="{LEFT + 8}" y="{top + height / 2}">too little speech for pace over time</text>')
    return "".join(parts)


def tick_step_s(end_s: float) -> float:
    for step in (5, 10, 15, 30, 60, 120, 300, 600, 1800):
        if end_s / step <= 10:
            return step
    return 3600


def time_axis(axis: Axis) -> str:
    step = tick_step_s(axis.end_s)
    parts = [f'<line class="axis" x1="{LEFT}" y1="{AXIS_Y}" x2="{WIDTH - RIGHT}" y2="{AXIS_Y}"/>']
    t = 0.0
    while t <= axis.end_s + 1e-6:
        x = axis.x(t)
        parts.append(
            f'<line class="grid" x1="{x}" y1="{LOUD[0]}" x2="{x}" y2="{AXIS_Y}"/>'
            f'<text x="{x}" y="{AXIS_Y + 14}" text-anchor="middle">{clock(t)}</text>'
        )
        t += step
    parts.append(
        f'<text class="axis-title" x="{WIDTH - RIGHT}" y="{AXIS_Y + 29}" text-anchor="end">'
        "time into the answer (m:ss)</text>"
    )
    return "".join(parts)


def summary(answer: Answer) -> str:
    """The timeline in words, for a screen reader and for anyone who prefers text."""
    m = answer.metrics
    assert m is not None
    ums = m.of_kind(NON_LEXICAL_KIND)
    unsure = sum(1 for f in ums if f.confidence < SURE_CONFIDENCE)
    pauses = ", ".join(f"{clock(p.start_s)} ({duration(p.duration_s)})" for p in m.long_pauses) or "none"
    paces = [w.wpm for w in m.pace_windows]
    pace = f"pace from {min(paces):.0f} to {max(paces):.0f} wpm" if paces else "too little speech for pace over time"
    star = ", ".join(f"{STAR_NAMES.get(p, p)} {clock(s)}–{clock(e)}" for p, s, e in star_sections(answer)) or "none"
    return (
        f"Timeline over {clock(end_of(answer))}: {len([w for w in answer.words if w.text])} words; "
        f"{len(ums)} um/uh ({unsure} uncertain)"
        + (f" at {', '.join(clock(f.start_s) for f in ums)}" if ums else "")
        + f"; long pauses: {pauses}; {pace} against a {band(*answer.norms.pace_wpm, 'wpm')} band; "
        f"STAR sections: {star}."
    )


def timeline_svg(answer: Answer, index: int, envelope: Sequence[float] | None = None) -> str:
    """The figure: a keyboard-operable seek bar (arrow keys) drawn as the timeline, with its caption."""
    axis = Axis(end_of(answer))
    lanes = [
        loudness(answer, axis, envelope),
        words_lane(answer, axis),
        markers_lane(answer, axis),
        star_lane(answer, axis),
        pace_lane(answer, axis),
        time_axis(axis),
        f'<line class="playhead" x1="{LEFT}" y1="{LOUD[0]}" x2="{LEFT}" y2="{AXIS_Y}"/>',
    ]
    desc_id = f"timeline-text-{index + 1}"
    return (
        f'<figure class="timeline-figure"><div class="timeline" tabindex="0" role="slider" '
        f'aria-label="Timeline: click or use the arrow keys to play from a moment" aria-describedby="{desc_id}" '
        f'aria-valuemin="0" aria-valuemax="{axis.end_s:.1f}" aria-valuenow="0" aria-valuetext="0:00" '
        f'data-duration="{axis.end_s:.3f}" data-left="{LEFT}" data-right="{WIDTH - RIGHT}" data-width="{WIDTH}">'
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true">{"".join(lanes)}</svg></div>'
        f'<figcaption id="{desc_id}" class="sr-only">{esc(summary(answer))}</figcaption></figure>'
    )
