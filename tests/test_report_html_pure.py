"""The HTML report as a string, no browser: escaping, clickable words, marks, no outside URLs."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from documents import JFK, QUESTION, jfk_answer, no_answer, session
from vivavoce.analysis.norms import Norms
from vivavoce.answer import Session
from vivavoce.report.html import render_html


def session_doc(**options) -> Session:
    """A small session: one analysed answer (JFK, 11 s), one not heard, one retry with no words."""
    norms = options.get("norms", Norms())
    quiet = jfk_answer(norms, number=3, attempt=2, words=[], duration_s=4.0)
    return session(jfk_answer(**options), no_answer(2, norms), quiet)


def hostile(question_text: str = "<b>bold?</b> </script><script>alert(2)</script>") -> Session:
    words = list(JFK)
    words[3] = ("<script>alert(1)</script>", *JFK[3][1:])
    question = replace(QUESTION, text=question_text)
    doc = session_doc(words=words, question=question)
    return replace(doc, pack_title="<img src=x onerror=alert(3)>")


class Spans(HTMLParser):
    """The transcript spans (class "w") in order: (classes, data-start, text)."""

    def __init__(self):
        super().__init__()
        self.spans: list[list] = []
        self.open = None
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.scripts += tag == "script"
        if tag == "span" and "w" in (a.get("class") or "").split():
            self.open = [a["class"].split(), a.get("data-start"), ""]

    def handle_data(self, data):
        if self.open is not None:
            self.open[2] += data

    def handle_endtag(self, tag):
        if tag == "span" and self.open is not None:
            self.spans.append(self.open)
            self.open = None


def parse(page: str) -> Spans:
    parser = Spans()
    parser.feed(page)
    parser.close()
    return parser


def test_text_from_the_session_is_escaped():
    page = render_html(hostile(), {})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold?&lt;/b&gt;" in page and "<b>bold" not in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(3)&gt;" in page
    assert "alert(2)" in page and page.count("</script>") == 1  # the JSON for the notes escapes "<"
    assert parse(page).scripts == 1


def test_every_word_is_a_clickable_span_in_time_order():
    doc = session_doc()
    spans = parse(render_html(doc, {})).spans
    written = [s for s in spans if "ins" not in s[0]]
    assert [s[2] for s in written] == [w for w, _, _ in JFK]
    assert [float(s[1]) for s in written] == [s for _, s, _ in JFK]
    starts = [float(s[1]) for s in spans]
    assert starts == sorted(starts)


def test_marks_fillers_hedges_discourse_and_long_pauses():
    page = render_html(session_doc(), {})
    spans = parse(page).spans
    by_text = {}
    for classes, _, text in spans:
        by_text.setdefault(text, classes)  # the first of each
    assert "filler" in by_text["[um?]"]  # detected, unsure: inserted with a question mark
    assert re.search(r'class="pause" data-start="2.260"[^>]*>\[1.6 s\]<', page)
    assert "[0.5 s]" not in page  # short pauses are not marked
    assert 'class="band"' in page and "<svg" in page


def test_no_outside_urls_and_audio_inline():
    page = render_html(session_doc(), {"q01-a1.wav": b"OggS fake"})
    assert not re.search(r"https?://|//[a-z0-9-]+\.[a-z]", page, re.I)
    assert set(re.findall(r'\b(?:src|href)="([a-z]+):', page)) == {"data"}
    assert page.count("<audio") == 1 and "data:audio/ogg;base64,T2dnUyBmYWtl" in page


def test_error_and_empty_answers():
    page = render_html(session_doc(), {})
    failed = page.split('id="answer-2"')[1].split("</section>")[0]
    assert "no answer heard" in failed and "transcript" not in failed
    quiet = page.split('id="answer-3"')[1].split("</section>")[0]
    assert "(no words heard)" in quiet and "Question 3, try 2" in quiet
    assert page.count('<textarea class="notes"') == 3
    assert render_html(session(), {}).count("<section") == 0


def test_norms_in_effect_mark_the_pauses_and_band():
    page = render_html(session_doc(norms=Norms(pace_wpm=(100.0, 120.0), long_pause_s=0.4)), {})
    assert "[1.6 s]" in page and "[0.5 s]" in page  # both pauses are long under a 0.4 s norm
    assert "100-120 wpm" in page and "130-160" not in page
    assert "pause of 0.4 s or more" in page


def test_talking_points_covered_and_missed():
    page = render_html(session_doc(), {})
    assert "Missed: What &lt;you&gt; did &amp; why" in page and "Covered: what your country can do" in page


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(str.strip))
def test_any_word_shows_as_itself(word):
    doc = session_doc(words=[(word, 0.0, 0.74), *JFK[1:]], question=replace(QUESTION, text=word))
    parsed = parse(render_html(doc, {}))
    assert parsed.spans[0][2] == word.strip()
    assert parsed.scripts == 1
