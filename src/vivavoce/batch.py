"""Scoring many files: probe, cache, score in parallel; one bad file never stops the rest.

Results come back as records (see jsonrecord.py) in the order the files were given.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from vivavoce import __version__
from vivavoce.analysis.norms import Norms
from vivavoce.datadir import write_json_atomic
from vivavoce.errors import AudioFileError, PackError, VivaError
from vivavoce.inputs import Item
from vivavoce.jsonrecord import RECORD_VERSION, answer_record, error_record
from vivavoce.packs import Question

log = logging.getLogger(__name__)

MAX_DURATION_S = 2 * 3600.0
WORKER_MEMORY_BYTES = 1_200_000_000  # a worker's peak on a long file (PERF.md: 1.1 GB at 15 min)


@dataclass(frozen=True)
class ScoreSettings:
    model: str = "bundled"
    fillers: str = "full"  # "full": the filler detector; "transcript": only what Whisper wrote
    max_duration_s: float = MAX_DURATION_S
    question: Question | None = None  # for every file; else each file's sidecar, if any
    norms: Norms = Norms()

    def cache_tag(self) -> str:
        data = {"settings": asdict(self), "version": __version__, "record": RECORD_VERSION}
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Job:
    item: Item
    duration_s: float | None
    key: str  # cache key: the file's content and the settings


def clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# -- probing -----------------------------------------------------------------


def probe_duration_s(path: Path) -> float | None:
    """The audio duration from the container header; raise AudioFileError if unusable."""
    try:
        with open(path, "rb") as f:
            if not f.read(1):
                raise AudioFileError("empty file (0 bytes)", "Re-export or re-record it.")
    except OSError as e:
        raise AudioFileError(f"cannot read: {e.strerror or e}", "Check the path and permissions.") from e
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            streams = container.streams.audio
            if not streams:
                raise AudioFileError("no audio track", "Is this an audio or video file?")
            stream = streams[0]
            if stream.duration is not None and stream.time_base is not None:
                return float(stream.duration * stream.time_base)
            return None if container.duration is None else container.duration / 1_000_000
    except AudioFileError:
        raise
    except Exception as e:  # PyAV's errors: InvalidDataError, etc.
        reason = getattr(e, "strerror", None) or str(e)
        raise AudioFileError(f"not audio, or corrupt ({reason})", "Is this an audio or video file?") from e


def content_key(path: Path, tag: str) -> str:
    """The file's bytes and its question sidecar, if any, with the settings' tag."""
    digest = hashlib.sha256()
    for part in (path, *sidecars(path)):
        if part.is_file():
            with open(part, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
        digest.update(b"\0")
    return f"{digest.hexdigest()[:32]}-{tag}"


def plan(items: list[Item], settings: ScoreSettings) -> tuple[list[Job], dict[int, dict]]:
    """Jobs for the files that can be scored; records for the rest, by item index."""
    jobs, failed = [], {}
    tag = settings.cache_tag()
    for index, item in enumerate(items):
        if item.problem:
            failed[index] = error_record(item.name, item.problem)
            continue
        try:
            duration_s = probe_duration_s(item.path)
            if duration_s is not None and duration_s > settings.max_duration_s:
                raise AudioFileError(
                    f"too long: {clock(duration_s)} of audio, over the limit of "
                    f"{clock(settings.max_duration_s)}; split it, or raise --max-duration-s")
            jobs.append(Job(item, duration_s, content_key(item.path, tag)))
        except (AudioFileError, OSError) as e:
            failed[index] = error_record(item.name, str(e))
    return jobs, failed


# -- the cache ------------------------------------------------------------------


class ScoreCache:
    """Finished records, one JSON file each, keyed by file content and settings."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, key: str) -> dict | None:
        try:
            return json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, record: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.folder / f"{key}.json", record)


# -- scoring one file ---------------------------------------------------------


def sidecars(path: Path) -> list[Path]:
    """``answer.question.toml`` (text, target_s, talking_points) or ``answer.question.txt``."""
    return [path.with_name(path.stem + suffix) for suffix in (".question.toml", ".question.txt")]


def sidecar_question(path: Path) -> Question | None:
    from vivavoce.packs import question_from_file

    for candidate in sidecars(path):
        if candidate.is_file():
            return question_from_file(candidate)
    return None


