"""One session as a single self-contained HTML page: a player and a clickable transcript per
answer, fillers, hedges and long pauses marked, a pace chart, the metrics, the feedback and a
notes box for the coach. Pure: the session document and encoded audio in, HTML text out.

The page loads nothing from anywhere (inline CSS and JS, audio as data: URIs), so it works
offline from disk; a Content-Security-Policy makes sure of it. Every string from a session,
pack or transcript goes through ``esc`` (HTML) or ``script_json`` (JSON inside <script>).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from html import escape

from vivavoce.analysis.fillers import SURE_CONFIDENCE
from vivavoce.analysis.norms import Norms
from vivavoce.answer import Answer, Session
from vivavoce.report.present import certainty, clock, duration, headlines, label, mark, word_marks

AUDIO_MIME = "audio/ogg"  # what the caller encodes answers to (report.audio_web)
SURE = SURE_CONFIDENCE
PRIVACY = "Made by vivavoce on this computer; nothing here was uploaded."
MARK_CLASS = {"non-lexical": "filler", "discourse": "discourse", "repetition": "repeat", "hedge": "hedge"}
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "media-src data:; img-src data:")  # fmt: skip

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2f5fb3; --now: #bfdbfe;
  --filler: #fde68a; --discourse: #0e7490; --hedge: #b45309; --band: #dcfce7; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 50rem; padding: 2rem 1.25rem 4rem; color: var(--ink);
  background: #fff; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: .95rem; margin: 0; color: var(--muted); font-weight: 600; }
h3 { font-size: .8rem; margin: 1.25rem 0 .25rem; color: var(--muted); text-transform: uppercase;
  letter-spacing: .05em; }
.meta, .muted, .privacy { color: var(--muted); margin: .25rem 0; }
.privacy, .legend { font-size: .875rem; }
.legend { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .75rem; margin: 1rem 0; }
.answer { border-top: 1px solid var(--line); margin-top: 2rem; padding-top: 1.25rem; }
.question { font-size: 1.15rem; font-weight: 600; margin: .25rem 0 .5rem; }
.points { margin: 0 0 .5rem; padding-left: 1.25rem; color: var(--muted); }
audio { width: 100%; margin: .5rem 0; }
.transcript { line-height: 2; margin: .25rem 0; }
.w, .pause, .seek { cursor: pointer; border-radius: 3px; }
.w { padding: 1px 1px; }
.w:hover { background: #eef2f8; }
.w.now { background: var(--now); box-shadow: 0 0 0 2px var(--now); }
.filler { background: var(--filler); }
.ins { font-weight: 600; color: #92400e; }
.discourse { text-decoration: underline 2px var(--discourse); text-underline-offset: 4px; }
.hedge { color: var(--hedge); font-style: italic; }
.repeat { text-decoration: underline dotted 2px var(--muted); text-underline-offset: 4px; }
.pause { color: var(--muted); font-size: .85em; white-space: nowrap; }
.metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .75rem 1.5rem; }
.metrics dt { font-size: .75rem; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.metrics .out dd { color: var(--bad); }
.points .missed { color: var(--bad); }
.metrics dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.metrics small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); line-height: 1.3; }
svg.pace { display: block; width: 100%; max-width: 36rem; height: auto; }
svg .band { fill: var(--band); } svg .axis { stroke: var(--line); } svg circle { fill: var(--accent); }
svg .line { fill: none; stroke: var(--accent); stroke-width: 2; } svg text { font-size: 10px; fill: var(--muted); }
.feedback { list-style: none; padding: 0; margin: 0; }
.feedback li { display: grid; grid-template-columns: 6rem 1fr; margin: .35rem 0; }
.tag { font-size: .75rem; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; padding-top: .2rem; }
.strength .tag { color: #15803d; } .work-on .tag { color: var(--hedge); }
.seek { border: 0; background: none; color: var(--accent); font: inherit; padding: 0; }
.error { color: var(--bad); background: #fef2f2; border-radius: 6px; padding: .5rem .75rem; }
textarea { display: block; width: 100%; min-height: 5em; field-sizing: content; font: inherit;
  padding: .5rem; border: 1px solid var(--line); border-radius: 6px; resize: vertical; }
.tools { margin: 1.5rem 0 0; }
button.export { font: inherit; padding: .35rem .9rem; border: 1px solid var(--accent);
  border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  audio, .tools { display: none; }
  .w.now { background: none; box-shadow: none; }
  .metrics, svg.pace, .feedback, textarea { break-inside: avoid; }
  textarea { border-color: #999; resize: none; }
}
"""

