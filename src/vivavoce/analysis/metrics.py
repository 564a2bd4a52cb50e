"""First metrics of one spoken answer.

Definitions (all times on the answer's own clock, 0 = recording start):
- speaking span: first word start to last word end.
- wpm: words per minute over the speaking span.
- articulation_wpm: words per minute of speech time (VAD speech inside the span).
- pause: a silence between speech spans inside the speaking span, >= min_pause_s.
- latency_s: question end to the onset of the first word (the VAD span holding it),
  including the time between the question ending and the recording starting.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from vivavoce.analysis.fillers import DISCOURSE_KIND, NON_LEXICAL_KIND, REPETITION_KIND, Filler, find_fillers
from vivavoce.transcript import Span, Word

MIN_PAUSE_S = 0.25  # Goldman-Eisler 1968 (NORMS.md)
LONG_PAUSE_S = 1.5


@dataclass(frozen=True)
class Pause(Span):
    """A silence between two speech spans."""


@dataclass
class AnswerMetrics:
    answer_s: float  # length of the recording
    speaking_s: float  # first word to last word
    word_count: int
    wpm: float | None
    articulation_wpm: float | None
    latency_s: float | None
    fillers: list[Filler] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    long_pause_s: float = LONG_PAUSE_S

    def of_kind(self, kind: str) -> list[Filler]:
        return [f for f in self.fillers if f.kind == kind]

    @property
    def filler_count(self) -> int:
        """um, uh and the like: the headline count (discourse markers are counted apart)."""
        return len(self.of_kind(NON_LEXICAL_KIND))

    @property
    def fillers_per_min(self) -> float | None:
        return self.filler_count / (self.speaking_s / 60) if self.speaking_s > 0 else None

    @property
    def long_pauses(self) -> list[Pause]:
        return [p for p in self.pauses if p.duration_s >= self.long_pause_s]

    @property
    def longest_pause_s(self) -> float:
        return max((p.duration_s for p in self.pauses), default=0.0)

    def to_dict(self) -> dict:
        def r(x):
            return None if x is None else round(x, 3)

        return {
            "answer_s": r(self.answer_s),
            "speaking_s": r(self.speaking_s),
            "word_count": self.word_count,
            "wpm": r(self.wpm),
            "articulation_wpm": r(self.articulation_wpm),
            "latency_s": r(self.latency_s),
            "fillers": {
                "count": self.filler_count,
                "per_min": r(self.fillers_per_min),
                "by_kind": {k: len(self.of_kind(k)) for k in (NON_LEXICAL_KIND, DISCOURSE_KIND, REPETITION_KIND)},
                "items": [{k: r(v) if isinstance(v, float) else v for k, v in asdict(f).items()}
                          for f in self.fillers],
            },
            "pauses": {
                "count": len(self.pauses),
                "long_count": len(self.long_pauses),
                "longest_s": r(self.longest_pause_s),
                "items": [{"start_s": r(p.start_s), "end_s": r(p.end_s),
                           "duration_s": r(p.duration_s)} for p in self.pauses],
            },
        }  # fmt: skip


def per_minute(count: int, seconds: float) -> float | None:
    return count / (seconds / 60) if seconds > 0 else None


def find_pauses(spans: list[Span], start_s: float, end_s: float, min_pause_s: float) -> list[Pause]:
    inside = [s for s in spans if s.end_s > start_s and s.start_s < end_s]
    gaps = (Pause(a.end_s, b.start_s) for a, b in zip(inside, inside[1:]))
    return [g for g in gaps if g.duration_s >= min_pause_s]


def speech_time_s(spans: list[Span], start_s: float, end_s: float) -> float:
    return sum(max(0.0, min(s.end_s, end_s) - max(s.start_s, start_s)) for s in spans)


def onset_s(words: list[Word], spans: list[Span]) -> float:
    """When the first word begins: the start of the VAD span that holds it, if any."""
    first = words[0]
    holding = [s for s in spans if s.end_s > first.start_s and s.start_s <= first.end_s]
    return holding[0].start_s if holding else first.start_s


def analyze(
    words: list[Word],
    spans: list[Span],
    answer_s: float,
    question_gap_s: float | None = 0.0,
    min_pause_s: float = MIN_PAUSE_S,
    long_pause_s: float = LONG_PAUSE_S,
    detected_fillers: list[Filler] = (),
) -> AnswerMetrics:
    """``question_gap_s``: seconds from the question's end to the recording's start
    (None when unknown, e.g. a file scored in batch)."""
    if not words:
        return AnswerMetrics(answer_s, 0.0, 0, None, None, None, long_pause_s=long_pause_s)
    start_s = onset_s(words, spans)
    end_s = words[-1].end_s
    speaking_s = max(0.0, end_s - start_s)
    speech_s = speech_time_s(spans, start_s, end_s) or speaking_s
    return AnswerMetrics(
        answer_s=answer_s,
        speaking_s=speaking_s,
        word_count=len(words),
        wpm=per_minute(len(words), speaking_s),
        articulation_wpm=per_minute(len(words), speech_s),
        latency_s=None if question_gap_s is None else question_gap_s + start_s,
        fillers=find_fillers(words, detected_fillers),
        pauses=find_pauses(spans, start_s, end_s, min_pause_s),
        long_pause_s=long_pause_s,
    )
