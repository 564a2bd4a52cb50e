"""The JSON record of one answer: the serialisation of ``Answer`` that `viva score`
writes, the store keeps and evaluation scripts read.

Documented field by field in docs/record.md; fields are only ever added. Every record
has every field; an answer that was not scored has ``error`` set and nulls (or empty
lists) where metrics would be. ``from_record`` reads back exactly what ``to_record``
wrote, so a stored answer renders as it was scored.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from vivavoce import __version__
from vivavoce.analysis.fillers import Filler
from vivavoce.analysis.language import Hit, Language
from vivavoce.analysis.metrics import AnswerMetrics, metrics_dict, r
from vivavoce.analysis.norms import Norms
from vivavoce.analysis.pace import PaceFlag, PaceWindow
from vivavoce.analysis.pauses import Pause
from vivavoce.analysis.structure import Sentence, Structure
from vivavoce.answer import Answer, AskedQuestion, Take, TalkingPoint
from vivavoce.feedback import Point
from vivavoce.formatting import band
from vivavoce.transcript import Span, Word

RECORD_VERSION = 1
METRIC_FIELDS = (
    "word_count",
    "speaking_s",
    "wpm",
    "articulation_wpm",
    "fillers",
    "pauses",
    "latency_s",
    "pace",
    "structure",
    "language",
)


# -- Answer -> record -------------------------------------------------------------


def to_record(answer: Answer) -> dict[str, Any]:
    take = answer.take
    record: dict[str, Any] = {"file": take.audio, "duration_s": r(take.duration_s)}
    record |= {"transcript": answer.transcript if answer.metrics else None, "words": [_word(w) for w in answer.words]}
    record |= _metrics_part(answer.metrics)
    record |= {
        "speech_spans": [[r(s.start_s), r(s.end_s)] for s in answer.speech_spans],
        "question": _question_part(answer),
        "feedback": [{"kind": p.kind, "text": p.text, "at_s": r(p.at_s)} for p in answer.feedback],
        "model": answer.model,
        "vivavoce_version": __version__,
        "record_version": RECORD_VERSION,
        "processing_s": r(answer.processing_s),
        "error": answer.error,
        "number": answer.number,
        "attempt": answer.attempt,
        "norms": _norms_part(answer.norms),
    }
    record |= {k: v for k, v in asdict(take).items() if k not in ("audio", "duration_s")}
    return record


def _word(w: Word) -> dict[str, Any]:
    return {"word": w.word, "start_s": r(w.start_s), "end_s": r(w.end_s), "probability": r(w.probability)}


def _metrics_part(m: AnswerMetrics | None) -> dict[str, Any]:
    if m is None:
        return {"word_count": 0} | {k: None for k in METRIC_FIELDS if k != "word_count"}
    d = metrics_dict(m)
    return {k: d[k] for k in METRIC_FIELDS}


def _question_part(answer: Answer) -> dict[str, Any] | None:
    q = answer.question
    if q is None:
        return None
    return {
        "id": q.id,
        "text": q.text,
        "target_s": list(q.target_s),
        "competency": q.competency,
        "kind": q.kind,
        "talking_points": [{"text": t.text, "covered": t.covered} for t in answer.coverage],
        "follow_up_of": q.follow_up_of,
        "parent_text": q.parent_text,
    }


def _norms_part(norms: Norms) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(norms).items()}


def error_record(
    file: str, error: str, duration_s: float | None = None, model: str = "", norms: Norms = Norms()
) -> dict[str, Any]:
    """The record of a file that could not be scored."""
    return to_record(Answer(1, 1, None, Take(file, duration_s), norms, model, error=error))


# -- record -> Answer ---------------------------------------------------------------


def from_record(rec: dict[str, Any]) -> Answer:
    norms = norms_from(rec.get("norms"))
    take_keys = {f.name for f in fields(Take)} - {"audio", "duration_s"}
    take = Take(rec["file"], rec["duration_s"], **{k: rec[k] for k in take_keys if k in rec})
    q = rec.get("question")
    return Answer(
        number=rec.get("number") or 1,
        attempt=rec.get("attempt") or 1,
        question=_question_from(q, norms),
        take=take,
        norms=norms,
        model=rec.get("model") or "",
        words=tuple(Word(**w) for w in rec.get("words") or ()),
        speech_spans=tuple(Span(a, b) for a, b in rec.get("speech_spans") or ()),
        metrics=metrics_from(rec),
        error=rec.get("error"),
        processing_s=rec.get("processing_s"),
        coverage=tuple(TalkingPoint(t["text"], t["covered"]) for t in (q or {}).get("talking_points") or ()),
        feedback=tuple(Point(p["kind"], p["text"], 0.0, p.get("at_s")) for p in rec.get("feedback") or ()),
    )


def norms_from(data: dict[str, Any] | None) -> Norms:
    """The norms a record was judged by; records made before they were kept used the defaults."""
    if not data:
        return Norms()
    known = {f.name for f in fields(Norms)}
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
    return Norms(**values)


def _question_from(q: dict[str, Any] | None, norms: Norms) -> AskedQuestion | None:
    if q is None:
        return None
    target = tuple(q.get("target_s") or norms.answer_target_s)
    return AskedQuestion(
        id=q.get("id") or "",
        text=q["text"],
        target_s=(float(target[0]), float(target[1])),
        competency=q.get("competency") or "",
        kind=q.get("kind") or "",
        talking_points=tuple(t["text"] for t in q.get("talking_points") or ()),
        follow_up_of=q.get("follow_up_of"),
        parent_text=q.get("parent_text"),
    )


def metrics_from(rec: dict[str, Any]) -> AnswerMetrics | None:
    if rec.get("fillers") is None:
        return None
    fillers, pauses, pace = rec["fillers"], rec["pauses"], rec["pace"] or {}
    return AnswerMetrics(
        answer_s=rec["duration_s"] or 0.0,
        speaking_s=rec["speaking_s"] or 0.0,
        word_count=rec["word_count"],
        wpm=rec["wpm"],
        articulation_wpm=rec["articulation_wpm"],
        latency_s=rec["latency_s"],
        fillers=tuple(Filler(**f) for f in fillers["items"]),
        pauses=tuple(Pause(**{k: v for k, v in p.items() if k != "duration_s"}) for p in pauses["items"]),
        long_pause_s=norms_from(rec.get("norms")).long_pause_s,
        silence_share=pauses.get("silence_share"),
        pace_windows=tuple(PaceWindow(**w) for w in pace.get("windows") or ()),
        pace_flags=tuple(PaceFlag(**f) for f in pace.get("flags") or ()),
        pace_variation=pace.get("variation"),
        structure=_structure_from(rec.get("structure")),
        language=_language_from(rec.get("language")),
        fillers_unchecked_s=fillers.get("unchecked_s") or 0.0,
    )


def _structure_from(st: dict[str, Any] | None) -> Structure | None:
    if st is None:
        return None
    return Structure(tuple(Sentence(**s) for s in st["sentences"]), dict(st["seconds"]), st["result_flag"])


def _language_from(lg: dict[str, Any] | None) -> Language:
    if lg is None:
        return Language()
    return Language(
        hedges=tuple(Hit(**h) for h in lg["hedges"]["items"]),
        ownership=dict(lg["ownership"]),
        quantified=tuple(Hit(**h) for h in lg["quantified"]["items"]),
        repeated=tuple((w["word"], w["count"]) for w in lg["repeated_words"]),
        type_token_ratio=lg["type_token_ratio"],
    )


# -- the layout of earlier versions --------------------------------------------------


def record_from_legacy(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer as earlier versions stored it (``transcript``/``metrics`` objects) as a record."""
    t, m = answer.get("transcript") or {}, answer.get("metrics") or {}
    q = answer.get("question") or {}
    rec: dict[str, Any] = {
        "file": answer.get("audio") or "",
        "duration_s": answer.get("duration_s"),
        "words": t.get("words") or [],
        "speech_spans": answer.get("speech_spans") or [],
        "model": t.get("model") or "",
        "error": answer.get("error"),
        "number": answer.get("number"),
        "attempt": answer.get("attempt") or 1,
    }
    rec |= {k: m.get(k) for k in METRIC_FIELDS} if m else _metrics_part(None)
    rec["question"] = (
        q | {"talking_points": q.get("talking_points") or [], "follow_up_of": answer.get("follow_up_of")} if q else None
    )
    rec["feedback"] = answer.get("feedback") or []
    for key in ("recorded_at", "ended_by", "question_gap_s", "input_overflows", "streamed_chunks"):
        rec[key] = answer.get(key)
    rec["transcript_source"] = "streamed" if answer.get("streamed_chunks") else "whole"
    return rec


