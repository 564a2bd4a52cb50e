"""One answer's samples -> the answer document: transcript, speech spans, metrics,
talking-point coverage and feedback, judged by the norms in effect.

The single code path of ``viva practice`` and ``viva score``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from vivavoce.analysis import Filler, analyze
from vivavoce.analysis.norms import Norms
from vivavoce.analysis.pauses import maybe_silent
from vivavoce.analysis.talking_points import covers
from vivavoce.answer import Answer, AskedQuestion, Take, TalkingPoint
from vivavoce.feedback import feedback
from vivavoce.packs import Question
from vivavoce.transcribe import Transcriber
from vivavoce.transcript import Span, Transcript
from vivavoce.vad import spans_from_probabilities, speech_probabilities
from vivavoce.voicing import voiced_frames


@dataclass(frozen=True)
class Heard:
    """What listening to an answer gave: the words, the speech spans, the fillers the
    detector found where Whisper wrote nothing, the VAD's speech probability of each
    32 ms frame (pauses fuse it with the words; empty: pauses from the spans alone), and
    whether a sustained voice sounds in it."""

    transcript: Transcript
    spans: tuple[Span, ...]
    detected: tuple[Filler, ...] = ()
    fillers_unchecked_s: float = 0.0  # audio the detector skipped (streaming, on a busy machine)
    speech_probabilities: tuple[float, ...] = ()  # the VAD's, per frame (fused pauses)
    voiced_frames: tuple[bool, ...] = ()  # a sustained voice, per frame (fused pauses)


def hear(samples: np.ndarray, transcriber: Transcriber, fillers: str = "full") -> Heard:
    """One pass over the whole answer, as `viva score` and practice's whole-answer pass make it.
    ``fillers``: "full" runs the filler detector; "transcript" keeps only Whisper's own."""
    with one_blas_thread():
        transcript = transcriber.transcribe(samples)
        detected = transcriber.detect_fillers(samples, transcript.words) if fillers == "full" else []
        probabilities = speech_probabilities(samples)
    spans = spans_from_probabilities(probabilities, len(samples)) if len(probabilities) else []
    return Heard(
        transcript,
        tuple(spans),
        tuple(detected),
        speech_probabilities=tuple(float(p) for p in probabilities),
        voiced_frames=voicing(samples, probabilities),
    )


def voicing(samples: np.ndarray, probabilities: Sequence[float] | np.ndarray) -> tuple[bool, ...]:
    """A sustained voice in each VAD frame that may be silent (the pause rules' rule 4)."""
    candidates = np.asarray(maybe_silent([float(p) for p in probabilities]), dtype=bool)
    return tuple(bool(v) for v in voiced_frames(samples, candidates))


def one_blas_thread():
    """NumPy's BLAS on one thread while an answer is heard: the features Whisper reads are summed
    in one order, so a record does not depend on the machine's cores, --jobs, or a cluster."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def asked(question: Question, parent: Question | None = None) -> AskedQuestion:
    """A pack question as asked (a follow-up keeps its parent's id and text)."""
    return AskedQuestion(
        question.id,
        question.text,
        question.target_s,
        question.competency,
        question.kind,
        question.talking_points,
        parent.id if parent else None,
        parent.text if parent else None,
    )


def score_answer(
    heard: Heard,
    take: Take,
    norms: Norms,
    question: AskedQuestion | None = None,
    number: int = 1,
    attempt: int = 1,
) -> Answer:
    words = heard.transcript.words
    metrics = analyze(
        words,
        list(heard.spans),
        heard.transcript.duration_s,
        norms,
        take.question_gap_s,
        heard.detected,
        heard.speech_probabilities,
        heard.voiced_frames,
    )
    metrics = replace(metrics, fillers_unchecked_s=heard.fillers_unchecked_s)
    target_s = question.target_s if question is not None else norms.answer_target_s
    text = heard.transcript.text
    coverage = tuple(TalkingPoint(p, covers(text, p)) for p in question.talking_points) if question else ()
    return Answer(
        number,
        attempt,
        question,
        take,
        norms,
        heard.transcript.model,
        tuple(words),
        heard.spans,
        metrics,
        coverage,
        tuple(feedback(metrics, target_s, norms)),
    )


def unscored(
    take: Take,
    norms: Norms,
    error: str,
    model: str,
    question: AskedQuestion | None = None,
    number: int = 1,
    attempt: int = 1,
) -> Answer:
    """An answer that could not be scored, and why."""
    return Answer(number, attempt, question, take, norms, model, error=error)
