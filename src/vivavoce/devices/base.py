"""The device interfaces the practice loop depends on."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class InputStream(Protocol):
    sample_rate_hz: int  # always 16 kHz mono float32 blocks, whatever the device runs at
    overflows: int  # blocks the device dropped because we read too slowly

    def read(self, timeout_s: float) -> np.ndarray | None:
        """The next block, or None if none arrived within ``timeout_s``."""

    def close(self) -> None: ...


class Microphone(Protocol):
    def open(self) -> InputStream: ...


class Speaker(Protocol):
    def say(self, text: str) -> None:
        """Speak and return when done; raise SpeechError if speech is impossible."""