# -- CSV ------------------------------------------------------------------------------

CSV_COLUMNS = [
    "file",
    "number",
    "attempt",
    "question_id",
    "duration_s",
    "word_count",
    "speaking_s",
    "wpm",
    "articulation_wpm",
    "fillers_count",
    "fillers_uncertain",
    "fillers_per_min",
    "pauses_count",
    "pauses_long_count",
    "pauses_longest_s",
    "latency_s",
    "target_s",
    "pace_band_wpm",
    "long_pause_s",
    "model",
    "error",
    "transcript",
]


def flat(answer: Answer) -> dict[str, Any]:
    """One CSV row of an answer: the headline numbers, as the record states them."""
    rec = to_record(answer)
    row = {k: rec.get(k) for k in CSV_COLUMNS}
    row["question_id"] = answer.question.id if answer.question else None
    row["fillers_uncertain"] = answer.uncertain_fillers if answer.metrics else None
    row["target_s"] = band(*answer.target_s, "s")
    row["pace_band_wpm"] = band(*answer.norms.pace_wpm, "wpm")
    row["long_pause_s"] = answer.norms.long_pause_s
    for group, keys in (("fillers", ("count", "per_min")), ("pauses", ("count", "long_count", "longest_s"))):
        for key in keys:
            row[f"{group}_{key}"] = (rec.get(group) or {}).get(key)
    return row
