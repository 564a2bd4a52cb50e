"""Metrics + norms -> at most three short, specific points, the most important first:
what to work on, tied to a moment where it can be, and one strength."""

from __future__ import annotations

from dataclasses import dataclass

from vivavoce.analysis.fillers import SURE_CONFIDENCE
from vivavoce.analysis.metrics import AnswerMetrics
from vivavoce.analysis.norms import Norms
from vivavoce.formatting import as_shown, band, clock, duration


@dataclass(frozen=True)
class Point:
    kind: str  # "strength" or "work-on"
    text: str
    weight: float  # higher is more important
    at_s: float | None = None


def times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def pace_point(m: AnswerMetrics, n: Norms) -> Point | None:
    if m.wpm is None or m.speaking_s < 10:
        return None
    low, high = n.pace_wpm
    pace_band = band(low, high, "wpm")
    wpm = round(m.wpm)  # judged as shown
    if wpm > high:
        fast = [f for f in m.pace_flags if f.kind == "fast"]
        where = f", fastest from {clock(fast[0].start_s)}" if fast else ""
        return Point(
            "work-on",
            f"You spoke at {wpm} words a minute{where}, faster than the {pace_band} "
            "listeners follow easily. Slow down and let key points land.",
            (wpm - high) / 10,
            fast[0].start_s if fast else None,
        )
    if wpm < low:
        return Point(
            "work-on",
            f"You spoke at {wpm} words a minute, slower than the usual {pace_band}; "
            "aim for a steadier, brisker delivery.",
            (low - wpm) / 10,
        )
    return Point(
        "strength",
        f"Your pace, {wpm} words a minute, sits in the {pace_band} range listeners find easy to follow.",
        1.0,
    )


def filler_point(m: AnswerMetrics, n: Norms) -> Point | None:
    rate = m.fillers_per_min
    if rate is None or m.filler_count == 0 or rate <= n.fillers_ok_per_min:
        return None
    fillers = m.of_kind("non-lexical")
    unsure = sum(1 for f in fillers if f.confidence < SURE_CONFIDENCE)
    hedge = f", {unsure} of them uncertain" if unsure else ""
    weight = 3.0 if rate >= n.fillers_harm_per_min else 2.0
    return Point(
        "work-on",
        f"You said um/uh {times(m.filler_count)} ({rate:.1f} a minute{hedge}), first at "
        f"{clock(fillers[0].start_s)}. Try a silent pause instead: it sounds more confident.",
        weight,
        fillers[0].start_s,
    )


def discourse_point(m: AnswerMetrics, n: Norms) -> Point | None:
    markers = m.of_kind("discourse")
    if m.speaking_s < 20 or len(markers) / (m.speaking_s / 60) <= n.discourse_ok_per_min:
        return None
    counts: dict[str, int] = {}
    for f in markers:
        counts[f.word] = counts.get(f.word, 0) + 1
    top = ", ".join(f"'{w}' x{c}" for w, c in sorted(counts.items(), key=lambda kv: -kv[1])[:3])
    return Point(
        "work-on", f"Filler phrases add up: {top}. Drop them and the answer gets sharper.", 1.2, markers[0].start_s
    )


def pause_point(m: AnswerMetrics, n: Norms) -> Point | None:
    inside = [p for p in m.long_pauses if p.location == "mid-sentence"]
    if not inside:
        return None
    p = max(inside, key=lambda p: p.duration_s)
    after = f" after '{p.word_before}'" if p.word_before else ""
    more = f" ({len(inside)} such pauses in all)" if len(inside) > 1 else ""
    return Point(
        "work-on",
        f"You paused {duration(p.duration_s)} in the middle of a sentence at "
        f"{clock(p.start_s)}{after}{more}. Pause between sentences instead: there it sounds deliberate.",
        1.0 + p.duration_s / 2,
        p.start_s,
    )


def latency_point(m: AnswerMetrics, n: Norms) -> Point | None:
    if m.latency_s is None or m.latency_s < n.latency_long_s:
        return None
    return Point(
        "work-on",
        f"You took {duration(m.latency_s)} to start. A short bridge "
        '("Let me think of a good example") buys time without silence.',
        1.5,
        0.0,
    )


def length_point(m: AnswerMetrics, target_s: tuple[float, float]) -> Point:
    low, high = target_s
    length_s = as_shown(m.speaking_s)
    if length_s > high:
        return Point(
            "work-on",
            f"Your answer ran {duration(m.speaking_s)} against a target of {band(low, high, 's')}; "
            "cut the set-up and get to what you did.",
            2.5,
        )
    if length_s < low:
        return Point(
            "work-on",
            f"Your answer lasted {duration(m.speaking_s)}; a full answer here takes "
            f"{band(low, high, 's')}: add what you did and what came of it.",
            1.8,
        )
    return Point("strength", f"Good length: {duration(m.speaking_s)}, within the {band(low, high, 's')} target.", 0.8)


def result_point(m: AnswerMetrics, n: Norms) -> Point | None:
    st = m.structure
    if st is None or m.speaking_s < 30 or st.result_flag is None:
        return None
    if st.result_flag == "missing":
        return Point(
            "work-on",
            "The answer never says how it turned out. End with the result, "
            "ideally a number: what changed because of what you did?",
            2.2,
        )
    return Point(
        "work-on",
        f"Your result took only {duration(st.seconds['result'])} of a {duration(m.speaking_s)} answer. "
        "Give the outcome more room: it is what the interviewer remembers.",
        1.6,
    )


def ownership_point(m: AnswerMetrics, n: Norms) -> Point | None:
    own = m.language.ownership
    i_count, we_count = own.get("i", 0), own.get("we", 0)
    if m.speaking_s < 30:
        return None
    if we_count >= 6 and we_count >= 3 * max(1, i_count):
        return Point(
            "work-on",
            f"You said 'we' {we_count} times and 'I' {i_count}: what did *you* do? "
            "Say your own part in the first person.",
            1.9,
        )
    if i_count >= 5 and i_count >= we_count:
        return Point("strength", f"Clear ownership: you said 'I' {i_count} times, so your part is plain.", 0.9)
    return None


def quantified_point(m: AnswerMetrics, n: Norms) -> Point | None:
    q = m.language.quantified
    if q:
        return Point(
            "strength",
            f"You backed your story with numbers ('{q[0].text}' at {clock(q[0].start_s)}).",
            1.1,
            q[0].start_s,
        )
    return None


RULES = (
    pace_point,
    filler_point,
    discourse_point,
    pause_point,
    latency_point,
    result_point,
    ownership_point,
    quantified_point,
)


def feedback(m: AnswerMetrics, target_s: tuple[float, float], norms: Norms, limit: int = 3) -> list[Point]:
    if m.word_count == 0:
        return [
            Point(
                "work-on",
                "No words were heard in this answer. Check the microphone (viva devices) and speak up, then retry.",
                10.0,
            )
        ]
    points = [p for p in (rule(m, norms) for rule in RULES) if p is not None]
    points.append(length_point(m, target_s))
    work_on = sorted((p for p in points if p.kind == "work-on"), key=lambda p: -p.weight)
    strengths = sorted((p for p in points if p.kind == "strength"), key=lambda p: -p.weight)
    chosen = work_on[: limit - 1] + strengths[:1] if strengths else work_on[:limit]
    return chosen[:limit]
