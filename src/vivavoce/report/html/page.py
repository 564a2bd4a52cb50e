"""The page every HTML report shares: the shell (CSP, inline CSS and one inline script), the
escaping helpers and the base stylesheet. Pure: strings in, strings out.

A page loads nothing from anywhere (inline CSS and JS, audio as data: URIs), so it works
offline from disk; the Content-Security-Policy makes sure of it. Every string from a
session, pack, transcript or file name goes through ``esc`` (HTML) or ``script_json``
(JSON inside <script>).
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; media-src data:; img-src data:"
PRIVACY = "Made by vivavoce on this computer; nothing here was uploaded."

BASE_CSS = """
:root { --ink: #1d2330; --muted: #545d6e; --line: #d9dee7; --accent: #2f5fb3; --now: #bfdbfe;
  --filler: #fde68a; --discourse: #0e7490; --hedge: #9a4a07; --band: #dcfce7; --band-ink: #166534;
  --bad: #b91c1c; --good: #15803d; --soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 84rem; padding: 1rem 1.5rem 3rem; color: var(--ink); background: #fff;
  font: 15px/150% system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.35rem; line-height: 1.25; margin: 0; }
h2 { font-size: 1.05rem; margin: 0; }
h3 { font-size: .78rem; margin: 1rem 0 .25rem; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.meta, .muted, .privacy { color: var(--muted); margin: .15rem 0; }
.privacy, .small { font-size: .85rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
table.data { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.data th, table.data td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
table.data th { font-size: .75rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
table.data td.num, table.data th.num { text-align: right; }
table.data td.num { white-space: nowrap; }
.in { color: var(--good); } .out { color: var(--bad); font-weight: 600; }
.mark { font-size: .8em; margin-left: .2em; }
button, .button { font: inherit; font-size: .9rem; padding: .3rem .8rem; border: 1px solid var(--accent);
  border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
button.plain { background: #fff; color: var(--accent); }
svg text { font-size: 11px; fill: var(--muted); }
svg .band { fill: var(--band); }
svg .band-label { fill: var(--band-ink); font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg .axis { stroke: #8a93a3; } svg .grid { stroke: var(--line); }
svg .line { fill: none; stroke: var(--accent); stroke-width: 2; }
svg .dot { fill: var(--accent); } svg .dot.out { fill: var(--bad); }
svg .axis-title { font-weight: 600; fill: var(--ink); }
.error { color: var(--bad); background: #fef2f2; border-radius: 6px; padding: .4rem .7rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  button, .button, audio, select, input, .tools, .no-print { display: none !important; }
  svg, table, figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


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


def in_band_mark(in_band: bool | None) -> str:
    """A visible mark and its words for a screen reader: in band, out of band, nothing to judge."""
    if in_band is None:
        return ""
    sign, words = ("✓", "in band") if in_band else ("✗", "out of band")
    return f'<span class="mark" aria-hidden="true">{sign}</span><span class="sr-only"> ({words})</span>'


def page(title: str, body: str, css: str = "", meta: dict | None = None, js: str = "") -> str:
    """One self-contained HTML document; ``meta`` is given to ``js`` as the constant META."""
    script = f"<script>const META = {script_json(meta or {})};{js}</script>" if js else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{esc(title)}</title>'
        f"<style>{BASE_CSS}{css}</style></head><body>{body}{script}</body></html>\n"
    )
