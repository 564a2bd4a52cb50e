"""Audio for the HTML report: float samples in, Ogg/Opus bytes out (in memory, via PyAV).

Opus at 20 kbps keeps a two-minute answer near 300 kB (400 kB as base64), small enough to
embed in the page as a data: URI; every current browser plays it."""

from __future__ import annotations

import io

import av
import numpy as np

MIME = "audio/ogg"
OPUS_RATE_HZ = 48000  # libopus runs at 48 kHz; PyAV resamples to it
BIT_RATE = 20000  # speech from a 16 kHz recording: Opus is good at this rate, and 2 min is ~300 kB


def ogg_opus_bytes(samples: np.ndarray, sample_rate_hz: int = 16000) -> bytes:
    """Mono float samples in [-1, 1] at ``sample_rate_hz`` as an Ogg/Opus file (b"" for no samples)."""
    mono = np.ascontiguousarray(np.asarray(samples, dtype=np.float32).reshape(1, -1))
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=OPUS_RATE_HZ, layout="mono")
        stream.bit_rate = BIT_RATE
        if mono.shape[1]:
            frame = av.AudioFrame.from_ndarray(mono, format="flt", layout="mono")
            frame.sample_rate = sample_rate_hz
            frame.pts = None
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return buffer.getvalue()


ENVELOPE_POINTS = 500  # slices drawn on a timeline; enough for 2 px per slice at full width
ENVELOPE_RANGE_DB = 50.0  # the quietest slice drawn sits this far below the loudest


def loudness_envelope(samples: np.ndarray, points: int = ENVELOPE_POINTS) -> tuple[float, ...]:
    """The recording's loudness, 0-1 per equal slice (RMS in dB, the loudest slice 1): what a
    timeline draws as its waveform. Empty for no samples."""
    flat = np.asarray(samples, dtype=np.float32).reshape(-1)
    n = min(points, flat.size)
    if n == 0:
        return ()
    slices = np.array_split(flat, n)
    rms = np.array([np.sqrt(np.mean(np.square(s, dtype=np.float64))) for s in slices])
    db = 20 * np.log10(rms + 1e-9)
    level = np.clip((db - (db.max() - ENVELOPE_RANGE_DB)) / ENVELOPE_RANGE_DB, 0.0, 1.0)
    return tuple(round(float(v), 2) for v in level)
