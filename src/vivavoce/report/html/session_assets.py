"""The session report's stylesheet and script (inline in the page; nothing is fetched).

The script: a click on a word, a pause, a feedback time or the timeline plays from there;
the player moves the playhead and highlights the word being spoken; the timeline is a
slider for the keyboard; notes are kept in the browser, exported and imported as JSON."""

SESSION_CSS = """
.legend { font-size: .85rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .5rem;
  margin: .75rem 0 0; }
.tools { margin: .75rem 0 0; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.answer { border-top: 2px solid var(--line); margin-top: 1.5rem; padding-top: 1rem;
  content-visibility: auto; contain-intrinsic-size: auto 1100px; }  /* laid out when scrolled to */
.question { font-size: 1.1rem; font-weight: 600; margin: .2rem 0 .3rem; }
.points { margin: 0 0 .5rem; padding-left: 1.25rem; }
.points .missed { color: var(--bad); } .points .covered { color: var(--good); }
.timeline-figure { margin: .5rem 0 0; }
audio { width: 100%; margin: .3rem 0; }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; }
@media (max-width: 60rem) { .columns { grid-template-columns: 1fr; } }
.transcript { line-height: 2; margin: .25rem 0; }
.w, .pause { cursor: pointer; border-radius: 3px; }
.w { padding: 1px 1px; }
.w:hover { background: #eef2f8; }
.w.now { background: var(--now); box-shadow: 0 0 0 2px var(--now); }
.filler { background: var(--filler); }
.ins { font-weight: 600; color: #7c2d12; }
.discourse { text-decoration: underline 2px var(--discourse); text-underline-offset: 4px; }
.hedge { color: var(--hedge); font-style: italic; }
.repeat { text-decoration: underline dotted 2px var(--muted); text-underline-offset: 4px; }
.pause { color: var(--muted); font-size: .85em; white-space: nowrap; }
.metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .5rem 1.25rem; margin: 0; }
.metrics dt { font-size: .72rem; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.metrics dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.metrics .out dd { color: var(--bad); } .metrics .in dd { color: var(--ink); }
.metrics .in .mark { color: var(--good); }
.metrics small { display: block; font-size: .78rem; font-weight: 400; color: var(--muted); line-height: 1.3; }
.feedback { list-style: none; padding: 0; margin: 0; }
.feedback li { display: grid; grid-template-columns: 5.5rem 1fr; margin: .3rem 0; }
.tag { font-size: .72rem; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; padding-top: .2rem; }
.strength .tag { color: var(--good); } .work-on .tag { color: var(--hedge); }
button.seek { border: 0; background: none; color: var(--accent); padding: 0; text-decoration: underline; }
textarea { display: block; width: 100%; min-height: 4.5em; field-sizing: content; font: inherit;
  padding: .5rem; border: 1px solid #8a93a3; border-radius: 6px; resize: vertical; }
@media print {
  .answer { content-visibility: visible; }
  .w.now { background: none; box-shadow: none; }
  .answer { break-before: page; }
  .metrics, .feedback, textarea, .timeline-figure { break-inside: avoid; }
  .columns { grid-template-columns: 1fr; }
  textarea { border-color: #999; resize: none; }
  svg .playhead { display: none; }
  button.seek { display: inline !important; color: inherit; text-decoration: none; }
}
"""

