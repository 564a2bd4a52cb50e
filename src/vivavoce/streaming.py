"""Transcribe while the candidate speaks: finished stretches of speech, cut at pauses the
live Silero VAD finds, are transcribed in a background thread, so when the answer ends
only the last stretch (often nothing) is left. Word times stay on the answer's clock."""

from __future__ import annotations

import bisect
import queue
import threading
from dataclasses import dataclass, replace

import numpy as np

from vivavoce.analysis.fillers import NON_LEXICAL, Filler, normalise
from vivavoce.audio import SAMPLE_RATE_HZ
from vivavoce.transcribe import Transcriber
from vivavoce.transcript import Transcript, Word
from vivavoce.vad import EndpointState

MIN_CHUNK_S = 8.0  # cut at a pause once this much audio is pending
PAUSE_S = 0.5  # a pause long enough to cut at
END_PAUSE_S = 2.0  # a pause this long is cut at whatever is pending (the answer may be over)
MAX_CHUNK_S = 28.0  # cut even without a pause (Whisper's window is 30 s)
RECENT_S = 20.0  # the live pace looks this far back


@dataclass(frozen=True)
class LiveStats:
    recent_wpm: float | None
    fillers: int
    transcribed_s: float


class StreamingTranscriber:
    """Fed block by block with the VAD's state; ``finish()`` returns the whole transcript."""

    def __init__(self, transcriber: Transcriber, detect_fillers: bool = True, end_pause_s: float = END_PAUSE_S):
        """``end_pause_s`` should be shorter than the silence that ends an answer, so the last
        stretch is transcribed before the answer is over."""
        self.transcriber = transcriber
        self.end_pause_s = end_pause_s
        self.detect_fillers = detect_fillers
        self.detected: list[Filler] = []
        self._blocks: list[np.ndarray] = []
        self._block_starts: list[int] = []  # sample index where each block begins
        self._pending_from = 0  # sample index where the untranscribed audio starts
        self._total = 0
        self._speech_since_cut = False
        self._jobs: queue.Queue = queue.Queue()
        self._words: list[Word] = []
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._transcribed_to = 0
        self.chunks = 0
        self._worker = threading.Thread(target=self._work, name="stream-transcribe", daemon=True)
        self._worker.start()

    # -- the recorder's side ----------------------------------------------------

    def feed(self, block: np.ndarray, state: EndpointState) -> None:
        self._block_starts.append(self._total)
        self._blocks.append(block)
        self._total += len(block)
        if state.silence_after_speech_s == 0 and state.speech_s > 0:
            self._speech_since_cut = True
        pending_s = (self._total - self._pending_from) / SAMPLE_RATE_HZ
        pause_s = state.silence_after_speech_s
        if not self._speech_since_cut:
            return
        if (pause_s >= PAUSE_S and pending_s >= MIN_CHUNK_S) or pause_s >= self.end_pause_s:
            self._cut(self._total - int(pause_s / 2 * SAMPLE_RATE_HZ))
        elif pending_s >= MAX_CHUNK_S:
            self._cut(self._total)

    def _cut(self, at: int) -> None:
        at = max(at, self._pending_from)
        if at - self._pending_from < int(0.3 * SAMPLE_RATE_HZ):
            return
        self._jobs.put((self._pending_from, at))
        self._pending_from = at
        self._speech_since_cut = False
        self.chunks += 1

    # -- the worker ----------------------------------------------------------------

    def _audio(self, start: int, end: int) -> np.ndarray:
        """Samples start..end, joining only the blocks that hold them."""
        first = max(0, bisect.bisect_right(self._block_starts, start) - 1)
        last = bisect.bisect_left(self._block_starts, end)
        blocks = self._blocks[first:last]
        if not blocks:
            return np.zeros(0, np.float32)
        offset = self._block_starts[first]
        return np.concatenate(blocks)[start - offset : end - offset]

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            start, end = job
            try:
                audio = self._audio(start, end)
                part = self.transcriber.transcribe(audio, prompt=self._context())
                found = self.transcriber.detect_fillers(audio, part.words) if self.detect_fillers else []
            except BaseException as e:  # reported by finish()
                self._error = e
                continue
            offset_s = start / SAMPLE_RATE_HZ
            shifted = [Word(w.word, w.start_s + offset_s, w.end_s + offset_s, w.probability) for w in part.words]
            with self._lock:
                self._words.extend(shifted)
                self.detected.extend(replace(f, start_s=f.start_s + offset_s, end_s=f.end_s + offset_s) for f in found)
                self._transcribed_to = end

    def _context(self, n_words: int = 40) -> str:
        """The end of what was said before, so a stretch is decoded in its context."""
        with self._lock:
            return " ".join(w.text for w in self._words[-n_words:])

    # -- results -------------------------------------------------------------------------

    def live(self) -> LiveStats:
        with self._lock:
            words = list(self._words)
            upto_s = self._transcribed_to / SAMPLE_RATE_HZ
        recent = [w for w in words if w.end_s >= upto_s - RECENT_S and normalise(w.text) not in NON_LEXICAL]
        span_s = (recent[-1].end_s - recent[0].start_s) if len(recent) > 1 else 0.0
        wpm = len(recent) / span_s * 60 if span_s >= 3.0 else None
        fillers = sum(1 for w in words if normalise(w.text) in NON_LEXICAL) + len(self.detected)
        return LiveStats(wpm, fillers, upto_s)

    def close(self) -> None:
        """Stop the worker without transcribing what is pending."""
        self._jobs.put(None)
        self._worker.join()

    def finish(self) -> Transcript:
        """Transcribe what is left and return every word, in order."""
        if self._total > self._pending_from and self._speech_since_cut:
            self._jobs.put((self._pending_from, self._total))
        self._jobs.put(None)
        self._worker.join()
        if self._error is not None:
            raise self._error
        words = sorted(self._words, key=lambda w: w.start_s)
        return Transcript(words, self._total / SAMPLE_RATE_HZ, self.transcriber.model_label)