JS = """
"use strict";
const store = (() => {
  try { const s = window.localStorage; s.getItem("vivavoce"); return s; } catch (err) { return null; }
})();
const noteKey = (index) => "vivavoce:notes:" + META.session + ":" + index;
for (const section of document.querySelectorAll("section.answer")) {
  const player = section.querySelector("audio");
  if (!player) continue;
  const words = Array.from(section.querySelectorAll(".transcript .w"));
  const times = words.map((w) => [parseFloat(w.dataset.start), parseFloat(w.dataset.end)]);
  let current = null;
  section.addEventListener("click", (event) => {
    const target = event.target.closest("[data-start]");
    if (!target) return;
    player.currentTime = parseFloat(target.dataset.start);
    player.play().catch(() => {});
  });
  player.addEventListener("timeupdate", () => {
    const t = player.currentTime;
    let i = -1;
    while (i + 1 < times.length && times[i + 1][0] <= t) i++;
    const next = i >= 0 && t <= times[i][1] + 0.3 ? words[i] : null;
    if (next === current) return;
    current?.classList.remove("now");
    next?.classList.add("now");
    current = next;
  });
}
const boxes = Array.from(document.querySelectorAll("textarea.notes"));
for (const box of store ? boxes : []) {
  box.value = store.getItem(noteKey(box.dataset.index)) || "";
  box.addEventListener("input", () => {
    try { store.setItem(noteKey(box.dataset.index), box.value); } catch (err) { /* full: export */ }
  });
}
if (!store) document.getElementById("no-store").hidden = false;
document.getElementById("export").addEventListener("click", () => {
  const notes = boxes.map((box) => Object.assign(
    { answer: Number(box.dataset.index) + 1 }, META.answers[box.dataset.index], { note: box.value }));
  const data = { session: META.session, pack: META.pack, exported_at: new Date().toISOString(), notes };
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "vivavoce-notes-" + String(META.session).replace(/[^\\w.-]+/g, "_") + ".json";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
});
"""


def legend(norms: Norms) -> str:
    return (
        'Click any word to hear it. <span class="filler">um</span> filler · '
        '<span class="ins filler">[um?]</span> filler the detector heard (? = unsure) · '
        '<span class="discourse">you know</span> discourse marker · <span class="hedge">I think</span> hedge · '
        '<span class="repeat">I I</span> repetition · <span class="pause">[2.4 s]</span> pause of '
        f"{esc(duration(norms.long_pause_s))} or more"
    )


TOOLS = ('<p class="tools"><button id="export" class="export" type="button">Export notes</button> '
         '<span id="no-store" class="muted" hidden>This browser will not keep notes; export them.</span></p>')


def esc(value) -> str:
    return escape("" if value is None else str(value))


def script_json(value) -> str:
    """JSON to embed in <script>: "<" escaped, so "</script>" or "<!--" cannot end the block."""
    return json.dumps(value).replace("<", "\\u003c")


def when(iso: str | None) -> str:
    try:
        return datetime.fromisoformat(iso or "").strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or "unknown date"


def timed(cls: str, start: float, end: float, text: str, title: str = "") -> str:
    tip = f' title="{esc(title)}"' if title else ""
    return f'<span class="{cls}" data-start="{start:.3f}" data-end="{end:.3f}"{tip}>{esc(text)}</span>'


# -- transcript --------------------------------------------------------------------------


def word_classes(answer: Answer) -> list[list[str]]:
    """The marks on each written word: fillers Whisper wrote, discourse markers, repetitions, hedges."""
    return [["w", *(MARK_CLASS[k] for k in kinds)] for kinds in word_marks(answer)]


