"""Exact tests of pace, pause location, structure and language on hand-built answers,
property tests of their invariants."""

import math
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vivavoce.analysis import analyze
from vivavoce.analysis.language import language
from vivavoce.analysis.norms import Norms
from vivavoce.analysis.pace import PaceWindow, flags, variation, windows
from vivavoce.analysis.pauses import find_pauses
from vivavoce.analysis.structure import label, structure
from vivavoce.feedback import feedback
from vivavoce.transcript import Span, Word


def spoken(text: str, word_s: float = 0.3, gap_s: float = 0.1, start_s: float = 0.0) -> list[Word]:
    words, t = [], start_s
    for token in text.split():
        words.append(Word(token, t, t + word_s))
        t += word_s + gap_s
    return words


# -- pace ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n_words, span_s, expected_wpm",
    [(20, 10.0, [120.0]), (50, 25.0, [120.0, 120.0, 120.0]), (10, 14.0, [60 / 14 * 10])],
)
def test_even_speech_gives_even_windows(n_words, span_s, expected_wpm):
    step = span_s / n_words
    ws = [Word("w", i * step, i * step + step * 0.8) for i in range(n_words)]
    got = windows(ws, 0.0, span_s)
    assert [round(w.wpm, 3) for w in got] == [round(x, 3) for x in expected_wpm]


def test_variation_and_flags():
    ws = [PaceWindow(0, 10, 120), PaceWindow(10, 20, 200), PaceWindow(20, 30, 190), PaceWindow(30, 40, 90)]
    assert variation(ws) == pytest.approx(math.sqrt(sum((r - 150) ** 2 for r in (120, 200, 190, 90)) / 4) / 150)
    got = flags(ws, (110, 170))
    assert [(f.start_s, f.end_s, f.kind, round(f.wpm)) for f in got] == [(10, 30, "fast", 195), (30, 40, "slow", 90)]
    assert variation(ws[:1]) is None


# -- pauses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("We shipped. Then we", [(0, 0.7), (2.5, 4)], [("between-sentences", "shipped.", 1.8)]),
        ("We shipped the product", [(0, 0.7), (2.5, 4)], [("mid-sentence", "shipped", 1.8)]),
        ("We shipped the product", [(0, 0.7), (0.8, 4)], []),  # 0.1 s is no pause
    ],
)
def test_pause_location(text, spans, expected):
    ws = spoken(text, word_s=0.3, gap_s=0.1)
    ws = [ws[0], Word(ws[1].word, 0.4, 0.7)] + [
        Word(w.word, 2.5 + i * 0.4, 2.8 + i * 0.4) for i, w in enumerate(ws[2:])
    ]
    found = find_pauses([Span(a, b) for a, b in spans], 0, 4, 0.25, ws)
    assert [(p.location, p.word_before, round(p.duration_s, 3)) for p in found] == expected


# -- structure -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, part",
    [
        ("When I was at my last company, the team was struggling.", "situation"),
        ("My role was to fix the release process.", "task"),
        ("So I met every engineer and proposed a new plan.", "action"),
        ("As a result we cut release time by 40 percent.", "result"),
        ("It was a Tuesday.", None),
    ],
)
def test_sentence_labels(sentence, part):
    assert label(sentence) == part


def test_star_split_carries_labels_forward_and_flags_missing_result():
    ws = spoken(
        "When I was at Acme the team was late. My role was to fix it. So I met everyone. "
        "I talked to each lead. It took weeks."
    )
    st_ = structure(ws)
    assert [s.part for s in st_.sentences] == ["situation", "task", "action", "action", "action"]
    assert st_.result_flag == "missing" and st_.seconds["result"] == 0
    assert sum(st_.seconds.values()) == pytest.approx(sum(s.end_s - s.start_s for s in st_.sentences))


def test_thin_result():
    ws = spoken(
        "When I was at Acme the team was late. " * 3
        + "So I met everyone and proposed a plan. " * 4
        + "As a result we won."
    )
    assert structure(ws).result_flag == "thin"


# -- language ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, hedges, ownership, quantified",
    [
        ("I think we maybe won", ["i think", "maybe"], {"i": 1, "we": 1, "they": 0, "you": 0}, []),
        (
            "We cut costs by 30 percent in three weeks",
            [],
            {"i": 0, "we": 1, "they": 0, "you": 0},
            ["30 percent", "three weeks"],
        ),
        (
            "I saved $2m and our team grew to 12 people",
            [],
            {"i": 1, "we": 1, "they": 0, "you": 0},
            ["$2m", "12 people"],
        ),
        ("In 2019 they probably left", ["probably"], {"i": 0, "we": 0, "they": 1, "you": 0}, []),
        ("", [], {"i": 0, "we": 0, "they": 0, "you": 0}, []),
    ],
)
def test_language(text, hedges, ownership, quantified):
    lg = language(spoken(text))
    assert [h.text for h in lg.hedges] == hedges
    assert lg.ownership == ownership
    assert [q.text for q in lg.quantified] == quantified


