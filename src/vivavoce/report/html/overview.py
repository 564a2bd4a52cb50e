"""The first screen of a session report: one row per question (the try kept, how many tries,
its headline numbers against the bands in effect), the session's three most useful
feedback points, and each retried question's first try against its last. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vivavoce.answer import Answer, Session
from vivavoce.formatting import short
from vivavoce.report.html.page import esc, in_band_mark
from vivavoce.report.present import clock, duration, headlines, label, number

OVERVIEW_CSS = """
.overview { margin: .6rem 0 0; }
.overview .summary-row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5rem;
  margin-top: .6rem; }
.overview h2 { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .05em;
  margin: 0 0 .3rem; }
.overview table.data td, .overview table.data th { padding: .2rem .4rem; font-size: .8rem; }
.overview table.data td { white-space: nowrap; }
.overview td.q { max-width: 17rem; overflow: hidden; text-overflow: ellipsis; }
.overview td.q span { color: var(--muted); }
.overview th small { display: block; text-transform: none; letter-spacing: 0; font-weight: 400; max-width: 9rem; }
.top-points { margin: 0 0 .75rem; padding-left: 1.2rem; font-size: .88rem; }
.top-points li { margin: .2rem 0; }
.retries { font-size: .85rem; margin: 0; padding-left: 1.2rem; }
.retries ul { padding-left: 1.2rem; }
.better { color: var(--good); } .worse { color: var(--bad); }
@media (max-width: 60rem) { .overview .summary-row { grid-template-columns: 1fr; } }
@media print { .overview td.q { white-space: normal; } }
"""

COLUMNS = ("Pace", "Um/uh", "Long pauses", "Latency", "Length")


@dataclass(frozen=True)
class Question:
    """A question of the session with every try at it, in order (a follow-up is its own question)."""

    tries: tuple[tuple[int, Answer], ...]  # (index in the session, answer)

    @property
    def kept(self) -> tuple[int, Answer]:
        return self.tries[-1]  # the last try is the one the candidate moved on from


def questions(session: Session) -> list[Question]:
    groups: dict[tuple[int, bool], list[tuple[int, Answer]]] = {}
    for i, a in enumerate(session.answers):
        groups.setdefault((a.number, a.is_follow_up), []).append((i, a))
    return [Question(tuple(tries)) for tries in groups.values()]


def header_row(session: Session) -> str:
    scored = [a for a in session.answers if a.metrics is not None]
    bands = {h.name: h.band for h in headlines(scored[0])} if scored else {}
    cells = "".join(
        f'<th scope="col">{esc(name)}<small>{esc(bands.get(name, "")) if name != "Length" else "target"}</small></th>'
        for name in COLUMNS
    )
    return f'<tr><th scope="col">Question</th><th scope="col">Kept</th>{cells}</tr>'


def metric_cells(answer: Answer) -> str:
    if answer.error:
        return f'<td colspan="{len(COLUMNS)}" class="out">{esc(short(answer.error, 60))}</td>'
    return "".join(
        f'<td class="{"" if h.in_band is None else "in" if h.in_band else "out"}" title="{esc(h.band)}">'
        f"{esc(h.value)}{in_band_mark(h.in_band)}</td>"
        for h in headlines(answer)
    )


def question_row(q: Question) -> str:
    index, kept = q.kept
    name = label(kept).split(",")[0]
    text = kept.question.text if kept.question else "(question unknown)"
    tries = len(q.tries)
    kept_text = f"try {kept.attempt} of {tries}" if tries > 1 else "1 try"
    return (
        f'<tr><td class="q" title="{esc(text)}"><a href="#answer-{index + 1}">{esc(name)}</a> '
        f"<span>{esc(short(text, 70))}</span></td><td>{esc(kept_text)}</td>{metric_cells(kept)}</tr>"
    )


def topic(text: str) -> str:
    """What a point is about, near enough: its opening words with the numbers taken out."""
    return re.sub(r"[\d.,:()%]+", "", text).split("  ")[0][:18]


def top_points(session: Session, n: int = 3) -> list[tuple[int, Answer, str, float | None]]:
    """The session's most useful points: each kept answer's first 'work on', then its second, and so
    on (an answer's points come most important first), one per topic while others are left;
    strengths fill in when there are few."""
    ranked: list[tuple[int, int, Answer, str, float | None]] = []
    for i, a in (q.kept for q in questions(session)):
        work = [p for p in a.feedback if p.kind == "work-on"]
        ranked += [(rank, i, a, p.text, p.at_s) for rank, p in enumerate(work)]
        ranked += [(100 + rank, i, a, p.text, p.at_s) for rank, p in enumerate(a.feedback) if p.kind != "work-on"]
    ranked.sort(key=lambda r: (r[0], r[1]))
    topics: set[str] = set()
    first = []
    for r in ranked:
        if topic(r[3]) not in topics:
            topics.add(topic(r[3]))
            first.append(r)
    chosen = (first + [r for r in ranked if r not in first])[:n]
    return [(i, a, text, at) for _, i, a, text, at in chosen]


def points_html(session: Session) -> str:
    items = []
    for i, a, text, at in top_points(session):
        where = f"{label(a)}" + (f" at {clock(at)}" if at is not None else "")
        start = f' data-start="{at:.3f}"' if at is not None else ""
        items.append(
            f'<li><a href="#answer-{i + 1}" class="jump" data-answer="{i + 1}"{start}>{esc(where)}</a>: '
            f"{esc(text)}</li>"
        )
    body = "".join(items) or "<li>No feedback: no answer was scored.</li>"
    return f'<h2 id="top-points">Three things to work on</h2><ol class="top-points">{body}</ol>'


def distance(value: float, low: float, high: float) -> float:
    return max(low - value, value - high, 0.0)


def change_cell(name: str, first: float | None, last: float | None, band: tuple[float, float], show) -> str:
    """'Pace: 172 wpm -> 148 wpm (closer to the band)', judged on the numbers as shown."""
    if first is None or last is None:
        return ""
    if show(first) == show(last):
        return f"<li>{esc(name)}: {esc(show(last))} both times</li>"
    before, after = distance(first, *band), distance(last, *band)
    verdict = "better" if after < before else "worse" if after > before else ""
    said = {"better": "closer to the band", "worse": "further from the band"}.get(verdict, "both in the band")
    return f'<li>{esc(name)}: {esc(show(first))} → {esc(show(last))} <span class="{verdict}">({said})</span></li>'


def retry_html(q: Question) -> str:
    (_, first), (index, last) = q.tries[0], q.tries[-1]
    if first.metrics is None or last.metrics is None:
        return ""
    m1, m2, n = first.metrics, last.metrics, last.norms
    rows = [
        change_cell("Pace", m1.wpm, m2.wpm, n.pace_wpm, lambda v: f"{number(v)} wpm"),
        change_cell(
            "Um/uh a minute", m1.fillers_per_min, m2.fillers_per_min, (0, n.fillers_ok_per_min), lambda v: number(v, 1)
        ),
        change_cell("Longest pause", m1.longest_pause_s, m2.longest_pause_s, (0, n.long_pause_s), duration),
        change_cell("Length", m1.speaking_s, m2.speaking_s, last.target_s, duration),
    ]
    name = label(last).split(",")[0]
    return (
        f'<li><a href="#answer-{index + 1}">{esc(name)}</a>, try {first.attempt} vs try {last.attempt}'
        f"<ul>{''.join(rows)}</ul></li>"
    )


def retries_html(session: Session) -> str:
    items = "".join(retry_html(q) for q in questions(session) if len(q.tries) > 1)
    if not items:
        return '<h2>Retries</h2><p class="muted small">No question was tried twice.</p>'
    return f'<h2>Retries: first try vs last</h2><ul class="retries">{items}</ul>'


def overview_html(session: Session) -> str:
    rows = "".join(question_row(q) for q in questions(session))
    table = (
        f'<table class="data"><caption class="sr-only">Each question: the try kept and its numbers against '
        f"the bands in effect</caption><thead>{header_row(session)}</thead><tbody>{rows}</tbody></table>"
    )
    return (
        f'<section class="overview" aria-label="Session overview"><h2>Overview</h2>{table}'
        f'<div class="summary-row"><div>{points_html(session)}</div><div>{retries_html(session)}</div></div>'
        "</section>"
    )
