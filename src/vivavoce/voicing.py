"""Sustained voicing: where the voice keeps sounding, whether or not the VAD still hears it.

A pause is silence. A drawn-out "aaand" or a hummed "mmm" is not, but the VAD can stop
hearing a steady vowel after a few hundred milliseconds (its speech probability decays
to 0.1-0.3 while the voice goes on: measured on mfa_acoustic_corpus, scripts/eval_pauses).
Voicing is YIN's aperiodicity (de Cheveigné & Kawahara 2002), the cumulative mean
normalised difference at its lowest for a pitch of 70-400 Hz, on the signal band-limited
to 50-1500 Hz (and so resampled at 4 kHz), over 40 ms every 10 ms. A hop is voiced when
its aperiodicity is under ``APERIODICITY`` and it is no quieter than ``LEVEL_DB`` below
the answer's loud level: a phone line's hum and a recording's fade-in are periodic too,
but 35-55 dB down, where fillers and drawn-out words sit 3-17 dB down (measured on the
corpus). A run of voiced hops lasting ``SUSTAINED_S`` is a sustained voice; the 32 ms
VAD frames it covers are voiced.
"""

from __future__ import annotations

import numpy as np

SAMPLE_RATE_HZ = 16000
FRAME_SAMPLES = 512  # the VAD's frame, at 16 kHz
RATE_HZ = 4000  # voicing is measured at this rate
HOP_SAMPLES = 40  # 10 ms at 4 kHz
WINDOW_SAMPLES = 160  # 40 ms
PITCH_HZ = (70, 400)
BAND_HZ = (50, 1500)
APERIODICITY = 0.25  # at or above: not voiced (YIN's own examples use 0.1-0.2 on clean speech)
SUSTAINED_S = 0.1
LEVEL_DB = -25.0  # relative to the answer's loud level (its 10 ms power's 90th percentile)
QUIET_RMS = 1e-4  # below this (-80 dBFS) a hop is silence, not voice
HOPS_AT_ONCE = 8192  # bounds memory: about 8192 x 256 floats per step


