"""Errors raised by vivavoce, one per boundary.

    VivaError
    ├── AudioFileError        a file that cannot be read or written as audio
    ├── DeviceError           microphone or speaker unavailable
    │   └── NoInputDeviceError
    ├── SpeechError           text-to-speech failed (the question is still shown)
    ├── TranscriptionError    the model cannot be found or loaded, or decoding failed
    ├── PackError             a question pack that cannot be used
    └── StoreError            the data directory cannot be written

Each carries a one-line ``tip`` that tells the user what to do.
"""

from __future__ import annotations


class VivaError(Exception):
    """Base class; ``tip`` is one line of advice for the user."""

    def __init__(self, message: str, tip: str | None = None):
        super().__init__(message)
        self.tip = tip


class AudioFileError(VivaError):
    pass


class DeviceError(VivaError):
    pass


class NoInputDeviceError(DeviceError):
    pass


class SpeechError(VivaError):
    pass


class TranscriptionError(VivaError):
    pass


class PackError(VivaError):
    pass


class StoreError(VivaError):
    pass