def score_file(path: Path, name: str, settings: ScoreSettings, transcriber) -> dict:
    from vivavoce.audio import SAMPLE_RATE_HZ, read_audio
    from vivavoce.scoring import score_answer

    started_s = time.perf_counter()
    try:
        question = settings.question or sidecar_question(path)
        samples = read_audio(path)
        duration_s = len(samples) / SAMPLE_RATE_HZ
        if len(samples) == 0:
            return error_record(name, "no audio in the file", 0.0, transcriber.model_label)
        target_s = question.target_s if question else settings.norms.answer_target_s
        scored = score_answer(samples, transcriber, None, target_s, settings.fillers, settings.norms)
    except (AudioFileError, PackError) as e:
        return error_record(name, str(e), model=transcriber.model_label)
    if not scored.transcript.words:
        return error_record(name, "no speech found (silent, or too quiet)",
                            round(duration_s, 3), transcriber.model_label)  # fmt: skip
    return answer_record(name, scored, question) | {"processing_s": round(time.perf_counter() - started_s, 3)}


# -- running many --------------------------------------------------------------


def default_jobs(n_files: int) -> int:
    """One single-threaded worker per core was fastest here (PERF.md; scripts/bench_score),
    capped by memory and by the number of files."""
    cores = os.cpu_count() or 1
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        memory = 8 * WORKER_MEMORY_BYTES
    return max(1, min(cores, memory // WORKER_MEMORY_BYTES, n_files))


def threads_per_job(jobs: int) -> int:
    return max(1, (os.cpu_count() or 1) // jobs)


_worker: Any = None  # (settings, transcriber) in each worker process, set by _init_worker


def _init_worker(settings: ScoreSettings, cpu_threads: int) -> None:
    from vivavoce.transcribe import TranscribeOptions, Transcriber

    global _worker
    transcriber = Transcriber(TranscribeOptions(model=settings.model, cpu_threads=cpu_threads))
    transcriber.load()
    _worker = (settings, transcriber)


def _score_in_worker(path: Path, name: str) -> dict:
    settings, transcriber = _worker
    return score_file(path, name, settings, transcriber)


def run(
    items: list[Item],
    settings: ScoreSettings,
    cache: ScoreCache | None,
    jobs: int | None = None,
    force: bool = False,
    on_planned: Callable[[list[Job]], None] = lambda jobs: None,
    on_record: Callable[[dict, Job | None], None] = lambda record, job: None,
) -> list[dict]:
    """Score every item; records come back in item order, one per item."""
    planned, records = plan(items, settings)
    on_planned(planned)
    for record in records.values():
        on_record(record, None)
    todo = []
    index_of = {id(item): i for i, item in enumerate(items)}
    for job in planned:
        cached = None if force or cache is None else cache.get(job.key)
        if cached is not None:
            records[index_of[id(job.item)]] = cached | {"file": job.item.name}
            on_record(records[index_of[id(job.item)]], job)
        else:
            todo.append(job)
    for job, record in _score_all(todo, settings, jobs or default_jobs(len(todo))):
        if cache is not None and record["error"] is None:
            cache.put(job.key, record)
        records[index_of[id(job.item)]] = record
        on_record(record, job)
    return [records[i] for i in range(len(items))]


def _score_all(jobs: list[Job], settings: ScoreSettings, n_jobs: int) -> Iterable[tuple[Job, dict]]:
    if not jobs:
        return
    longest_first = sorted(jobs, key=lambda j: -(j.duration_s or 0))
    n_jobs = max(1, min(n_jobs, len(jobs)))
    if n_jobs == 1:
        _init_worker(settings, threads_per_job(1))
        for job in longest_first:
            yield job, _score_in_worker(job.item.path, job.item.name)
        return
    context = multiprocessing.get_context("spawn")  # no fork: the model's threads do not survive it
    with cf.ProcessPoolExecutor(n_jobs, context, _init_worker, (settings, threads_per_job(n_jobs))) as pool:
        futures = {pool.submit(_score_in_worker, j.item.path, j.item.name): j for j in longest_first}
        try:
            for future in cf.as_completed(futures):
                job = futures[future]
                yield job, _result(future, job, settings)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _result(future: cf.Future, job: Job, settings: ScoreSettings) -> dict:
    try:
        return future.result()
    except VivaError as e:
        return error_record(job.item.name, str(e))
    except Exception as e:  # a worker that died (out of memory, killed) fails its file only
        log.warning("worker failed on %s: %r", job.item.path, e)
        return error_record(job.item.name, f"scoring failed: {e!r}")
