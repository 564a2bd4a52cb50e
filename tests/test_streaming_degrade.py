"""When transcription falls behind the speaker, streaming degrades on purpose (fake model, no timing)."""

import threading
from collections import deque

import numpy as np

from vivavoce import streaming
from vivavoce.analysis.fillers import Filler
from vivavoce.audio import SAMPLE_RATE_HZ
from vivavoce.streaming import Job, StreamingTranscriber, merge
from vivavoce.transcript import Transcript, Word
from vivavoce.vad import EndpointState

BLOCK_S = 0.1


class FakeTranscriber:
    """One word per second of audio; transcription blocks until ``release`` is set."""

    model_label = "fake"

    def __init__(self, blocked: bool = False):
        self.release = threading.Event()
        if not blocked:
            self.release.set()
        self.started = threading.Event()
        self.transcribed_s: list[float] = []
        self.detected_s: list[float] = []

    def transcribe(self, samples, prompt=None):
        self.started.set()
        self.release.wait(10)
        seconds = len(samples) / SAMPLE_RATE_HZ
        self.transcribed_s.append(seconds)
        words = [Word("word", i + 0.1, i + 0.5) for i in range(int(seconds))]
        return Transcript(words, seconds, self.model_label)

    def detect_fillers(self, samples, words):
        self.detected_s.append(len(samples) / SAMPLE_RATE_HZ)
        return [Filler("um", 0.0, 0.2, source="detector")]


def speak(stream, speech_s: float, pause_s: float, state: EndpointState) -> None:
    """Blocks of speech then of pause, with the VAD state the recorder would pass."""
    block = np.full(int(BLOCK_S * SAMPLE_RATE_HZ), 0.1, np.float32)
    for _ in range(round(speech_s / BLOCK_S)):
        state.speech_s += BLOCK_S
        state.silence_after_speech_s = 0.0
        stream.feed(block, state)
    for _ in range(round(pause_s / BLOCK_S)):
        state.silence_after_speech_s += BLOCK_S
        stream.feed(block, state)


def wait_until(condition, timeout_s: float = 10) -> bool:
    done = threading.Event()
    for _ in range(int(timeout_s / 0.05)):
        if condition():
            return True
        done.wait(0.05)
    return False


def test_waiting_stretches_merge_up_to_the_longest_chunk():
    s = SAMPLE_RATE_HZ
    cuts = deque([Job(0, 9 * s), Job(9 * s, 18 * s), Job(18 * s, 27 * s), Job(27 * s, 36 * s)])
    first = merge(cuts, 28 * s)
    assert (first.start, first.end) == (0, 27 * s)
    assert [(j.start, j.end) for j in cuts] == [(27 * s, 36 * s)]
    assert (merge(cuts, 28 * s).start, len(cuts)) == (27 * s, 0)


def test_keeping_up_detects_fillers_per_stretch():
    model = FakeTranscriber()
    stream = StreamingTranscriber(model, end_pause_s=1.0)
    state = EndpointState()
    for _ in range(3):
        speak(stream, 9.0, 0.6, state)
        stream._worker.join(0.2)  # let the worker keep up, as on an idle machine
    transcript = stream.finish()
    assert stream.chunks == 3 and stream.calls == 3 and not stream.fell_behind
    assert len(model.detected_s) == 3 and len(stream.detected) == 3
    assert stream.fillers_unchecked_s == 0 and transcript.words


def test_falling_behind_merges_stretches_and_defers_fillers():
    model = FakeTranscriber(blocked=True)
    stream = StreamingTranscriber(model, end_pause_s=1.0)
    state = EndpointState()
    speak(stream, 8.4, 0.6, state)
    assert model.started.wait(5)  # the first stretch is being transcribed, slowly
    for _ in range(3):
        speak(stream, 8.4, 0.6, state)
    assert stream.live().behind  # three stretches wait
    model.release.set()
    assert wait_until(lambda: not stream.live().behind)  # caught up while the candidate pauses
    transcript = stream.finish()
    assert stream.chunks == 4
    assert stream.calls == 2  # the three waiting stretches went in one call
    assert max(model.transcribed_s) > 25  # ~9 s each
    assert stream.fell_behind
    # once caught up, the deferred filler detection ran, over every stretch
    assert sum(model.detected_s) > 33 and stream.fillers_unchecked_s == 0
    starts = [f.start_s for f in stream.detected]
    assert starts == sorted(starts)
    assert transcript.words[-1].end_s > 30


def test_deferred_fillers_too_costly_at_the_end_are_skipped_and_counted(monkeypatch):
    monkeypatch.setattr(streaming, "FINAL_FILLERS_S", 0.0)
    model = FakeTranscriber(blocked=True)
    stream = StreamingTranscriber(model, end_pause_s=1.0)
    state = EndpointState()
    speak(stream, 9.0, 0.6, state)
    assert model.started.wait(5)
    speak(stream, 9.0, 0.6, state)
    speak(stream, 9.0, 0.6, state)
    model.release.set()
    stream.finish()
    assert stream.fell_behind
    # all three: the first was transcribed while the others waited, so its fillers waited too
    assert 25 < stream.fillers_unchecked_s < 30
    assert stream.live().fillers == len(stream.detected) == len(model.detected_s) == 0


def test_close_drops_what_waits():
    model = FakeTranscriber(blocked=True)
    stream = StreamingTranscriber(model, end_pause_s=1.0)
    state = EndpointState()
    speak(stream, 9.0, 0.6, state)
    assert model.started.wait(5)
    speak(stream, 9.0, 0.6, state)
    model.release.set()
    stream.close()
    assert len(model.transcribed_s) == 1
