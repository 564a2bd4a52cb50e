"""Scoring on a Ray cluster: the jobs, records and cache of batch.run, spread over an actor pool.

Ray is the optional extra ``vivavoce[cluster]``, imported here only, and only when asked.
Each actor loads the model once and scores one file at a time; there is one actor per CPU
the cluster offers (or per ``--jobs``). The driver reads each file and ships its bytes, so
workers need no shared filesystem (``shared_fs`` sends paths instead), and resolves each
file's question sidecar itself, so a record names the same paths as a local run's.

Faults: a worker or node lost mid-batch costs nothing but time: the files it held go to
another actor, up to MAX_TRIES times each. A file that fails because it is bad comes back
as its error record, once, and is never retried.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vivavoce import __version__, batch
from vivavoce.errors import ClusterError, PackError, VivaError
from vivavoce.jsonrecord import error_record

log = logging.getLogger(__name__)

MAX_TRIES = 3  # a file whose worker was lost this many times is reported, not tried again
IN_FLIGHT_PER_ACTOR = 2  # one being scored, one waiting: the next file's bytes travel meanwhile
START_TIMEOUT_S = 300.0  # files wait and no worker has started for this long: the cluster has no room
CONNECT_TIMEOUT_S = 5.0
EXTRA_TIP = "Install it here and on every node: pip install 'vivavoce[cluster]'"


@dataclass(frozen=True)
class ClusterOptions:
    address: str  # "auto" (a cluster started on this machine) or HOST:PORT
    shared_fs: bool = False  # workers see the driver's paths: send paths, not bytes


def import_ray():
    """Ray, with its usage statistics off; ClusterError naming the extra when it is missing."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    try:
        import ray
    except ImportError as e:
        raise ClusterError("--cluster needs Ray, which is not installed", EXTRA_TIP) from e
    return ray


def connect(address: str):
    ray = import_ray()
    if ray.is_initialized():
        return ray
    check_reachable(address)
    try:
        ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)  # no notices on our stderr
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise ClusterError(
            f"cannot connect to the Ray cluster at {address}: {e}",
            "Start one with `ray start --head`, or give its HOST:PORT.",
        ) from e
    return ray


def check_reachable(address: str) -> None:
    """Fail at once on a HOST:PORT where nothing listens (Ray itself retries for minutes)."""
    host, _, port = address.rpartition(":")
    if address == "auto" or "://" in address or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as e:
        raise ClusterError(
            f"cannot connect to the Ray cluster at {address}: {e.strerror or e}",
            "Start one with `ray start --head`, or give its HOST:PORT.",
        ) from e


# -- the worker side -------------------------------------------------------------------


class ScoreWorker:
    """One Ray actor: the model, loaded once; scores one file at a time, as batch.score_file."""

    def __init__(self, settings: batch.ScoreSettings):
        batch._init_pool_worker(settings, cpu_threads=1)  # as a local worker with one core

    def version(self) -> str:
        return __version__

    def score(self, name: str, audio: bytes | str, question) -> dict:
        settings, transcriber = batch._worker
        settings = replace(settings, question=question)
        if isinstance(audio, str):  # a path on a shared filesystem
            return batch.score_file(Path(audio), name, settings, transcriber)
        with tempfile.TemporaryDirectory(prefix="vivavoce-") as folder:
            path = Path(folder) / Path(name).name  # the same suffix, so the same decoder
            path.write_bytes(audio)
            return batch.score_file(path, name, settings, transcriber)


# -- the driver side -------------------------------------------------------------------


class ClusterScorer:
    """``batch.run``'s score_all on a cluster; counts what it sent, for tests and benchmarks."""

    def __init__(self, options: ClusterOptions):
        self.options = options
        self.sent = 0  # scoring calls made, retries included
        self.retried = 0  # files sent again because their worker was lost

    def __call__(
        self, jobs: list[batch.Job], settings: batch.ScoreSettings, n_jobs: int | None
    ) -> Iterator[tuple[batch.Job, dict]]:
        if not jobs:
            return
        was_connected = import_ray().is_initialized()
        ray = connect(self.options.address)
        pool = _Pool(ray, self, settings, n_jobs or cluster_cpus(ray))
        try:
            yield from pool.results(sorted(jobs, key=lambda j: -(j.duration_s or 0)))
        finally:
            pool.close()
            if not was_connected:
                ray.shutdown()


def cluster_cpus(ray) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


@dataclass(eq=False)  # one actor is itself, whatever its count
class _Actor:
    handle: Any  # a Ray actor handle
    busy: int = 0  # files sent, not yet back