SESSION_JS = r"""
"use strict";
const store = (() => {
  try { const s = window.localStorage; s.getItem("vivavoce"); return s; } catch (err) { return null; }
})();
const noteKey = (index) => "vivavoce:notes:" + META.session + ":" + index;
const clockOf = (t) => { const s = Math.floor(t); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); };
const playFrom = (player, t) => { player.currentTime = Math.max(0, t); player.play().catch(() => {}); };

function wireTimeline(bar, player) {
  const duration = parseFloat(bar.dataset.duration), width = parseFloat(bar.dataset.width);
  const left = parseFloat(bar.dataset.left), right = parseFloat(bar.dataset.right);
  const head = bar.querySelector(".playhead");
  bar.addEventListener("click", (event) => {
    const box = bar.getBoundingClientRect();
    const x = (event.clientX - box.left) / box.width * width;
    playFrom(player, Math.min(Math.max((x - left) / (right - left), 0), 1) * duration);
  });
  bar.addEventListener("keydown", (event) => {
    const steps = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5, PageDown: -30, PageUp: 30 };
    if (event.key in steps) playFrom(player, player.currentTime + steps[event.key]);
    else if (event.key === "Home") playFrom(player, 0);
    else if (event.key === " " || event.key === "Enter") player.paused ? player.play().catch(() => {}) : player.pause();
    else return;
    event.preventDefault();
  });
  return (t) => {
    const x = (left + Math.min(Math.max(t / duration, 0), 1) * (right - left)).toFixed(1);
    head.setAttribute("x1", x);
    head.setAttribute("x2", x);
    bar.setAttribute("aria-valuenow", t.toFixed(1));
    bar.setAttribute("aria-valuetext", clockOf(t));
  };
}

function wireAnswer(section) {
  const player = section.querySelector("audio");
  if (!player) return;
  const words = Array.from(section.querySelectorAll(".transcript .w"));
  const times = words.map((w) => [parseFloat(w.dataset.start), parseFloat(w.dataset.end)]);
  const bar = section.querySelector(".timeline");
  const moveHead = bar ? wireTimeline(bar, player) : () => {};
  let current = null;
  section.addEventListener("click", (event) => {
    const target = event.target.closest("[data-start]");
    if (target) playFrom(player, parseFloat(target.dataset.start));
  });
  player.addEventListener("timeupdate", () => {
    const t = player.currentTime;
    moveHead(t);
    let i = -1;
    while (i + 1 < times.length && times[i + 1][0] <= t) i++;
    const next = i >= 0 && t <= times[i][1] + 0.3 ? words[i] : null;
    if (next === current) return;
    current?.classList.remove("now");
    next?.classList.add("now");
    current = next;
  });
}

document.querySelectorAll("section.answer").forEach(wireAnswer);
window.addEventListener("load", () => {  // the players read their audio once the page is open, one by one
  const players = Array.from(document.querySelectorAll('audio[preload="none"]'));
  const next = () => {
    const player = players.shift();
    if (!player) return;
    player.preload = "metadata";
    setTimeout(next, 0);
  };
  setTimeout(next, 0);
});
for (const link of document.querySelectorAll("a.jump[data-start]")) {
  link.addEventListener("click", () => {
    const player = document.querySelector("#answer-" + link.dataset.answer + " audio");
    if (player) playFrom(player, parseFloat(link.dataset.start));
  });
}

const boxes = Array.from(document.querySelectorAll("textarea.notes"));
const keep = (box) => {
  try { store?.setItem(noteKey(box.dataset.index), box.value); } catch (err) { /* full: export */ }
};
for (const box of boxes) {
  const kept = store?.getItem(noteKey(box.dataset.index));
  if (kept !== null && kept !== undefined) box.value = kept;
  box.addEventListener("input", () => keep(box));
}
if (!store) document.getElementById("no-store").hidden = false;
const status = (text) => { document.getElementById("notes-status").textContent = text; };

document.getElementById("export").addEventListener("click", () => {
  const notes = boxes.map((box) => Object.assign(
    { answer: Number(box.dataset.index) + 1 }, META.answers[box.dataset.index], { note: box.value }));
  const data = { session: META.session, pack: META.pack, exported_at: new Date().toISOString(), notes };
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "vivavoce-notes-" + String(META.session).replace(/[^\w.-]+/g, "_") + ".json";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
});

const picker = document.getElementById("import");
document.getElementById("import-button").addEventListener("click", () => picker.click());
picker.addEventListener("change", async () => {
  const file = picker.files[0];
  picker.value = "";
  if (!file) return;
  let data = null;
  try { data = JSON.parse(await file.text()); } catch (err) { /* told below */ }
  if (!data || !Array.isArray(data.notes)) return status(file.name + " is not a notes file exported by vivavoce.");
  if (data.session !== META.session) return status("Those notes are for session " + data.session + ", not this one.");
  let n = 0;
  for (const item of data.notes) {
    const box = boxes[Number(item.answer) - 1];
    if (!box || typeof item.note !== "string") continue;
    box.value = item.note;
    keep(box);
    n++;
  }
  status("Imported the notes for " + n + " answer(s).");
});
"""
