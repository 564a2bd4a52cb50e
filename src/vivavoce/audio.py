"""Audio files <-> float32 mono samples at 16 kHz."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from vivavoce.errors import AudioFileError, StoreError

SAMPLE_RATE_HZ = 16000


def to_int16(samples: np.ndarray) -> np.ndarray:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")


def read_audio(path: str | Path) -> np.ndarray:
    """Decode any file PyAV can read to float32 mono 16 kHz samples."""
    path = Path(path)
    if not path.is_file():
        raise AudioFileError("no such file", "Check the path.")
    try:
        from faster_whisper.audio import decode_audio

        return decode_audio(str(path), sampling_rate=SAMPLE_RATE_HZ)
    except Exception as e:  # PyAV raises many types
        reason = getattr(e, "strerror", None) or str(e)
        raise AudioFileError(f"cannot decode: {reason} (corrupt or not audio)", "Is it an audio or video file?") from e


class WavWriter:
    """Writes 16-bit mono WAV as blocks arrive; the header is kept valid after each block,
    so the file is playable even if the process dies mid-answer."""

    def __init__(self, path: str | Path, sample_rate_hz: int = SAMPLE_RATE_HZ):
        self.path = Path(path)
        try:
            self._wav = wave.open(str(self.path), "wb")
        except OSError as e:
            raise StoreError(
                f"cannot write {str(self.path)!r}: {e.strerror or e}",
                "Choose a writable folder with --data-dir or VIVAVOCE_HOME.",
            ) from e
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate_hz)
        self.frames_written = 0

    def write(self, samples: np.ndarray) -> None:
        try:
            self._wav.writeframes(to_int16(samples).tobytes())
        except OSError as e:
            raise StoreError(
                f"cannot write {str(self.path)!r}: {e.strerror or e}",
                "Free some disk space; the audio recorded so far is in that file.",
            ) from e
        self.frames_written += len(samples)

    def close(self) -> None:
        try:
            self._wav.close()
        except OSError:
            pass  # the header was patched after the last complete block

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_wav(path: str | Path, samples: np.ndarray, sample_rate_hz: int = SAMPLE_RATE_HZ) -> None:
    with WavWriter(path, sample_rate_hz) as writer:
        writer.write(samples)


def resample_linear(samples: np.ndarray, from_hz: int, to_hz: int) -> np.ndarray:
    """Cheap resampling for live device input (the model's own decoder does files)."""
    if from_hz == to_hz or len(samples) == 0:
        return samples.astype(np.float32, copy=False)
    n_out = int(round(len(samples) * to_hz / from_hz))
    x_out = np.arange(n_out) * (from_hz / to_hz)
    return np.interp(x_out, np.arange(len(samples)), samples).astype(np.float32)
