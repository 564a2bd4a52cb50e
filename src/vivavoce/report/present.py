"""What every view says about an answer, said once: one duration format, one way to
label an answer, and the headline numbers with the bands of the answer's own norms.
Pure: documents in, strings out. The terminal, Markdown, CSV and HTML views use these."""

from __future__ import annotations

from dataclasses import dataclass

from vivavoce.analysis.fillers import DETECTOR_CONFIDENCE, SURE_CONFIDENCE
from vivavoce.answer import Answer
from vivavoce.formatting import MISSING, as_shown, band, clock, duration, number

__all__ = [
    "MISSING",
    "Headline",
    "band",
    "certainty",
    "clock",
    "duration",
    "filler_legend",
    "headlines",
    "label",
    "mark",
    "number",
]


def label(answer: Answer) -> str:
    """'Question 2, try 2' or 'Question 2 follow-up (to: ...)': what every view calls an answer."""
    name = f"Question {answer.number}" + (" follow-up" if answer.is_follow_up else "")
    return name + (f", try {answer.attempt}" if answer.attempt > 1 else "")


@dataclass(frozen=True)
class Headline:
    name: str
    value: str  # e.g. "134 wpm"
    band: str  # the norm it is judged by, e.g. "130-160 wpm"
    in_band: bool | None  # None when there is nothing to judge


def headlines(answer: Answer) -> list[Headline]:
    """Pace, um/uh, long pauses, latency and length, each against its band."""
    m, n = answer.metrics, answer.norms
    if m is None:
        return []
    low, high = n.pace_wpm
    pace = Headline(
        "Pace", f"{number(m.wpm)} wpm", band(low, high, "wpm"), None if m.wpm is None else low <= round(m.wpm) <= high
    )
    rate = m.fillers_per_min
    unsure = answer.uncertain_fillers
    count = f"{m.filler_count}" + (f" ({unsure} uncertain)" if unsure else "")
    fillers = Headline(
        "Um/uh",
        f"{count}, {number(rate, 1)} a minute",
        f"up to {n.fillers_ok_per_min:g} a minute",
        None if rate is None else rate <= n.fillers_ok_per_min,
    )
    pauses = Headline(
        "Long pauses",
        f"{len(m.long_pauses)}, longest {duration(m.longest_pause_s)}",
        f"none of {duration(n.long_pause_s)} or more mid-sentence",
        not any(p.location == "mid-sentence" for p in m.long_pauses),
    )
    latency = Headline(
        "Latency",
        duration(m.latency_s),
        f"under {duration(n.latency_long_s)}",
        None if m.latency_s is None else m.latency_s < n.latency_long_s,
    )
    t_low, t_high = answer.target_s
    length = Headline(
        "Length",
        duration(m.speaking_s),
        band(t_low, t_high, "s"),
        t_low <= as_shown(m.speaking_s) <= t_high if m.word_count else None,
    )
    return [pace, fillers, pauses, latency, length]


def in_ten(confidence: float) -> str:
    return f"about {round(confidence * 10)} in 10"


def certainty(confidence: float) -> str:
    """A detected filler's confidence in words: its band, and how often such detections
    were real fillers out of sample (analysis.fillers.DETECTOR_CONFIDENCE)."""
    band = "sure" if confidence >= SURE_CONFIDENCE else "uncertain"
    return f"{band}: {in_ten(confidence)} like it were real"


def filler_legend() -> str:
    """What [um] and [um?] mean, with the measured share of each band that was real."""
    sure = min(c for _, c in DETECTOR_CONFIDENCE if c >= SURE_CONFIDENCE)
    unsure = max(c for _, c in DETECTOR_CONFIDENCE if c < SURE_CONFIDENCE)
    return (
        f"[um]: a filler Whisper left out and the detector heard ({in_ten(sure)} such were real); "
        f"[um?]: an uncertain one ({in_ten(unsure)})"
    )


MARK_TOLERANCE_S = 0.01  # a word is inside a marked phrase if it sits within its span to this much


def word_marks(answer: Answer) -> list[tuple[str, ...]]:
    """For each written word, what it is part of: a filler Whisper wrote ('non-lexical',
    'discourse', 'repetition') and/or a 'hedge'. One rule for every view."""
    m = answer.metrics
    if m is None:
        return [() for _ in answer.words]
    spans = [(f.start_s, f.end_s, f.kind) for f in m.fillers if f.source != "detector"]
    spans += [(h.start_s, h.end_s, "hedge") for h in m.language.hedges]
    return [
        tuple(
            dict.fromkeys(
                kind
                for start_s, end_s, kind in spans
                if w.start_s >= start_s - MARK_TOLERANCE_S and w.end_s <= end_s + MARK_TOLERANCE_S
            )
        )
        for w in answer.words
    ]


def mark(in_band: bool | None) -> str:
    return {True: "in band", False: "out of band", None: ""}[in_band]
