"""One answer's samples -> transcript, speech spans, metrics and feedback.

The single code path shared by ``viva practice`` and (later) ``viva score``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vivavoce.analysis import AnswerMetrics, Filler, analyze
from vivavoce.analysis.norms import Norms
from vivavoce.audio import SAMPLE_RATE_HZ
from vivavoce.feedback import Point, feedback
from vivavoce.packs import DEFAULT_TARGET_S
from vivavoce.transcribe import Transcriber
from vivavoce.transcript import Span, Transcript
from vivavoce.vad import speech_spans


@dataclass
class ScoredAnswer:
    transcript: Transcript
    spans: list[Span]
    metrics: AnswerMetrics
    points: list[Point]

    def to_dict(self) -> dict:
        return {
            "transcript": self.transcript.to_dict(),
            "speech_spans": [[round(s.start_s, 3), round(s.end_s, 3)] for s in self.spans],
            "metrics": self.metrics.to_dict(),
            "feedback": [{"kind": p.kind, "text": p.text, "at_s": p.at_s} for p in self.points],
        }


def score_answer(
    samples: np.ndarray,
    transcriber: Transcriber,
    question_gap_s: float | None = None,
    target_s: tuple[float, float] = DEFAULT_TARGET_S,
    fillers: str = "full",
    norms: Norms = Norms(),
    transcript: Transcript | None = None,
    spans: list[Span] | None = None,
    detected: list[Filler] | None = None,
) -> ScoredAnswer:
    """``fillers``: "full" runs the filler detector; "transcript" keeps only Whisper's own."""
    if transcript is None:  # else transcribed while the candidate spoke
        transcript = transcriber.transcribe(samples)
    if spans is None:  # else found by the live VAD while recording
        spans = speech_spans(samples)
    if fillers == "full" and detected is None:  # else found while the candidate spoke, or not wanted
        detected = transcriber.detect_fillers(samples, transcript.words)
    metrics = analyze(transcript.words, spans, len(samples) / SAMPLE_RATE_HZ, question_gap_s, norms,
                      detected_fillers=detected or [])  # fmt: skip
    return ScoredAnswer(transcript, spans, metrics, feedback(metrics, target_s, norms))
