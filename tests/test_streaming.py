"""Transcribing while the candidate speaks gives the words of transcribing at the end."""

import numpy as np
import pytest

from vivavoce.audio import read_audio
from vivavoce.devices.fake import FakeMicrophone
from vivavoce.recorder import RecordOptions, record_answer
from vivavoce.streaming import StreamingTranscriber

pytestmark = pytest.mark.model


def word_errors(a: list[str], b: list[str]) -> int:
    d = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, d[0] = d[:], i
        for j, y in enumerate(b, 1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (x != y))
    return d[-1]


def norm(text: str) -> list[str]:
    return "".join(c if c.isalnum() or c in " '" else " " for c in text.lower()).split()


def test_streaming_matches_whole_answer_on_real_speech(data_dir, transcriber, tmp_path):
    clips = [read_audio(data_dir / n) for n in ("mfa_acoustic_corpus.wav", "fw_jfk.wav")]
    answer = np.concatenate([clips[0], np.zeros(16000, np.float32), clips[1]])
    stream = StreamingTranscriber(transcriber)
    rec = record_answer(FakeMicrophone(answer), tmp_path / "a.wav", RecordOptions(silence_s=4.0),
                        on_block=stream.feed)  # fmt: skip
    streamed = stream.finish()
    whole = transcriber.transcribe(rec.samples)
    assert stream.chunks >= 2  # cut at pauses while "speaking"
    a, b = norm(streamed.text), norm(whole.text)
    assert word_errors(a, b) / len(b) <= 0.1, (streamed.text, whole.text)
    assert "ask not what your country can do for you" in " ".join(a)
    starts = [w.start_s for w in streamed.words]
    assert starts == sorted(starts) and streamed.words[-1].end_s <= rec.duration_s
    jfk_at_s = (len(clips[0]) + 16000) / 16000
    country = [w for w in streamed.words if w.text.lower().startswith("country")]
    assert country and all(w.start_s > jfk_at_s for w in country)  # on the answer's clock


def test_live_stats_follow_what_is_transcribed(data_dir, transcriber, tmp_path):
    stream = StreamingTranscriber(transcriber)
    record_answer(FakeMicrophone(read_audio(data_dir / "mfa_acoustic_corpus.wav")), tmp_path / "a.wav",
                  RecordOptions(silence_s=2.0), on_block=stream.feed)  # fmt: skip
    stream.finish()
    live = stream.live()
    assert live.recent_wpm is not None and 80 < live.recent_wpm < 250
    assert live.transcribed_s > 20


def test_a_silent_tail_is_not_transcribed(transcriber, tmp_path):
    stream = StreamingTranscriber(transcriber)
    record_answer(FakeMicrophone(np.zeros(0, np.float32)), tmp_path / "a.wav", RecordOptions(no_answer_s=2.0),
                  on_block=stream.feed)  # fmt: skip
    assert stream.finish().words == [] and stream.chunks == 0
