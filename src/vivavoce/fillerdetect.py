"""Detect the fillers (um, uh, ah, hmm) that Whisper tiny.en leaves out of its transcript.

Method (teacher-forced filler probability on short windows): the transcript's words are cut into
windows of ~8 words (plus 2 words of context on each side, at most 5 s of audio). Each window's
audio is encoded on its own short mel input (CTranslate2 accepts fewer than 3000 frames), and the
decoder is teacher-forced on the window's words after the prompt "Um, uh, hmm." with
generate(return_logits_vocab=True), which returns the full next-token distribution at every
forced position in one pass. The confidence of a filler at a word boundary is the summed
probability of the filler tokens (" um", " uh", " Um", " Uh", " ah", ...) at that boundary.

Candidate finding (windows, boundary token positions, where a filler sits in time) is pure;
only `_window_distributions` touches the model. Like transcribe.py, this module works with
faster-whisper's model directly.

Measured on the corpus (scripts/eval_fillers): it finds about half the fillers Whisper drops,
and about two in three of its detections are real, so each carries a confidence (estimated out
of sample, see analysis.fillers.DETECTOR_CONFIDENCE) and the product says when one is uncertain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ctranslate2
import numpy as np
from faster_whisper.tokenizer import Tokenizer

from vivavoce.analysis.fillers import DETECTOR_CONFIDENCE, NON_LEXICAL, Filler

SR = 16000
PROMPT = "Um, uh, hmm."
THRESHOLD = 0.14  # picked (max F1) on the 21 elicited mfa_* clips outside the evaluation set
# The tokens scored: each spelling after a space, and um/uh also bare (after punctuation: "so,um").
FILLER_SPELLINGS = {"um": "um", "Um": "um", "uh": "uh", "Uh": "uh", "hmm": "hmm", "Hmm": "hmm", "ah": "ah", "Ah": "ah"}
BARE_SPELLINGS = ("um", "Um", "uh", "Uh")
PRECISION_AT_SCORE = DETECTOR_CONFIDENCE  # measured out of sample (analysis.fillers)


def filler_token_ids(tokenizer) -> dict[int, str]:
    """Single tokens that spell a filler, with or without a leading space, for this model's vocabulary."""
    ids: dict[int, str] = {}
    for spelling, canonical in FILLER_SPELLINGS.items():
        for text in (" " + spelling, spelling) if spelling in BARE_SPELLINGS else (" " + spelling,):
            tokens = tokenizer.encode(text)
            if len(tokens) == 1:
                ids.setdefault(tokens[0], canonical)
    return ids


def confidence(score: float) -> float:
    return next(precision for floor, precision in PRECISION_AT_SCORE if score >= floor)


@dataclass(frozen=True)
class Window:
    lo: int  # words[lo:hi] are forced through the decoder
    hi: int
    bounds: tuple[int, ...]  # boundary b = "before words[b]" (b == len(words): after the last word)
    start_s: float
    end_s: float


# ---------------------------------------------------------------- pure candidate logic


def is_filler_word(text: str) -> bool:
    return re.sub(r"[^a-z]", "", text.lower()) in NON_LEXICAL


def make_windows(
    words: list,
    duration_s: float,
    core: int = 8,
    ctx: int = 2,
    max_s: float = 5.0,
    pad_s: float = 0.25,
    edge_s: float = 0.5,
) -> list[Window]:
    """Consecutive groups of `core` words (shortened to fit max_s), each with `ctx` words of context."""
    n, out, c0 = len(words), [], 0
    while c0 < n:
        c1 = min(n, c0 + core)
        while c1 - c0 > 1 and words[c1 - 1].end_s - words[c0].start_s > max_s - 1.0:
            c1 -= 1
        lo, hi = max(0, c0 - ctx), min(n, c1 + ctx)
        while hi > c1 and words[hi - 1].end_s - words[lo].start_s > max_s:
            hi -= 1
        while lo < c0 and words[hi - 1].end_s - words[lo].start_s > max_s:
            lo += 1
        bounds = tuple(range(c0, c1)) + ((n,) if c1 == n else ())
        start = max(0.0, words[lo].start_s - pad_s - (edge_s if lo == 0 else 0.0))
        end = min(duration_s, words[hi - 1].end_s + pad_s + (edge_s if hi == n else 0.0))
        out.append(Window(lo, hi, bounds, start, end))
        c0 = c1
    return out


