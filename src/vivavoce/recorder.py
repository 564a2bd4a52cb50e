"""Record one answer: blocks from a microphone to a WAV on disk, until the speaker is done.

The answer ends when ``stop_requested()`` says so (Enter), after ``silence_s`` of
silence following speech, at ``max_answer_s``, when nothing was said for
``no_answer_s``, or on Ctrl-C. The audio is on disk as it arrives in every case.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vivavoce.audio import SAMPLE_RATE_HZ, WavWriter
from vivavoce.devices.base import Microphone
from vivavoce.errors import DeviceError
from vivavoce.transcript import Span
from vivavoce.vad import EndpointDetector, EndpointState

READ_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class RecordOptions:
    max_answer_s: float = 300.0
    silence_s: float = 3.0
    no_answer_s: float = 20.0


@dataclass(frozen=True)
class Progress:
    elapsed_s: float
    level_dbfs: float
    speech_s: float
    silence_after_speech_s: float
    recent_wpm: float | None = None  # from what is transcribed so far (streaming)
    fillers: int | None = None
    behind: bool = False  # transcription fell behind the speaker; live filler detection paused


@dataclass
class Recording:
    path: Path
    samples: np.ndarray
    ended_by: str  # "enter", "silence", "max", "no-answer" or "interrupt"
    speech_s: float
    overflows: int
    started_monotonic_s: float  # when the microphone stream opened
    spans: list[Span] = field(default_factory=list)  # speech, from the live VAD
    speech_probabilities: list[float] = field(default_factory=list)  # the live VAD's, one per 32 ms frame

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE_HZ

    @property
    def heard_speech(self) -> bool:
        return self.speech_s >= 0.3


def level_dbfs(block: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(block)))) if len(block) else 0.0
    return 20 * math.log10(rms) if rms > 1e-5 else -100.0


def end_reason(elapsed_s: float, speech_s: float, silence_s: float, options: RecordOptions):
    if elapsed_s >= options.max_answer_s:
        return "max"
    if speech_s >= 0.3 and silence_s >= options.silence_s:
        return "silence"
    if speech_s < 0.3 and elapsed_s >= options.no_answer_s:
        return "no-answer"
    return None


def record_answer(
    microphone: Microphone,
    path: Path,
    options: RecordOptions = RecordOptions(),
    on_progress: Callable[[Progress], None] = lambda p: None,
    stop_requested: Callable[[], bool] = lambda: False,
    on_block: Callable[[np.ndarray, EndpointState], None] = lambda block, state: None,
) -> Recording:
    detector = EndpointDetector()
    blocks: list[np.ndarray] = []
    ended_by = None
    stream = microphone.open()
    started_monotonic_s = time.monotonic()
    with WavWriter(path) as wav:
        try:
            while ended_by is None:
                block = stream.read(READ_TIMEOUT_S)
                if block is None:
                    raise DeviceError(
                        "the microphone stopped sending audio", "Check the device (see: viva devices) and try again."
                    )
                wav.write(block)
                blocks.append(block)
                state = detector.feed(block)
                on_block(block, state)
                elapsed_s = wav.frames_written / SAMPLE_RATE_HZ
                on_progress(Progress(elapsed_s, level_dbfs(block), state.speech_s, state.silence_after_speech_s))
                ended_by = (
                    "enter"
                    if stop_requested()
                    else end_reason(elapsed_s, state.speech_s, state.silence_after_speech_s, options)
                )
        except KeyboardInterrupt:
            ended_by = "interrupt"
        finally:
            stream.close()
    samples = np.concatenate(blocks) if blocks else np.zeros(0, np.float32)
    return Recording(
        path,
        samples,
        ended_by,
        detector.state.speech_s,
        stream.overflows,
        started_monotonic_s,
        detector.spans(),
        detector.probabilities,
    )
