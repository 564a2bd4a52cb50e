"""Sustained voicing (vivavoce.voicing): synthetic voices, hums and noise."""

import numpy as np
import pytest

from vivavoce.voicing import FRAME_SAMPLES, SAMPLE_RATE_HZ, aperiodicity, voiced_frames

RNG = np.random.default_rng(7)


def seconds(s: float) -> int:
    return int(s * SAMPLE_RATE_HZ)


def voice(duration_s: float, pitch_hz: float = 140.0, level: float = 0.1) -> np.ndarray:
    """A vowel-like sound: harmonics of ``pitch_hz`` falling off with frequency."""
    t = np.arange(seconds(duration_s)) / SAMPLE_RATE_HZ
    wave = sum(np.sin(2 * np.pi * pitch_hz * k * t) / k for k in range(1, 12))
    return (level * wave / np.max(np.abs(wave))).astype(np.float32)


def noise(duration_s: float, level: float) -> np.ndarray:
    return (level * RNG.standard_normal(seconds(duration_s))).astype(np.float32)


def frames_between(start_s: float, end_s: float) -> slice:
    frame_s = FRAME_SAMPLES / SAMPLE_RATE_HZ
    return slice(round(start_s / frame_s), round(end_s / frame_s))


def test_a_steady_vowel_in_noise_is_voiced_and_the_noise_is_not():
    samples = np.concatenate([noise(1.0, 0.003), voice(1.0) + noise(1.0, 0.003), noise(1.0, 0.003)])
    voiced = voiced_frames(samples)
    assert voiced[frames_between(1.1, 1.9)].all()
    assert not voiced[frames_between(0.0, 0.85)].any()
    assert not voiced[frames_between(2.15, 3.0)].any()


@pytest.mark.parametrize("pitch_hz", [80.0, 120.0, 220.0, 350.0])
def test_voices_across_the_pitch_range(pitch_hz):
    assert np.median(aperiodicity(voice(0.5, pitch_hz))) < 0.1


def test_white_noise_is_aperiodic():
    assert np.percentile(aperiodicity(noise(1.0, 0.1)), 5) > 0.3


def test_a_quiet_hum_far_below_the_speech_is_not_a_voice():
    """A phone line's hum is periodic too; 40 dB below the speech it is not a voice."""
    speech, hum = voice(1.0, level=0.3), voice(1.0, pitch_hz=100.0, level=0.003)
    voiced = voiced_frames(np.concatenate([speech, hum, speech]))
    assert voiced[frames_between(0.1, 0.9)].all()
    assert not voiced[frames_between(1.15, 1.85)].any()


def test_a_short_voiced_blip_is_not_sustained():
    samples = np.concatenate([noise(1.0, 0.003), voice(0.05) + noise(0.05, 0.003), noise(1.0, 0.003), voice(0.5)])
    assert not voiced_frames(samples)[frames_between(0.9, 1.2)].any()


def test_only_the_candidate_frames_are_measured():
    samples = voice(2.0)
    candidates = np.zeros(len(samples) // FRAME_SAMPLES, dtype=bool)
    candidates[frames_between(1.0, 1.5)] = True
    voiced = voiced_frames(samples, candidates)
    assert voiced[frames_between(1.0, 1.5)].all()
    assert voiced.sum() == candidates.sum()


def test_silence_and_short_input():
    assert not voiced_frames(np.zeros(seconds(1.0), np.float32)).any()
    assert len(voiced_frames(np.zeros(100, np.float32))) == 0
    assert len(aperiodicity(np.zeros(100, np.float32))) == 0
