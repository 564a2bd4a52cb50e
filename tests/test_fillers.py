"""Table-driven tests of filler rules: discourse markers in context, repetitions, merging."""

import pytest

from vivavoce.analysis.fillers import Filler, find_fillers
from vivavoce.transcript import Word


def spoken(text: str, gap_after: dict[int, float] | None = None) -> list[Word]:
    """Words 0.3 s long, 0.1 s apart (or the gap given after word i)."""
    words, t = [], 0.0
    for i, token in enumerate(text.split()):
        words.append(Word(token, t, t + 0.3))
        t += 0.4 + (gap_after or {}).get(i, 0.0)
    return words


def found(text: str, kind: str) -> list[str]:
    return [f.word for f in find_fillers(spoken(text)) if f.kind == kind]


@pytest.mark.parametrize(
    "text, markers",
    [
        ("Like, we had no plan.", ["like"]),
        ("It was, like, huge.", ["like"]),
        ("and like we shipped it", ["like"]),
        ("I'd like to lead the team.", []),
        ("We would like to grow.", []),
        ("It looks like rain.", []),
        ("I like hard problems.", []),
        ("Something like that.", []),
        ("You know, we had no plan.", ["you know"]),
        ("we were, you know, late", ["you know"]),
        ("Do you know what I did?", []),
        ("you know how it works", []),
        ("I mean, it was hard.", ["i mean"]),
        ("I mean it.", []),
        ("It was kind of hard.", ["kind of"]),
        ("We sort of agreed.", ["sort of"]),
        ("What kind of team?", []),
        ("a different kind of leader", []),
        ("Basically it failed.", ["basically"]),
        ("It actually worked.", ["actually"]),
        ("We literally ran.", ["literally"]),
        ("So, I joined in May.", ["so"]),
        ("It rained. So we stayed.", ["so"]),
        ("I think so too.", []),
        ("so much of it", []),
        ("Well, that went badly.", ["well"]),
        ("It went well.", []),
    ],
)
def test_discourse_markers_in_context(text, markers):
    assert found(text, "discourse") == markers


def test_clause_initial_after_a_pause():
    words = spoken("we waited so we won", gap_after={1: 0.8})
    assert [f.word for f in find_fillers(words) if f.kind == "discourse"] == ["so"]


@pytest.mark.parametrize(
    "text, repeats",
    [
        ("I I think", ["i"]),
        ("we we went", ["we"]),
        ("I think I think we won", ["i think"]),
        ("the the the plan", ["the", "the"]),
        ("I said that that was wrong", []),
        ("It had had an effect", []),
        ("very very good", []),
        ("We won. We won again.", []),
        ("bye bye now", []),
        ("words words words", ["words", "words"]),
    ],
)
def test_repetitions_and_restarts(text, repeats):
    assert found(text, "repetition") == repeats


@pytest.mark.parametrize(
    "text, fillers",
    [
        ("so um I uh think", ["um", "uh"]),
        ("Um, Hmm. erm Uhh", ["um", "hmm", "um", "uh"]),
        ("umbrella human ahead", []),
        ("mm-hmm uh-huh", []),
    ],
)
def test_non_lexical_fillers_by_spelling(text, fillers):
    assert found(text, "non-lexical") == fillers


def test_detected_fillers_merge_without_double_counting():
    words = spoken("we um went there")  # "um" written by Whisper at 0.4-0.7 s
    detected = [
        Filler("um", 0.45, 0.75, confidence=0.9, source="detector"),  # the same one
        Filler("uh", 1.25, 1.55, confidence=0.7, source="detector"),  # a dropped one
    ]
    merged = [f for f in find_fillers(words, detected) if f.kind == "non-lexical"]
    assert [(f.word, f.source) for f in merged] == [("um", "transcript"), ("uh", "detector")]
