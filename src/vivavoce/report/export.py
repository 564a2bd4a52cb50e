"""A stored session as JSON, CSV or Markdown. Pure: the session document in, text out."""

from __future__ import annotations

import csv
import io
import json

from vivavoce.feedback import clock

CSV_COLUMNS = ["session", "answer", "question_id", "question", "attempt", "duration_s", "speaking_s", "wpm",
               "articulation_wpm", "latency_s", "fillers", "fillers_per_min", "long_pauses", "longest_pause_s",
               "audio", "error", "transcript"]  # fmt: skip


def to_json(doc: dict) -> str:
    return json.dumps({k: v for k, v in doc.items() if k != "folder"}, indent=2, ensure_ascii=False) + "\n"


def csv_row(doc: dict, n: int, a: dict) -> dict:
    m = a.get("metrics") or {}
    fillers, pauses = m.get("fillers") or {}, m.get("pauses") or {}
    return {
        "session": doc["id"], "answer": n, "question_id": a["question"]["id"], "question": a["question"]["text"],
        "attempt": a["attempt"], "duration_s": a.get("duration_s"), "speaking_s": m.get("speaking_s"),
        "wpm": m.get("wpm"), "articulation_wpm": m.get("articulation_wpm"), "latency_s": m.get("latency_s"),
        "fillers": fillers.get("count"), "fillers_per_min": fillers.get("per_min"),
        "long_pauses": pauses.get("long_count"), "longest_pause_s": pauses.get("longest_s"),
        "audio": a.get("audio"), "error": a.get("error"), "transcript": (a.get("transcript") or {}).get("text"),
    }  # fmt: skip


def to_csv(doc: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_row(doc, n, a) for n, a in enumerate(doc["answers"], start=1))
    return out.getvalue()


def md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>|" else c for c in text)


def to_markdown(doc: dict) -> str:
    lines = [f"# Practice session {md_escape(doc['id'])}", "",
             f"Pack: {md_escape(doc['pack'].get('title') or '')}. Model: {md_escape(doc['model'] or '')}. "
             f"Started {doc['started_at']}.", ""]  # fmt: skip
    for n, a in enumerate(doc["answers"], start=1):
        lines += [f"## {n}. {md_escape(a['question']['text'])}" + (f" (try {a['attempt']})" if a["attempt"] > 1 else ""), ""]
        if a.get("error"):
            lines += [f"Not scored: {md_escape(a['error'])}", ""]
            continue
        row = csv_row(doc, n, a)
        lines += [f"> {md_escape(row['transcript'] or '')}", "",
                  "| wpm | um/uh | long pauses | longest pause | latency | length |", "|---|---|---|---|---|---|",
                  f"| {_n(row['wpm'])} | {_n(row['fillers'])} | {_n(row['long_pauses'])} | {_n(row['longest_pause_s'], 1)} s "
                  f"| {_n(row['latency_s'], 1)} s | {_n(row['speaking_s'])} s |", ""]  # fmt: skip
        for p in a.get("feedback") or []:
            at = f" ({clock(p['at_s'])})" if p.get("at_s") is not None else ""
            lines.append(f"- {'Strength' if p['kind'] == 'strength' else 'Work on'}: {md_escape(p['text'])}{at}")
        lines.append("")
    return "\n".join(lines)


def _n(value, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


RENDERERS = {"json": to_json, "csv": to_csv, "md": to_markdown}
