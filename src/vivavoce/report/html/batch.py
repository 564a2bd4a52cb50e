"""A batch of `viva score` records as one self-contained page, for a coach or a researcher:
how each metric spreads across the files against its band, and a sortable table of the
files with their headline numbers, files that failed in rows of their own. Pure: records
in, HTML text out."""

from __future__ import annotations

import os
from collections import Counter

from vivavoce.analysis.norms import Norms
from vivavoce.answer import Answer
from vivavoce.jsonrecord import from_record
from vivavoce.report.formats import common_folder
from vivavoce.report.html.charts import CHART_CSS, Target, strip_plot
from vivavoce.report.html.page import PRIVACY, esc, in_band_mark, page
from vivavoce.report.present import band, duration, headlines, number

BATCH_CSS = """
table.sortable th button { all: unset; cursor: pointer; }
table.sortable th button:focus-visible { outline: 3px solid var(--accent); }
table.sortable th[aria-sort="ascending"] button::after { content: " ▲"; }
table.sortable th[aria-sort="descending"] button::after { content: " ▼"; }
tr.failed td { background: #fef2f2; }
td.file { word-break: break-all; }
"""

BATCH_JS = """
"use strict";
const table = document.querySelector("table.sortable");
const body = table.tBodies[0];
table.querySelectorAll("th button").forEach((button, column) => {
  button.addEventListener("click", () => {
    const th = button.parentElement;
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach((h) => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = (row) => row.cells[column]?.dataset.sort ?? "";
    const rows = Array.from(body.rows).sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === "" || y === "") return (x === "") - (y === "");  // no value: always last
      const d = isNaN(x) || isNaN(y) ? x.localeCompare(y) : Number(x) - Number(y);
      return ascending ? d : -d;
    });
    body.append(...rows);
  });
});
"""

COLUMNS = ["File", "Pace", "Um/uh", "Long pauses", "Latency", "Length", "Um/uh a minute", "Longest pause"]


def common_norms(answers: list[Answer]) -> Norms:
    counts = Counter(a.norms for a in answers)
    return counts.most_common(1)[0][0] if counts else Norms()


def distributions(answers: list[Answer], names: list[str]) -> str:
    n = common_norms(answers)
    scored = [
        (name, a.metrics)
        for name, a in zip(names, answers, strict=True)
        if a.metrics is not None and a.metrics.word_count
    ]
    t_low, t_high = Counter(a.target_s for a in answers).most_common(1)[0][0] if answers else n.answer_target_s
    charts = [
        strip_plot(
            "Pace",
            "wpm",
            [(f, m.wpm) for f, m in scored],
            Target(*n.pace_wpm, f"target {band(*n.pace_wpm, 'wpm')}"),
            "dist-pace",
        ),
        strip_plot(
            "Um/uh a minute",
            "a minute",
            [(f, m.fillers_per_min) for f, m in scored],
            Target(0.0, n.fillers_ok_per_min, f"up to {n.fillers_ok_per_min:g} a minute"),
            "dist-fillers",
        ),
        strip_plot(
            "Longest pause",
            "s",
            [(f, m.longest_pause_s) for f, m in scored],
            Target(0.0, n.long_pause_s, f"under {duration(n.long_pause_s)}"),
            "dist-pause",
        ),
        strip_plot(
            "Answer length",
            "s",
            [(f, m.speaking_s) for f, m in scored],
            Target(t_low, t_high, f"target {band(t_low, t_high, 's')}"),
            "dist-length",
        ),
    ]
    return f'<h2>Across the files</h2><div class="charts">{"".join(charts)}</div>'


def sort_key(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def file_row(name: str, a: Answer) -> str:
    file_cell = f'<td class="file" data-sort="{esc(name)}" title="{esc(a.take.audio)}">{esc(name)}</td>'
    m = a.metrics
    if a.error or m is None:
        return (
            f'<tr class="failed">{file_cell}<td colspan="{len(COLUMNS) - 1}" class="out">Error: '
            f"{esc(a.error or 'not scored')}</td></tr>"
        )
    values = [m.wpm, m.filler_count, len(m.long_pauses), m.latency_s, m.speaking_s]
    cells = "".join(
        f'<td class="num {"" if h.in_band is None else "in" if h.in_band else "out"}" '
        f'data-sort="{sort_key(v)}" title="{esc(h.band)}">{esc(h.value)}{in_band_mark(h.in_band)}</td>'
        for h, v in zip(headlines(a), values, strict=True)
    )
    extra = (
        f'<td class="num" data-sort="{sort_key(m.fillers_per_min)}">{number(m.fillers_per_min, 1)}</td>'
        f'<td class="num" data-sort="{sort_key(m.longest_pause_s)}">{duration(m.longest_pause_s)}</td>'
    )
    return f"<tr>{file_cell}{cells}{extra}</tr>"


def files_table(answers: list[Answer], names: list[str]) -> str:
    head = "".join(
        f'<th scope="col"{" class=num" if i else ""}><button type="button">{esc(c)}</button></th>'
        for i, c in enumerate(COLUMNS)
    )
    rows = "".join(file_row(name, a) for name, a in zip(names, answers, strict=True))
    return (
        f'<h2>Every file</h2><p class="muted small no-print">Click a column heading to sort by it.</p>'
        f'<table class="data sortable"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def render_batch(records: list[dict]) -> str:
    """The records `viva score` wrote, in their order, as one page."""
    answers = [from_record(r) for r in records]
    folder = common_folder([a.take.audio for a in answers])
    names = [os.path.relpath(a.take.audio, folder) if folder else a.take.audio for a in answers]
    failed = sum(1 for a in answers if a.error)
    n = common_norms(answers)
    header = (
        f"<header><h1>{len(answers) - failed} of {len(answers)} file(s) scored"
        f'{" in " + esc(folder) if folder else ""}</h1><p class="meta">'
        f"{failed} failed · pace band {esc(band(*n.pace_wpm, 'wpm'))}, "
        f"long pause {esc(duration(n.long_pause_s))}"
        f" · {esc(PRIVACY)}</p></header>"
    )
    main = f"<main>{distributions(answers, names)}{files_table(answers, names)}</main>"
    return page("viva score · vivavoce", header + main, CHART_CSS + BATCH_CSS, {}, BATCH_JS)
