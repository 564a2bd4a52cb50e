"""Stored sessions for the terminal: review, lists, progress. Pure: documents in, renderables out."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from vivavoce.analysis.fillers import SURE_CONFIDENCE
from vivavoce.analysis.norms import Norms
from vivavoce.feedback import clock

LONG_PAUSE_S = Norms.long_pause_s
SURE = SURE_CONFIDENCE
STYLES = {"non-lexical": "bold yellow", "discourse": "underline cyan", "repetition": "dim", "hedge": "italic blue"}


def fmt(value, pattern: str = "{}", missing: str = "-") -> str:
    return missing if value is None else pattern.format(value)


def marked_transcript(answer: dict) -> Text:
    """Words with fillers and hedges highlighted, detected fillers inserted as [um] or
    [um?], and long pauses inline as [2.4 s] where they fall."""
    t, m = answer.get("transcript") or {}, answer.get("metrics") or {}
    words = t.get("words") or []
    fillers = (m.get("fillers") or {}).get("items", [])
    hedges = ((m.get("language") or {}).get("hedges") or {}).get("items", [])
    marks = [(f["start_s"], f["end_s"], STYLES[f["kind"]]) for f in fillers if f.get("source") != "detector"]
    marks += [(h["start_s"], h["end_s"], STYLES["hedge"]) for h in hedges]
    tokens = [(w["start_s"], 0, w) for w in words]
    tokens += [(f["start_s"], 1, f) for f in fillers if f.get("source") == "detector"]
    tokens += [(p["start_s"], 2, p) for p in (m.get("pauses") or {}).get("items", [])
               if p["duration_s"] >= LONG_PAUSE_S]  # fmt: skip
    text = Text()
    for _, kind, token in sorted(tokens, key=lambda t: (t[0], t[1])):
        if kind == 0:
            style = next((s for a, b, s in marks if token["start_s"] >= a - 1e-6 and token["end_s"] <= b + 1e-6), "")
            text.append(token["word"], style)
        elif kind == 1:
            text.append(f"[{token['word']}{'' if token.get('confidence', 1) >= SURE else '?'}]", "bold yellow")
        else:
            text.append(f"[{token['duration_s']:.1f} s]", "bold magenta")
        text.append(" ")
    return text if words else Text("(no words)", "dim")


def answer_review(number: int, answer: dict) -> Group:
    q, m = answer["question"], answer.get("metrics") or {}
    title = Text.assemble((f"Answer {number}", "bold"), f" (try {answer['attempt']})" if answer["attempt"] > 1 else "",
                          "  ", (q["text"], "bold"))  # fmt: skip
    if answer.get("error"):
        return Group(title, Text(f"Not scored: {answer['error']}", "yellow"), Text(""))
    fillers, pauses = m.get("fillers") or {}, m.get("pauses") or {}
    by_kind = fillers.get("by_kind") or {}
    line = (f"{fmt(m.get('speaking_s'), '{:.0f} s')} spoken, {fmt(m.get('wpm'), '{:.0f}')} wpm, "
            f"um/uh {fmt(fillers.get('count'))}, discourse markers {fmt(by_kind.get('discourse'))}, "
            f"long pauses {fmt(pauses.get('long_count'))} (longest {fmt(pauses.get('longest_s'), '{:.1f} s')}), "
            f"latency {fmt(m.get('latency_s'), '{:.1f} s')}")  # fmt: skip
    points = Text()
    for p in answer.get("feedback") or []:
        at = f" [{clock(p['at_s'])}]" if p.get("at_s") is not None else ""
        points.append("+ " if p["kind"] == "strength" else "> ", "green" if p["kind"] == "strength" else "yellow")
        points.append(p["text"] + at + "\n")
    return Group(title, marked_transcript(answer), Text(line, "dim"), points)


LEGEND = ("um/uh in yellow ([um?]: uncertain, detected where Whisper wrote nothing); discourse markers "
          "underlined; hedges in italics; [2.4 s]: a pause of 1.5 s or more")  # fmt: skip


def session_review(doc: dict, only: int | None = None) -> Group:
    head = Text(f"{doc['id']}  {doc['pack'].get('title') or doc['pack'].get('id') or ''}  model: {doc['model']}",
                "bold")  # fmt: skip
    parts: list[RenderableType] = [head, Text(LEGEND, "dim"), Text("")]
    for n, answer in enumerate(doc["answers"], start=1):
        if only is None or n == only:
            parts.append(answer_review(n, answer))
    return Group(*parts)


def sessions_table(rows: list[dict]) -> Table:
    table = Table(title="Practice sessions")
    for column in ("#", "Session", "Pack", "Answers", "WPM", "Um/min", "Max pause", "Latency"):
        table.add_column(column, no_wrap=column in ("Session", "Max pause"))
    for n, r in enumerate(rows, start=1):
        table.add_row(str(n), r["id"] + (" (interrupted)" if r["interrupted"] else ""), r["pack_id"] or "-",
                      str(r["answers"]), fmt(r["wpm"], "{:.0f}"), fmt(r["fillers_per_min"], "{:.1f}"),
                      fmt(r["longest_pause_s"], "{:.1f} s"), fmt(r["latency_s"], "{:.1f} s"))  # fmt: skip
    return table


HEADLINES = [("wpm", "WPM", "{:.0f}"), ("fillers_per_min", "Um/uh per min", "{:.1f}"),
             ("longest_pause_s", "Longest pause s", "{:.1f}"), ("latency_s", "Latency s", "{:.1f}"),
             ("speaking_s", "Answer length s", "{:.0f}")]  # fmt: skip
BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    scale = (high - low) or 1.0
    return "".join(" " if v is None else BARS[int((v - low) / scale * (len(BARS) - 1))] for v in values)


def progress_view(rows: list[dict], attempts: list[dict], first_n: int = 2) -> Group:
    first_n = max(1, min(first_n, len(rows) - 1))  # the latest session is never its own baseline
    table = Table(title=f"Progress over {len(rows)} session(s): your first {first_n} vs your latest")
    for column in ("Metric", "First sessions", "Latest", "Change", "Trend (oldest to newest)"):
        table.add_column(column)
    for key, name, pattern in HEADLINES:
        values = [r[key] for r in rows]
        first = [v for v in values[:first_n] if v is not None]
        baseline = sum(first) / len(first) if first else None
        latest = values[-1] if values else None
        change = "-" if baseline is None or latest is None else f"{latest - baseline:+.1f}"
        table.add_row(name, fmt(baseline, pattern), fmt(latest, pattern), change, sparkline(values))
    return Group(table, Text(""), attempts_table(attempts))


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def attempts_table(attempts: list[dict]) -> Table:
    table = Table(title="Every attempt, per question")
    for column in ("Question", "Session", "Try", "WPM", "Um/uh", "Max pause", "Latency", "Length"):
        table.add_column(column, overflow="fold", no_wrap=column in ("Session", "Max pause"),
                         min_width=22 if column == "Question" else None)  # fmt: skip
    previous = None
    for a in attempts:
        label = short(a["text"], 48) if a["question_id"] != previous else ""
        previous = a["question_id"]
        table.add_row(label, a["session_id"], str(a["attempt"]), fmt(a["wpm"], "{:.0f}"), fmt(a["filler_count"]),
                      fmt(a["longest_pause_s"], "{:.1f} s"), fmt(a["latency_s"], "{:.1f} s"),
                      fmt(a["speaking_s"], "{:.0f} s"))  # fmt: skip
    return table
