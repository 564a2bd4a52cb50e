"""One answer as one value: the question as asked, the recording, the transcript, every
metric, the talking points covered, the feedback and the norms it was judged by.

Built once, by scoring (``vivavoce.scoring``). The JSON record (``jsonrecord``), the
session store and every view are renderings of it; none fills a gap with a default.
"""

from __future__ import annotations

from dataclasses import dataclass

from vivavoce.analysis.fillers import NON_LEXICAL_KIND, SURE_CONFIDENCE
from vivavoce.analysis.metrics import AnswerMetrics
from vivavoce.analysis.norms import Norms
from vivavoce.feedback import Point
from vivavoce.transcript import Span, Word


@dataclass(frozen=True)
class AskedQuestion:
    """The question as it was asked, with its pack fields."""

    id: str
    text: str
    target_s: tuple[float, float]
    competency: str = ""
    kind: str = ""
    talking_points: tuple[str, ...] = ()
    follow_up_of: str | None = None  # the parent question's id, for a follow-up
    parent_text: str | None = None  # the parent question's text


@dataclass(frozen=True)
class TalkingPoint:
    text: str
    covered: bool


@dataclass(frozen=True)
class Take:
    """The recording: where it is and how it ended."""

    audio: str  # the file name in the session folder, or the scored file's path
    duration_s: float | None  # the whole recording, silence included; None when unreadable
    recorded_at: str | None = None
    ended_by: str | None = None  # "silence", "enter", "max", "no-answer", "interrupt"; None for a file
    question_gap_s: float | None = None  # question end to recording start; None for a file
    input_overflows: int | None = None
    streamed_chunks: int | None = None  # stretches transcribed while the candidate spoke
    transcript_source: str = "whole"  # "whole": one pass over the answer; "streamed": the live chunks


@dataclass(frozen=True)
class Answer:
    number: int  # the question's number in the session (1 for a scored file)
    attempt: int  # the try at this question, from 1
    question: AskedQuestion | None
    take: Take
    norms: Norms
    model: str
    words: tuple[Word, ...] = ()
    speech_spans: tuple[Span, ...] = ()
    metrics: AnswerMetrics | None = None  # None when not scored (see ``error``)
    coverage: tuple[TalkingPoint, ...] = ()
    feedback: tuple[Point, ...] = ()
    error: str | None = None
    processing_s: float | None = None

    @property
    def transcript(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def target_s(self) -> tuple[float, float]:
        return self.question.target_s if self.question is not None else self.norms.answer_target_s

    @property
    def is_follow_up(self) -> bool:
        return self.question is not None and self.question.follow_up_of is not None

    @property
    def uncertain_fillers(self) -> int:
        """um/uh heard by the detector below the 'sure' line (counted apart for the user)."""
        if self.metrics is None:
            return 0
        return sum(1 for f in self.metrics.of_kind(NON_LEXICAL_KIND) if f.confidence < SURE_CONFIDENCE)


@dataclass(frozen=True)
class Session:
    """A stored practice session and its answers, in the order they were given."""

    id: str
    started_at: str
    ended_at: str | None
    interrupted: bool
    pack_id: str | None
    pack_title: str | None
    model: str | None
    vivavoce_version: str | None
    folder: str
    answers: tuple[Answer, ...] = ()
