"""Audio for the HTML report: float samples in, Ogg/Opus bytes out (in memory, via PyAV).

Opus at ~32 kbps keeps a two-minute answer under half a megabyte, small enough to
embed in the page as a data: URI; every current browser plays it."""

from __future__ import annotations

import io

import av
import numpy as np

MIME = "audio/ogg"
OPUS_RATE_HZ = 48000  # libopus runs at 48 kHz; PyAV resamples to it
BIT_RATE = 32000


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
