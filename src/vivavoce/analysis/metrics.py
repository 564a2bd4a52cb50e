"""All metrics of one spoken answer, from timed words and VAD speech spans.

Definitions (all times on the answer's own clock, 0 = recording start):
- speaking span: the onset of the first word (the VAD span that holds it) to the end
  of the last word.
- words counted for pace: transcript words other than non-lexical fillers (um, uh).
- wpm: those words per minute of the speaking span; articulation_wpm: per minute of
  speech time (VAD speech inside the span); pace windows: wpm per 10 s window.
- pause: a silence inside the speaking span, >= min_pause_s, found from the VAD's frame
  probabilities fused with the word times (analysis.pauses; from VAD spans alone when
  no probabilities are given); long if >= long_pause_s; mid-sentence unless the word
  before ends a sentence.
- silence_share: the part of the speaking span that is silence.
- latency_s: question end to the first word's onset, including the time between the
  question ending and the recording starting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from vivavoce.analysis import language as lang
from vivavoce.analysis import pace
from vivavoce.analysis.fillers import (
    DISCOURSE_KIND,
    NON_LEXICAL,
    NON_LEXICAL_KIND,
    REPETITION_KIND,
    Filler,
    find_fillers,
    normalise,
)
from vivavoce.analysis.norms import Norms
from vivavoce.analysis.pauses import Pause, find_pauses, fused_pauses, speech_time_s
from vivavoce.analysis.structure import Structure, structure
from vivavoce.transcript import Span, Word

__all__ = ["AnswerMetrics", "Pause", "analyze", "find_pauses", "onset_s", "speech_time_s"]


@dataclass(frozen=True)
class AnswerMetrics:
    answer_s: float  # length of the recording
    speaking_s: float  # first word to last word
    word_count: int  # words counted for pace (fillers left out)
    wpm: float | None
    articulation_wpm: float | None
    latency_s: float | None
    fillers: tuple[Filler, ...] = ()
    pauses: tuple[Pause, ...] = ()
    long_pause_s: float = Norms.long_pause_s
    silence_share: float | None = None
    pace_windows: tuple[pace.PaceWindow, ...] = ()
    pace_flags: tuple[pace.PaceFlag, ...] = ()
    pace_variation: float | None = None
    structure: Structure | None = None
    language: lang.Language = field(default_factory=lang.Language)
    fillers_unchecked_s: float = 0.0  # audio the filler detector did not look at (machine too busy)

    def of_kind(self, kind: str) -> list[Filler]:
        return [f for f in self.fillers if f.kind == kind]

    @property
    def filler_count(self) -> int:
        """um, uh and the like: the headline count (discourse markers are counted apart)."""
        return len(self.of_kind(NON_LEXICAL_KIND))

    @property
    def fillers_per_min(self) -> float | None:
        return pace.per_minute(self.filler_count, self.speaking_s)

    @property
    def long_pauses(self) -> list[Pause]:
        return [p for p in self.pauses if p.duration_s >= self.long_pause_s]

    @property
    def longest_pause_s(self) -> float:
        return max((p.duration_s for p in self.pauses), default=0.0)

    def to_dict(self) -> dict:
        return metrics_dict(self)


def r(x):
    return None if x is None else round(x, 3)


def rounded(d: dict) -> dict:
    return {k: r(v) if isinstance(v, float) else v for k, v in d.items()}


def metrics_dict(m: AnswerMetrics) -> dict:
    st, lg = m.structure, m.language
    return {
        "answer_s": r(m.answer_s),
        "speaking_s": r(m.speaking_s),
        "word_count": m.word_count,
        "wpm": r(m.wpm),
        "articulation_wpm": r(m.articulation_wpm),
        "latency_s": r(m.latency_s),
        "fillers": {
            "count": m.filler_count,
            "per_min": r(m.fillers_per_min),
            "by_kind": {k: len(m.of_kind(k)) for k in (NON_LEXICAL_KIND, DISCOURSE_KIND, REPETITION_KIND)},
            "items": [rounded(asdict(f)) for f in m.fillers],
            "unchecked_s": r(m.fillers_unchecked_s),
        },
        "pauses": {
            "count": len(m.pauses),
            "long_count": len(m.long_pauses),
            "longest_s": r(m.longest_pause_s),
            "mid_sentence_long_count": sum(1 for p in m.long_pauses if p.location == "mid-sentence"),
            "silence_share": r(m.silence_share),
            "items": [rounded(asdict(p)) | {"duration_s": r(p.duration_s)} for p in m.pauses],
        },
        "pace": {
            "window_s": r(m.pace_windows[0].end_s - m.pace_windows[0].start_s) if m.pace_windows else None,
            "windows": [rounded(asdict(w)) for w in m.pace_windows],
            "variation": r(m.pace_variation),
            "flags": [rounded(asdict(f)) for f in m.pace_flags],
        },
        "structure": None
        if st is None
        else {
            "seconds": {k: r(v) for k, v in st.seconds.items()},
            "result_flag": st.result_flag,
            "sentences": [rounded(asdict(s)) for s in st.sentences],
        },
        "language": {
            "hedges": {"count": len(lg.hedges), "items": [rounded(asdict(h)) for h in lg.hedges]},
            "ownership": lg.ownership,
            "quantified": {"count": len(lg.quantified), "items": [rounded(asdict(h)) for h in lg.quantified]},
            "repeated_words": [{"word": w, "count": n} for w, n in lg.repeated],
            "type_token_ratio": r(lg.type_token_ratio),
        },
    }


def onset_s(words: list[Word], spans: list[Span]) -> float:
    """When the first word begins: the start of the VAD span that holds it, if any."""
    first = words[0]
    holding = [s for s in spans if s.end_s > first.start_s and s.start_s < first.end_s]
    return holding[0].start_s if holding else first.start_s


def lexical(words: list[Word]) -> list[Word]:
    return [w for w in words if normalise(w.text) not in NON_LEXICAL]


def pauses(
    words: list[Word],
    spans: list[Span],
    probabilities: Sequence[float],
    start_s: float,
    end_s: float,
    min_pause_s: float,
    voiced: Sequence[bool] = (),
) -> list[Pause]:
    if len(probabilities):
        return fused_pauses(probabilities, words, start_s, end_s, min_pause_s, voiced=voiced)
    return find_pauses(spans, start_s, end_s, min_pause_s, words)


def analyze(
    words: list[Word],
    spans: list[Span],
    answer_s: float,
    norms: Norms,
    question_gap_s: float | None = None,
    detected_fillers: list[Filler] | tuple[Filler, ...] = (),
    speech_probabilities: Sequence[float] = (),
    voiced_frames: Sequence[bool] = (),
) -> AnswerMetrics:
    """``question_gap_s``: seconds from the question's end to the recording's start
    (None when unknown, e.g. a file scored in batch). ``speech_probabilities``: the VAD's,
    one per 32 ms frame, and ``voiced_frames``, a sustained voice in the same frames, for
    fused pauses."""
    if not words:
        return AnswerMetrics(answer_s, 0.0, 0, None, None, None, long_pause_s=norms.long_pause_s)
    start_s, end_s = onset_s(words, spans), words[-1].end_s
    speaking_s = max(0.0, end_s - start_s)
    speech_s = min(speech_time_s(spans, start_s, end_s) or speaking_s, speaking_s)
    counted = lexical(words)
    windows = pace.windows(counted, start_s, end_s, norms.pace_window_s)
    return AnswerMetrics(
        answer_s=answer_s,
        speaking_s=speaking_s,
        word_count=len(counted),
        wpm=pace.per_minute(len(counted), speaking_s),
        articulation_wpm=pace.per_minute(len(counted), speech_s),
        latency_s=None if question_gap_s is None else question_gap_s + start_s,
        fillers=tuple(find_fillers(words, detected_fillers)),
        pauses=tuple(pauses(words, spans, speech_probabilities, start_s, end_s, norms.min_pause_s, voiced_frames)),
        long_pause_s=norms.long_pause_s,
        silence_share=(1 - speech_s / speaking_s) if speaking_s > 0 else None,
        pace_windows=tuple(windows),
        pace_flags=tuple(pace.flags(windows, norms.pace_wpm)) if speaking_s >= 2 * norms.pace_window_s else (),
        pace_variation=pace.variation(windows),
        structure=structure(words, result_min_s=norms.result_min_s),
        language=lang.language(words),
    )