def test_repeated_words():
    lg = language(spoken("customer " * 5 + "team " * 3 + "and " * 6))
    assert lg.repeated == (("customer", 5),)


# -- feedback ---------------------------------------------------------------------------


def test_feedback_names_the_moment_of_a_mid_sentence_pause():
    ws = spoken("we built the " * 20, word_s=0.3, gap_s=0.1)
    ws = ws[:30] + [Word(w.word, w.start_s + 3.0, w.end_s + 3.0) for w in ws[30:]]
    spans = [Span(0, ws[29].end_s), Span(ws[30].start_s, ws[-1].end_s)]
    points = feedback(analyze(ws, spans, 40.0, Norms()), (60, 120), Norms())
    assert len(points) <= 3
    pause = [p for p in points if "middle of a sentence" in p.text]
    assert pause and pause[0].at_s == pytest.approx(ws[29].end_s)
    assert "after 'the'" in pause[0].text


def test_feedback_on_we_without_i():
    ws = spoken("we decided and we built it and we shipped it. " * 8)
    text = " ".join(p.text for p in feedback(analyze(ws, [], 40.0, Norms()), (60, 120), Norms()))
    assert "You said 'we' 24 times and 'I' 0" in text


# -- invariants ------------------------------------------------------------------------------

timed_words = st.lists(
    st.tuples(st.floats(0, 5), st.floats(0.01, 2), st.sampled_from(["we", "um", "I.", "like", "so", "30", "percent"])),
    max_size=60,
).map(lambda items: _timeline(items))


def _timeline(items):
    t, words = 0.0, []
    for gap, length, token in items:
        t += gap
        words.append(Word(token, t, t + length))
        t += length
    return words


spans_strategy = st.lists(st.tuples(st.floats(0, 300), st.floats(0.05, 10)), max_size=30).map(
    lambda xs: _merge([Span(a, a + d) for a, d in sorted(xs)])
)


def _merge(spans):
    out = []
    for s in spans:
        if out and s.start_s <= out[-1].end_s:
            out[-1] = Span(out[-1].start_s, max(out[-1].end_s, s.end_s))
        else:
            out.append(s)
    return out


@settings(max_examples=200, deadline=None)
@given(timed_words, spans_strategy)
def test_invariants(words, spans):
    answer_s = max([w.end_s for w in words] + [s.end_s for s in spans] + [1.0])
    m = analyze(words, spans, answer_s, Norms())
    for a, b in pairwise(m.pauses):
        assert a.end_s <= b.start_s  # pauses never overlap
    assert all(p.duration_s >= Norms.min_pause_s for p in m.pauses)
    assert 0 <= m.speaking_s <= answer_s + 1e-9
    if m.silence_share is not None:
        assert 0 <= m.silence_share <= 1
    for value in (m.wpm, m.articulation_wpm, m.fillers_per_min, m.pace_variation):
        assert value is None or math.isfinite(value)
    if m.structure:
        assert m.structure.total_s <= words[-1].end_s - words[0].start_s + 1e-6
    assert len(feedback(m, (60, 120), Norms())) <= 3
    m.to_dict()


@pytest.mark.parametrize("words", [[], [Word("Hello.", 1.0, 1.4)], [Word("um", 0.5, 0.9)]])
def test_empty_one_word_and_filler_only_answers(words):
    m = analyze(words, [Span(0.5, 1.4)] if words else [], 3.0, Norms())
    d = m.to_dict()
    assert d["word_count"] == len([w for w in words if w.word != "um"])
    assert len(feedback(m, (60, 120), Norms())) >= 1


def test_ten_minute_answer():
    ws = spoken("I led the team. " * 600, word_s=0.3, gap_s=0.05)  # ~ 2400 words, ~14 min
    spans = [Span(0, ws[-1].end_s)]
    m = analyze(ws, spans, ws[-1].end_s + 1, Norms())
    assert len(m.pace_windows) == pytest.approx(ws[-1].end_s / 10, abs=1)
    assert 150 < m.wpm < 200
    assert any("ran" in p.text for p in feedback(m, (60, 120), Norms()))
