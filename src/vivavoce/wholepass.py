"""The whole-answer pass of practice. Feedback comes at once from the transcript made
while the candidate spoke (streaming); then each answer is heard again in one pass, as
`viva score` hears a file, and that document replaces the streamed one in the store. So
the stored answer, review, the report and `viva score` of the saved WAV agree.

The pass runs in a background thread and starts only while no answer is being recorded,
so it never competes with the live transcription of the next answer from its start.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path

from vivavoce.answer import Answer
from vivavoce.audio import read_audio
from vivavoce.scoring import Heard, hear
from vivavoce.transcribe import Transcriber

log = logging.getLogger(__name__)

Rescore = Callable[[Heard], Answer]


class WholePass:
    def __init__(self, transcriber: Transcriber, fillers: str = "full"):
        self.transcriber, self.fillers = transcriber, fillers
        self._jobs: queue.Queue = queue.Queue()
        self._done: queue.Queue = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        self._worker = threading.Thread(target=self._work, name="whole-pass", daemon=True)
        self._worker.start()

    @property
    def pending(self) -> int:
        return self._pending

    def submit(self, seq: int, wav: Path, rescore: Rescore) -> None:
        """Hear the saved WAV again (the very input `viva score` would read) and rescore."""
        self._pending += 1
        self._jobs.put((seq, wav, rescore))

    def recording(self, active: bool) -> None:
        """While an answer is recorded, no new pass starts."""
        if active:
            self._idle.clear()
        else:
            self._idle.set()

    def finished(self) -> list[tuple[int, Answer]]:
        """The passes done so far, without waiting."""
        out: list[tuple[int, Answer]] = []
        while True:
            try:
                seq, answer = self._done.get_nowait()
            except queue.Empty:
                return out
            self._pending -= 1
            if answer is not None:
                out.append((seq, answer))

    def wait(self) -> list[tuple[int, Answer]]:
        """Every pass submitted, waiting for those still running."""
        self._idle.set()
        out: list[tuple[int, Answer]] = []
        while self._pending:
            seq, answer = self._done.get()
            self._pending -= 1
            if answer is not None:
                out.append((seq, answer))
        return out

    def cancel_queued(self) -> None:
        """Drop the passes not yet started (Ctrl-C): their streamed answers stay as they are."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                self._pending -= 1

    def close(self) -> None:
        """Stop the thread once the pass running now (if any) is done; a model call must not
        be running when the interpreter exits."""
        self._idle.set()
        self._jobs.put(None)
        self._worker.join()

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            seq, wav, rescore = job
            self._idle.wait()
            try:
                self._done.put((seq, rescore(hear(read_audio(wav), self.transcriber, self.fillers))))
            except Exception as e:  # the streamed answer stays; nothing is lost
                log.warning("whole-answer pass of answer %d failed: %r", seq + 1, e)
                self._done.put((seq, None))