class _Pool:
    """The actors, the files waiting, and what is in flight where."""

    def __init__(self, ray, scorer: ClusterScorer, settings: batch.ScoreSettings, n_actors: int):
        self.ray, self.scorer, self.settings, self.n_actors = ray, scorer, settings, n_actors
        self.remote_class = ray.remote(num_cpus=1, max_restarts=0)(ScoreWorker)
        self.starting: dict = {}  # version() ref -> _Actor
        self.ready: list[_Actor] = []
        self.in_flight: dict = {}  # score() ref -> (job, _Actor)
        self.losses: Counter = Counter()  # job item index -> times its worker was lost
        self.start_error: Exception | None = None
        self.model_label = None

    def results(self, jobs: list[batch.Job]) -> Iterator[tuple[batch.Job, dict]]:
        self.queue = deque(jobs)
        for _ in range(min(self.n_actors, len(jobs))):
            self._start_actor()
        while self.queue or self.in_flight:
            yield from self._dispatch()
            ref = self._next_done()
            if ref in self.starting:
                self._started(ref)
                continue
            job, actor = self.in_flight.pop(ref)
            actor.busy -= 1
            record = self._outcome(ref, job, actor)
            if record is not None:
                yield job, record

    def _start_actor(self) -> None:
        actor = _Actor(self.remote_class.remote(self.settings))
        self.starting[actor.handle.version.remote()] = actor

    def _started(self, ref) -> None:
        actor = self.starting.pop(ref)
        try:
            version = self.ray.get(ref)
        except self.ray.exceptions.RayError as e:  # could not start (model missing, node gone): not replaced
            log.warning("a worker could not start: %s", e)
            self.start_error = e
            return
        if version != __version__:
            raise ClusterError(
                f"a worker has vivavoce {version}, this machine {__version__}",
                "Install the same version on every node.",
            )
        self.ready.append(actor)

    def _next_done(self):
        waiting = list(self.in_flight) + list(self.starting)
        if not waiting:
            raise ClusterError(f"no worker could start on the cluster: {self.start_error}", EXTRA_TIP)
        timeout_s = None if self.in_flight else START_TIMEOUT_S
        done, _ = self.ray.wait(waiting, num_returns=1, timeout=timeout_s)
        if not done:
            raise ClusterError(
                f"no worker started in {START_TIMEOUT_S:.0f} s: the cluster has no free CPU",
                "Free some CPUs, add a node, or lower --jobs.",
            )
        return done[0]

    def _dispatch(self) -> Iterator[tuple[batch.Job, dict]]:
        """Fill every ready actor up to IN_FLIGHT_PER_ACTOR; yield the files failed here."""
        for actor in self.ready:
            while actor.busy < IN_FLIGHT_PER_ACTOR and self.queue:
                job = self.queue.popleft()
                failed = self._send(job, actor)
                if failed is not None:
                    yield job, failed

    def _send(self, job: batch.Job, actor: _Actor) -> dict | None:
        name, norms = job.item.name, self.settings.norms
        try:
            question = self.settings.question or batch.sidecar_question(job.item.path, norms)
            audio = name if self.scorer.options.shared_fs else job.item.path.read_bytes()
        except PackError as e:
            return error_record(name, str(e), model=self._model_label(), norms=norms)
        except OSError as e:
            return error_record(name, f"cannot read: {e.strerror or e}", norms=norms)
        self.in_flight[actor.handle.score.remote(name, audio, question)] = (job, actor)
        actor.busy += 1
        self.scorer.sent += 1
        return None

    def _model_label(self) -> str:
        from vivavoce.transcribe import resolve_model

        return resolve_model(self.settings.model)[1]

    def _outcome(self, ref, job: batch.Job, actor: _Actor) -> dict | None:
        """The record; None when the file went back in the queue because its worker was lost."""
        exceptions = self.ray.exceptions
        try:
            return self.ray.get(ref)
        except exceptions.RayTaskError as e:  # the file failed, not the worker: no retry
            cause = e.cause if isinstance(e.cause, BaseException) else e
            message = str(cause) if isinstance(cause, VivaError) else f"scoring failed: {cause!r}"
            return error_record(job.item.name, message, norms=self.settings.norms)
        except exceptions.RayError as e:  # the worker process or its node died
            return self._lost(job, actor, e)

    def _lost(self, job: batch.Job, actor: _Actor, error: Exception) -> dict | None:
        if actor in self.ready:
            log.warning("lost a worker; its files go to the others: %s", error)
            self.ready.remove(actor)
            self._start_actor()  # waits for room if its node is gone; killed when the batch ends
        key = job.item.name
        self.losses[key] += 1
        if self.losses[key] >= MAX_TRIES:
            return error_record(
                key, f"scoring failed: its worker was lost {MAX_TRIES} times ({error})", norms=self.settings.norms
            )
        self.scorer.retried += 1
        self.queue.appendleft(job)
        return None

    def close(self) -> None:
        actors = {id(a): a for a in [*self.ready, *self.starting.values(), *(a for _, a in self.in_flight.values())]}
        for actor in actors.values():
            try:
                self.ray.kill(actor.handle)
            except (self.ray.exceptions.RayError, ValueError) as e:  # already gone with its node
                log.debug("could not kill a worker: %r", e)
