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
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from vivavoce import __version__
from vivavoce.analysis.norms import Norms
from vivavoce.datadir import write_json_atomic
from vivavoce.errors import AudioFileError, PackError, VivaError
from vivavoce.formatting import clock
from vivavoce.inputs import Item
from vivavoce.jsonrecord import RECORD_VERSION, error_record, to_record
from vivavoce.packs import Question

log = logging.getLogger(__name__)

MAX_DURATION_S = 2 * 3600.0
MIN_DURATION_S = 0.5  # shorter than any answer; the voice detector finds no speech in it
NOISE_RMS = 0.2  # -14 dBFS over the whole file: far louder than any recording of a voice
NOISE_FLATNESS = 0.3  # white noise ~0.56; speech, music and room noise are far below
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
    key: str  # cache key (files that cannot be read never become jobs)


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
        raise AudioFileError(
            f"cannot decode: {reason} (corrupt or not audio)", "Is this an audio or video file?"
        ) from e


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
            failed[index] = error_record(item.name, item.problem, norms=settings.norms)
            continue
        try:
            duration_s = probe_duration_s(item.path)
            if duration_s is not None and duration_s > settings.max_duration_s:
                raise AudioFileError(
                    f"too long: {clock(duration_s)} of audio, over the limit of "
                    f"{clock(settings.max_duration_s)}; split it, or raise --max-duration-s"
                )
            jobs.append(Job(item, duration_s, content_key(item.path, tag)))
        except (AudioFileError, OSError) as e:
            failed[index] = error_record(item.name, str(e), norms=settings.norms)
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


def sidecar_question(path: Path, norms: Norms) -> Question | None:
    from vivavoce.packs import question_from_file

    for candidate in sidecars(path):
        if candidate.is_file():
            return question_from_file(candidate, norms)
    return None


def score_file(path: Path, name: str, settings: ScoreSettings, transcriber) -> dict:
    from vivavoce.answer import Take
    from vivavoce.audio import SAMPLE_RATE_HZ, read_audio
    from vivavoce.scoring import asked, hear, score_answer

    started_s = time.perf_counter()
    norms, model = settings.norms, transcriber.model_label
    try:
        question = settings.question or sidecar_question(path, settings.norms)
        samples = read_audio(path)
        duration_s = len(samples) / SAMPLE_RATE_HZ
        problem = unscorable(samples, duration_s)
        if problem:
            return error_record(name, problem, duration_s, model, norms)
        heard = hear(samples, transcriber, settings.fillers)
    except (AudioFileError, PackError) as e:
        return error_record(name, str(e), model=model, norms=norms)
    if not heard.transcript.words:
        return error_record(name, "no speech found (silent, or too quiet)", duration_s, model, norms)
    answer = score_answer(heard, Take(name, duration_s), norms, asked(question) if question else None)
    return to_record(replace(answer, processing_s=time.perf_counter() - started_s))


def unscorable(samples, duration_s: float) -> str | None:
    """Why these samples cannot be scored, found before the model runs: none, too few, or noise."""
    if len(samples) == 0:
        return "no audio in the file"
    if duration_s < MIN_DURATION_S:
        return f"too short to score ({duration_s:.2g} s; at least {MIN_DURATION_S} s)"
    if looks_like_noise(samples):
        return "cannot decode: the samples are full-scale white noise (corrupt or not audio)"
    return None


def looks_like_noise(samples, frame_len: int = 512, max_frames: int = 256) -> bool:
    """Loud, spectrally flat sound: what random bytes (a damaged file, or one that is not
    audio under an audio header) decode to; never a recording of a voice. Looks at up to
    ``max_frames`` frames spread over the file, so a long file costs no more."""
    import numpy as np

    frames = samples[: len(samples) // frame_len * frame_len].reshape(-1, frame_len)
    picked = np.linspace(0, len(frames) - 1, min(len(frames), max_frames)).astype(int)
    frames = frames[picked].astype(np.float64)
    if len(frames) == 0 or np.sqrt(np.mean(frames**2)) < NOISE_RMS:
        return False
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2 + 1e-12
    flatness = np.exp(np.mean(np.log(power), axis=1)) / np.mean(power, axis=1)  # geometric / arithmetic
    return float(np.median(flatness)) > NOISE_FLATNESS


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


ScoreAll = Callable[[list[Job], ScoreSettings, "int | None"], Iterable[tuple[Job, dict]]]
_worker: Any = None  # (settings, transcriber) in each worker process


def _init_worker(settings: ScoreSettings, cpu_threads: int) -> None:
    from vivavoce.transcribe import TranscribeOptions, Transcriber

    global _worker
    transcriber = Transcriber(TranscribeOptions(model=settings.model, cpu_threads=cpu_threads))
    transcriber.load()
    _worker = (settings, transcriber)


def _init_pool_worker(settings: ScoreSettings, cpu_threads: int) -> None:
    """A worker process keeps to its share of the cores in every OpenMP library (read when each
    loads, after this), as a Ray actor does: with one worker per core, no oversubscription."""
    os.environ.setdefault("OMP_NUM_THREADS", str(cpu_threads))
    _init_worker(settings, cpu_threads)


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
    score_all: ScoreAll | None = None,
) -> list[dict]:
    """Score every item; records come back in item order, one per item. ``score_all`` scores
    the files not in the cache (default: processes on this machine; cluster.ClusterScorer: Ray)."""
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
    results = (score_all or _score_all)(todo, settings, jobs)
    try:
        for job, record in results:
            if cache is not None and record["error"] is None:
                cache.put(job.key, record)  # as each arrives: an interrupted batch resumes here
            records[index_of[id(job.item)]] = record
            on_record(record, job)
    finally:
        getattr(results, "close", lambda: None)()  # stop the workers now, even on Ctrl-C
    return [records[i] for i in range(len(items))]


def _score_all(jobs: list[Job], settings: ScoreSettings, n_jobs: int | None) -> Iterable[tuple[Job, dict]]:
    if not jobs:
        return
    longest_first = sorted(jobs, key=lambda j: -(j.duration_s or 0))
    n_jobs = max(1, min(n_jobs or default_jobs(len(jobs)), len(jobs)))
    if n_jobs == 1:
        _init_worker(settings, threads_per_job(1))
        for job in longest_first:
            yield job, _score_in_worker(job.item.path, job.item.name)
        return
    context = multiprocessing.get_context("spawn")  # no fork: the model's threads do not survive it
    with cf.ProcessPoolExecutor(n_jobs, context, _init_pool_worker, (settings, threads_per_job(n_jobs))) as pool:
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
        return error_record(job.item.name, str(e), norms=settings.norms)
    except Exception as e:  # a worker that died (out of memory, killed) fails its file only
        log.warning("worker failed on %s: %r", job.item.path, e)
        return error_record(job.item.name, f"scoring failed: {e!r}", norms=settings.norms)