def inserted(answer: Answer) -> list[tuple[float, str]]:
    """Fillers the detector heard that Whisper left out, and long pauses, placed by time."""
    m = answer.metrics
    assert m is not None
    found = []
    for f in m.fillers:
        if f.source == "detector" and f.kind == "non-lexical":
            text = f"[{f.word}{'' if f.confidence >= SURE else '?'}]"
            found.append((f.start_s, timed("w ins filler", f.start_s, f.end_s, text,
                                           f"filler the detector heard, {certainty(f.confidence)}")))  # fmt: skip
    for p in m.long_pauses:
        text, title = f"[{duration(p.duration_s)}]", f"{p.location} pause"
        found.append((p.start_s, timed("pause", p.start_s, p.end_s, text, title)))
    return found


def transcript_html(answer: Answer) -> str:
    words = [w for w in answer.words if w.text]
    if not words:
        return '<p class="transcript muted">(no words heard)</p>'
    tokens = [(w.start_s, timed(" ".join(c), w.start_s, w.end_s, w.text, clock(w.start_s)))
              for w, c in zip(answer.words, word_classes(answer)) if w.text]  # fmt: skip
    tokens = sorted(tokens + inserted(answer), key=lambda t: t[0])
    return '<p class="transcript">' + " ".join(html for _, html in tokens) + "</p>"


# -- pace chart, metrics, feedback ----------------------------------------------------------


def pace_chart(answer: Answer) -> str:
    m = answer.metrics
    windows = m.pace_windows if m is not None else ()
    if not windows:
        return '<p class="muted">Too little speech for a pace chart.</p>'
    width, height, left, bottom = 560, 150, 34, 20
    end = max([answer.take.duration_s or 0] + [w.end_s for w in windows])
    top = max(200.0, 1.15 * max(w.wpm for w in windows))

    def x(t: float) -> float:
        return round(left + t / end * (width - left - 8), 1)

    def y(v: float) -> float:
        return round(height - bottom - v / top * (height - bottom - 8), 1)

    low, high = answer.norms.pace_wpm
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(w.start_s)},{y(w.wpm)} H{x(w.end_s)}" for i, w in enumerate(windows))
    dots = "".join(
        f'<circle cx="{x((w.start_s + w.end_s) / 2)}" cy="{y(w.wpm)}" r="3"><title>'
        f"{clock(w.start_s)}–{clock(w.end_s)}: {w.wpm:.0f} wpm</title></circle>" for w in windows)
    return (
        f'<svg class="pace" viewBox="0 0 {width} {height}" role="img" aria-label="Pace over time, words a minute">'
        f'<rect class="band" x="{left}" y="{y(high)}" width="{width - left - 8}" height="{y(low) - y(high)}"/>'
        f'<line class="axis" x1="{left}" y1="{y(0)}" x2="{width - 8}" y2="{y(0)}"/>'
        f'<text x="{left - 4}" y="{y(high) + 4}" text-anchor="end">{high:g}</text>'
        f'<text x="{left - 4}" y="{y(low) + 4}" text-anchor="end">{low:g}</text>'
        f'<text x="{left - 4}" y="{y(0) + 4}" text-anchor="end">0</text>'
        f'<text x="{left - 4}" y="10" text-anchor="end">wpm</text>'
        f'<text x="{left}" y="{height - 4}">0:00</text>'
        f'<text x="{width - 8}" y="{height - 4}" text-anchor="end">{clock(end)}</text>'
        f'<path class="line" d="{path}"/>{dots}</svg>'
    )


def metrics_html(answer: Answer) -> str:
    """The headline numbers, each with its band and whether it is in it."""
    cells = "".join(
        f'<div class="{"in" if h.in_band else "out" if h.in_band is False else ""}"><dt>{esc(h.name)}</dt>'
        f"<dd>{esc(h.value)}<small>{esc(h.band)}{' · ' + esc(mark(h.in_band)) if mark(h.in_band) else ''}"
        "</small></dd></div>" for h in headlines(answer))  # fmt: skip
    return f'<dl class="metrics">{cells}</dl>'


