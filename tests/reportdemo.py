"""Long answers and whole stores for the HTML reports, built through the real scoring path:
timed words of a STAR story said at a chosen pace, um/uh written and detected, long
pauses, and a buzzing stand-in recording whose loudness follows the words (so a
timeline's envelope lines up with its words). Used by tests and scripts/screenshots."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from documents import MODEL, spans_of
from vivavoce.analysis.fillers import Filler
from vivavoce.analysis.norms import Norms
from vivavoce.answer import Answer, AskedQuestion, Take
from vivavoce.audio import SAMPLE_RATE_HZ, write_wav
from vivavoce.scoring import Heard, score_answer, unscored
from vivavoce.store import Store
from vivavoce.transcript import Transcript, Word

STORY = [
    "When I was at my previous company the team was missing every release date.",
    "My role was to get the releases back on schedule within one quarter.",
    "So I met every engineer, um, and I proposed a weekly release train.",
    "Then I wrote the checklist and I ran the first three releases myself.",
    "As a result we cut the delay from three weeks to two days.",
    "I learned to ask for help early, and uh to share the numbers every week.",
]
QUESTIONS = [
    AskedQuestion(
        "q1",
        "Tell me about a change you led.",
        (60.0, 120.0),
        "leading change",
        "behavioural",
        ("the release train", "what you learned"),
    ),
    AskedQuestion(
        "q2",
        "Describe a conflict in your team and how you handled it.",
        (60.0, 120.0),
        "conflict",
        "behavioural",
        ("how you listened",),
    ),
    AskedQuestion("q3", "Why do you want this role?", (45.0, 90.0), "motivation", "motivational"),
    AskedQuestion(
        "q4", "How would you plan a migration with no downtime?", (90.0, 150.0), "planning", "technical discussion"
    ),
    AskedQuestion("q5", "Tell me about a time you failed.", (60.0, 120.0), "self-awareness", "behavioural"),
]


def story_words(
    length_s: float, wpm: float, long_pause_every: int = 4, um_every: int = 9
) -> tuple[list[Word], list[Filler]]:
    """The story, round and round, at ``wpm`` for ``length_s``: a 0.5 s pause between sentences, a
    1.8 s pause in every ``long_pause_every``-th sentence, and an um the detector finds (sure
    and unsure in turn) in every ``um_every``-th gap."""
    word_s = 60.0 / wpm
    words: list[Word] = []
    detected: list[Filler] = []
    t, n_sentence, n_gap = 0.4, 0, 0
    while t < length_s - 5:
        sentence = STORY[n_sentence % len(STORY)].split()
        for i, text in enumerate(sentence):
            words.append(Word(text, round(t, 3), round(t + word_s * 0.85, 3), 0.9))
            t += word_s
            if i == len(sentence) // 2 and n_sentence % long_pause_every == long_pause_every - 1:
                t += 1.8
            n_gap += 1
            if n_gap % um_every == 0:
                detected.append(
                    Filler("um", round(t, 3), round(t + 0.3, 3), confidence=(0.9, 0.5)[n_gap % 2], source="detector")
                )
                t += 0.45
        t += 0.5
        n_sentence += 1
    return words, detected


def long_answer(
    question: AskedQuestion,
    number: int,
    attempt: int = 1,
    length_s: float = 120.0,
    wpm: float = 150.0,
    norms: Norms = Norms(),
    um_every: int = 9,
    parent: AskedQuestion | None = None,
) -> Answer:
    words, detected = story_words(length_s, wpm, um_every=um_every)
    heard = Heard(Transcript(words, length_s, MODEL), spans_of(words), tuple(detected))
    if parent is not None:
        question = replace(question, follow_up_of=parent.id, parent_text=parent.text)
    take = Take(audio_name(number, question.id, attempt), length_s, "2026-11-26T02:32:20+00:00", "silence", 0.6, 0)
    return score_answer(heard, take, norms, question, number, attempt)


def audio_name(number: int, question_id: str, attempt: int) -> str:
    return f"q{number:02d}-{question_id}-a{attempt}.wav"


def buzz(answer: Answer) -> np.ndarray:
    """A stand-in recording: a buzzing voice during each word, quiet hiss between them."""
    n = int((answer.take.duration_s or 0) * SAMPLE_RATE_HZ)
    rng = np.random.default_rng(answer.number * 10 + answer.attempt)
    samples = rng.normal(0, 0.002, n).astype(np.float32)
    for w in answer.words:
        a, b = int(w.start_s * SAMPLE_RATE_HZ), min(int(w.end_s * SAMPLE_RATE_HZ), n)
        t = np.arange(b - a) / SAMPLE_RATE_HZ
        voice = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 6)) * np.hanning(b - a)
        samples[a:b] += (0.15 + 0.1 * rng.random()) * voice.astype(np.float32)
    return np.clip(samples, -1, 1)


def demo_answers(pace: float = 175.0, length_s: float = 120.0, count: int = 10) -> list[Answer]:
    """A session's answers: questions in turn, the second retried, a follow-up to the first."""
    out = [
        long_answer(QUESTIONS[0], 1, wpm=pace, length_s=length_s),
        long_answer(QUESTIONS[1], 2, 1, length_s, pace + 25, um_every=5),
        long_answer(QUESTIONS[1], 2, 2, length_s, pace, um_every=11),
        long_answer(
            replace(QUESTIONS[0], id="q1f", text="What would you do differently next time?", talking_points=()),
            1,
            1,
            length_s * 0.6,
            pace,
            parent=QUESTIONS[0],
        ),
    ]
    number = 3
    while len(out) < count:
        q = QUESTIONS[(number - 1) % len(QUESTIONS)]
        out.append(long_answer(replace(q, id=f"{q.id}-{number}"), number, 1, length_s, pace - 10 + 7 * number))
        number += 1
    return out[:count]


def save_session(store: Store, answers: list[Answer], pack: dict, with_audio: bool = True) -> str:
    session = store.new_session(pack, MODEL)
    for a in answers:
        if with_audio and not a.error:
            write_wav(session.folder / a.take.audio, buzz(a))
        session.add_answer(a)
    session.finish()
    return session.id


def demo_store(data_dir: Path, sessions: int = 4, length_s: float = 40.0) -> Store:
    """A store with a few sessions of two packs that get better: pace down into the band, fewer ums."""
    store = Store(data_dir)
    packs = [{"id": "starter", "title": "Starter questions"}, {"id": "leadership", "title": "Leadership"}]
    for i in range(sessions):
        answers = [
            long_answer(QUESTIONS[0], 1, length_s=length_s, wpm=185 - 12 * i, um_every=4 + 2 * i),
            long_answer(QUESTIONS[1 + i % 2], 2, length_s=length_s * 1.5, wpm=175 - 10 * i, um_every=5 + i),
            unscored(
                Take("q03-a1.wav", 20.0, ended_by="no-answer"), Norms(), "no answer heard", MODEL, QUESTIONS[2], 3
            ),
        ]
        save_session(store, answers, packs[i % 2], with_audio=False)
    return store
