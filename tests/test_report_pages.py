"""The HTML pages as strings, no browser: the session overview, timelines, stored notes, the
progress and batch pages, and the commands that write them (notes import, progress --html)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner

from documents import JFK, jfk_answer, no_answer, session
from reportdemo import QUESTIONS, demo_answers, demo_store, long_answer
from vivavoce.cli import cli
from vivavoce.jsonrecord import error_record, to_record
from vivavoce.report.html import render_html
from vivavoce.report.html.batch import render_batch
from vivavoce.report.html.overview import top_points
from vivavoce.report.html.progress import METRICS, render_progress
from vivavoce.store import Store


def section(page: str, n: int) -> str:
    return page.split(f'id="answer-{n}"')[1].split("</section>")[0]


@pytest.mark.parametrize("answer", [jfk_answer(), long_answer(QUESTIONS[0], 1, length_s=60.0)], ids=["jfk", "long"])
def test_a_timeline_has_one_marker_per_filler_and_long_pause(answer):
    record = to_record(answer)
    timeline = section(render_html(session(answer), {}), 1).split("</figure>")[0]
    sure = len(re.findall(r'class="marker filler sure"', timeline))
    unsure = len(re.findall(r'class="marker filler unsure"', timeline))
    assert sure + unsure == record["fillers"]["count"] > 0
    assert unsure == answer.uncertain_fillers
    assert len(re.findall(r'class="marker pause', timeline)) == record["pauses"]["long_count"] > 0
    assert 'class="band-label"' in timeline and "target 130-160 wpm" in timeline
    assert "time into the answer (m:ss)" in timeline and ">pace, wpm<" in timeline
    assert 'role="slider"' in timeline and "Timeline over" in timeline  # keyboard and words


def test_the_timeline_draws_the_loudness_envelope_when_given():
    answer = jfk_answer()
    with_envelope = render_html(session(answer), {}, {answer.take.audio: (0.1, 0.9, 0.5)})
    assert 'class="env"' in with_envelope and ">loudness<" in with_envelope
    assert 'class="speech"' in render_html(session(answer), {})  # without: the speech spans


def test_the_overview_has_a_row_per_question_the_try_kept_and_retries():
    answers = demo_answers(length_s=30.0, count=6)
    page = render_html(session(*answers), {})
    overview = page.split('<section class="overview"')[1].split("</section>")[0]
    rows = re.findall(r'<tr><td class="q"', overview)
    assert len(rows) == 5  # Q1, Q2 (two tries), Q1 follow-up, Q3, Q4
    assert "try 2 of 2" in overview and "Question 1 follow-up" in overview
    assert "try 1 vs try 2" in overview and "Um/uh a minute" in overview
    assert "130-160 wpm" in overview and ("✓" in overview or "✗" in overview)
    assert overview.count('<li><a href="#answer-') == 3 + 1  # three points, one retry


def test_the_top_points_are_three_about_different_things():
    answers = demo_answers(length_s=40.0, count=5)
    points = top_points(session(*answers))
    assert len(points) == 3
    assert len({text.split()[1] for _, _, text, _ in points}) == 3  # "said", "paused", "answer"...


def test_stored_notes_show_in_their_answer_escaped():
    page = render_html(session(jfk_answer(), no_answer()), {}, notes={2: "Good <energy> & pace"})
    assert "Good &lt;energy&gt; &amp; pace</textarea>" in section(page, 2)
    assert "></textarea>" in section(page, 1)


def test_the_store_keeps_notes_and_removes_emptied_ones(tmp_path):
    store = Store(tmp_path)
    session_id = store.new_session({"id": "p"}, "m").id
    store.save_notes(session_id, {1: "first", 2: "second"})
    store.save_notes(session_id, {2: " ", 3: "third"})
    assert store.notes(session_id) == {1: "first", 3: "third"}
    store.delete(session_id)
    assert store.notes(session_id) == {}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store = demo_store(tmp_path_factory.mktemp("home"), sessions=3, length_s=30.0)
    yield store
    store.close()


def test_the_progress_page_charts_every_metric_for_all_sessions_each_pack_and_competency(demo):
    sessions = demo.sessions()
    page = render_progress(sessions, {sessions[0].id: "first.html"})
    groups = re.findall(r'<section class="group" data-group="([^"]+)"', page)
    assert groups == ["all", "pack-0", "pack-1", "competency-0", "competency-1", "competency-2"]
    all_charts = page.split('data-group="all"')[1].split("</section>")[0]
    assert all_charts.count('<figure class="chart"') == len(METRICS)
    assert all_charts.count("<circle") == len(METRICS) * len(sessions)
    assert all_charts.count('<a href="first.html"') == len(METRICS)
    assert "target 130-160 wpm" in all_charts and "up to 5 a minute" in all_charts
    assert "Competency: leading change" in page and "Pack: Leadership" in page


def test_the_batch_page_plots_the_files_and_lists_failures(tmp_path):
    answers = [jfk_answer(), long_answer(QUESTIONS[1], 1, length_s=30.0)]
    records = [
        to_record(replace(a, take=replace(a.take, audio=f"/data/<b>{i}</b>.wav"))) for i, a in enumerate(answers)
    ]
    records.append(error_record("/data/bad.wav", "cannot read it: <not audio>"))
    page = render_batch(records)
    assert "2 of 3 file(s) scored in /data" in page
    assert page.count('<figure class="chart"') == 4
    pace = page.split('id="dist-pace"')[1].split("</figure>")[0]
    assert pace.count("<circle") == 2 and "target 130-160 wpm" in pace
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr") == 3 and rows.count('<tr class="failed">') == 1
    assert "&lt;b&gt;0&lt;/b&gt;.wav" in rows and "<b>0" not in page
    assert "Error: cannot read it: &lt;not audio&gt;" in rows


def viva(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_notes_import_stores_them_with_the_session_for_the_next_report(tmp_path):
    store = Store(tmp_path)
    s = store.new_session({"id": "p", "title": "P"}, "m")
    s.add_answer(jfk_answer())
    store.close()
    notes = tmp_path / "notes.json"
    notes.write_text(json.dumps({"session": s.id, "notes": [{"answer": 1, "note": "Lovely <pace>"}]}))
    result = viva("notes", "import", notes, "--data-dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Stored 1 note(s) with session {s.id}. The next report shows them: viva report {s.id} -o FILE\n"
    )
    assert Store(tmp_path).notes(s.id) == {1: "Lovely <pace>"}


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "is not JSON"),
        ('{"notes": []}', "is not a notes file exported by a vivavoce report"),
        ('{"session": "nope", "notes": []}', "no session 'nope' here"),
        ('{"session": "SESSION", "notes": [{"answer": 0, "note": "x"}]}', "note 1 needs an answer number"),
        ('{"session": "SESSION", "notes": [{"answer": 2, "note": "x"}]}', "has a note on answer 2; session"),
    ],
)
def test_notes_import_refuses_what_it_cannot_store(tmp_path, content, message):
    store = Store(tmp_path)
    s = store.new_session({"id": "p"}, "m")
    s.add_answer(jfk_answer())
    store.close()
    notes = tmp_path / "notes.json"
    notes.write_text(content.replace("SESSION", s.id))
    result = viva("notes", "import", notes, "--data-dir", tmp_path)
    assert result.exit_code == 1 and message in result.output and "Tip: " in result.output


def test_progress_html_writes_the_page_and_links_reports_beside_it(tmp_path, demo):
    ids = demo.session_ids()
    out = tmp_path / "pages"
    out.mkdir()
    (out / f"{ids[1]}.html").write_text("report")
    result = viva("progress", "--html", "-o", out / "progress.html", "--data-dir", demo.data_dir)
    assert result.exit_code == 0 and result.output == f"Wrote {out / 'progress.html'}\n"
    page = (out / "progress.html").read_text()
    assert page.count(f'href="{ids[1]}.html"') > 0 and f'href="{ids[0]}.html"' not in page
    assert "--html and -o FILE go together" in viva("progress", "--html", "--data-dir", demo.data_dir).output


def test_every_string_on_the_progress_page_is_escaped(demo):
    sessions = [replace(s, pack_title="<img src=x onerror=alert(1)>") for s in demo.sessions()]
    page = render_progress(sessions)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<script>") == 1


def test_words_with_markup_stay_text_on_the_timeline():
    words = [("<svg onload=alert(1)>", *JFK[0][1:]), *JFK[1:]]
    page = render_html(session(jfk_answer(words=words)), {})
    assert "<svg onload" not in page and "&lt;svg onload=alert(1)&gt;" in page