def boundary_positions(token_lists: list[list[int]], k: int, is_punct) -> list[int]:
    """Decoder positions for the boundary before window word k: before its first token, and before
    the previous word's trailing punctuation token (Whisper writes "word, um," or "word. Um")."""
    start = sum(len(t) for t in token_lists[:k])
    pos = [start]
    if k > 0 and len(token_lists[k - 1]) > 1 and is_punct(token_lists[k - 1][-1]):
        pos.append(start - 1)
    return pos


def place(words: list, b: int, glued_s: float = 0.15) -> tuple[float, float]:
    """Time of a filler at boundary b: the pause between the words, else straddling their junction."""
    if b == 0:
        return max(0.0, words[0].start_s - 0.4), words[0].start_s
    if b == len(words):
        return words[-1].end_s, words[-1].end_s + 0.4
    a, c = words[b - 1].end_s, words[b].start_s
    return (a, c) if c - a >= 0.1 else (max(0.0, a - glued_s), a + glued_s)


def skip_boundary(words: list, b: int) -> bool:
    """Boundaries next to a filler Whisper already wrote are not tested again."""
    return any(is_filler_word(words[i].word) for i in (b - 1, b) if 0 <= i < len(words))


# ---------------------------------------------------------------- model calls


def _tokenizer(model) -> Tokenizer:
    return Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")


def _features(model, audio: np.ndarray, n_frames: int) -> np.ndarray:
    padded = np.concatenate([audio, np.zeros(max(0, n_frames * 160 + 160 - len(audio)), np.float32)])
    return model.feature_extractor(padded)[:, :n_frames]


def _window_distributions(
    model,
    tok: Tokenizer,
    samples: np.ndarray,
    windows: list[Window],
    token_lists: list[list[list[int]]],
    filler_ids: np.ndarray,
) -> list[np.ndarray]:
    """For each window: [positions, len(FILLER_TOKENS)+1] -> filler-token probability summed (col 0)."""
    start = [tok.sot_prev] + tok.encode(" " + PROMPT) + list(tok.sot_sequence) + [tok.no_timestamps]
    frames = [int((w.end_s - w.start_s) * 100) for w in windows]
    n = max(frames) + 2 + (max(frames) % 2)
    feats = np.stack([_features(model, samples[int(w.start_s * SR) : int(w.end_s * SR)], n) for w in windows])
    enc = model.model.encode(ctranslate2.StorageView.from_array(np.ascontiguousarray(feats)), to_cpu=False)
    seqs = [[t for toks in tl for t in toks] for tl in token_lists]
    res = model.model.generate(
        enc,
        [start + s for s in seqs],
        beam_size=1,
        suppress_blank=False,
        max_length=len(start) + max(map(len, seqs)) + 3,
        return_logits_vocab=True,
    )
    out = []
    for seq, r in zip(seqs, res, strict=True):
        logits = np.asarray([np.asarray(x) for x in r.logits[0][: len(seq) + 1]], dtype=np.float32)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        out.append(probs[:, filler_ids])
    return out


def score_boundaries(samples: np.ndarray, words: list, model, batch: int = 8) -> dict[int, tuple[float, str]]:
    """Boundary index -> (summed filler-token probability, most likely filler)."""
    tok = _tokenizer(model)
    names = filler_token_ids(tok)
    filler_ids = np.array(sorted(names))
    is_punct = lambda t: not tok.decode([t]).strip().isalnum()  # noqa: E731
    windows = make_windows(words, len(samples) / SR)
    scores: dict[int, tuple[float, str]] = {}
    for g in range(0, len(windows), batch):
        group = windows[g : g + batch]
        token_lists = [[tok.encode(" " + words[i].word.strip()) for i in range(w.lo, w.hi)] for w in group]
        distributions = _window_distributions(model, tok, samples, group, token_lists, filler_ids)
        for w, tl, pf in zip(group, token_lists, distributions, strict=True):
            for b in w.bounds:
                pos = [p for p in boundary_positions(tl, b - w.lo, is_punct) if p < len(pf)]
                if pos:
                    best = max(pos, key=lambda p: pf[p].sum())
                    scores[b] = (float(pf[best].sum()), names[int(filler_ids[np.argmax(pf[best])])])
    return scores


def detect_fillers(samples: np.ndarray, words: list, model, threshold: float = THRESHOLD) -> list[Filler]:
    """Fillers missing from `words`, in time order."""
    words = [w for w in words if w.word.strip()]
    if not words:
        return []
    out = []
    for b, (p, kind) in sorted(score_boundaries(samples, words, model).items()):
        if p >= threshold and not skip_boundary(words, b):
            start, end = place(words, b)
            out.append(
                Filler(
                    kind, start, end, kind="non-lexical", confidence=confidence(p), source="detector", score=round(p, 3)
                )
            )
    return out
