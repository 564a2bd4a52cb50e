"""Plain data shared by every stage: timed words, speech spans, transcripts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Word:
    word: str
    start_s: float
    end_s: float
    probability: float = 1.0

    @property
    def text(self) -> str:
        return self.word.strip()


@dataclass(frozen=True)
class Span:
    """A stretch of speech (from the VAD) on the answer's clock."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass
class Transcript:
    words: list[Word] = field(default_factory=list)
    duration_s: float = 0.0
    model: str = ""

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "duration_s": round(self.duration_s, 3),
            "model": self.model,
            "words": [
                {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(w).items()} for w in self.words
            ],
        }
