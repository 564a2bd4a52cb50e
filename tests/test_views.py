"""One answer document, every view: each states the same numbers and the same bands, the
bands of the norms the answer was judged by (not the defaults)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rich.console import Console

from documents import jfk_answer, session
from vivavoce.analysis.norms import Norms
from vivavoce.jsonrecord import to_record
from vivavoce.report import export, formats, review, terminal
from vivavoce.report.html import render_html
from vivavoce.report.present import band, duration, headlines, number

NORMS = Norms(pace_wpm=(100.0, 120.0), long_pause_s=1.0, fillers_ok_per_min=3.0, latency_long_s=4.0)
ANSWER = jfk_answer(NORMS)
SESSION = session(ANSWER)


def text_of(renderable) -> str:
    console = Console(width=250, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


ANSWER_VIEWS = {
    "practice screen": lambda: text_of(terminal.answer_view(ANSWER)),
    "review": lambda: text_of(review.session_review(SESSION)),
    "export md": lambda: export.to_markdown(SESSION),
    "html report": lambda: render_html(SESSION, {}),
}
LIST_VIEWS = {
    "session summary": lambda: text_of(terminal.summary_table(SESSION.answers)),
    "sessions": lambda: text_of(review.sessions_table([SESSION])),
    "progress": lambda: text_of(review.progress_view([SESSION])),
    "score table": lambda: text_of(formats.to_table([to_record(ANSWER)])),
}


def test_the_document_is_judged_by_its_norms():
    m = ANSWER.metrics
    assert round(m.wpm) == 125 and m.longest_pause_s == pytest.approx(1.63)
    assert [h.in_band for h in headlines(ANSWER)] == [False, False, False, True, False]


@pytest.mark.parametrize("view", ANSWER_VIEWS)
def test_answer_views_state_every_headline_and_its_band(view):
    shown = ANSWER_VIEWS[view]()
    for h in headlines(ANSWER):
        assert h.value in shown and h.band in shown, (view, h)
    assert "130-160" not in shown and "1.5 s" not in shown  # no default band anywhere


@pytest.mark.parametrize("view", LIST_VIEWS)
def test_list_views_state_the_same_numbers_and_band(view):
    shown = LIST_VIEWS[view]()
    m = ANSWER.metrics
    assert number(m.wpm) in shown and band(*NORMS.pace_wpm, "wpm") in shown
    if view != "score table":
        assert duration(m.longest_pause_s) in shown and duration(m.latency_s) in shown
    assert "130-160" not in shown


def test_data_exports_carry_the_same_numbers_and_norms():
    record = to_record(ANSWER)
    exported = json.loads(export.to_json(SESSION))["answers"][0]
    assert exported == record and json.loads(formats.to_json([record]))[0] == record
    assert record["norms"]["pace_wpm"] == [100.0, 120.0] and record["norms"]["long_pause_s"] == 1.0
    assert record["pauses"]["long_count"] == len(ANSWER.metrics.long_pauses) == 1
    for text in (export.to_csv(SESSION), formats.to_csv([record])):
        [row] = csv.DictReader(io.StringIO(text))
        assert float(row["wpm"]) == pytest.approx(ANSWER.metrics.wpm, abs=0.001)
        assert row["pace_band_wpm"] == "100-120 wpm" and float(row["long_pause_s"]) == 1.0
        assert int(row["pauses_long_count"]) == 1 and row["target_s"] == "60-120 s"


def test_the_feedback_says_what_the_bands_say():
    said = " ".join(p.text for p in ANSWER.feedback)
    m = ANSWER.metrics
    assert f"{number(m.fillers_per_min, 1)} a minute" in said and "1 of them uncertain" in said
    assert f"paused {duration(m.longest_pause_s)}" in said and "lasted 11 s" in said and "60-120 s" in said


def test_a_pace_is_judged_as_it_is_shown():
    """129.6 wpm is shown as 130: every view calls it in the 130-160 band, feedback too."""
    from documents import even_answer
    from vivavoce.feedback import pace_point

    answer = even_answer(129.6, n_words=40)
    [pace] = [h for h in headlines(answer) if h.name == "Pace"]
    assert (pace.value, pace.in_band) == ("130 wpm", True)
    assert pace_point(answer.metrics, answer.norms).text.startswith(
        "Your pace, 130 words a minute, sits in the 130-160"
    )
