"""Metrics + norms -> at most three short, specific points, the most important first."""

from __future__ import annotations

from dataclasses import dataclass

from vivavoce.analysis.metrics import AnswerMetrics

PACE_WPM = (130.0, 160.0)  # interview answer pace (InterviewVoice, citing Griffiths 1990)
FILLERS_OK_PER_MIN = 5.0  # no measurable penalty at <= ~5/min (Laske et al. 2024)
FILLERS_HARM_PER_MIN = 12.0  # harm concentrates near 12/min (Laske et al. 2024)
DISCOURSE_OK_PER_MIN = 6.0  # a judgement call: "like"/"so" weigh less than um/uh (Laske et al. 2024)
LATENCY_LONG_S = 6.0  # a judgement call, not a published norm


@dataclass(frozen=True)
class Point:
    kind: str  # "strength" or "work-on"
    text: str
    weight: float  # higher is more important
    at_s: float | None = None


def clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def pace_point(m: AnswerMetrics) -> Point | None:
    if m.wpm is None or m.speaking_s < 10:
        return None
    low, high = PACE_WPM
    if m.wpm > high:
        return Point("work-on", f"You spoke at {m.wpm:.0f} words a minute, faster than the "
                     f"{low:.0f}-{high:.0f} listeners find easy to follow; slow down and let key points land.",
                     (m.wpm - high) / 10)  # fmt: skip
    if m.wpm < low:
        return Point("work-on", f"You spoke at {m.wpm:.0f} words a minute, slower than the usual "
                     f"{low:.0f}-{high:.0f}; aim for a steadier, brisker delivery.", (low - m.wpm) / 10)  # fmt: skip
    return Point("strength", f"Your pace, {m.wpm:.0f} words a minute, sits in the "
                 f"{low:.0f}-{high:.0f} range listeners find easy to follow.", 1.0)  # fmt: skip


def filler_point(m: AnswerMetrics) -> Point | None:
    rate = m.fillers_per_min
    if rate is None or m.filler_count == 0 or rate <= FILLERS_OK_PER_MIN:
        return None
    fillers = m.of_kind("non-lexical")
    unsure = sum(1 for f in fillers if f.confidence < 0.8)
    hedge = f", {unsure} of them uncertain" if unsure else ""
    weight = 3.0 if rate >= FILLERS_HARM_PER_MIN else 2.0
    return Point("work-on", f"You said um/uh {m.filler_count} times ({rate:.1f} a minute{hedge}), first at "
                 f"{clock(fillers[0].start_s)}. Try a silent pause instead: it sounds more confident.",
                 weight, fillers[0].start_s)  # fmt: skip


def discourse_point(m: AnswerMetrics) -> Point | None:
    markers = m.of_kind("discourse")
    if m.speaking_s < 20 or len(markers) / (m.speaking_s / 60) <= DISCOURSE_OK_PER_MIN:
        return None
    counts: dict[str, int] = {}
    for f in markers:
        counts[f.word] = counts.get(f.word, 0) + 1
    top = ", ".join(f"'{w}' x{n}" for w, n in sorted(counts.items(), key=lambda kv: -kv[1])[:3])
    return Point("work-on", f"Filler phrases add up: {top}. Drop them and the answer gets sharper.",
                 1.2, markers[0].start_s)  # fmt: skip


def pause_point(m: AnswerMetrics) -> Point | None:
    if not m.long_pauses:
        return None
    longest = max(m.long_pauses, key=lambda p: p.duration_s)
    return Point("work-on", f"You paused {longest.duration_s:.1f} s at {clock(longest.start_s)}; "
                 f"{len(m.long_pauses)} pause(s) of {m.long_pause_s:.1f} s or more in all.",
                 1.0 + longest.duration_s / 3, longest.start_s)  # fmt: skip


def latency_point(m: AnswerMetrics) -> Point | None:
    if m.latency_s is None or m.latency_s < LATENCY_LONG_S:
        return None
    return Point("work-on", f"You took {m.latency_s:.1f} s to start. A short bridge "
                 "(\"Let me think of a good example\") buys time without silence.", 1.5)  # fmt: skip


def length_point(m: AnswerMetrics, target_s: tuple[float, float]) -> Point | None:
    low, high = target_s
    if m.word_count == 0:
        return None
    if m.speaking_s > high:
        return Point("work-on", f"Your answer ran {m.speaking_s:.0f} s against a target of "
                     f"{low:.0f}-{high:.0f} s; cut the set-up and get to what you did.", 2.5)  # fmt: skip
    if m.speaking_s < low:
        return Point("work-on", f"Your answer lasted {m.speaking_s:.0f} s; a full answer here takes "
                     f"{low:.0f}-{high:.0f} s: add what you did and what came of it.", 1.8)  # fmt: skip
    return Point("strength", f"Good length: {m.speaking_s:.0f} s, within the {low:.0f}-{high:.0f} s target.", 0.8)


def feedback(m: AnswerMetrics, target_s: tuple[float, float], limit: int = 3) -> list[Point]:
    if m.word_count == 0:
        return [Point("work-on", "No words were heard in this answer. Check the microphone "
                      "(viva devices) and speak up, then retry.", 10.0)]  # fmt: skip
    candidates = [p(m) for p in (pace_point, filler_point, discourse_point, pause_point, latency_point)]
    candidates.append(length_point(m, target_s))
    points = [p for p in candidates if p is not None]
    work_on = sorted((p for p in points if p.kind == "work-on"), key=lambda p: -p.weight)
    strengths = sorted((p for p in points if p.kind == "strength"), key=lambda p: -p.weight)
    chosen = work_on[: limit - 1] + strengths[:1] if strengths else work_on[:limit]
    return chosen[:limit]
