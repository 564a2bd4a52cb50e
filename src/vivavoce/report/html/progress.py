"""Progress across sessions as one self-contained page: pace, um/uh a minute, longest pause,
latency and answer length over time against their bands, for all sessions, per pack and
per competency; each session a point that links to its report when one sits beside the
page. Pure: the stored sessions in, HTML text out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from vivavoce.analysis.metrics import AnswerMetrics
from vivavoce.analysis.norms import Norms
from vivavoce.answer import Answer, Session
from vivavoce.report.html.charts import CHART_CSS, ChartPoint, Target, over_time
from vivavoce.report.html.page import PRIVACY, esc, page, when
from vivavoce.report.present import band, duration, number


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    unit: str
    value: Callable[[list[AnswerMetrics]], float | None]  # a session's value from its scored answers
    target: Callable[[Norms, tuple[float, float]], Target]  # from the norms and the usual answer target
    show: Callable[[float | None], str]


def mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


METRICS = [
    Metric(
        "pace",
        "Pace",
        "wpm",
        lambda ms: mean([m.wpm for m in ms]),
        lambda n, t: Target(*n.pace_wpm, f"target {band(*n.pace_wpm, 'wpm')}"),
        lambda v: f"{number(v)} wpm",
    ),
    Metric(
        "fillers",
        "Um/uh a minute",
        "a minute",
        lambda ms: mean([m.fillers_per_min for m in ms]),
        lambda n, t: Target(0.0, n.fillers_ok_per_min, f"up to {n.fillers_ok_per_min:g} a minute"),
        lambda v: f"{number(v, 1)} a minute",
    ),
    Metric(
        "pause",
        "Longest pause",
        "s",
        lambda ms: max((m.longest_pause_s for m in ms), default=None),
        lambda n, t: Target(0.0, n.long_pause_s, f"under {duration(n.long_pause_s)} (a long pause)"),
        duration,
    ),
    Metric(
        "latency",
        "Latency (time to first word)",
        "s",
        lambda ms: mean([m.latency_s for m in ms]),
        lambda n, t: Target(0.0, n.latency_long_s, f"under {duration(n.latency_long_s)}"),
        duration,
    ),
    Metric(
        "length",
        "Answer length",
        "s",
        lambda ms: mean([m.speaking_s for m in ms]),
        lambda n, t: Target(*t, f"target {band(*t, 's')}"),
        duration,
    ),
]

PROGRESS_CSS = """
.group-picker { margin: .75rem 0; display: flex; gap: .5rem; align-items: center; }
select { font: inherit; padding: .25rem .4rem; }
.group h2 { margin: .5rem 0; }
"""

PROGRESS_JS = """
"use strict";
const picker = document.getElementById("group");
const show = () => {
  for (const g of document.querySelectorAll("section.group")) g.hidden = g.dataset.group !== picker.value;
};
picker.addEventListener("change", show);
show();
"""


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    sessions: tuple[tuple[Session, tuple[Answer, ...]], ...]  # each session with its answers in the group


def scored(answers) -> list[AnswerMetrics]:
    return [a.metrics for a in answers if a.metrics is not None and a.metrics.word_count]


def groups(sessions: list[Session]) -> list[Group]:
    """All sessions, then one group per pack and one per competency (a session only where it has some)."""
    out = [Group("all", "All sessions", tuple((s, s.answers) for s in sessions))]
    packs = dict.fromkeys(s.pack_title or s.pack_id or "no pack" for s in sessions)
    for i, pack in enumerate(packs):
        out.append(
            Group(
                f"pack-{i}",
                f"Pack: {pack}",
                tuple((s, s.answers) for s in sessions if (s.pack_title or s.pack_id or "no pack") == pack),
            )
        )
    competencies = dict.fromkeys(
        a.question.competency for s in sessions for a in s.answers if a.question is not None and a.question.competency
    )
    for i, c in enumerate(competencies):
        members = tuple((s, tuple(a for a in s.answers if a.question and a.question.competency == c)) for s in sessions)
        out.append(Group(f"competency-{i}", f"Competency: {c}", tuple((s, a) for s, a in members if a)))
    return out


def usual_target(answers: list[Answer], norms: Norms) -> tuple[float, float]:
    targets = Counter(a.target_s for a in answers)
    return targets.most_common(1)[0][0] if targets else norms.answer_target_s


def group_html(group: Group, links: Mapping[str, str], numbers: Mapping[str, int]) -> str:
    answers = [a for _, answers in group.sessions for a in answers]
    norms = answers[-1].norms if answers else Norms()
    target_s = usual_target(answers, norms)
    charts = []
    for metric in METRICS:
        points = []
        for session, members in group.sessions:
            value = metric.value(scored(members))
            n = numbers[session.id]
            tip = (
                f"Session {n}, {when(session.started_at)} {session.pack_title or session.pack_id or ''}: "
                f"{metric.show(value)}"
            )
            points.append(ChartPoint(f"{n} · {when(session.started_at)[5:10]}", value, tip, links.get(session.id)))
        charts.append(
            over_time(metric.title, metric.unit, points, metric.target(norms, target_s), f"{group.key}-{metric.key}")
        )
    return (
        f'<section class="group" data-group="{esc(group.key)}" aria-label="{esc(group.name)}">'
        f'<h2>{esc(group.name)}</h2><div class="charts">{"".join(charts)}</div></section>'
    )


def sessions_table(sessions: list[Session], links: Mapping[str, str]) -> str:
    head = "".join(f'<th scope="col" class="num">{esc(m.title)}</th>' for m in METRICS)
    rows = []
    for n, s in enumerate(sessions, start=1):
        ms = scored(s.answers)
        name = f'<a href="{esc(links[s.id])}">{esc(s.id)}</a>' if s.id in links else esc(s.id)
        cells = "".join(f'<td class="num">{esc(m.show(m.value(ms)))}</td>' for m in METRICS)
        rows.append(
            f"<tr><td>{n}</td><td>{name}</td><td>{esc(s.pack_title or s.pack_id or '')}</td>"
            f'<td class="num">{len(s.answers)}</td>{cells}</tr>'
        )
    return (
        f'<h2>Every session</h2><table class="data"><thead><tr><th scope="col">#</th><th scope="col">Session</th>'
        f'<th scope="col">Pack</th><th scope="col" class="num">Answers</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_progress(sessions: list[Session], links: Mapping[str, str] | None = None) -> str:
    """Every session, oldest first; ``links`` maps a session id to its report's address."""
    links = links or {}
    all_groups = groups(sessions)
    options = "".join(f'<option value="{esc(g.key)}">{esc(g.name)}</option>' for g in all_groups)
    span = f"{when(sessions[0].started_at)} to {when(sessions[-1].started_at)}" if sessions else "no sessions yet"
    header = (
        f"<header><h1>Progress over {len(sessions)} session(s)</h1>"
        f'<p class="meta">{esc(span)} · a point is a session, numbered as viva sessions numbers them '
        "(the mean of its answers; longest pause: its longest), red when outside the band; click one to "
        f"open its report where it sits beside this page · {esc(PRIVACY)}</p></header>"
    )
    picker = (
        f'<p class="group-picker no-print"><label for="group">Show</label><select id="group">{options}</select></p>'
    )
    numbers = {s.id: n for n, s in enumerate(sessions, start=1)}  # as viva sessions numbers them
    body = "".join(group_html(g, links, numbers) for g in all_groups)
    return page(
        "Progress · vivavoce",
        header + picker + f"<main>{body}{sessions_table(sessions, links)}</main>",
        CHART_CSS + PROGRESS_CSS,
        {},
        PROGRESS_JS,
    )
