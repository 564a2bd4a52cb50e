"""The session, progress and batch pages in headless Chromium (as test_report_html): the overview
in the first screen, timeline markers, seeking from the timeline, notes import, and the
progress and batch pages drawn from a real store and real `viva score` output."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from documents import session
from reportdemo import demo_answers, demo_store
from test_report_html import SCRIPT_WORD, browser, hostile, read_wav, report  # noqa: F401 (fixtures)
from vivavoce.cli import cli
from vivavoce.jsonrecord import to_record
from vivavoce.report.html import render_html

pytestmark = pytest.mark.e2e
SCREEN = {"width": 1366, "height": 768}
assert SCRIPT_WORD and read_wav  # used through the report fixture


@contextlib.contextmanager
def opened(browser, path: Path, **context):  # noqa: F811
    """A page on ``path`` at 1366x768; fails on any console error, page error or dialog."""
    ctx = browser.new_context(viewport=SCREEN, accept_downloads=True, **context)
    pg = ctx.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: m.type in ("error", "assert") and problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.goto(path.as_uri())
    try:
        yield pg
        pg.wait_for_timeout(100)
    finally:
        ctx.close()
    assert problems == []


def wait_for_audio(pg, n: int = 1) -> None:
    pg.wait_for_function(f"() => document.querySelector('#answer-{n} audio').readyState >= 1")


def watch_seeks(pg) -> None:
    pg.evaluate("""() => { window.seeks = [];
        const a = document.querySelector('#answer-1 audio');
        a.addEventListener('seeking', () => window.seeks.push(a.currentTime)); }""")


def test_the_overview_is_in_the_first_screen(browser, tmp_path):  # noqa: F811
    path = tmp_path / "ten.html"
    path.write_text(render_html(session(*demo_answers(length_s=30.0, count=10)), {}), encoding="utf-8")
    with opened(browser, path) as pg:
        box = pg.locator("section.overview").bounding_box()
        assert box["y"] + box["height"] <= SCREEN["height"]
        assert pg.locator("section.overview tbody tr").count() == 9  # one question was tried twice
        assert pg.locator("ol.top-points li").count() == 3 and pg.locator("ul.retries > li").count() == 1


def test_timeline_markers_are_the_records(browser, report):  # noqa: F811
    record = to_record(hostile("<b>bold?</b>").answers[0])
    with opened(browser, report) as pg:
        timeline = pg.locator("#answer-1 .timeline")
        assert timeline.locator(".marker.filler").count() == record["fillers"]["count"]
        assert timeline.locator(".marker.pause").count() == record["pauses"]["long_count"]
        assert pg.locator("#answer-1 figcaption").inner_text().startswith("Timeline over 0:11")


def test_clicking_the_timeline_plays_from_there_and_the_playhead_follows(browser, report):  # noqa: F811
    with opened(browser, report) as pg:
        wait_for_audio(pg)
        watch_seeks(pg)
        bar = pg.locator("#answer-1 .timeline")
        d = bar.evaluate("b => ({...b.dataset})")
        left, right, width, duration = (float(d[k]) for k in ("left", "right", "width", "duration"))
        box = bar.bounding_box()
        x = (left + 6.0 / duration * (right - left)) / width * box["width"]
        bar.click(position={"x": x, "y": box["height"] / 2})
        pg.wait_for_function("() => window.seeks.length > 0")
        assert pg.evaluate("window.seeks[0]") == pytest.approx(6.0, abs=0.1)
        pg.evaluate("() => document.querySelector('#answer-1 audio').dispatchEvent(new Event('timeupdate'))")
        head = float(pg.locator("#answer-1 .playhead").get_attribute("x1"))
        assert head > left + 0.5 * (right - left)
        assert bar.get_attribute("aria-valuetext").startswith("0:0")
        pg.evaluate("document.querySelector('#answer-1 audio').pause()")


def test_the_arrow_keys_seek_on_the_timeline(browser, report):  # noqa: F811
    with opened(browser, report) as pg:
        wait_for_audio(pg)
        watch_seeks(pg)
        pg.evaluate("() => { const a = document.querySelector('#answer-1 audio'); a.muted = true; }")
        pg.locator("#answer-1 .timeline").focus()
        pg.keyboard.press("ArrowRight")
        pg.wait_for_function("() => window.seeks.length > 0")
        assert pg.evaluate("window.seeks[0]") == pytest.approx(5.0, abs=0.3)
        pg.evaluate("document.querySelector('#answer-1 audio').pause()")


def test_notes_import_restores_what_export_wrote(browser, report, tmp_path):  # noqa: F811
    with opened(browser, report) as pg:
        pg.locator("#answer-1 textarea.notes").fill("Open <strong>")
        pg.locator("#answer-3 textarea.notes").fill("Quiet & short")
        with pg.expect_download() as download:
            pg.click("#export")
        exported = tmp_path / "notes.json"
        download.value.save_as(exported)
    with opened(browser, report) as pg:  # a fresh browser profile: nothing kept
        assert pg.locator("#answer-1 textarea.notes").input_value() == ""
        with pg.expect_file_chooser() as chooser:
            pg.click("#import-button")
        chooser.value.set_files(str(exported))
        pg.wait_for_function("() => document.getElementById('notes-status').textContent.startsWith('Imported')")
        values = [pg.locator(f"#answer-{n} textarea.notes").input_value() for n in (1, 2, 3)]
        assert values == ["Open <strong>", "", "Quiet & short"]
        assert pg.inner_text("#notes-status") == "Imported the notes for 3 answer(s)."


def viva(*args) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def test_the_progress_page_of_a_real_store_charts_and_links(browser, tmp_path):  # noqa: F811
    store = demo_store(tmp_path / "home", sessions=3, length_s=30.0)
    ids = store.session_ids()
    store.close()
    viva("report", ids[1], "-o", tmp_path / f"{ids[1]}.html", "--data-dir", tmp_path / "home")
    viva("progress", "--html", "-o", tmp_path / "progress.html", "--data-dir", tmp_path / "home")
    with opened(browser, tmp_path / "progress.html") as pg:
        shown = pg.locator("section.group:visible")
        assert shown.count() == 1 and shown.locator("figure.chart").count() == 5
        assert shown.locator("figure.chart").first.locator("circle").count() == 3
        pg.select_option("#group", label="Pack: Leadership")
        assert pg.locator("section.group:visible h2").inner_text() == "Pack: Leadership"
        pg.select_option("#group", value="all")
        pg.locator('section.group:visible a[href$=".html"]').first.click()
        pg.wait_for_url(f"**/{ids[1]}.html")
        assert pg.locator("section.overview").count() == 1


@pytest.mark.model
def test_the_batch_page_of_real_viva_score_output_sorts_and_plots(browser, tmp_path, data_dir):  # noqa: F811
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    out = tmp_path / "batch.html"
    result = CliRunner().invoke(
        cli,
        [
            "score",
            str(data_dir / "fw_jfk.wav"),
            str(data_dir / "mfa_cold_corpus.wav"),
            str(bad),
            "--format",
            "html",
            "-o",
            str(out),
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1 and out.is_file()  # one file failed
    with opened(browser, out) as pg:
        assert pg.locator("figure.chart").count() == 4
        assert pg.locator("#dist-pace circle").count() == 2
        assert pg.locator("tbody tr").count() == 3 and pg.locator("tbody tr.failed").count() == 1
        pg.click("th >> text=Pace")
        assert pg.locator("th[aria-sort]").text_content() == "Pace"
        assert pg.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
        paces = [
            float(c)
            for c in pg.locator("tbody tr:not(.failed) td:nth-child(2)").all_inner_texts()
            for c in [c.split()[0]]
        ]
        assert paces == sorted(paces)
        assert pg.title() == "viva score · vivavoce"
