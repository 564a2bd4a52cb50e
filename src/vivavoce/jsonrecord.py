"""The per-file JSON record of `viva score`: the contract evaluation scripts read.

Documented field by field in docs/record.md. Every record has every field; a
failed file has ``error`` set and nulls (or empty lists) elsewhere.
"""

from __future__ import annotations

from vivavoce import __version__
from vivavoce.analysis.talking_points import coverage
from vivavoce.packs import Question
from vivavoce.scoring import ScoredAnswer

RECORD_VERSION = 1


def question_dict(question: Question | None, transcript_text: str) -> dict | None:
    if question is None:
        return None
    return {
        "text": question.text,
        "target_s": list(question.target_s),
        "talking_points": coverage(transcript_text, question.talking_points),
    }


def answer_record(file: str, scored: ScoredAnswer, question: Question | None = None) -> dict:
    metrics = scored.metrics.to_dict()
    transcript = scored.transcript.to_dict()
    return {
        "file": file,
        "duration_s": transcript["duration_s"],
        "transcript": transcript["text"],
        "words": transcript["words"],
        "word_count": metrics["word_count"],
        "speaking_s": metrics["speaking_s"],
        "wpm": metrics["wpm"],
        "articulation_wpm": metrics["articulation_wpm"],
        "fillers": metrics["fillers"],
        "pauses": metrics["pauses"],
        "latency_s": metrics["latency_s"],
        "pace": metrics["pace"],
        "structure": metrics["structure"],
        "language": metrics["language"],
        "speech_spans": [[round(s.start_s, 3), round(s.end_s, 3)] for s in scored.spans],
        "question": question_dict(question, transcript["text"]),
        "feedback": [{"kind": p.kind, "text": p.text, "at_s": p.at_s} for p in scored.points],
        "model": scored.transcript.model,
        "vivavoce_version": __version__,
        "record_version": RECORD_VERSION,
        "processing_s": None,
        "error": None,
    }


def error_record(file: str, error: str, duration_s: float | None = None, model: str = "") -> dict:
    return {
        "file": file, "duration_s": duration_s, "transcript": None, "words": [], "word_count": 0,
        "speaking_s": None, "wpm": None, "articulation_wpm": None, "fillers": None, "pauses": None,
        "latency_s": None, "pace": None, "structure": None, "language": None, "speech_spans": [], "question": None, "feedback": [], "model": model,
        "vivavoce_version": __version__, "record_version": RECORD_VERSION, "processing_s": None, "error": error,
    }  # fmt: skip


CSV_COLUMNS = [
    "file", "duration_s", "word_count", "speaking_s", "wpm", "articulation_wpm",
    "fillers_count", "fillers_per_min", "pauses_count", "pauses_long_count", "pauses_longest_s",
    "latency_s", "model", "error", "transcript",
]  # fmt: skip


def flat(record: dict) -> dict:
    """One CSV row: nested counts lifted to ``fillers_count`` and the like."""
    row = {k: record.get(k) for k in CSV_COLUMNS}
    for group, keys in (("fillers", ("count", "per_min")), ("pauses", ("count", "long_count", "longest_s"))):
        for key in keys:
            row[f"{group}_{key}"] = (record.get(group) or {}).get(key)
    return row
