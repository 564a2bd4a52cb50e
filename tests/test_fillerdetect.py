"""The filler detector on real speech: it finds fillers the clips are known to contain, at
the right times, and none in clean read speech. Plus its pure parts."""

import csv

import pytest

from vivavoce.audio import read_audio
from vivavoce.fillerdetect import confidence, make_windows, place, skip_boundary
from vivavoce.transcript import Word


def reference_fillers(path):
    with open(path, newline="") as f:
        return [(float(r["start_s"]), float(r["end_s"])) for r in csv.DictReader(f, delimiter="\t")]


def near(found, reference, tolerance_s=0.5):
    """Reference fillers with a detection whose middle is within tolerance_s of them."""
    hits = []
    for start_s, end_s in reference:
        if any(start_s - tolerance_s <= (f.start_s + f.end_s) / 2 <= end_s + tolerance_s for f in found):
            hits.append((start_s, end_s))
    return hits


@pytest.mark.model
@pytest.mark.parametrize("clip, at_least", [("mfa_acoustic_corpus", 1), ("mfa_cold_corpus", 3)])
def test_finds_known_fillers_at_their_times(data_dir, transcriber, clip, at_least):
    samples = read_audio(data_dir / f"{clip}.wav")
    words = transcriber.transcribe(samples).words
    found = transcriber.detect_fillers(samples, words)
    reference = reference_fillers(data_dir / f"{clip}.fillers.tsv")
    assert len(near(found, reference)) >= at_least, (found, reference)
    assert all(f.source == "detector" and f.kind == "non-lexical" and 0 < f.confidence <= 1 for f in found)
    false = [f for f in found if not near([f], reference)]
    assert len(false) <= 1, false


@pytest.mark.model
def test_no_fillers_in_clean_read_speech(data_dir, transcriber):
    samples = read_audio(data_dir / "fw_jfk.wav")
    assert transcriber.detect_fillers(samples, transcriber.transcribe(samples).words) == []


def spoken(*items):
    return [Word(w, a, b) for w, a, b in items]


def test_windows_cover_every_boundary_once():
    words = spoken(*[(f"w{i}", i * 0.4, i * 0.4 + 0.3) for i in range(20)])
    windows = make_windows(words, 9.0)
    bounds = [b for w in windows for b in w.bounds]
    assert bounds == list(range(21))
    assert all(w.end_s - w.start_s <= 5.0 + 1.0 for w in windows)


@pytest.mark.parametrize(
    "b, expected",
    [(1, (0.5, 1.0)), (2, (1.15, 1.45)), (0, (0.0, 0.2)), (3, (1.6, 2.0))],
)
def test_a_filler_is_placed_in_the_pause_or_across_the_junction(b, expected):
    words = spoken(("we", 0.2, 0.5), ("went", 1.0, 1.3), ("home", 1.3, 1.6))
    assert place(words, b) == pytest.approx(expected)


def test_boundaries_beside_a_written_filler_are_skipped():
    words = spoken(("so", 0, 0.2), ("um", 0.3, 0.6), ("yes", 0.7, 0.9))
    assert [skip_boundary(words, b) for b in range(4)] == [False, True, True, False]


def test_confidence_is_the_measured_precision_band():
    assert [confidence(s) for s in (0.9, 0.4, 0.39, 0.15)] == [0.8, 0.8, 0.5, 0.5]
