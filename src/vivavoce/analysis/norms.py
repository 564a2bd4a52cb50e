"""The bands feedback is judged against, with where each comes from (NORMS.md).
Pure: a value passed to the analysis; loading it from a file is ``vivavoce.config``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Norms:
    pace_wpm: tuple[float, float] = (130.0, 160.0)
    min_pause_s: float = 0.25
    long_pause_s: float = 1.5
    fillers_ok_per_min: float = 5.0
    fillers_harm_per_min: float = 12.0
    discourse_ok_per_min: float = 6.0
    answer_target_s: tuple[float, float] = (60.0, 120.0)
    latency_long_s: float = 6.0
    pace_window_s: float = 10.0
    result_min_s: float = 8.0


SOURCES = {
    "pace_wpm": "interview answer pace, InterviewVoice citing Griffiths 1990 and Tauroza & Allison 1990",
    "min_pause_s": "silent pause threshold, Goldman-Eisler 1968 (De Jong & Bosker 2013)",
    "long_pause_s": "a long pause; studies use 100-1000 ms for any pause, this marks the ones listeners notice",
    "fillers_ok_per_min": "no measurable listener penalty up to ~5 a minute, Laske et al. 2024",
    "fillers_harm_per_min": "harm concentrates near 12 a minute, Laske et al. 2024",
    "discourse_ok_per_min": "judgement: like/so weigh less than um/uh with listeners (Laske et al. 2024)",
    "answer_target_s": "behavioural answers: 1-2 minutes, career guides (not research)",
    "latency_long_s": "judgement: a pause to think is fine, a long silence before starting is not",
    "pace_window_s": "window for pace over time",
    "result_min_s": "STAR result part roughly 10-20 s, career guides (not research)",
}
