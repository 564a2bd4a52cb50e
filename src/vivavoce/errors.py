"""Errors raised by vivavoce, one per boundary.

    VivaError
    ├── AudioFileError        a file that cannot be read or written as audio
    ├── DeviceError           microphone or speaker unavailable
    │   └── NoInputDeviceError
    ├── SpeechError           text-to-speech failed (the question is still shown)
    ├── TranscriptionError    the model cannot be found or loaded, or decoding failed
    ├── PackError             a question pack that cannot be used
    │   └── PackProblems      every problem found in one pack file
    ├── ConfigError           a config file that cannot be used
    │   └── ConfigProblems    every problem found in the config file
    ├── StoreError            the data directory cannot be written
    ├── NotesError            a coach's notes file that cannot be imported
    └── ClusterError          --cluster: Ray missing, the cluster unreachable, or no worker can start

    Interrupted               Ctrl-C in practice, after the session was saved (exit 130)

Each carries a one-line ``tip`` that tells the user what to do.
"""

from __future__ import annotations

from pathlib import Path


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


def problems_message(path: Path, problems: list, what: str) -> str:
    """One message listing every problem found in a file, one a line."""
    lines = "\n".join(f"  {p}" for p in problems)
    return f"{path}: {len(problems)} problem(s) in the {what}:\n{lines}"


class PackProblems(PackError):
    """Every problem found in one pack file."""

    def __init__(self, path: Path, problems: list):
        tip = "Fix them, then check with: viva packs validate " + str(path)
        super().__init__(problems_message(path, problems, "question pack"), tip)
        self.problems = problems


class StoreError(VivaError):
    pass


class NotesError(VivaError):
    pass


class ClusterError(VivaError):
    pass


class ConfigError(VivaError):
    pass


class ConfigProblems(ConfigError):
    """Every problem found in one config file."""

    def __init__(self, path: Path, problems: list):
        super().__init__(problems_message(path, problems, "config"), "Fix them, then check with: viva config")
        self.problems = problems


class Interrupted(Exception):
    """Ctrl-C: the session was saved; the CLI exits with status 130."""
