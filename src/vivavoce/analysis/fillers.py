"""Filler words found in a transcript.

Whisper drops most "um"/"uh" (NORMS.md), so a count from the transcript alone is a
lower bound; callers say so to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vivavoce.transcript import Word

NON_LEXICAL = {
    "um": "um", "umm": "um", "ummm": "um", "uh": "uh", "uhh": "uh", "uhm": "um",
    "er": "er", "erm": "um", "ah": "ah", "ahh": "ah", "hmm": "hmm", "hm": "hmm", "mm": "hmm",
}  # fmt: skip


@dataclass(frozen=True)
class Filler:
    word: str  # canonical spelling: um, uh, er, ah, hmm
    start_s: float
    end_s: float
    kind: str = "non-lexical"


def normalise(token: str) -> str:
    return re.sub(r"[^a-z'-]", "", token.lower())


def find_fillers(words: list[Word]) -> list[Filler]:
    found = []
    for w in words:
        canonical = NON_LEXICAL.get(normalise(w.text))
        if canonical:
            found.append(Filler(canonical, w.start_s, w.end_s))
    return found
