"""Shared pieces of the evaluation scripts: the corpus, references, alignment, WER.

Scripts read the product's own output (`viva score` records); nothing here scores audio.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from vivavoce.analysis.fillers import NON_LEXICAL

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
ELICITED_KEPT = {"mfa_acoustic_corpus", "mfa_cold_corpus"}  # ad-lib, not carrier phrases


@dataclass
class Clip:
    name: str
    wav: Path
    seconds: float
    reference: list[str]  # normalised words, fillers in canonical spelling
    filler_times: list[tuple[float, float, bool]]  # (start_s, end_s, word_level)
    transcript_maker: str
    redistributable: bool


def manifest(corpus: Path) -> dict[str, dict]:
    with open(corpus / "MANIFEST.tsv", newline="") as f:
        return {Path(r["file"]).stem: r for r in csv.DictReader(f, delimiter="\t")}


def normalise_words(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    tokens = re.findall(r"[a-z0-9']+(?:-[a-z0-9']+)*", text)
    out = []
    for t in tokens:
        t = t.strip("'")
        if t in ("mm-hmm", "uh-huh", "mhm"):
            out.append(t)
            continue
        out.extend(NON_LEXICAL.get(p, p) for p in t.split("-") if p)
    return out


def is_filler(word: str) -> bool:
    return word in set(NON_LEXICAL.values())


def filler_times(corpus: Path, name: str) -> list[tuple[float, float, bool]]:
    path = corpus / f"{name}.fillers.tsv"
    if not path.exists():
        return []
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [(float(r["start_s"]), float(r["end_s"]), r["timing"].startswith("word")) for r in rows]


def evaluation_clips(corpus: Path = DEFAULT_CORPUS) -> list[Clip]:
    """Spontaneous and ad-lib clips with human references (issue 4's evaluation set)."""
    clips = []
    for name, row in sorted(manifest(corpus).items()):
        human = row["transcript_maker"].startswith("human")
        elicited = name.startswith("mfa_") and name not in ELICITED_KEPT
        if not human or elicited:
            continue
        reference = normalise_words((corpus / f"{name}.txt").read_text())
        clips.append(Clip(name, corpus / f"{name}.wav", float(row["seconds"]), reference,
                          filler_times(corpus, name), row["transcript_maker"],
                          row["redistributable"] == "yes"))  # fmt: skip
    return clips


def align(ref: list[str], hyp: list[str]) -> list[tuple[int | None, int | None]]:
    """Levenshtein alignment: pairs of (ref index, hyp index), None for a gap."""
    n, m = len(ref), len(hyp)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            sub = cost[i - 1][j - 1] + (0 if ref[i - 1] == hyp[j - 1] else 1)
            cost[i][j] = min(sub, cost[i - 1][j] + 1, cost[i][j - 1] + 1)
    pairs, i, j = [], n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (0 if ref[i - 1] == hyp[j - 1] else 1):
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    return pairs[::-1]


def word_errors(ref: list[str], hyp: list[str]) -> int:
    return sum(1 for r, h in align(ref, hyp) if r is None or h is None or ref[r] != hyp[h])


def run_viva_score(wavs: list[Path], *options: str, jobs: int = 1) -> list[dict]:
    """`viva score --format jsonl --no-cache` over the files: the product's own path."""
    viva = str(Path(sys.executable).parent / "viva")
    cmd = [viva, "score", "--format", "jsonl", "--no-cache", "--jobs", str(jobs), *options, *map(str, wavs)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"viva score failed ({out.returncode}):\n{out.stderr}")
    return [json.loads(line) for line in out.stdout.splitlines()]


@dataclass
class FillerScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    kind_right: int = 0
    timing_errors_s: list[float] | None = None
    word_errors: int = 0
    content_errors: int = 0
    ref_words: int = 0
    ref_content_words: int = 0

    def __iadd__(self, other: FillerScore) -> FillerScore:
        for name in ("tp", "fp", "fn", "kind_right", "word_errors", "content_errors", "ref_words",
                     "ref_content_words"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.timing_errors_s = (self.timing_errors_s or []) + (other.timing_errors_s or [])
        return self

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def wer(self) -> float | None:
        return self.word_errors / self.ref_words if self.ref_words else None

    @property
    def content_wer(self) -> float | None:
        return self.content_errors / self.ref_content_words if self.ref_content_words else None


def hypothesis(words: list[dict], fillers: list[dict]) -> list[tuple[str, float, float]]:
    """Transcript words (fillers taken out) merged by time with the detected fillers."""
    seq = [(w, x["start_s"], x["end_s"]) for x in words for w in normalise_words(x["word"]) if not is_filler(w)]
    seq += [(NON_LEXICAL.get(f["word"], f["word"]), f["start_s"], f["end_s"]) for f in fillers
            if f.get("kind", "non-lexical") == "non-lexical"]
    return sorted(seq, key=lambda t: (t[1], t[2]))


def score_clip(clip: Clip, words: list[dict], fillers: list[dict]) -> FillerScore:
    hyp_timed = hypothesis(words, fillers)
    hyp = [w for w, _, _ in hyp_timed]
    ref = clip.reference
    s = FillerScore(timing_errors_s=[])
    for r, h in align(ref, hyp):
        ref_f = r is not None and is_filler(ref[r])
        hyp_f = h is not None and is_filler(hyp[h])
        if ref_f and hyp_f:
            s.tp += 1
            s.kind_right += ref[r] == hyp[h]
            word_level = [(a, b) for a, b, w in clip.filler_times if w]
            if word_level:
                mid = (hyp_timed[h][1] + hyp_timed[h][2]) / 2
                s.timing_errors_s.append(min(max(0.0, a - mid, mid - b) for a, b in word_level))
        elif ref_f:
            s.fn += 1
        elif hyp_f:
            s.fp += 1
    s.word_errors, s.ref_words = word_errors(ref, hyp), len(ref)
    ref_c = [w for w in ref if not is_filler(w)]
    hyp_c = [w for w in hyp if not is_filler(w)]
    s.content_errors, s.ref_content_words = word_errors(ref_c, hyp_c), len(ref_c)
    return s
