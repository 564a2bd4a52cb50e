"""Language: hedges, ownership (I vs we vs they), quantified results, repeated words."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from vivavoce.analysis.talking_points import STOPWORDS
from vivavoce.transcript import Word

HEDGES = (
    "i think",
    "i guess",
    "i believe",
    "i feel like",
    "maybe",
    "probably",
    "perhaps",
    "possibly",
    "sort of",
    "kind of",
    "i suppose",
    "might",
    "somewhat",
    "more or less",
)
PRONOUNS = {
    "i": ("i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"),
    "we": ("we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll"),
    "they": ("they", "them", "their", "theirs", "themselves", "they're", "they've", "they'd"),
    "you": ("you", "your", "yours", "yourself", "you're", "you've"),
}
NUMBER_WORDS = set(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred thousand million billion half double triple dozen".split()
)
UNITS = (
    "percent",
    "per cent",
    "%",
    "dollars",
    "pounds",
    "euros",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "minutes",
    "people",
    "customers",
    "users",
    "x",
)


@dataclass(frozen=True)
class Hit:
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Language:
    hedges: tuple[Hit, ...] = ()
    ownership: dict[str, int] = field(default_factory=dict)
    quantified: tuple[Hit, ...] = ()
    repeated: tuple[tuple[str, int], ...] = ()  # content words said often
    type_token_ratio: float | None = None


def tokens_of(words: list[Word]) -> list[str]:
    return [re.sub(r"[^a-z0-9'%$£€.-]", "", w.text.lower()).strip(".-") for w in words]


def phrase_hits(words: list[Word], tokens: list[str], phrases) -> list[Hit]:
    hits, i = [], 0
    while i < len(tokens):
        for phrase in phrases:
            parts = phrase.split()
            if tokens[i : i + len(parts)] == parts:
                hits.append(Hit(phrase, words[i].start_s, words[i + len(parts) - 1].end_s))
                i += len(parts) - 1
                break
        i += 1
    return hits


def is_number(token: str) -> bool:
    return bool(re.fullmatch(r"[$£€]?\d[\d,.]*(%|k|m|x)?", token)) or token in NUMBER_WORDS


def quantified(words: list[Word], tokens: list[str]) -> list[Hit]:
    """Numbers with what they count: '30 percent', '$2 million', 'three weeks'. A lone 'one'
    or a year-like number on its own is not a result."""
    hits = []
    for i, t in enumerate(tokens):
        if not is_number(t) or re.fullmatch(r"(19|20)\d\d", t):
            continue
        nxt = " ".join(tokens[i + 1 : i + 3])
        unit = next((u for u in UNITS if nxt.startswith(u)), None)
        if unit or t.endswith("%") or t[:1] in "$£€":
            end = i + (len(unit.split()) if unit else 0)
            hits.append(Hit(" ".join(tokens[i : end + 1]), words[i].start_s, words[end].end_s))
    return hits


def language(words: list[Word], min_repeats: int = 4) -> Language:
    tokens = tokens_of(words)
    ownership = {k: sum(1 for t in tokens if t in forms) for k, forms in PRONOUNS.items()}
    content = [t for t in tokens if len(t) > 3 and t not in STOPWORDS and not is_number(t)]
    repeated = [(w, n) for w, n in Counter(content).most_common(5) if n >= min_repeats]
    return Language(
        hedges=tuple(phrase_hits(words, tokens, HEDGES)),
        ownership=ownership,
        quantified=tuple(quantified(words, tokens)),
        repeated=tuple(repeated),
        type_token_ratio=len(set(tokens)) / len(tokens) if tokens else None,
    )
