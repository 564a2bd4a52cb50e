"""Silent pauses from VAD speech spans, and where they fall in the sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from vivavoce.transcript import Span, Word

SENTENCE_END = (".", "?", "!")


@dataclass(frozen=True)
class Pause(Span):
    """A silence between two speech spans; ``location`` says whether it falls between
    sentences (normal) or inside one (it hurts perceived fluency: Kahng 2017)."""

    location: str = "mid-sentence"  # or "between-sentences"
    word_before: str = ""
    word_after: str = ""


def locate(start_s: float, end_s: float, words: list[Word]) -> tuple[str, str, str]:
    before = [w for w in words if w.end_s <= start_s + 0.15]
    after = [w for w in words if w.start_s >= end_s - 0.15]
    word_before = before[-1].text if before else ""
    word_after = after[0].text if after else ""
    between = not before or word_before.endswith(SENTENCE_END)
    return ("between-sentences" if between else "mid-sentence"), word_before, word_after


def find_pauses(spans: list[Span], start_s: float, end_s: float, min_pause_s: float,
                words: Sequence[Word] = ()) -> list[Pause]:  # fmt: skip
    inside = [s for s in spans if s.end_s > start_s and s.start_s < end_s]
    found = []
    for a, b in pairwise(inside):
        if b.start_s - a.end_s >= min_pause_s:
            found.append(Pause(a.end_s, b.start_s, *locate(a.end_s, b.start_s, list(words))))
    return found


def speech_time_s(spans: list[Span], start_s: float, end_s: float) -> float:
    return sum(max(0.0, min(s.end_s, end_s) - max(s.start_s, start_s)) for s in spans)
