"""Transcribe while the candidate speaks: finished stretches of speech, cut at pauses the
live Silero VAD finds, are transcribed in a background thread, so when the answer ends
only the last stretch (often nothing) is left. Word times stay on the answer's clock.

When transcription falls behind the speaker (a busy machine), it degrades on purpose
instead of queueing work: stretches waiting are transcribed together (one call costs
the same fixed ~0.5 s whatever its length), and filler detection waits until the
worker has caught up; at the end it runs only if it is cheap, else it is skipped and
``fillers_unchecked_s`` says for how much of the answer."""

from __future__ import annotations

import bisect
import threading
import time
from collections import deque
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
FINAL_FILLERS_S = 0.5  # deferred filler detection still runs at the end if expected to take this long
FILLER_COST_PRIOR = 0.05  # seconds of filler detection per second of audio, until measured


@dataclass(frozen=True)
class LiveStats:
    recent_wpm: float | None
    fillers: int
    transcribed_s: float
    behind: bool = False  # transcription is behind the speaker: live filler detection paused


@dataclass(frozen=True)
class Job:
    start: int  # samples on the answer's clock
    end: int
    words: tuple[Word, ...] = ()  # for filler detection: the stretch's words, on its own clock


def merge(cuts: deque, max_samples: int) -> Job:
    """Takes the first waiting stretch and the ones right after it, up to ``max_samples`` in all."""
    first = cuts.popleft()
    end = first.end
    while cuts and cuts[0].start == end and cuts[0].end - first.start <= max_samples:
        end = cuts.popleft().end
    return Job(first.start, end)


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
        self._cuts: deque[Job] = deque()  # stretches waiting to be transcribed
        self._deferred: deque[Job] = deque()  # transcribed stretches waiting for filler detection
        self._closing = False
        self._words: list[Word] = []
        self._lock = threading.Condition()
        self._error: BaseException | None = None
        self._transcribed_to = 0
        self.chunks = 0  # stretches cut while the candidate spoke
        self.calls = 0  # transcription calls (fewer than chunks when the worker fell behind)
        self.fell_behind = False
        self.fillers_unchecked_s = 0.0  # audio whose filler detection was skipped
        self._filler_cost = FILLER_COST_PRIOR
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
        with self._lock:
            self._cuts.append(Job(self._pending_from, at))
            self._lock.notify_all()
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
            job, detect = self._next_job()
            if job is None:
                return
            try:
                if detect:
                    self._detect(job)
                else:
                    self._transcribe(job)
            except BaseException as e:  # reported by finish()
                self._error = e

    def _next_job(self) -> tuple[Job | None, bool]:
        """Transcription first; filler detection once nothing waits to be transcribed."""
        with self._lock:
            while True:
                if self._cuts:
                    return merge(self._cuts, int(MAX_CHUNK_S * SAMPLE_RATE_HZ)), False
                if self._deferred and (not self._closing or self._final_fillers_cheap()):
                    return self._deferred.popleft(), True
                if self._closing:
                    self.fillers_unchecked_s += sum(j.end - j.start for j in self._deferred) / SAMPLE_RATE_HZ
                    self._deferred.clear()
                    return None, False
                self._lock.wait()

    def _final_fillers_cheap(self) -> bool:
        audio_s = sum(j.end - j.start for j in self._deferred) / SAMPLE_RATE_HZ
        return audio_s * self._filler_cost <= FINAL_FILLERS_S

    def _transcribe(self, job: Job) -> None:
        audio = self._audio(job.start, job.end)
        part = self.transcriber.transcribe(audio, prompt=self._context())
        offset_s = job.start / SAMPLE_RATE_HZ
        shifted = [Word(w.word, w.start_s + offset_s, w.end_s + offset_s, w.probability) for w in part.words]
        with self._lock:
            self.calls += 1
            self._words.extend(shifted)
            self._transcribed_to = job.end
            if not self.detect_fillers or not part.words:
                return
            found = Job(job.start, job.end, tuple(part.words))
            if self._cuts or self._deferred:  # the speaker is ahead: transcription first
                self.fell_behind = True
                self._deferred.append(found)
                return
        self._detect(found)

    def _detect(self, job: Job) -> None:
        audio = self._audio(job.start, job.end)
        started = time.perf_counter()
        found = self.transcriber.detect_fillers(audio, list(job.words))
        cost = (time.perf_counter() - started) / max(len(audio) / SAMPLE_RATE_HZ, 1.0)
        offset_s = job.start / SAMPLE_RATE_HZ
        with self._lock:
            self._filler_cost = cost
            self.detected.extend(replace(f, start_s=f.start_s + offset_s, end_s=f.end_s + offset_s) for f in found)

    def _context(self, n_words: int = 40) -> str:
        """The end of what was said before, so a stretch is decoded in its context."""
        with self._lock:
            return " ".join(w.text for w in self._words[-n_words:])

    # -- results -------------------------------------------------------------------------

    def _behind(self) -> bool:
        """More than one stretch waits to be transcribed, or one waits for filler detection."""
        return len(self._cuts) > 1 or bool(self._deferred)

    def live(self) -> LiveStats:
        with self._lock:
            words = list(self._words)
            upto_s = self._transcribed_to / SAMPLE_RATE_HZ
            behind = self._behind()
            n_detected = len(self.detected)
        recent = [w for w in words if w.end_s >= upto_s - RECENT_S and normalise(w.text) not in NON_LEXICAL]
        span_s = (recent[-1].end_s - recent[0].start_s) if len(recent) > 1 else 0.0
        wpm = len(recent) / span_s * 60 if span_s >= 3.0 else None
        fillers = sum(1 for w in words if normalise(w.text) in NON_LEXICAL) + n_detected
        return LiveStats(wpm, fillers, upto_s, behind)

    def close(self) -> None:
        """Stop the worker without transcribing what is pending."""
        with self._lock:
            self._cuts.clear()
            self._deferred.clear()
            self._closing = True
            self._lock.notify_all()
        self._worker.join()

    def finish(self) -> Transcript:
        """Transcribe what is left and return every word, in order."""
        with self._lock:
            if self._total > self._pending_from and self._speech_since_cut:
                self._cuts.append(Job(self._pending_from, self._total))
            self._closing = True
            self._lock.notify_all()
        self._worker.join()
        if self._error is not None:
            raise self._error
        self.detected.sort(key=lambda f: f.start_s)  # deferred stretches come in late
        words = sorted(self._words, key=lambda w: w.start_s)
        return Transcript(words, self._total / SAMPLE_RATE_HZ, self.transcriber.model_label)
