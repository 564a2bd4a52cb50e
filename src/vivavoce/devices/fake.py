"""In-memory devices for tests and for scoring without hardware."""

from __future__ import annotations

import time

import numpy as np

from vivavoce.audio import SAMPLE_RATE_HZ
from vivavoce.errors import SpeechError


class FakeInputStream:
    sample_rate_hz = SAMPLE_RATE_HZ

    def __init__(self, samples: np.ndarray, block_s: float, realtime: bool, interrupt_at_s=None):
        self._samples = samples.astype(np.float32)
        self._block = int(block_s * SAMPLE_RATE_HZ)
        self._pos = 0
        self._realtime = realtime
        self._interrupt_at = None if interrupt_at_s is None else int(interrupt_at_s * SAMPLE_RATE_HZ)
        self.overflows = 0
        self.closed = False

    def read(self, timeout_s: float) -> np.ndarray | None:
        if self._interrupt_at is not None and self._pos >= self._interrupt_at:
            self._interrupt_at = None
            raise KeyboardInterrupt
        if self._realtime:
            time.sleep(self._block / SAMPLE_RATE_HZ)
        block = self._samples[self._pos : self._pos + self._block]
        self._pos += self._block
        if len(block) < self._block:  # after the clip: silence, as a quiet room
            block = np.concatenate([block, np.zeros(self._block - len(block), np.float32)])
        return block

    def close(self) -> None:
        self.closed = True


class FakeMicrophone:
    """Plays ``answers`` (one array per opening, the last repeated) as if spoken."""

    def __init__(self, *answers: np.ndarray, block_s=0.1, realtime=False, interrupt_at_s=None):
        self.answers = list(answers) or [np.zeros(0, np.float32)]
        self.block_s = block_s
        self.realtime = realtime
        self.interrupt_at_s = interrupt_at_s
        self.opened = 0

    def open(self) -> FakeInputStream:
        samples = self.answers[min(self.opened, len(self.answers) - 1)]
        self.opened += 1
        return FakeInputStream(samples, self.block_s, self.realtime, self.interrupt_at_s)


class FakeSpeaker:
    def __init__(self, fail: bool = False):
        self.said: list[str] = []
        self.fail = fail

    def say(self, text: str) -> None:
        if self.fail:
            raise SpeechError("no speech engine", "Install espeak-ng.")
        self.said.append(text)
