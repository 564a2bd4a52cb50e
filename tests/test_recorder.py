"""Recording one answer from a (fake) microphone: endpointing and the WAV on disk."""

import wave

import numpy as np
import pytest

from vivavoce.audio import SAMPLE_RATE_HZ, read_audio
from vivavoce.devices.fake import FakeMicrophone
from vivavoce.recorder import RecordOptions, record_answer


@pytest.fixture(scope="module")
def jfk(data_dir):
    return read_audio(data_dir / "fw_jfk.wav")


def wav_samples(path):
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (1, SAMPLE_RATE_HZ, 2)
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32767


def test_answer_ends_after_silence_following_speech(jfk, tmp_path):
    rec = record_answer(FakeMicrophone(jfk), tmp_path / "a.wav", RecordOptions(silence_s=2.0))
    assert rec.ended_by == "silence"
    clip_s = len(jfk) / SAMPLE_RATE_HZ
    # the clip ends with ~0.5 s of its own quiet; then 2 s of silence ends the answer
    assert clip_s < rec.duration_s < clip_s + 2.5
    assert rec.heard_speech and 5.0 < rec.speech_s < clip_s


def test_audio_is_on_disk_exactly_as_recorded(jfk, tmp_path):
    rec = record_answer(FakeMicrophone(jfk), tmp_path / "a.wav", RecordOptions(silence_s=1.0))
    on_disk = wav_samples(rec.path)
    assert len(on_disk) == len(rec.samples)
    assert np.abs(on_disk - rec.samples).max() < 1e-4


def test_silence_only_is_no_answer(tmp_path):
    rec = record_answer(FakeMicrophone(np.zeros(0, np.float32)), tmp_path / "a.wav", RecordOptions(no_answer_s=2.0))
    assert rec.ended_by == "no-answer" and not rec.heard_speech
    assert rec.duration_s == pytest.approx(2.0, abs=0.11)


def test_max_answer_length_stops_recording(jfk, tmp_path):
    rec = record_answer(FakeMicrophone(jfk), tmp_path / "a.wav", RecordOptions(max_answer_s=4.0))
    assert rec.ended_by == "max"
    assert rec.duration_s == pytest.approx(4.0, abs=0.11)


def test_enter_stops_recording(jfk, tmp_path):
    calls = iter(range(1000))
    rec = record_answer(FakeMicrophone(jfk), tmp_path / "a.wav", stop_requested=lambda: next(calls) >= 30)
    assert rec.ended_by == "enter"
    assert rec.duration_s == pytest.approx(3.1, abs=0.11)


def test_ctrl_c_keeps_what_was_recorded(jfk, tmp_path):
    rec = record_answer(FakeMicrophone(jfk, interrupt_at_s=5.0), tmp_path / "a.wav")
    assert rec.ended_by == "interrupt"
    assert rec.duration_s == pytest.approx(5.0, abs=0.11)
    assert len(wav_samples(rec.path)) == len(rec.samples)


def test_progress_is_reported_for_every_block(jfk, tmp_path):
    seen = []
    record_answer(FakeMicrophone(jfk), tmp_path / "a.wav", RecordOptions(max_answer_s=2.0), seen.append)
    assert len(seen) == 20
    assert [round(p.elapsed_s, 1) for p in seen[:3]] == [0.1, 0.2, 0.3]
    assert max(p.level_dbfs for p in seen) > -40


def test_a_full_disk_is_reported_and_what_was_recorded_is_kept(jfk, tmp_path, monkeypatch):
    import errno

    from vivavoce import audio
    from vivavoce.errors import StoreError

    real_writeframes = wave.Wave_write.writeframes
    calls = {"n": 0}

    def filling_up(self, data):
        calls["n"] += 1
        if calls["n"] > 30:  # 3 s in, the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_writeframes(self, data)

    monkeypatch.setattr(audio.wave.Wave_write, "writeframes", filling_up)
    path = tmp_path / "a.wav"
    with pytest.raises(StoreError) as caught:
        record_answer(FakeMicrophone(jfk), path)
    assert "No space left on device" in str(caught.value)
    assert caught.value.tip.startswith("Free some disk space; the audio recorded so far is in that file")
    monkeypatch.undo()
    kept = wav_samples(path)  # a valid WAV with the first 3 s
    assert len(kept) == 30 * 1600
    assert np.abs(kept - jfk[: len(kept)]).max() < 1e-4
