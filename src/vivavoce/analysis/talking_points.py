"""Which of a question's talking points an answer covered, by content-word match."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    "a an and are as at be been but by did do does for from had has have how i in is it its "
    "me my of on or our so that the their them then there they this to was we were what when "
    "where which who why will with you your about into over than more most".split()
)
STEM_CHARS = 5  # "measured" and "measurable" share "measu"


def content_stems(text: str) -> set[str]:
    tokens = re.findall(r"[a-z0-9']+", text.lower())
    return {t[:STEM_CHARS] for t in tokens if len(t) > 2 and t not in STOPWORDS}


def covers(answer_text: str, point: str, min_share: float = 0.5) -> bool:
    """A point is covered when at least ``min_share`` of its content words occur in the answer."""
    wanted = content_stems(point)
    if not wanted:
        return False
    return len(wanted & content_stems(answer_text)) / len(wanted) >= min_share


def coverage(answer_text: str, points: list[str] | tuple[str, ...]) -> list[dict]:
    return [{"text": p, "covered": covers(answer_text, p)} for p in points]
