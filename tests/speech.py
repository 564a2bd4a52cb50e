"""Comparing transcripts with a margin: word error rate against a human reference or another transcript."""

from pathlib import Path

FILLERS = {"um", "uh", "er", "ah", "hmm"}  # Whisper leaves most of them out; references keep them


def words_of(text: str) -> list[str]:
    return "".join(c if c.isalnum() or c in " '" else " " for c in text.lower()).split()


def word_errors(a: list[str], b: list[str]) -> int:
    """Substitutions, insertions and deletions that turn a into b."""
    d = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, d[0] = d[:], i
        for j, y in enumerate(b, 1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (x != y))
    return d[-1]


def wer(text: str, reference: str) -> float:
    """Word error rate of text against reference, fillers aside."""
    ref = [w for w in words_of(reference) if w not in FILLERS]
    return word_errors([w for w in words_of(text) if w not in FILLERS], ref) / len(ref)


def reference(data_dir: Path, clip: str) -> str:
    return (data_dir / f"{clip}.txt").read_text()
