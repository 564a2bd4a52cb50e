"""One session as a single self-contained HTML page: the overview first, then each answer with
its timeline, player, clickable transcript (fillers, hedges and long pauses marked), the
numbers against their bands, talking points, feedback and the coach's notes. Pure: the
session document, encoded audio, loudness envelopes and stored notes in, HTML text out."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence

from vivavoce.analysis.fillers import SURE_CONFIDENCE
from vivavoce.analysis.norms import Norms
from vivavoce.answer import Answer, Session
from vivavoce.report.html.overview import OVERVIEW_CSS, overview_html
from vivavoce.report.html.page import PRIVACY, esc, in_band_mark, page, when
from vivavoce.report.html.session_assets import SESSION_CSS, SESSION_JS
from vivavoce.report.html.timeline import TIMELINE_CSS, timeline_svg
from vivavoce.report.present import certainty, clock, duration, headlines, label, word_marks

AUDIO_MIME = "audio/ogg"  # what the caller encodes answers to (report.audio_web)
MARK_CLASS = {"non-lexical": "filler", "discourse": "discourse", "repetition": "repeat", "hedge": "hedge"}


def legend(norms: Norms) -> str:
    return (
        'Click a word or the timeline to hear it. <span class="filler">um</span> filler · '
        '<span class="ins filler">[um?]</span> filler the detector heard (? = unsure; on the timeline a hollow '
        'circle, a filled one when sure) · <span class="discourse">you know</span> discourse marker · '
        '<span class="hedge">I think</span> hedge · <span class="repeat">I I</span> repetition · '
        f'<span class="pause">[2.4 s]</span> pause of {esc(duration(norms.long_pause_s))} or more'
    )


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
            text = f"[{f.word}{'' if f.confidence >= SURE_CONFIDENCE else '?'}]"
            found.append(
                (
                    f.start_s,
                    timed(
                        "w ins filler",
                        f.start_s,
                        f.end_s,
                        text,
                        f"filler the detector heard, {certainty(f.confidence)}",
                    ),
                )
            )
    for p in m.long_pauses:
        text, title = f"[{duration(p.duration_s)}]", f"{p.location} pause"
        found.append((p.start_s, timed("pause", p.start_s, p.end_s, text, title)))
    return found


def transcript_html(answer: Answer) -> str:
    words = [w for w in answer.words if w.text]
    if not words:
        return '<p class="transcript muted">(no words heard)</p>'
    tokens = [
        (w.start_s, timed(" ".join(c), w.start_s, w.end_s, w.text, clock(w.start_s)))
        for w, c in zip(answer.words, word_classes(answer), strict=True)
        if w.text
    ]
    tokens = sorted(tokens + inserted(answer), key=lambda t: t[0])
    return '<p class="transcript">' + " ".join(html for _, html in tokens) + "</p>"


# -- metrics, feedback, talking points ---------------------------------------------------------


def metrics_html(answer: Answer) -> str:
    """The headline numbers, each with its band and whether it is in it."""
    cells = "".join(
        f'<div class="{"in" if h.in_band else "out" if h.in_band is False else ""}"><dt>{esc(h.name)}</dt>'
        f"<dd>{esc(h.value)}{in_band_mark(h.in_band)}<small>{esc(h.band)}</small></dd></div>"
        for h in headlines(answer)
    )
    return f'<dl class="metrics">{cells}</dl>'


def feedback_item(kind: str, text: str, at: float | None) -> str:
    seek = "" if at is None else f'<button class="seek" type="button" data-start="{at:.3f}">{clock(at)}</button> '
    return (
        f'<li class="{kind if kind in ("strength", "work-on") else "note"}"><span class="tag">'
        f"{esc(kind.replace('-', ' ').capitalize())}</span><span>{seek}{esc(text)}</span></li>"
    )


def feedback_html(answer: Answer) -> str:
    items = "".join(feedback_item(p.kind, p.text, p.at_s) for p in answer.feedback)
    return f'<h3>Feedback</h3><ul class="feedback">{items}</ul>' if items else ""


def coverage_html(answer: Answer) -> str:
    if not answer.coverage:
        return ""
    items = "".join(
        f'<li class="{"covered" if t.covered else "missed"}">{"Covered" if t.covered else "Missed"}: {esc(t.text)}</li>'
        for t in answer.coverage
    )
    return f'<h3>Talking points</h3><ul class="points">{items}</ul>'


# -- one answer ---------------------------------------------------------------------------------


def player_html(data: bytes | None, answer: Answer) -> str:
    if not data:
        return '<p class="muted">No audio for this answer.</p>'
    uri = f"data:{AUDIO_MIME};base64,{base64.b64encode(data).decode('ascii')}"
    # preload="none": the page opens before any player reads its audio; the script asks each
    # player for its metadata after the load event
    return f'<audio controls preload="none" src="{uri}" aria-label="Recording of {esc(label(answer))}"></audio>'


def question_html(answer: Answer) -> str:
    q = answer.question
    if q is None:
        return '<p class="question">(question unknown)</p>'
    parent = f'<p class="muted">Follow-up to: {esc(q.parent_text)}</p>' if q.parent_text else ""
    about = " · ".join(x for x in (q.competency, q.kind) if x)
    return (
        f'<p class="question">{esc(q.text)}</p>{parent}'
        f'<p class="muted">{esc(about)}{" · " if about else ""}target {esc(duration(q.target_s[0]))}'
        f"–{esc(duration(q.target_s[1]))}</p>"
    )


def notes_html(index: int, answer: Answer, note: str) -> str:
    return (
        f'<h3>Coach\'s notes</h3><textarea class="notes" data-index="{index}" '
        f'aria-label="Coach\'s notes for {esc(label(answer))}" placeholder="Notes on this answer">{esc(note)}'
        "</textarea>"
    )


def answer_html(
    index: int, answer: Answer, audio: Mapping[str, bytes], envelope: Sequence[float] | None, note: str
) -> str:
    head = (
        f'<section class="answer" id="answer-{index + 1}" aria-labelledby="answer-title-{index + 1}">'
        f'<h2 id="answer-title-{index + 1}">{esc(label(answer))}</h2>{question_html(answer)}'
    )
    player = player_html(audio.get(answer.take.audio), answer)
    if answer.error:
        return (
            f'{head}{player}<p class="error">Not analysed: {esc(answer.error)}</p>'
            f"{notes_html(index, answer, note)}</section>"
        )
    side = metrics_html(answer) + coverage_html(answer) + feedback_html(answer) + notes_html(index, answer, note)
    return (
        f"{head}{timeline_svg(answer, index, envelope)}{player}"
        f'<div class="columns"><div><h3>Transcript</h3>{transcript_html(answer)}</div>'
        f"<div><h3>Measures</h3>{side}</div></div></section>"
    )


TOOLS = (
    '<p class="tools"><button id="export" type="button">Export notes</button> '
    '<button id="import-button" class="plain" type="button">Import notes</button>'
    '<input id="import" type="file" accept=".json,application/json" hidden> '
    '<span id="notes-status" class="muted small" role="status"></span> '
    '<span id="no-store" class="muted small" hidden>This browser will not keep notes; export them.</span></p>'
)


def render_html(
    session: Session,
    audio: Mapping[str, bytes],
    envelopes: Mapping[str, Sequence[float]] | None = None,
    notes: Mapping[int, str] | None = None,
) -> str:
    """The session as one HTML page. ``audio`` maps an answer's audio file name to Ogg/Opus bytes,
    ``envelopes`` to its loudness (0-1 per equal slice), ``notes`` an answer's number (from 1)
    to the coach's note stored with the session."""
    answers, envelopes, notes = session.answers, envelopes or {}, notes or {}
    pack = session.pack_title or session.pack_id or "Interview"
    date = when(session.started_at)
    norms = answers[0].norms if answers else Norms()
    meta = {
        "session": session.id,
        "pack": pack,
        "answers": [
            {"question": a.question.text if a.question else None, "label": label(a), "attempt": a.attempt}
            for a in answers
        ],
    }
    header = (
        f"<header><h1>{esc(pack)}</h1>"
        f'<p class="meta">{esc(date)} · {len(answers)} answer(s) · model {esc(session.model or "unknown")}'
        f"{' · interrupted' if session.interrupted else ''} · {esc(PRIVACY)}</p></header>"
    )
    body = (
        "".join(
            answer_html(i, a, audio, envelopes.get(a.take.audio), notes.get(i + 1, "")) for i, a in enumerate(answers)
        )
        or '<p class="muted">No answers.</p>'
    )
    overview = overview_html(session) if answers else ""
    main = f'{overview}{TOOLS}<p class="legend">{legend(norms)}</p><main>{body}</main>'
    title = f"{pack} · {date} · vivavoce"
    return page(title, header + main, OVERVIEW_CSS + TIMELINE_CSS + SESSION_CSS, meta, SESSION_JS)
