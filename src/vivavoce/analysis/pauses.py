"""Silent pauses, and where they fall in the sentence.

Two signals, fused (``fused_pauses``): the VAD's speech probability per 32 ms frame, and
Whisper's words. Neither is right alone (measured on the corpus clips with reference
word times, scripts/eval_all): the VAD hears "speech" in breaths and trailing sounds
inside a pause (probabilities of 0.4-0.8), and Whisper's word times stretch a word over
the silence next to it or leave a gap where it dropped a filler. The rules:

1. A frame inside a word's core needs a confident silence (probability < ``in_word_p``):
   a word Whisper heard is speech unless the VAD is sure it is not.
2. A frame outside every word's core is silence unless the VAD is fairly sure it is
   speech (probability >= ``between_words_p``): breaths and trailing sounds in a word
   gap count as pause; a dropped "um" in a word gap (clear speech) does not.
3. A word's core is its frames of clear speech (probability >= ``core_p``), joined across
   dips shorter than ``bridge_s``: the part of a stretched word that hangs over a
   silence is not core. A word with no clear-speech frame (quiet speech) is core throughout.
4. A frame where a sustained voice sounds (``voiced``: a drawn-out "aaand", a hummed
   "mmm", measured by vivavoce.voicing) is not silent, whatever the VAD says: the VAD
   can stop hearing a steady vowel while it goes on.
5. A pause is a run of silent frames of at least ``min_pause_s``, inside the speaking span.

The thresholds (``Fusion``) were set by looking at three clips; scripts/eval_pauses
shows how far that holds on a clip left out, and what is known to fail (a drawn-out
vowel the VAD stops hearing, noise the VAD half-hears after a word).

``find_pauses`` (from VAD spans alone) remains for callers without frame probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from vivavoce.transcript import Span, Word

SENTENCE_END = (".", "?", "!")
FRAME_S = 512 / 16000  # Silero's frame at 16 kHz


@dataclass(frozen=True)
class Fusion:
    """The fusion rules' thresholds, on the VAD's speech probability."""

    in_word_p: float = 0.2  # inside a word's core: silence only below this
    between_words_p: float = 0.65  # outside word cores: silence below this
    core_p: float = 0.8  # at or above this a frame is clear speech: it makes a word's core
    bridge_s: float = 0.25  # a word's core spans dips in its clear speech shorter than this


FUSION = Fusion()


@dataclass(frozen=True)
class Pause(Span):
    """A silence inside the answer; ``location`` says whether it falls between
    sentences (normal) or inside one (it hurts perceived fluency: Kahng 2017)."""

    location: str = "mid-sentence"  # or "between-sentences"
    word_before: str = ""
    word_after: str = ""


def locate(start_s: float, end_s: float, words: list[Word]) -> tuple[str, str, str]:
    before = [w for w in words if (w.start_s + w.end_s) / 2 <= start_s]
    after = [w for w in words if (w.start_s + w.end_s) / 2 >= end_s]
    word_before = before[-1].text if before else ""
    word_after = after[0].text if after else ""
    between = not before or word_before.endswith(SENTENCE_END)
    return ("between-sentences" if between else "mid-sentence"), word_before, word_after


def find_pauses(
    spans: list[Span], start_s: float, end_s: float, min_pause_s: float, words: Sequence[Word] = ()
) -> list[Pause]:
    """Pauses from VAD speech spans alone: the gaps between spans."""
    inside = [s for s in spans if s.end_s > start_s and s.start_s < end_s]
    found = []
    for a, b in pairwise(inside):
        if b.start_s - a.end_s >= min_pause_s:
            found.append(Pause(a.end_s, b.start_s, *locate(a.end_s, b.start_s, list(words))))
    return found


def word_cores(probabilities: Sequence[float], words: Sequence[Word], fusion: Fusion = FUSION) -> list[bool]:
    """For each frame: is it inside some word's core (rule 3)?"""
    n = len(probabilities)
    core = [False] * n
    bridge = round(fusion.bridge_s / FRAME_S)
    for w in words:
        frames = range(max(0, int(w.start_s / FRAME_S)), min(n, int(w.end_s / FRAME_S) + 1))
        clear = [i for i in frames if probabilities[i] >= fusion.core_p]
        for i in frames if not clear else clear:
            core[i] = True
        for a, b in pairwise(clear):
            if b - a <= bridge:
                core[a:b] = [True] * (b - a)
    return core


def silent_frames(
    probabilities: Sequence[float], words: Sequence[Word], fusion: Fusion = FUSION, voiced: Sequence[bool] = ()
) -> list[bool]:
    """Rules 1, 2 and 4: each frame silent or not, given the words around it and the voicing."""
    core = word_cores(probabilities, words, fusion)
    limits = (fusion.between_words_p, fusion.in_word_p)
    silent = [p < limits[c] for p, c in zip(probabilities, core, strict=True)]
    return [s and not v for s, v in zip(silent, voiced, strict=False)] + silent[len(voiced) :]


def maybe_silent(probabilities: Sequence[float], fusion: Fusion = FUSION) -> list[bool]:
    """Frames that some rule could call silent: the only ones whose voicing matters."""
    limit = max(fusion.in_word_p, fusion.between_words_p)
    return [p < limit for p in probabilities]


def runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first, past-last) index of each run of True."""
    found, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            found.append((start, i))
            start = None
    return found


def fused_pauses(
    probabilities: Sequence[float],
    words: Sequence[Word],
    start_s: float,
    end_s: float,
    min_pause_s: float,
    fusion: Fusion = FUSION,
    voiced: Sequence[bool] = (),
) -> list[Pause]:
    """Pauses of at least ``min_pause_s`` between ``start_s`` and ``end_s`` (the speaking span).
    ``voiced``: per frame, a sustained voice (rule 4); empty when not measured."""
    words = [w for w in words if w.text]
    found = []
    for a, b in runs(silent_frames(probabilities, words, fusion, voiced)):
        pause_start_s, pause_end_s = max(a * FRAME_S, start_s), min(b * FRAME_S, end_s)
        if pause_end_s - pause_start_s >= min_pause_s and a * FRAME_S > start_s and b * FRAME_S < end_s:
            found.append(Pause(pause_start_s, pause_end_s, *locate(pause_start_s, pause_end_s, words)))
    return found


def speech_time_s(spans: list[Span], start_s: float, end_s: float) -> float:
    return sum(max(0.0, min(s.end_s, end_s) - max(s.start_s, start_s)) for s in spans)