def band_limited(samples: np.ndarray) -> np.ndarray:
    """``samples`` (16 kHz) band-limited to BAND_HZ and resampled at RATE_HZ."""
    factor = SAMPLE_RATE_HZ // RATE_HZ
    n_fft = 1 << max(0, len(samples) - 1).bit_length()
    spectrum = np.fft.rfft(samples.astype(np.float64), n_fft)[: n_fft // (2 * factor) + 1]
    hz = np.fft.rfftfreq(n_fft, 1 / SAMPLE_RATE_HZ)[: len(spectrum)]
    spectrum[(hz < BAND_HZ[0]) | (hz > BAND_HZ[1])] = 0
    return np.fft.irfft(spectrum, n_fft // factor)[: len(samples) // factor] / factor


def aperiodicity(samples: np.ndarray) -> np.ndarray:
    """YIN's aperiodicity of each 10 ms hop of ``samples`` (16 kHz); 1.0 where there is no signal."""
    lag_min, lag_max = RATE_HZ // PITCH_HZ[1], RATE_HZ // PITCH_HZ[0]
    span = WINDOW_SAMPLES + lag_max
    n_hops = max(0, (len(samples) // (SAMPLE_RATE_HZ // RATE_HZ) - span) // HOP_SAMPLES + 1)
    if n_hops == 0:
        return np.ones(0)
    signal = band_limited(samples)
    starts = np.arange(n_hops) * HOP_SAMPLES
    return np.concatenate(
        [
            _hop_aperiodicity(signal, starts[i : i + HOPS_AT_ONCE], lag_min, lag_max)
            for i in range(0, n_hops, HOPS_AT_ONCE)
        ]
    )


def _hop_aperiodicity(signal: np.ndarray, starts: np.ndarray, lag_min: int, lag_max: int) -> np.ndarray:
    span = WINDOW_SAMPLES + lag_max
    frames = signal[starts[:, None] + np.arange(span)]
    n_fft = 1 << (span - 1).bit_length()
    head = np.fft.rfft(frames[:, :WINDOW_SAMPLES], n_fft)
    cross = np.fft.irfft(np.conj(head) * np.fft.rfft(frames, n_fft), n_fft)[:, : lag_max + 1]
    energy = np.concatenate([np.zeros((len(frames), 1)), np.cumsum(frames**2, axis=1)], axis=1)
    shifted = energy[:, WINDOW_SAMPLES : WINDOW_SAMPLES + lag_max + 1] - energy[:, : lag_max + 1]
    difference = np.maximum(energy[:, [WINDOW_SAMPLES]] + shifted - 2 * cross, 0.0)
    lags = np.arange(1, lag_max + 1)
    running = np.cumsum(difference[:, 1:], axis=1)
    normalised = difference[:, 1:] * lags / np.maximum(running, 1e-20)
    found = normalised[:, lag_min - 1 :].min(axis=1)
    quiet = energy[:, WINDOW_SAMPLES] < QUIET_RMS**2 * WINDOW_SAMPLES
    return np.where(quiet, 1.0, found)


def voiced_frames(samples: np.ndarray, candidates: np.ndarray | None = None) -> np.ndarray:
    """For each 32 ms VAD frame of ``samples``: does a sustained voice sound in it?
    ``candidates``: a mask of the frames worth asking about (the rest stay False), so
    that only the stretches where a pause may be are measured."""
    n_frames = len(samples) // FRAME_SAMPLES
    voiced = np.zeros(n_frames, dtype=bool)
    wanted = np.ones(n_frames, dtype=bool) if candidates is None else np.asarray(candidates[:n_frames], dtype=bool)
    margin = round(SUSTAINED_S * SAMPLE_RATE_HZ / FRAME_SAMPLES) + 1
    floor_db = loud_level_db(samples) + LEVEL_DB
    for first, past in _runs(wanted, 1):
        first, past = max(0, first - margin), min(n_frames, past + margin)
        stretch = samples[first * FRAME_SAMPLES : past * FRAME_SAMPLES]
        voiced[first:past] |= _voiced_in(stretch, past - first, floor_db)
    return voiced & wanted


def loud_level_db(samples: np.ndarray) -> float:
    """The 90th percentile of the power of the 10 ms pieces of ``samples``, in dB."""
    piece = SAMPLE_RATE_HZ // 100
    n = len(samples) // piece
    if n == 0:
        return -200.0
    power = np.mean(np.square(samples[: n * piece].astype(np.float64)).reshape(n, piece), axis=1)
    return float(10 * np.log10(np.percentile(power, 90) + 1e-20))


def hop_level_db(samples: np.ndarray, n_hops: int) -> np.ndarray:
    """Power of each hop's 40 ms window, in dB (at 16 kHz, as loud_level_db)."""
    factor = SAMPLE_RATE_HZ // RATE_HZ
    window, hop = WINDOW_SAMPLES * factor, HOP_SAMPLES * factor
    energy = np.concatenate([[0.0], np.cumsum(np.square(samples.astype(np.float64)))])
    starts = np.arange(n_hops) * hop
    power = (energy[np.minimum(starts + window, len(samples))] - energy[starts]) / window
    return 10 * np.log10(power + 1e-20)


def _voiced_in(samples: np.ndarray, n_frames: int, floor_db: float) -> np.ndarray:
    voiced = np.zeros(n_frames, dtype=bool)
    periodic = aperiodicity(samples) < APERIODICITY
    hops = periodic & (hop_level_db(samples, len(periodic)) >= floor_db)
    hop_s, centre_s = HOP_SAMPLES / RATE_HZ, WINDOW_SAMPLES / RATE_HZ / 2
    frame_s = FRAME_SAMPLES / SAMPLE_RATE_HZ
    for first, past in _runs(hops, round(SUSTAINED_S / hop_s)):
        start_s, end_s = first * hop_s + centre_s, past * hop_s + centre_s
        voiced[_frame_at(start_s, frame_s) : _frame_at(end_s, frame_s)] = True
    return voiced


def _frame_at(time_s: float, frame_s: float) -> int:
    """The first frame whose middle is at or after ``time_s``."""
    return int(np.ceil(time_s / frame_s - 0.5))


def _runs(flags: np.ndarray, min_length: int) -> list[tuple[int, int]]:
    """(first, past-last) of each run of True at least ``min_length`` long."""
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True) if b - a >= min_length]
