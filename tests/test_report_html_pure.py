"""The HTML report as a string, no browser: escaping, clickable words, marks, no outside URLs."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from vivavoce.report.html import render_html

JFK = [("And", 0.0, 0.74), ("so", 0.74, 1.06), ("my", 1.06, 1.46), ("fellow", 1.46, 1.76),
       ("Americans,", 1.76, 2.26), ("ask", 3.89, 4.2), ("not", 4.2, 4.52), ("what", 4.52, 5.7),
       ("your", 5.7, 6.02), ("country", 6.02, 6.34), ("can", 6.34, 6.76), ("do", 6.76, 7.02),
       ("for", 7.02, 7.26), ("you,", 7.26, 7.58), ("ask", 8.06, 8.66), ("what", 8.66, 8.94),
       ("you", 8.94, 9.28), ("can", 9.28, 9.5), ("do", 9.5, 9.72), ("for", 9.72, 9.92),
       ("your", 9.92, 10.22), ("country.", 10.22, 10.54)]  # fmt: skip


def session_doc() -> dict:
    """A small session: one analysed answer (JFK, 11 s), one with an error, one with no words."""
    words = [{"word": f" {w}", "start_s": s, "end_s": e, "probability": 0.9} for w, s, e in JFK]
    metrics = {
        "answer_s": 11.0, "speaking_s": 9.5, "word_count": len(words), "wpm": 138.9, "latency_s": 0.29,
        "fillers": {"count": 1, "per_min": 6.3, "by_kind": {"non-lexical": 1, "discourse": 1, "repetition": 0},
                    "items": [{"word": "so", "start_s": 0.74, "end_s": 1.06, "kind": "discourse",
                               "confidence": 1.0, "source": "transcript"},
                              {"word": "um", "start_s": 2.5, "end_s": 2.9, "kind": "non-lexical",
                               "confidence": 0.6, "source": "detector"}]},
        "pauses": {"count": 2, "long_count": 1, "longest_s": 1.62,
                   "items": [{"start_s": 2.27, "end_s": 3.89, "location": "mid-sentence", "duration_s": 1.62},
                             {"start_s": 7.6, "end_s": 8.05, "location": "end-of-sentence", "duration_s": 0.45}]},
        "pace": {"windows": [{"start_s": 0.29, "end_s": 5.29, "wpm": 150.0},
                             {"start_s": 5.29, "end_s": 10.54, "wpm": 115.0}]},
        "language": {"hedges": {"count": 1, "items": [{"text": "what", "start_s": 4.52, "end_s": 5.7}]}},
    }  # fmt: skip
    analysed = {
        "question": {"id": "q1", "text": "Tell me about a change you led.", "target_s": [60.0, 120.0],
                     "talking_points": ["What <you> did & why"]},
        "attempt": 1, "audio": "q01-a1.wav", "duration_s": 11.0,
        "transcript": {"text": " ".join(w for w, _, _ in JFK), "words": words}, "metrics": metrics,
        "feedback": [{"kind": "strength", "text": "Clear & calm.", "at_s": None},
                     {"kind": "work-on", "text": "A long pause mid-sentence.", "at_s": 2.27}],
        "error": None,
    }  # fmt: skip
    failed = {"question": {"id": "q2", "text": "Why this role?", "target_s": [60.0, 120.0]}, "attempt": 1,
              "audio": "q02-a1.wav", "duration_s": 3.0, "transcript": None, "metrics": None, "feedback": [],
              "error": "no answer heard"}  # fmt: skip
    quiet = {"question": {"id": "q3", "text": "Anything else?"}, "attempt": 2, "audio": "q03-a2.wav",
             "duration_s": 4.0, "transcript": {"text": "", "words": []}, "metrics": {}, "feedback": []}  # fmt: skip
    return {"schema": 1, "id": "2026-11-26_023208", "started_at": "2026-11-26T02:32:08+00:00",
            "pack": {"id": "leadership", "title": "Leadership & executive roles"}, "model": "tiny.en (bundled)",
            "answers": [analysed, failed, quiet]}  # fmt: skip


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


def hostile() -> dict:
    doc = session_doc()
    doc["answers"][0]["transcript"]["words"][3]["word"] = "<script>alert(1)</script>"
    doc["answers"][0]["question"]["text"] = "<b>bold?</b> </script><script>alert(2)</script>"
    doc["pack"]["title"] = "<img src=x onerror=alert(3)>"
    return doc


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
    assert "discourse" in by_text["so"] and "hedge" in by_text["what"]
    assert "filler" in by_text["[um?]"]  # detected, unsure: inserted with a question mark
    assert re.search(r'class="pause" data-start="2.270"[^>]*>\[1.6 s\]<', page)
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
    assert "(no words heard)" in quiet and "attempt 2" in quiet
    assert page.count('<textarea class="notes"') == 3
    assert render_html({}, {}).count("<section") == 0


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(str.strip))
def test_any_word_shows_as_itself(word):
    doc = session_doc()
    doc["answers"][0]["transcript"]["words"][0]["word"] = word
    doc["answers"][0]["question"]["text"] = word
    parsed = parse(render_html(doc, {}))
    assert parsed.spans[0][2] == word.strip()
    assert parsed.scripts == 1
