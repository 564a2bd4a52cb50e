"""The HTML report in a real browser: Debian's chromium driven by Playwright (system binary,
no `playwright install`). Skipped when chromium or Playwright is missing, except under CI."""

from __future__ import annotations

import json
import os
import wave
from pathlib import Path

import numpy as np
import pytest

from test_report_html_pure import hostile
from vivavoce.report.audio_web import ogg_opus_bytes
from vivavoce.report.html import render_html

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
SCRIPT_WORD = "<script>alert(1)</script>"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def need(ok: bool, why: str) -> None:
    if not ok:
        pytest.fail(why) if in_ci() else pytest.skip(why)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        raw = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return raw.astype(np.float32) / 32768.0, w.getframerate()


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM.exists(), f"no {CHROMIUM}: apt-get install chromium (./scripts/test installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "no Playwright: pip install playwright")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory, data_dir) -> Path:
    doc = hostile("<b>bold?</b>")
    assert doc.answers[0].words[3].word == SCRIPT_WORD
    samples, rate = read_wav(data_dir / "fw_jfk.wav")
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(doc, {"q01-a1.wav": ogg_opus_bytes(samples, rate)}), encoding="utf-8")
    return path


@pytest.fixture
def page(browser, report):
    """A fresh page on the report; fails the test on any console error, page error or dialog."""
    context = browser.new_context(accept_downloads=True)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: m.type in ("error", "assert") and problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.goto(report.as_uri())
    pg.wait_for_function("() => document.querySelector('audio').readyState >= 1")  # loadedmetadata
    yield pg
    pg.wait_for_timeout(200)  # let late errors arrive
    context.close()
    assert problems == []


def word(pg, text: str):
    return pg.locator("#answer-1 .transcript .w", has_text=text).first


def test_loads_offline_without_errors(page):
    assert page.title().startswith("<img src=x onerror=alert(3)>")
    assert page.evaluate("document.querySelector('audio').duration") == pytest.approx(11.0, abs=0.1)
    assert "nothing here was uploaded" in page.inner_text("header")


def test_clicking_a_word_seeks_the_player_to_it(page):
    page.evaluate("""() => { window.seeks = [];
        const a = document.querySelector('audio');
        a.addEventListener('seeking', () => window.seeks.push(a.currentTime)); }""")
    target = word(page, "country")
    start = float(target.get_attribute("data-start"))
    target.click()
    page.wait_for_function("() => window.seeks.length > 0")
    assert page.evaluate("window.seeks[0]") == pytest.approx(start, abs=0.05)
    assert start - 0.05 <= page.evaluate("document.querySelector('audio').currentTime") <= start + 2


def test_session_text_shows_as_text(page):
    assert page.locator("script").count() == 1  # the template's own
    assert SCRIPT_WORD in page.inner_text("#answer-1 .transcript")
    assert word(page, SCRIPT_WORD).get_attribute("data-start") == "1.460"
    assert page.inner_text("#answer-1 .question") == "<b>bold?</b>"
    assert page.locator("#answer-1 .question b").count() == 0


def test_notes_survive_a_reload_and_export(page):
    box = page.locator("#answer-2 textarea.notes")
    box.fill("Good <energy> & eye contact")
    page.reload()
    page.wait_for_load_state()
    assert page.locator("#answer-2 textarea.notes").input_value() == "Good <energy> & eye contact"
    assert page.evaluate("localStorage.getItem('vivavoce:notes:2026-11-26_023208:1')") == box.input_value()
    with page.expect_download() as download:
        page.click("#export")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["session"] == "2026-11-26_023208"
    assert [n["note"] for n in exported["notes"]] == ["", "Good <energy> & eye contact", ""]
    assert exported["notes"][0]["question"] == "<b>bold?</b>"


def test_playback_highlights_the_word_being_spoken(page):
    target = word(page, "country")
    start, end = float(target.get_attribute("data-start")), float(target.get_attribute("data-end"))
    page.evaluate(f"""() => new Promise((done) => {{
        const a = document.querySelector('audio');
        a.addEventListener('seeked', () => {{ a.dispatchEvent(new Event('timeupdate')); done(); }}, {{once: true}});
        a.currentTime = {(start + end) / 2}; }})""")
    assert page.locator(".w.now").count() == 1
    assert page.inner_text(".w.now") == "country"
    page.evaluate("() => { const a = document.querySelector('audio'); a.muted = true; a.currentTime = 0; a.play(); }")
    page.wait_for_function(
        """() => {  // real playback moves the highlight on, word by word
        const a = document.querySelector('audio'), now = document.querySelector('.w.now');
        return a.currentTime > 1.2 && now !== null && parseFloat(now.dataset.start) >= 1.0; }""",
        timeout=5000,
    )
    page.evaluate("document.querySelector('audio').pause()")
