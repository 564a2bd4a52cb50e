"""Filler words: non-lexical fillers (um, uh), discourse markers in context, repetitions.

Whisper drops most "um"/"uh" (NORMS.md). Those it writes are found here by spelling;
those it drops come from the detector (``vivavoce.fillerdetect``) as ``detected``
fillers with a confidence, and are merged in by time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from vivavoce.transcript import Word

NON_LEXICAL = {
    "um": "um",
    "umm": "um",
    "ummm": "um",
    "uh": "uh",
    "uhh": "uh",
    "uhm": "um",
    "er": "er",
    "erm": "um",
    "ah": "ah",
    "ahh": "ah",
    "hmm": "hmm",
    "hm": "hmm",
    "mm": "hmm",
}

NON_LEXICAL_KIND = "non-lexical"
DISCOURSE_KIND = "discourse"
REPETITION_KIND = "repetition"
# The confidence a detected filler carries, by the detector's score: the share of detections in
# the score band that were real fillers on the corpus's evaluation clips (scripts/eval_fillers:
# 34 detections, 21 real), shrunk toward the pooled share. Out of sample (each clip left out of
# the fit) the upper band was right about 4 times in 5, the lower about half the time; finer
# bands did not hold up out of sample. (score floor, confidence), highest first.
DETECTOR_CONFIDENCE = ((0.4, 0.8), (0.0, 0.5))
# A detected filler below this is shown as uncertain ("[um?]") and counted apart.
SURE_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Filler:
    word: str  # canonical spelling (um, uh, er, ah, hmm) or the marker ("you know")
    start_s: float
    end_s: float
    kind: str = NON_LEXICAL_KIND
    confidence: float = 1.0  # 1.0: written by Whisper; lower: found by the detector
    source: str = "transcript"  # "transcript" or "detector"
    score: float | None = None  # the detector's filler-token probability (None: written by Whisper)


def normalise(token: str) -> str:
    return re.sub(r"[^a-z'-]", "", token.lower())


def ends_clause(token: str) -> bool:
    return token.rstrip().endswith((".", "?", "!", ",", ";", ":"))


def non_lexical(words: list[Word]) -> list[Filler]:
    found = []
    for w in words:
        canonical = NON_LEXICAL.get(normalise(w.text))
        if canonical:
            found.append(Filler(canonical, w.start_s, w.end_s))
    return found


# -- discourse markers -----------------------------------------------------------

LIKE_VERB_BEFORE = {
    "i",
    "you",
    "we",
    "they",
    "would",
    "i'd",
    "you'd",
    "we'd",
    "they'd",
    "to",
    "people",
    "don't",
    "didn't",
    "doesn't",
    "do",
    "does",
    "did",
    "really",
    "also",
    "not",
    "who",
}
LIKE_COMPARE_BEFORE = {
    "look",
    "looks",
    "looked",
    "looking",
    "seem",
    "seems",
    "seemed",
    "sound",
    "sounds",
    "sounded",
    "feel",
    "feels",
    "felt",
    "something",
    "anything",
    "nothing",
    "things",
    "more",
    "much",
    "just",
    "exactly",
    "is",
    "was",
    "be",
    "are",
    "were",
}
TAXONOMY_BEFORE = {
    "what",
    "this",
    "that",
    "a",
    "the",
    "some",
    "any",
    "every",
    "all",
    "which",
    "these",
    "those",
    "one",
    "same",
    "different",
    "right",
    "wrong",
    "other",
    "another",
    "no",
}
OBJECT_AFTER_KNOW = {
    "what",
    "how",
    "that",
    "why",
    "where",
    "who",
    "when",
    "him",
    "her",
    "it",
    "them",
    "the",
    "a",
    "an",
    "about",
    "this",
    "if",
    "whether",
    "me",
    "us",
    "your",
    "my",
}
ALWAYS = {"basically", "actually", "literally"}
NOT_MARKER_AFTER_SO = {"much", "many", "far", "that", "as", "be", "being", "done"}


def after_one(tokens: list[str], i: int) -> str:
    return tokens[i + 1] if i + 1 < len(tokens) else ""


def clause_initial(words: list[Word], i: int, gap_s: float = 0.5) -> bool:
    if i == 0:
        return True
    prev = words[i - 1]
    return ends_clause(prev.text) or words[i].start_s - prev.end_s >= gap_s


def _is_filler_like(tokens: list[str], words: list[Word], i: int) -> bool:
    before = tokens[i - 1] if i > 0 else ""
    if before in LIKE_VERB_BEFORE or tokens[i] != "like":
        return False
    if clause_initial(words, i) or ends_clause(words[i].text):
        return True  # "Like, we had no plan." / "it was, like, huge"
    if before in LIKE_COMPARE_BEFORE:
        return before in {"is", "was", "be", "are", "were"} and i > 0 and ends_clause(words[i - 1].text)
    return before in {"and", "but", "so", "it's", "i'm", "we're", "they're", "he's", "she's", "um", "uh"}


def discourse_markers(words: list[Word]) -> list[Filler]:
    tokens = [normalise(w.text) for w in words]
    found: list[Filler] = []
    i = 0
    while i < len(words):
        two = " ".join(tokens[i : i + 2])
        before = tokens[i - 1] if i > 0 else ""
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        span = None
        if (
            two == "you know"
            and before not in {"do", "did", "don't", "if", "what", "as", "you'd"}
            and (ends_clause(words[i + 1].text) or after not in OBJECT_AFTER_KNOW)
        ):
            span = 2
        elif two == "i mean" and (
            ends_clause(words[i + 1].text) or (clause_initial(words, i) and after not in {"it", "that", "to", "what"})
        ):
            span = 2
        elif two in ("sort of", "kind of") and before not in TAXONOMY_BEFORE:
            span = 2
        elif tokens[i] in ALWAYS:
            span = 1
        elif (
            tokens[i] in ("so", "well")
            and clause_initial(words, i)
            and (ends_clause(words[i].text) or after_one(tokens, i) not in NOT_MARKER_AFTER_SO)
        ):
            span = 1
        elif _is_filler_like(tokens, words, i):
            span = 1
        if span:
            text = " ".join(tokens[i : i + span])
            found.append(Filler(text, words[i].start_s, words[i + span - 1].end_s, DISCOURSE_KIND))
            i += span
        else:
            i += 1
    return found


# -- repetitions ---------------------------------------------------------------------

LEGIT_DOUBLES = {"that", "had", "is", "very", "no", "bye", "ha", "yeah", "so", "really"}


def repetitions(words: list[Word]) -> list[Filler]:
    """Repeated words and two-word restarts: "I I think", "we we went", "I think I think"."""
    tokens = [normalise(w.text).strip("-") for w in words]
    found: list[Filler] = []
    i = 1
    while i < len(tokens):
        pair_ok = i >= 3 and tokens[i - 3 : i - 1] == tokens[i - 1 : i + 1] and not ends_clause(words[i - 2].text)
        if (
            tokens[i]
            and tokens[i] == tokens[i - 1]
            and tokens[i] not in LEGIT_DOUBLES
            and not ends_clause(words[i - 1].text)
        ):
            found.append(Filler(tokens[i], words[i - 1].start_s, words[i - 1].end_s, REPETITION_KIND))
        elif pair_ok and tokens[i - 1] != tokens[i]:
            found.append(
                Filler(" ".join(tokens[i - 3 : i - 1]), words[i - 3].start_s, words[i - 2].end_s, REPETITION_KIND)
            )
        i += 1
    return found


# -- all together ---------------------------------------------------------------------


def overlaps(a: Filler, b: Filler, slack_s: float = 0.1) -> bool:
    return a.start_s < b.end_s + slack_s and b.start_s < a.end_s + slack_s


def find_fillers(words: list[Word], detected: Sequence[Filler] = ()) -> list[Filler]:
    """Every filler in time order; a detected um/uh where Whisper already wrote one is dropped."""
    written = non_lexical(words)
    extra = [d for d in detected if not any(overlaps(d, w) for w in written)]
    return sorted(written + extra + discourse_markers(words) + repetitions(words), key=lambda f: f.start_s)
