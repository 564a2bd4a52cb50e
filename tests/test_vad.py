"""Speech spans: our pure re-implementation, fed by the live detector's probabilities,
matches faster-whisper's get_speech_timestamps on real speech."""

import pytest
from faster_whisper.vad import VadOptions, get_speech_timestamps

from vivavoce.audio import read_audio
from vivavoce.vad import EndpointDetector, speech_spans


@pytest.mark.parametrize("clip", ["fw_jfk.wav", "mfa_acoustic_corpus.wav", "mfa_cold_corpus.wav"])
def test_spans_match_faster_whisper(data_dir, clip):
    samples = read_audio(data_dir / clip)
    options = VadOptions(threshold=0.5, min_silence_duration_ms=250, speech_pad_ms=30, min_speech_duration_ms=100)
    reference = [(s["start"] / 16000, s["end"] / 16000) for s in get_speech_timestamps(samples, options)]
    assert [(s.start_s, s.end_s) for s in speech_spans(samples)] == reference
    live = EndpointDetector()
    for i in range(0, len(samples), 1600):  # 0.1 s blocks, as the recorder feeds it
        live.feed(samples[i : i + 1600])
    assert [x for s in live.spans() for x in (s.start_s, s.end_s)] == pytest.approx([x for r in reference for x in r])
