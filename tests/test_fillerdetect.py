"""The filler detector on real speech: it finds fillers the clips are known to contain, at
the right times, and none in clean read speech. Plus its pure parts."""

import csv

import pytest

from vivavoce.audio import read_audio
from vivavoce.fillerdetect import THRESHOLD, confidence, detect_fillers, make_windows, place, skip_boundary
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


# Detector scores (the summed filler-token probability; THRESHOLD = 0.14), measured under every
# CTranslate2 backend this AMD EPYC offers (CT2_FORCE_CPU_ISA GENERIC/AVX/AVX2/AVX512 x CT2_USE_MKL 0/1):
#   mfa_cold_corpus      3 of its 6 fillers (at 1.2, 3.7, 7.3 s) score 0.197-0.446 (the weakest 1.4x the
#                        threshold); a 4th 0.105-0.143 (on the edge: not asserted); the other two <= 0.055;
#                        every other boundary <= 0.020
#   mfa_acoustic_corpus  the "um" at 22.9 s scores 0.138-0.217 (on the edge), the one at 8.0 s 0.057-0.070;
#                        two other boundaries 0.095-0.188, every other one <= 0.031
#   fw_jfk               every boundary <= 0.013
# So the tests assert only what clears its threshold by a margin; exact recall and precision on the
# whole corpus are scripts/eval_fillers' job.


@pytest.mark.model
def test_finds_known_fillers_at_their_times(data_dir, transcriber):
    samples = read_audio(data_dir / "mfa_cold_corpus.wav")
    found = transcriber.detect_fillers(samples, transcriber.transcribe(samples).words)
    reference = reference_fillers(data_dir / "mfa_cold_corpus.fillers.tsv")
    assert len(near(found, reference)) >= 3, (found, reference)  # the 3 that score >= 0.197
    assert all(f.source == "detector" and f.kind == "non-lexical" and 0 < f.confidence <= 1 for f in found)
    assert [f for f in found if not near([f], reference)] == []  # others score <= 0.020, 7x below


@pytest.mark.model
def test_a_filler_on_the_threshold_scores_far_above_fluent_boundaries(data_dir, transcriber):
    """The acoustic clip's "um" at 22.9 s scores about the threshold, so at half the threshold: found
    (0.138 at least, 2x), with at most two detections elsewhere (the third-highest scores <= 0.031)."""
    samples = read_audio(data_dir / "mfa_acoustic_corpus.wav")
    words = transcriber.transcribe(samples).words
    found = detect_fillers(samples, words, transcriber._model, threshold=THRESHOLD / 2)
    reference = reference_fillers(data_dir / "mfa_acoustic_corpus.fillers.tsv")
    assert near(found, [r for r in reference if r[0] > 20]), (found, reference)
    assert len([f for f in found if not near([f], reference)]) <= 2, found


@pytest.mark.model
def test_no_fillers_in_clean_read_speech(data_dir, transcriber):
    samples = read_audio(data_dir / "fw_jfk.wav")
    assert transcriber.detect_fillers(samples, transcriber.transcribe(samples).words) == []  # all <= 0.013


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
