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
    return spans_from_probabilities(speech_probabilities(samples), len(samples), min_silence_s, speech_pad_s, threshold)


def speech_probabilities(samples: np.ndarray) -> np.ndarray:
    """Silero's speech probability of each 512-sample frame of a whole answer."""
    if len(samples) < FRAME_SAMPLES:
        return np.zeros(0, np.float32)
    padded = np.pad(samples.astype(np.float32), (0, FRAME_SAMPLES - len(samples) % FRAME_SAMPLES))
    probabilities, _ = frame_speech_probabilities(padded, np.zeros(CONTEXT_SAMPLES, np.float32), initial_state())
    return probabilities


def spans_from_probabilities(
    probabilities,
    n_samples: int,
    min_silence_s: float = 0.25,
    speech_pad_s: float = 0.03,
    threshold: float = 0.5,
    min_speech_s: float = 0.1,
) -> list[Span]:
    """Silero's frame probabilities -> speech spans, as faster-whisper's
    get_speech_timestamps does it (hysteresis, bridging, padding). Pure, so the
    probabilities the live recorder already computed can be reused at the end."""
    neg_threshold = max(threshold - 0.15, 0.01)
    min_silence, min_speech = min_silence_s * SAMPLE_RATE_HZ, min_speech_s * SAMPLE_RATE_HZ
    speeches: list[list[int]] = []
    triggered, start, temp_end = False, 0, 0
    for i, p in enumerate(probabilities):
        at = i * FRAME_SAMPLES
        if p >= threshold and temp_end:
            temp_end = 0
        if p >= threshold and not triggered:
            triggered, start = True, at
            continue
        if p < neg_threshold and triggered:
            temp_end = temp_end or at
            if at - temp_end < min_silence:
                continue
            if temp_end - start > min_speech:
                speeches.append([start, temp_end])
            triggered, temp_end = False, 0
    if triggered and n_samples - start > min_speech:
        speeches.append([start, n_samples])
    return [Span(a / SAMPLE_RATE_HZ, b / SAMPLE_RATE_HZ) for a, b in pad(speeches, speech_pad_s, n_samples)]


def pad(speeches: list[list[int]], speech_pad_s: float, n_samples: int) -> list[list[int]]:
    pad_samples = speech_pad_s * SAMPLE_RATE_HZ
    for i, speech in enumerate(speeches):
        if i == 0:
            speech[0] = int(max(0, speech[0] - pad_samples))
        if i == len(speeches) - 1:
            speech[1] = int(min(n_samples, speech[1] + pad_samples))
            continue
        gap = speeches[i + 1][0] - speech[1]
        if gap < 2 * pad_samples:
            speech[1] += int(gap // 2)
            speeches[i + 1][0] = int(max(0, speeches[i + 1][0] - gap // 2))
        else:
            speech[1] = int(min(n_samples, speech[1] + pad_samples))
            speeches[i + 1][0] = int(max(0, speeches[i + 1][0] - pad_samples))
    return speeches


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
        self.probabilities: list[float] = []  # one per 512-sample frame, for speech spans at the end
        self.n_samples = 0

    def spans(self, min_silence_s: float = 0.25, speech_pad_s: float = 0.03) -> list[Span]:
        """Speech spans of everything fed so far, from the probabilities already computed."""
        return spans_from_probabilities(self.probabilities, self.n_samples, min_silence_s, speech_pad_s, self.threshold)

    def feed(self, samples: np.ndarray) -> EndpointState:
        self.n_samples += len(samples)
        data = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        n_frames = len(data) // FRAME_SAMPLES
        self._pending = data[n_frames * FRAME_SAMPLES :]
        if n_frames == 0:
            return self.state
        frames = data[: n_frames * FRAME_SAMPLES]
        probabilities, self._model_state = frame_speech_probabilities(frames, self._context, self._model_state)
        self.probabilities.extend(float(p) for p in probabilities)
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
