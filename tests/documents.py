"""Answer documents for tests, built the way the product builds them: hand-made timed
words (JFK's inaugural line, times from Whisper) through the real scoring path."""

from __future__ import annotations

from vivavoce.analysis.fillers import Filler
from vivavoce.analysis.norms import Norms
from vivavoce.answer import Answer, AskedQuestion, Session, Take
from vivavoce.scoring import Heard, score_answer, unscored
from vivavoce.transcript import Span, Transcript, Word

JFK = [
    ("And", 0.0, 0.74),
    ("so", 0.74, 1.06),
    ("my", 1.06, 1.46),
    ("fellow", 1.46, 1.76),
    ("Americans,", 1.76, 2.26),
    ("ask", 3.89, 4.2),
    ("not", 4.2, 4.52),
    ("what", 4.52, 5.7),
    ("your", 5.7, 6.02),
    ("country", 6.02, 6.34),
    ("can", 6.34, 6.76),
    ("do", 6.76, 7.02),
    ("for", 7.02, 7.26),
    ("you,", 7.26, 7.58),
    ("ask", 8.06, 8.66),
    ("what", 8.66, 8.94),
    ("you", 8.94, 9.28),
    ("can", 9.28, 9.5),
    ("do", 9.5, 9.72),
    ("for", 9.72, 9.92),
    ("your", 9.92, 10.22),
    ("country.", 10.22, 10.54),
]
MODEL = "tiny.en (bundled)"
QUESTION = AskedQuestion(
    "q1",
    "Tell me about a change you led.",
    (60.0, 120.0),
    "leading change",
    "behavioural",
    ("What <you> did & why", "what your country can do"),
)


def spans_of(words: list[Word], gap_s: float = 0.25) -> tuple[Span, ...]:
    """Speech spans as a VAD would find them: words joined across gaps under ``gap_s``."""
    spans: list[Span] = []
    for w in words:
        if spans and w.start_s - spans[-1].end_s < gap_s:
            spans[-1] = Span(spans[-1].start_s, w.end_s)
        else:
            spans.append(Span(w.start_s, w.end_s))
    return tuple(spans)


def jfk_answer(
    norms: Norms = Norms(),
    question: AskedQuestion | None = QUESTION,
    number: int = 1,
    attempt: int = 1,
    words=JFK,
    duration_s: float = 11.0,
) -> Answer:
    timed = [Word(w, s, e, 0.9) for w, s, e in words]
    detected = (Filler("um", 2.5, 2.9, confidence=0.4, source="detector"),)
    heard = Heard(Transcript(timed, duration_s, MODEL), spans_of(timed), detected)
    take = Take(f"q{number:02d}-a{attempt}.wav", duration_s, "2026-11-26T02:32:20+00:00", "silence", 0.29, 0, 2)
    return score_answer(heard, take, norms, question, number, attempt)


def no_answer(number: int = 2, norms: Norms = Norms()) -> Answer:
    q = AskedQuestion("q2", "Why this role?", (60.0, 120.0))
    return unscored(
        Take(f"q{number:02d}-a1.wav", 20.0, ended_by="no-answer"), norms, "no answer heard", MODEL, q, number
    )


def session(*answers: Answer, session_id: str = "2026-11-26_023208", pack_title: str = "Leadership & roles") -> Session:
    return Session(
        session_id,
        "2026-11-26T02:32:08+00:00",
        "2026-11-26T02:40:00+00:00",
        False,
        "leadership",
        pack_title,
        MODEL,
        "0.1.0",
        "/nonexistent",
        tuple(answers),
    )


def even_answer(
    wpm: float,
    number: int = 1,
    attempt: int = 1,
    question_id: str = "q1",
    text: str = "<b>Lead?</b>",
    n_words: int = 20,
    norms: Norms = Norms(),
) -> Answer:
    """An answer of ``n_words`` words said back to back at exactly ``wpm``."""
    word_s = 60.0 / wpm
    words = [(f"word{i}" + ("." if i == n_words - 1 else ""), i * word_s, (i + 1) * word_s) for i in range(n_words)]
    question = AskedQuestion(question_id, text, (60.0, 120.0))
    return jfk_answer(norms, question, number, attempt, words, duration_s=n_words * word_s + 1.0)
