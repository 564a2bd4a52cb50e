"""Speech spans from the Silero VAD that ships inside faster-whisper.

``speech_spans`` runs over a whole answer; ``EndpointDetector`` follows a live
recording block by block and says when the speaker has finished.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vivavoce.audio import SAMPLE_RATE_HZ
from vivavoce.transcript import Span

FRAME_SAMPLES = 512  # Silero's window at 16 kHz (32 ms)
CONTEXT_SAMPLES = 64


def _model():
    from faster_whisper.vad import get_vad_model

    return get_vad_model()


def speech_spans(
    samples: np.ndarray,
    min_silence_s: float = 0.25,
    speech_pad_s: float = 0.03,
    threshold: float = 0.5,
) -> list[Span]:
    """Speech spans in seconds; silences shorter than ``min_silence_s`` are bridged."""
    if len(samples) < FRAME_SAMPLES:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        threshold=threshold,
        min_silence_duration_ms=int(min_silence_s * 1000),
        speech_pad_ms=int(speech_pad_s * 1000),
        min_speech_duration_ms=100,
    )
    stamps = get_speech_timestamps(samples, options, sampling_rate=SAMPLE_RATE_HZ)
    return [Span(s["start"] / SAMPLE_RATE_HZ, s["end"] / SAMPLE_RATE_HZ) for s in stamps]


def initial_state() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros((1, 1, 128), dtype=np.float32), np.zeros((1, 1, 128), dtype=np.float32)


def frame_speech_probabilities(
    frames: np.ndarray, context: np.ndarray, state: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Speech probability of each 512-sample frame, given the 64 samples before the
    first and the model's recurrent state; returns the probabilities and the new state."""
    rows = frames.reshape(-1, FRAME_SAMPLES)
    previous = np.vstack([context[None, :], rows[:-1, -CONTEXT_SAMPLES:]])
    batch = np.concatenate([previous, rows], axis=1).astype(np.float32)
    out, h, c = _model().session.run(None, {"input": batch, "h": state[0], "c": state[1]})
    return np.asarray(out, dtype=np.float32).reshape(-1), (h, c)


@dataclass
class EndpointState:
    speech_s: float = 0.0  # total seconds judged speech so far
    silence_after_speech_s: float = 0.0
    last_probability: float = 0.0


class EndpointDetector:
    """Follows a live answer: has the person spoken, and for how long have they been quiet?"""

    def __init__(self, threshold: float = 0.5, neg_threshold: float = 0.35):
        self.threshold = threshold
        self.neg_threshold = neg_threshold
        self.state = EndpointState()
        self._pending = np.zeros(0, dtype=np.float32)
        self._context = np.zeros(CONTEXT_SAMPLES, dtype=np.float32)
        self._in_speech = False
        self._model_state = initial_state()

    def feed(self, samples: np.ndarray) -> EndpointState:
        data = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        n_frames = len(data) // FRAME_SAMPLES
        self._pending = data[n_frames * FRAME_SAMPLES :]
        if n_frames == 0:
            return self.state
        frames = data[: n_frames * FRAME_SAMPLES]
        probabilities, self._model_state = frame_speech_probabilities(
            frames, self._context, self._model_state
        )
        for p in probabilities:
            self._step(float(p))
        self._context = frames[-CONTEXT_SAMPLES:].copy()
        return self.state

    def _step(self, probability: float) -> None:
        frame_s = FRAME_SAMPLES / SAMPLE_RATE_HZ
        st = self.state
        st.last_probability = probability
        if probability >= self.threshold or (self._in_speech and probability >= self.neg_threshold):
            self._in_speech = True
            st.speech_s += frame_s
            st.silence_after_speech_s = 0.0
        else:
            self._in_speech = False
            if st.speech_s > 0:
                st.silence_after_speech_s += frame_s
