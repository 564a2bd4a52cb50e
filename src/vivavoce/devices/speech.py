"""The real speaker: text-to-speech through pyttsx3 (espeak-ng on Linux)."""

from __future__ import annotations

import shutil
import sys
from typing import Any

from vivavoce.errors import SpeechError

RATE_WPM = 170


class Pyttsx3Speaker:
    def __init__(self, rate_wpm: int = RATE_WPM):
        self.rate_wpm = rate_wpm
        self._engine: Any = None  # a pyttsx3 engine, made on first use

    def _init(self):
        if sys.platform.startswith("linux") and shutil.which("aplay") is None:
            raise SpeechError(
                "'aplay' is missing, so speech would be silent", "Install it: sudo apt-get install alsa-utils"
            )
        try:
            import pyttsx3

            engine = pyttsx3.init()
        except Exception as e:  # OSError when libespeak-ng is missing, RuntimeError otherwise
            tip = "Install it: sudo apt-get install espeak-ng" if sys.platform.startswith("linux") else None
            raise SpeechError(f"no text-to-speech engine: {e}", tip) from e
        engine.setProperty("rate", self.rate_wpm)
        engine.runAndWait()  # pyttsx3 2.99: the first runAndWait returns at once; spend it here
        return engine

    def say(self, text: str) -> None:
        if self._engine is None:
            self._engine = self._init()
        try:
            self._engine.say(text)
            self._engine.runAndWait()
        except Exception as e:
            raise SpeechError(f"speech failed: {e}") from e
