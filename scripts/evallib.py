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
from itertools import pairwise
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
        clips.append(
            Clip(
                name,
                corpus / f"{name}.wav",
                float(row["seconds"]),
                reference,
                filler_times(corpus, name),
                row["transcript_maker"],
                row["redistributable"] == "yes",
            )
        )
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
        for name in ("tp", "fp", "fn", "kind_right", "word_errors", "content_errors", "ref_words", "ref_content_words"):
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
    seq += [
        (NON_LEXICAL.get(f["word"], f["word"]), f["start_s"], f["end_s"])
        for f in fillers
        if f.get("kind", "non-lexical") == "non-lexical"
    ]
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


# -- per-detection labels and out-of-sample confidence ---------------------------------------


def detection_hits(clip: Clip, words: list[dict], fillers: list[dict]) -> list[tuple[dict, bool]]:
    """Each detector filler of a record, and whether it aligned with a reference filler."""
    detected = [f for f in fillers if f.get("source") == "detector" and f.get("kind", "non-lexical") == "non-lexical"]
    seq = [(w, x["start_s"], x["end_s"], None) for x in words for w in normalise_words(x["word"]) if not is_filler(w)]
    seq += [
        (NON_LEXICAL.get(f["word"], f["word"]), f["start_s"], f["end_s"], None)
        for f in fillers
        if f.get("kind", "non-lexical") == "non-lexical" and f.get("source") != "detector"
    ]
    seq += [(NON_LEXICAL.get(f["word"], f["word"]), f["start_s"], f["end_s"], i) for i, f in enumerate(detected)]
    seq.sort(key=lambda t: (t[1], t[2]))
    hyp = [w for w, _, _, _ in seq]
    hit = [False] * len(detected)
    for r, h in align(clip.reference, hyp):
        if r is not None and h is not None and is_filler(clip.reference[r]) and seq[h][3] is not None:
            hit[seq[h][3]] = True
    return list(zip(detected, hit, strict=True))


SCORE_FLOORS = (0.4, 0.0)  # score bands the confidence table is fitted on (more bands: too few detections)
PRIOR_WEIGHT = 2.0  # each band's share is pulled toward the pooled share by this many detections


def fit_confidence(detections: list[tuple[float, bool]], floors=SCORE_FLOORS) -> list[tuple[float, float]]:
    """(floor, share real) for each score band: the detections in the band, shrunk toward the pool."""
    pooled = sum(h for _, h in detections) / len(detections) if detections else 0.5
    table, upper = [], float("inf")
    for floor in floors:
        band = [h for s, h in detections if floor <= s < upper]
        table.append((floor, (sum(band) + PRIOR_WEIGHT * pooled) / (len(band) + PRIOR_WEIGHT)))
        upper = floor
    return table


def confidence_from(table: list[tuple[float, float]], score: float) -> float:
    return next(share for floor, share in table if score >= floor)


def leave_one_clip_out(by_clip: dict[str, list[tuple[float, bool]]]) -> list[tuple[str, float, bool, float]]:
    """(clip, score, real, confidence fitted on the other clips) for every detection."""
    rows = []
    for name, detections in by_clip.items():
        others = [(s, h) for other, ds in by_clip.items() if other != name for s, h, *_ in ds]
        table = fit_confidence(others)
        rows += [(name, s, h, confidence_from(table, s)) for s, h, *_ in detections]
    return rows


def reliability_lines(rows: list[tuple[float, bool, float]]) -> list[str]:
    """Rows of (confidence the product attached, real?, confidence fitted without the clip).
    For each confidence the product attaches: detections, how many were real, and the mean
    out-of-sample confidence (what the table says when the clip was not in its fit)."""
    lines = [f"{'confidence':>12}{'detections':>12}{'real':>6}{'share real':>12}{'out of sample':>15}"]
    for conf in sorted({c for c, _, _ in rows}, reverse=True):
        inside = [(h, oos) for c, h, oos in rows if c == conf]
        real = sum(h for h, _ in inside)
        mean_oos = sum(oos for _, oos in inside) / len(inside)
        lines.append(f"{conf:12.2f}{len(inside):>12}{real:>6}{real / len(inside):12.2f}{mean_oos:15.2f}")
    return lines


# -- reference word times: pauses and pace ------------------------------------------------------

TESTS_DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
PAUSE_MIN_S = 0.5  # pauses scored: at least this long in the reference
PAUSE_TOLERANCE_S = 0.2  # a found pause matches when both ends are within this


def chat_stretches(path: Path) -> list[list[tuple[str, float, float]]]:
    """Word times from a CHAT file's %wor tiers ('word 125_475'), as stretches of
    consecutive utterances that all have word times (an untimed utterance breaks a stretch)."""
    stretches: list[list] = [[]]
    in_utterance = utterance_timed = False
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("*"):
            if in_utterance and not utterance_timed:
                stretches.append([])
            in_utterance, utterance_timed = True, False
        elif line.startswith("%wor:"):
            utterance_timed = True
            for word, a, b in re.findall(r"(\S+) \x15?(\d+)_(\d+)\x15?", line):
                stretches[-1].append((word, int(a) / 1000, int(b) / 1000))
    return [s for s in stretches if s]


