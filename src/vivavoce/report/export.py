"""A stored session as JSON, CSV or Markdown. Pure: the session document in, text out."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from vivavoce.answer import Answer, Session
from vivavoce.jsonrecord import CSV_COLUMNS, flat, to_record
from vivavoce.report.present import clock, headlines, label, mark


def to_json(session: Session) -> str:
    """The session's fields, and each answer as its record (docs/record.md)."""
    data = {k: v for k, v in asdict(session).items() if k not in ("folder", "answers")}
    data["answers"] = [to_record(a) for a in session.answers]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_csv(session: Session) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["session", "answer", *CSV_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for a in session.answers:
        writer.writerow({"session": session.id, "answer": label(a)} | flat(a))
    return out.getvalue()


def md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>|" else c for c in text)


def answer_markdown(a: Answer) -> list[str]:
    q = a.question
    lines = [f"## {md_escape(label(a))}: {md_escape(q.text if q else '')}", ""]
    if q is not None and q.parent_text:
        lines += [f"Follow-up to: {md_escape(q.parent_text)}", ""]
    if a.error:
        return lines + [f"Not scored: {md_escape(a.error)}", ""]
    rows = headlines(a)
    lines += [
        f"> {md_escape(a.transcript)}",
        "",
        "| " + " | ".join(h.name for h in rows) + " |",
        "|" + "---|" * len(rows),
        "| " + " | ".join(md_escape(h.value) for h in rows) + " |",
        "| "
        + " | ".join(md_escape(h.band) + (f" ({mark(h.in_band)})" if mark(h.in_band) else "") for h in rows)
        + " |",
        "",
    ]
    lines += [f"- {'Covered' if t.covered else 'Missed'}: {md_escape(t.text)}" for t in a.coverage]
    for p in a.feedback:
        at = f" ({clock(p.at_s)})" if p.at_s is not None else ""
        lines.append(f"- {'Strength' if p.kind == 'strength' else 'Work on'}: {md_escape(p.text)}{at}")
    return lines + [""]


def to_markdown(session: Session) -> str:
    lines = [
        f"# Practice session {md_escape(session.id)}",
        "",
        f"Pack: {md_escape(session.pack_title or '')}. Model: {md_escape(session.model or '')}. "
        f"Started {session.started_at}.",
        "",
    ]
    for a in session.answers:
        lines += answer_markdown(a)
    return "\n".join(lines)


RENDERERS = {"json": to_json, "csv": to_csv, "md": to_markdown}
