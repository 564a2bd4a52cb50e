"""Exact tests of the metric math on hand-built word lists."""

import math

import pytest

from vivavoce.analysis import analyze, find_fillers
from vivavoce.analysis.metrics import find_pauses, onset_s, speech_time_s
from vivavoce.analysis.norms import Norms
from vivavoce.transcript import Span, Word


def words(*triples):
    return [Word(w, s, e) for w, s, e in triples]


TEN_WORDS = words(*[(f"w{i}", 1.0 + i, 1.5 + i) for i in range(10)])  # 1.0 .. 10.5 s


@pytest.mark.parametrize(
    "tokens, expected",
    [
        (["so", "um", "I", "uh", "think"], ["um", "uh"]),
        (["Um,", "Hmm.", "erm", "Uhh"], ["um", "hmm", "um", "uh"]),
        (["umbrella", "human", "ahead", "I'd", "like"], []),
        (["mm-hmm", "uh-huh"], []),  # backchannels are ordinary words
        ([], []),
    ],
)
def test_fillers_are_found_by_spelling(tokens, expected):
    ws = [Word(t, i, i + 0.5) for i, t in enumerate(tokens)]
    assert [f.word for f in find_fillers(ws) if f.kind == "non-lexical"] == expected


def test_filler_keeps_word_times():
    [f] = find_fillers(words(("we", 0.0, 0.2), ("um", 0.4, 0.9)))
    assert (f.start_s, f.end_s, f.kind) == (0.4, 0.9, "non-lexical")


@pytest.mark.parametrize(
    "spans, start, end, expected",
    [
        ([(0, 1), (1.1, 2), (3, 4)], 0, 4, [(2, 3)]),  # 0.1 s gap is under 0.25 s
        ([(0, 1), (1.3, 2)], 0, 2, [(1, 1.3)]),
        ([(0, 1), (2, 3), (5, 6)], 0, 2.5, [(1, 2)]),  # spans after the last word ignored
        ([], 0, 5, []),
    ],
)
def test_pauses_are_gaps_between_speech_spans(spans, start, end, expected):
    found = find_pauses([Span(a, b) for a, b in spans], start, end, 0.25)
    assert [(p.start_s, p.end_s) for p in found] == [tuple(map(pytest.approx, e)) for e in expected]


def test_speech_time_is_clipped_to_the_window():
    assert speech_time_s([Span(0, 2), Span(3, 6)], 1, 5) == pytest.approx(3.0)


def test_onset_is_the_vad_span_holding_the_first_word():
    ws = words(("and", 0.0, 0.74), ("so", 0.74, 1.0))
    assert onset_s(ws, [Span(0.29, 2.27)]) == pytest.approx(0.29)
    assert onset_s(ws, []) == 0.0


def test_rates_over_speaking_span_and_speech_time():
    spans = [Span(1.0, 5.0), Span(6.5, 10.5)]  # 8 s of speech, one 1.5 s pause
    m = analyze(TEN_WORDS, spans, 14.0, Norms(), question_gap_s=0.5)
    assert m.word_count == 10
    assert m.speaking_s == pytest.approx(9.5)
    assert m.wpm == pytest.approx(10 / 9.5 * 60)
    assert m.articulation_wpm == pytest.approx(10 / 8 * 60)
    assert m.latency_s == pytest.approx(1.5)
    assert m.longest_pause_s == pytest.approx(1.5)
    assert len(m.long_pauses) == 1


def test_latency_unknown_without_question_gap():
    assert analyze(TEN_WORDS, [], 12.0, Norms(), question_gap_s=None).latency_s is None


@pytest.mark.parametrize("ws", [[], words(("hi", 2.0, 2.0))])
def test_empty_and_degenerate_answers_stay_finite(ws):
    m = analyze(ws, [], 3.0, Norms())
    for value in (m.wpm, m.articulation_wpm, m.fillers_per_min):
        assert value is None or math.isfinite(value)
    assert m.longest_pause_s == 0.0
    d = m.to_dict()
    assert d["fillers"]["count"] == 0 and d["pauses"]["count"] == 0


def test_record_fields():
    d = analyze(words(("um", 1, 1.4), ("yes", 1.5, 2)), [Span(1, 2)], 3.0, Norms()).to_dict()
    assert d["fillers"]["items"] == [
        {
            "word": "um",
            "start_s": 1,
            "end_s": 1.4,
            "kind": "non-lexical",
            "confidence": 1.0,
            "source": "transcript",
            "score": None,
        }
    ]
    assert d["fillers"]["by_kind"] == {"non-lexical": 1, "discourse": 0, "repetition": 0}
    assert set(d) >= {"wpm", "articulation_wpm", "latency_s", "fillers", "pauses", "speaking_s"}
