"""`viva score --cluster`: a real two-node Ray cluster (a head and a worker, one CPU each),
started once for the module inside a network namespace of its own, loopback only (netns.py)."""

import importlib.util
import json
import os
import shutil
import sys

import numpy as np
import pytest
from click.testing import CliRunner

import netns
from vivavoce import batch
from vivavoce.audio import write_wav
from vivavoce.cli import cli
from vivavoce.cluster import ClusterOptions, ClusterScorer
from vivavoce.inputs import discover

CLIPS = ("fw_jfk.wav", "mfa_acoustic_corpus.wav", "mfa_cold_corpus.wav")


def score(*args):
    return CliRunner().invoke(cli, ["score", *map(str, args)])


def same_but_time(record: dict) -> dict:
    """A record without what may differ between runs: the time it took, and the file's name."""
    return {k: v for k, v in record.items() if k not in ("processing_s", "file")}


def test_cluster_without_ray_names_the_extra(data_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails, as where it is not installed
    result = score("--cluster", "auto", data_dir / "fw_jfk.wav")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --cluster needs Ray, which is not installed\n"
        "Tip: Install it here and on every node: pip install 'vivavoce[cluster]'\n"
    )


def test_shared_fs_goes_with_cluster(data_dir):
    result = score("--shared-fs", data_dir / "fw_jfk.wav")
    assert result.exit_code == 2 and "Error: --shared-fs goes with --cluster" in result.stderr


def test_no_cluster_at_the_address_fails_at_once(data_dir):
    pytest.importorskip("ray")
    result = score("--cluster", "127.0.0.1:1", "--no-cache", data_dir / "fw_jfk.wav")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot connect to the Ray cluster at 127.0.0.1:1: Connection refused\n"
        "Tip: Start one with `ray start --head`, or give its HOST:PORT.\n"
    )


# -- on the cluster ----------------------------------------------------------------------


def required(reason: str) -> None:
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def ray_cluster():
    if importlib.util.find_spec("ray") is None:
        required("Ray is not installed; ./scripts/test installs vivavoce[cluster]")
    reason = netns.why_unavailable()
    if reason:
        required(reason)
    with pytest.MonkeyPatch.context() as env, netns.loopback_only():
        env.setenv("RAY_USAGE_STATS_ENABLED", "0")
        from ray.cluster_utils import Cluster

        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
        cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        try:
            yield cluster
        finally:
            cluster.shutdown()


@pytest.fixture(scope="module")
def local_records(data_dir, ray_cluster):
    """The clips scored on this machine, one worker per core: what the cluster must match."""
    items = discover([str(data_dir / clip) for clip in CLIPS])
    return batch.run(items, batch.ScoreSettings(), None, jobs=2)


@pytest.mark.model
@pytest.mark.cluster
def test_cluster_records_equal_a_local_runs(ray_cluster, local_records, data_dir, tmp_path):
    result = score(
        "--cluster",
        ray_cluster.address,
        "--format",
        "json",
        "--no-cache",
        "--data-dir",
        tmp_path,
        *(data_dir / clip for clip in CLIPS),
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith("3 scored, 0 failed.\n")
    records = json.loads(result.stdout)
    assert [r["file"] for r in records] == [str(data_dir / clip) for clip in CLIPS]
    assert [same_but_time(r) for r in records] == [same_but_time(r) for r in local_records]


@pytest.mark.model
@pytest.mark.cluster
def test_a_bad_file_is_one_error_record_not_retried(ray_cluster, data_dir, tmp_path):
    write_wav(tmp_path / "silent.wav", np.zeros(3 * 16000, np.float32))
    write_wav(tmp_path / "noise.wav", np.random.default_rng(1).uniform(-1, 1, 2 * 16000).astype(np.float32))
    shutil.copy(data_dir / "fw_jfk.wav", tmp_path / "answer.wav")
    (tmp_path / "answer.question.toml").write_text('text = "unclosed\n')
    scorer = ClusterScorer(ClusterOptions(ray_cluster.address))
    items = discover([str(tmp_path / name) for name in ("silent.wav", "noise.wav", "answer.wav")])
    records = batch.run(items, batch.ScoreSettings(), None, score_all=scorer)
    assert [r["error"] for r in records[:2]] == [
        "no speech found (silent, or too quiet)",
        "cannot decode: the samples are full-scale white noise (corrupt or not audio)",
    ]
    assert records[2]["error"].startswith(str(tmp_path / "answer.question.toml"))  # told by the driver
    assert (scorer.sent, scorer.retried) == (2, 0)


@pytest.mark.model
@pytest.mark.cluster
def test_an_interrupted_batch_keeps_what_finished_and_resumes(ray_cluster, local_records, data_dir, tmp_path):
    items = discover([str(data_dir / clip) for clip in CLIPS])
    cache = batch.ScoreCache(tmp_path / "cache")
    finished = []

    def interrupt(record, job):
        finished.append(record)
        raise KeyboardInterrupt  # Ctrl-C as the first file comes back

    with pytest.raises(KeyboardInterrupt):
        batch.run(
            items,
            batch.ScoreSettings(),
            cache,
            on_record=interrupt,
            score_all=ClusterScorer(ClusterOptions(ray_cluster.address)),
        )
    assert [json.loads(p.read_text()) for p in cache.folder.glob("*.json")] == finished
    scored = []

    def counting(jobs, settings, n_jobs):
        scored.extend(job.item.name for job in jobs)
        return ClusterScorer(ClusterOptions(ray_cluster.address, shared_fs=True))(jobs, settings, n_jobs)

    records = batch.run(items, batch.ScoreSettings(), cache, score_all=counting)
    assert len(scored) == 2 and finished[0]["file"] not in scored
    assert finished[0] in records
    assert [same_but_time(r) for r in records] == [same_but_time(r) for r in local_records]


@pytest.mark.model
@pytest.mark.cluster
def test_a_node_killed_mid_batch_loses_no_file(ray_cluster, local_records, data_dir, tmp_path):
    copies = [tmp_path / f"{n}.wav" for n in range(4)]  # two in flight on each node when it is killed
    for copy in copies:
        shutil.copy(data_dir / CLIPS[0], copy)
    worker = next(iter(ray_cluster.worker_nodes))

    def kill_the_worker_node(record, job):
        if worker in ray_cluster.worker_nodes:
            ray_cluster.remove_node(worker)  # while it holds files

    scorer = ClusterScorer(ClusterOptions(ray_cluster.address))
    try:
        records = batch.run(
            discover([str(c) for c in copies]),
            batch.ScoreSettings(),
            None,
            on_record=kill_the_worker_node,
            score_all=scorer,
        )
    finally:
        ray_cluster.add_node(num_cpus=1)  # the cluster as it was, for any test after this
        ray_cluster.wait_for_nodes()
    assert [r["file"] for r in records] == [str(c) for c in copies]
    assert [same_but_time(r) for r in records] == [same_but_time(local_records[0])] * 4
    assert scorer.retried >= 1