def feedback_item(kind: str, text: str, at: float | None) -> str:
    seek = "" if at is None else f'<button class="seek" data-start="{at:.3f}">{clock(at)}</button> '
    return (f'<li class="{kind if kind in ("strength", "work-on") else "note"}"><span class="tag">'
            f'{esc(kind.replace("-", " ").capitalize())}</span><span>{seek}{esc(text)}</span></li>')


def feedback_html(answer: Answer) -> str:
    items = "".join(feedback_item(p.kind, p.text, p.at_s) for p in answer.feedback)
    return f'<h3>Feedback</h3><ul class="feedback">{items}</ul>' if items else ""


def coverage_html(answer: Answer) -> str:
    if not answer.coverage:
        return ""
    items = "".join(f'<li class="{"covered" if t.covered else "missed"}">{"Covered" if t.covered else "Missed"}: '
                    f"{esc(t.text)}</li>" for t in answer.coverage)  # fmt: skip
    return f'<h3>Talking points</h3><ul class="points">{items}</ul>'


# -- one answer, the page ----------------------------------------------------------------------


def player_html(data: bytes | None) -> str:
    if not data:
        return '<p class="muted">No audio for this answer.</p>'
    uri = f"data:{AUDIO_MIME};base64,{base64.b64encode(data).decode('ascii')}"
    return f'<audio controls preload="metadata" src="{uri}"></audio>'


def question_html(answer: Answer) -> str:
    q = answer.question
    if q is None:
        return '<p class="question">(question unknown)</p>'
    parent = f'<p class="muted">Follow-up to: {esc(q.parent_text)}</p>' if q.parent_text else ""
    about = " · ".join(x for x in (q.competency, q.kind) if x)
    return (f'<p class="question">{esc(q.text)}</p>{parent}'
            f'<p class="muted">{esc(about)}{" · " if about else ""}target {esc(duration(q.target_s[0]))}'
            f"–{esc(duration(q.target_s[1]))}</p>")  # fmt: skip


def answer_html(index: int, answer: Answer, audio: dict[str, bytes]) -> str:
    parts = [
        f'<section class="answer" id="answer-{index + 1}"><h2>{esc(label(answer))}</h2>', question_html(answer),
        player_html(audio.get(answer.take.audio)),
    ]  # fmt: skip
    if answer.error:
        parts.append(f'<p class="error">Not analysed: {esc(answer.error)}</p>')
    else:
        parts += [
            "<h3>Transcript</h3>", transcript_html(answer), "<h3>Pace over time</h3>", pace_chart(answer),
            "<h3>Measures</h3>", metrics_html(answer), coverage_html(answer), feedback_html(answer),
        ]  # fmt: skip
    parts.append(f'<h3>Coach\'s notes</h3><textarea class="notes" data-index="{index}" '
                 f'aria-label="Coach\'s notes for {esc(label(answer))}" placeholder="Notes on this answer"></textarea>'
                 "</section>")  # fmt: skip
    return "".join(parts)


def render_html(session: Session, audio: dict[str, bytes]) -> str:
    """The session as one HTML page; ``audio`` maps an answer's audio file name to Ogg/Opus bytes."""
    answers = session.answers
    pack = session.pack_title or session.pack_id or "Interview"
    date = when(session.started_at)
    norms = answers[0].norms if answers else Norms()
    meta = {"session": session.id, "pack": pack, "answers": [
        {"question": a.question.text if a.question else None, "label": label(a), "attempt": a.attempt}
        for a in answers]}  # fmt: skip
    header = (
        f"<header><h1>{esc(pack)}</h1>"
        f'<p class="meta">{esc(date)} · {len(answers)} answer(s) · '
        f"model {esc(session.model or 'unknown')}"
        f"{' · interrupted' if session.interrupted else ''}</p>"
        f'<p class="privacy">{esc(PRIVACY)}</p><p class="legend">{legend(norms)}</p></header>'
    )
    body = "".join(answer_html(i, a, audio) for i, a in enumerate(answers)) or '<p class="muted">No answers.</p>'
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{esc(pack)} · {esc(date)} · vivavoce</title>'
        f"<style>{CSS}</style></head><body>{header}<main>{body}</main>{TOOLS}"
        f"<script>const META = {script_json(meta)};{JS}</script></body></html>\n"
    )
