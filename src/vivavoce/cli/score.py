"""`viva score`: the terminal side of batch scoring (progress, errors, output)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from vivavoce import batch
from vivavoce.config import config_path, load_norms
from vivavoce.datadir import default_data_dir, ensure_writable
from vivavoce.errors import AudioFileError, StoreError
from vivavoce.inputs import Item, discover, extensions_text
from vivavoce.packs import Question
from vivavoce.report.formats import RENDERERS, to_table
from vivavoce.transcribe import resolve_model


@dataclass(frozen=True)
class ScoreRequest:
    paths: list[str]
    fmt: str = "table"
    output: Path | None = None
    jobs: int | None = None
    force: bool = False
    use_cache: bool = True
    model: str = "bundled"
    fillers: str = "full"
    question: str | None = None
    max_duration_s: float = batch.MAX_DURATION_S
    data_dir: Path | None = None
    cluster: str | None = None  # a Ray cluster's address: score there
    shared_fs: bool = False


class ProgressView:
    """Files done, hours of audio done and ETA; shown only on a terminal."""

    def __init__(self, err: Console):
        self.err = err
        self.progress = Progress(
            TextColumn("Scoring"),
            BarColumn(),
            TextColumn("{task.fields[files]}"),
            TextColumn("{task.fields[hours]}"),
            TimeRemainingColumn(),
            console=err,
            disable=not err.is_terminal,
            transient=True,
        )
        self.task: TaskID | None = None
        self.files_done = 0
        self.n_files = 0

    def planned(self, jobs: list[batch.Job], n_items: int) -> None:
        self.n_files = n_items
        self.total_s = sum(j.duration_s or 0 for j in jobs)
        self.done_s = 0.0
        self.task = self.progress.add_task("score", total=self.total_s or None, **self._fields())

    def _fields(self) -> dict:
        return {
            "files": f"{self.files_done}/{self.n_files} files",
            "hours": f"{self.done_s / 3600:.2f}/{self.total_s / 3600:.2f} h audio",
        }

    def record(self, record: dict, job: batch.Job | None) -> None:
        self.files_done += 1
        self.done_s += (job.duration_s or 0) if job else 0
        if record["error"]:
            self.err.print(
                f"[red]error:[/red] {escape(record['file'])}: {escape(record['error'])}",
                highlight=False,
                soft_wrap=True,
            )
        if self.task is not None:
            self.progress.update(self.task, completed=self.done_s, **self._fields())


def run_score(request: ScoreRequest, out: Console, err: Console) -> int:
    data_dir = request.data_dir or default_data_dir()
    norms = load_norms(config_path(data_dir))  # a broken config is told first, as in practice
    items = discover(request.paths)
    if all(item.problem for item in items):
        raise nothing_to_score(items)
    resolve_model(request.model)  # fail fast, before any worker starts
    score_all = cluster_scorer(request)
    question = Question("cli", request.question, norms.answer_target_s) if request.question else None
    settings = batch.ScoreSettings(request.model, request.fillers, request.max_duration_s, question, norms)
    cache = None
    if request.use_cache:
        cache = batch.ScoreCache(ensure_writable(data_dir) / "cache" / "score")
    view = ProgressView(err)
    with view.progress:
        records = batch.run(
            items,
            settings,
            cache,
            request.jobs,
            request.force,
            lambda jobs: view.planned(jobs, len(items)),
            view.record,
            score_all,
        )
    write_output(records, request, out)
    failed = sum(1 for r in records if r["error"])
    err.print(f"{len(records) - failed} scored, {failed} failed.", highlight=False)
    return 1 if failed else 0


def cluster_scorer(request: ScoreRequest) -> batch.ScoreAll | None:
    """Ray's scorer for --cluster (Ray and the address checked now, before planning); None: this machine's."""
    if request.cluster is None:
        return None
    from vivavoce import cluster

    cluster.import_ray()
    cluster.check_reachable(request.cluster)
    return cluster.ClusterScorer(cluster.ClusterOptions(request.cluster, request.shared_fs))


def nothing_to_score(items: list[Item]) -> AudioFileError:
    """One error for inputs that gave no file to score at all (exit 1, no empty table)."""
    tip = f"Give audio files ({extensions_text()}), folders of them (searched recursively), or globs."
    if len(items) == 1:
        return AudioFileError(items[0].describe(), tip)
    return AudioFileError("nothing to score:\n" + "\n".join(f"  {item.describe()}" for item in items), tip)


def write_output(records: list[dict], request: ScoreRequest, out: Console) -> None:
    if request.fmt == "table":
        if request.output is None:
            out.print(to_table(records))
            return
        text = _table_text(records)
    elif request.fmt == "html":
        from vivavoce.report.html.batch import render_batch

        text = render_batch(records)
    else:
        text = RENDERERS[request.fmt](records)
    if request.output is None:
        out.file.write(text)
        out.file.flush()
        return
    try:
        request.output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise StoreError(
            f"cannot write {str(request.output)!r}: {e.strerror or e}",
            "Results are cached: fix the path and run again.",
        ) from e


def _table_text(records: list[dict]) -> str:
    console = Console(width=160, force_terminal=False, color_system=None)
    with console.capture() as capture:
        console.print(to_table(records))
    return capture.get()