def word_times(corpus: Path, name: str) -> list[list[tuple[str, float, float]]]:
    """Reference word times, where a human transcript has them: CHAT %wor tiers, or a
    NAME.words.tsv (forced alignment of the human transcript) in the corpus or tests/data."""
    cha = corpus / f"{name}.source.cha"
    if cha.exists():
        return chat_stretches(cha)
    for folder in (corpus, TESTS_DATA):
        tsv = folder / f"{name}.words.tsv"
        if tsv.exists():
            with open(tsv, newline="") as f:
                rows = list(csv.DictReader(f, delimiter="\t"))
            return [[(r["word"], float(r["start_s"]), float(r["end_s"])) for r in rows]]
    return []


def reference_pauses(stretches, min_s: float) -> list[tuple[float, float]]:
    return [(a[2], b[1]) for st in stretches for a, b in pairwise(st) if b[1] - a[2] >= min_s]


PAUSE_AUDIT = Path(__file__).resolve().parent / "data" / "pause_audit.tsv"


def pause_audit(path: Path = PAUSE_AUDIT) -> dict[tuple[str, float, float], tuple[float, float] | None]:
    """Reference pauses re-timed by hand from the spectrogram and frame energy, where the
    reference's word times disagree with the audio (the file says why, row by row):
    (clip, reference start, reference end) -> audited (start, end), or None for no pause."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return {
        (r["clip"], round(float(r["reference_start_s"]), 3), round(float(r["reference_end_s"]), 3)): (
            (float(r["audited_start_s"]), float(r["audited_end_s"])) if r["audited_start_s"] else None
        )
        for r in rows
    }


def silences(stretches, name: str = "", audit: dict | None = None) -> list[tuple[float, float]]:
    """Reference silences of at least 0.25 s; with ``audit``, as re-timed there."""
    found = []
    for start_s, end_s in reference_pauses(stretches, 0.25):
        key = (name, round(start_s, 3), round(end_s, 3))
        timed = audit.get(key, (start_s, end_s)) if audit else (start_s, end_s)
        if timed and timed[1] - timed[0] >= 0.25:
            found.append(timed)
    return found


@dataclass
class PauseScore:
    found: int = 0  # reference pauses >= PAUSE_MIN_S that we found
    reference: int = 0
    right: int = 0  # our pauses >= PAUSE_MIN_S that match a reference silence
    ours: int = 0

    def __iadd__(self, other: PauseScore) -> PauseScore:
        self.found, self.reference = self.found + other.found, self.reference + other.reference
        self.right, self.ours = self.right + other.right, self.ours + other.ours
        return self

    @property
    def recall(self) -> float | None:
        return self.found / self.reference if self.reference else None

    @property
    def precision(self) -> float | None:
        return self.right / self.ours if self.ours else None


def close(ours: tuple[float, float], ref: tuple[float, float], tolerance_s: float = PAUSE_TOLERANCE_S) -> bool:
    return abs(ours[0] - ref[0]) <= tolerance_s and abs(ours[1] - ref[1]) <= tolerance_s


def scored_pauses(stretches, pauses: list[dict]) -> list[tuple[float, float]]:
    """Our pauses inside stretches with reference word times (the only ones scored)."""
    return [
        (p["start_s"], p["end_s"])
        for p in pauses
        if any(st[0][1] <= (p["start_s"] + p["end_s"]) / 2 <= st[-1][2] for st in stretches)
    ]


def score_pauses(stretches, pauses: list[dict], any_ref: list[tuple[float, float]] | None = None) -> PauseScore:
    """Recall: reference silences >= PAUSE_MIN_S with one of our pauses, both ends within
    PAUSE_TOLERANCE_S. Precision: our pauses >= PAUSE_MIN_S matching a reference silence
    >= 0.25 s. Only pauses inside stretches with reference word times count. ``any_ref``:
    the reference silences (default: from the word times as given)."""
    ours = scored_pauses(stretches, pauses)
    any_ref = silences(stretches) if any_ref is None else any_ref
    long_ref = [r for r in any_ref if r[1] - r[0] >= PAUSE_MIN_S]
    long_ours = [p for p in ours if p[1] - p[0] >= PAUSE_MIN_S]
    return PauseScore(
        sum(1 for r in long_ref if any(close(p, r) for p in ours)),
        len(long_ref),
        sum(1 for p in long_ours if any(close(p, r) for r in any_ref)),
        len(long_ours),
    )


def reference_wpm(stretches) -> float | None:
    """Reference words other than fillers per minute of the reference's speaking span."""
    timed = [t for st in stretches for t in st]
    words = [w for t in timed for w in normalise_words(t[0]) if not is_filler(w)]
    span_s = timed[-1][2] - timed[0][1] if timed else 0.0
    return len(words) / span_s * 60 if span_s > 0 else None
