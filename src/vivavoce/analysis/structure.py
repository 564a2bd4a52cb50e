"""A rough STAR split (Situation, Task, Action, Result) from the transcript's sentences.

Each sentence is labelled by cue phrases; unlabelled sentences take the label of the
sentence before (answers run S -> T -> A -> R). It is a heuristic, shown as "rough".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vivavoce.transcript import Word

PARTS = ("situation", "task", "action", "result")
CUES = {
    "situation": (
        r"\bwhen i was\b",
        r"\bat my (previous|last|old)\b",
        r"\bback (in|when)\b",
        r"\bthere was\b",
        r"\bwe were\b",
        r"\bthe company\b",
        r"\bthe team was\b",
        r"\bcontext\b",
        r"\bat the time\b",
        r"\bi was working\b",
        r"\bi worked (at|for)\b",
        r"\ba few years ago\b",
    ),
    "task": (
        r"\bmy (role|job|task|responsibility)\b",
        r"\bi was (responsible|asked|tasked)\b",
        r"\bi (had|needed) to\b",
        r"\bthe goal\b",
        r"\bour goal\b",
        r"\bthe challenge\b",
        r"\bthe problem was\b",
        r"\bi was supposed to\b",
    ),
    "action": (
        r"\bi (decided|led|built|started|organi[sz]ed|met|talked|spoke|created|set up|proposed|wrote|"
        r"introduced|convinced|brought|asked|changed|designed|ran|worked with|made sure|focused)\b",
        r"\bso i\b",
        r"\bfirst,? i\b",
        r"\bthen i\b",
        r"\bwhat i did\b",
        r"\bmy approach\b",
    ),
    "result": (
        r"\bas a result\b",
        r"\bin the end\b",
        r"\bresult(ed|s)?\b",
        r"\boutcome\b",
        r"\bwe (reduced|increased|"
        r"cut|saved|grew|delivered|launched|shipped|won|hit|exceeded)\b",
        r"\bi learn(ed|t)\b",
        r"\bpercent\b",
        r"%",
        r"\bended up\b",
        r"\bsince then\b",
        r"\beventually\b",
        r"\bwhich meant\b",
    ),
}


@dataclass(frozen=True)
class Sentence:
    text: str
    start_s: float
    end_s: float
    part: str


@dataclass(frozen=True)
class Structure:
    sentences: tuple[Sentence, ...]
    seconds: dict[str, float]  # part -> seconds
    result_flag: str | None  # "missing", "thin" or None

    @property
    def total_s(self) -> float:
        return sum(self.seconds.values())


def sentences(words: list[Word]) -> list[tuple[str, float, float]]:
    out, current = [], []
    for w in words:
        current.append(w)
        if w.text.endswith((".", "?", "!")):
            out.append(current)
            current = []
    if current:
        out.append(current)
    return [(" ".join(w.text for w in s), s[0].start_s, s[-1].end_s) for s in out]


def label(text: str) -> str | None:
    lowered = text.lower()
    scores = {part: sum(bool(re.search(c, lowered)) for c in CUES[part]) for part in PARTS}
    best = max(PARTS, key=lambda p: (scores[p], PARTS.index(p)))
    return best if scores[best] else None


def structure(words: list[Word], thin_share: float = 0.1, result_min_s: float = 8.0) -> Structure:
    labelled, previous = [], "situation"
    for text, start_s, end_s in sentences(words):
        part = label(text) or previous
        labelled.append(Sentence(text, start_s, end_s, part))
        previous = part
    seconds = {p: sum(s.end_s - s.start_s for s in labelled if s.part == p) for p in PARTS}
    total = sum(seconds.values())
    flag = None
    if total > 0 and seconds["result"] == 0:
        flag = "missing"
    elif total > 0 and seconds["result"] < min(result_min_s, thin_share * total):
        flag = "thin"
    return Structure(tuple(labelled), seconds, flag)
