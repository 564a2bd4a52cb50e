"""Stored sessions for the terminal: review, lists, progress. Pure: documents in, renderables out."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from vivavoce.analysis.fillers import SURE_CONFIDENCE
from vivavoce.answer import Answer, Session
from vivavoce.formatting import short
from vivavoce.report.present import band, clock, duration, filler_legend, headlines, label, mark, number, word_marks

STYLES = {"non-lexical": "bold yellow", "discourse": "underline cyan", "repetition": "dim", "hedge": "italic blue"}


def marked_transcript(answer: Answer) -> Text:
    """Words with fillers and hedges highlighted, detected fillers inserted as [um] or
    [um?], and long pauses (by the answer's norms) inline as [2.4 s] where they fall."""
    m = answer.metrics
    if m is None or not answer.words:
        return Text("(no words)", "dim")
    tokens: list[tuple[float, int, Text]] = [
        (w.start_s, 0, Text(w.word, " ".join(STYLES[k] for k in kinds)))
        for w, kinds in zip(answer.words, word_marks(answer), strict=True)
    ]
    tokens += [
        (f.start_s, 1, Text(f"[{f.word}{'' if f.confidence >= SURE_CONFIDENCE else '?'}]", "bold yellow"))
        for f in m.fillers
        if f.source == "detector"
    ]
    tokens += [(p.start_s, 2, Text(f"[{duration(p.duration_s)}]", "bold magenta")) for p in m.long_pauses]
    text = Text()
    for _, _, token in sorted(tokens, key=lambda t: (t[0], t[1])):
        text.append_text(token)
        text.append(" ")
    return text


def headline_line(answer: Answer) -> Text:
    text = Text()
    for h in headlines(answer):
        text.append(f"{h.name} {h.value} ", "" if h.in_band is None else "green" if h.in_band else "yellow")
        text.append(f"[{h.band}{'; ' + mark(h.in_band) if mark(h.in_band) else ''}]  ", "dim")
    return text


def answer_review(answer: Answer) -> Group:
    q = answer.question
    title = Text.assemble((label(answer), "bold"), "  ", (q.text if q else "", "bold"))
    parts = [title]
    if q is not None and q.parent_text:
        parts.append(Text(f"Follow-up to: {q.parent_text}", "dim"))
    if answer.error:
        return Group(*parts, Text(f"Not scored: {answer.error}", "yellow"), Text(""))
    points = Text()
    for p in answer.feedback:
        at = f" [{clock(p.at_s)}]" if p.at_s is not None else ""
        points.append("+ " if p.kind == "strength" else "> ", "green" if p.kind == "strength" else "yellow")
        points.append(p.text + at + "\n")
    coverage = Text()
    for t in answer.coverage:
        coverage.append(("covered: " if t.covered else "missed: ") + t.text + "\n", "green" if t.covered else "yellow")
    return Group(*parts, marked_transcript(answer), headline_line(answer), coverage, points)


def legend(session: Session) -> str:
    long_s = session.answers[0].norms.long_pause_s if session.answers else None
    return (
        f"um/uh in yellow ({filler_legend()}); discourse markers "
        f"underlined; hedges in italics; [2.4 s]: a pause of {duration(long_s)} or more"
    )


def session_review(session: Session, only: int | None = None) -> Group:
    head = Text(f"{session.id}  {session.pack_title or session.pack_id or ''}  model: {session.model}", "bold")
    parts: list[Text | Group] = [head, Text(legend(session), "dim"), Text("")]
    for n, answer in enumerate(session.answers, start=1):
        if only is None or n == only:
            parts.append(answer_review(answer))
    return Group(*parts)


# -- many sessions ---------------------------------------------------------------------------


def scored(session: Session) -> list[Answer]:
    return [a for a in session.answers if a.metrics is not None and a.metrics.word_count]


def mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def session_row(session: Session) -> dict[str, float | None]:
    """A session's headline numbers: means over its scored answers, the longest pause its maximum."""
    answers = [a.metrics for a in scored(session) if a.metrics is not None]
    return {
        "wpm": mean([m.wpm for m in answers]),
        "fillers_per_min": mean([m.fillers_per_min for m in answers]),
        "longest_pause_s": max((m.longest_pause_s for m in answers), default=None),
        "latency_s": mean([m.latency_s for m in answers]),
        "speaking_s": mean([m.speaking_s for m in answers]),
    }


def pace_header(sessions: list[Session]) -> str:
    answers = [a for s in sessions for a in s.answers]
    return f"WPM ({band(*answers[-1].norms.pace_wpm, 'wpm')})" if answers else "WPM"


def sessions_table(sessions: list[Session]) -> Table:
    table = Table(title="Practice sessions")
    for column in ("#", "Session", "Pack", "Answers", pace_header(sessions), "Um/min", "Max pause", "Latency"):
        table.add_column(column, no_wrap=column in ("Session", "Max pause"))
    for n, s in enumerate(sessions, start=1):
        r = session_row(s)
        table.add_row(
            str(n),
            s.id + (" (interrupted)" if s.interrupted else ""),
            s.pack_id or "-",
            str(len(s.answers)),
            number(r["wpm"]),
            number(r["fillers_per_min"], 1),
            duration(r["longest_pause_s"]),
            duration(r["latency_s"]),
        )
    return table


HEADLINES = [
    ("wpm", "WPM", lambda v: number(v)),
    ("fillers_per_min", "Um/uh per min", lambda v: number(v, 1)),
    ("longest_pause_s", "Longest pause", duration),
    ("latency_s", "Latency", duration),
    ("speaking_s", "Answer length", duration),
]
BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    scale = (high - low) or 1.0
    return "".join(" " if v is None else BARS[int((v - low) / scale * (len(BARS) - 1))] for v in values)


def progress_view(sessions: list[Session], first_n: int = 2) -> Group:
    rows = [session_row(s) for s in sessions]
    first_n = max(1, min(first_n, len(rows) - 1))  # the latest session is never its own baseline
    table = Table(title=f"Progress over {len(rows)} session(s): your first {first_n} vs your latest")
    for column in ("Metric", "First sessions", "Latest", "Change", "Trend (oldest to newest)"):
        table.add_column(column)
    for key, name, show in HEADLINES:
        values = [r[key] for r in rows]
        first = [v for v in values[:first_n] if v is not None]
        baseline = sum(first) / len(first) if first else None
        latest = values[-1] if values else None
        change = "-" if baseline is None or latest is None else f"{latest - baseline:+.1f}"
        table.add_row(
            name if key != "wpm" else pace_header(sessions), show(baseline), show(latest), change, sparkline(values)
        )
    return Group(table, Text(""), attempts_table(sessions))


def attempts_table(sessions: list[Session]) -> Table:
    table = Table(title="Every attempt, per question")
    for column in ("Question", "Session", "Try", "WPM", "Um/uh", "Max pause", "Latency", "Length"):
        table.add_column(
            column,
            overflow="fold",
            no_wrap=column in ("Session", "Max pause"),
            min_width=22 if column == "Question" else None,
        )
    attempts = sorted(
        ((a, s) for s in sessions for a in scored(s) if a.question),
        key=lambda pair: pair[0].question.id if pair[0].question else "",
    )
    previous = None
    for a, s in attempts:
        m, q = a.metrics, a.question
        assert m is not None and q is not None
        table.add_row(
            short(q.text, 48) if q.id != previous else "",
            s.id,
            str(a.attempt),
            number(m.wpm),
            str(m.filler_count),
            duration(m.longest_pause_s),
            duration(m.latency_s),
            duration(m.speaking_s),
        )
        previous = q.id
    return table
