"""The command line: the only module that exits. Heavy modules are imported in commands."""

from __future__ import annotations

import enum
import sys
from pathlib import Path

import click

from vivavoce import __version__


class ExitStatus(enum.IntEnum):
    OK = 0
    ERROR = 1
    INTERRUPTED = 130


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def fail(error) -> None:
    from rich.markup import escape

    err = console(stderr=True)
    err.print(f"[bold red]Error:[/bold red] {escape(str(error))}", soft_wrap=True)
    if getattr(error, "tip", None):
        err.print(f"Tip: {escape(error.tip)}", soft_wrap=True)
    sys.exit(ExitStatus.ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="viva")
def cli() -> None:
    """vivavoce: practise spoken interview answers, privately, on this machine."""


@cli.command()
@click.option("--pack", default="starter", show_default=True, help="Question pack: a name or a .toml path.")
@click.option("--questions", "n_questions", type=click.IntRange(min=1), help="Ask at most N questions.")
@click.option("--shuffle", is_flag=True, help="Ask the questions in a random order.")
@click.option("--competency", help="Only questions whose competency contains this (e.g. conflict).")
@click.option(
    "--kind",
    type=click.Choice(["behavioural", "situational", "motivational", "technical discussion"]),
    help="Only questions of this kind.",
)
@click.option("--follow-ups", is_flag=True, help="After an answer, ask the follow-up it covered least.")
@click.option("--time-cue", is_flag=True, help="Say 'time' if an answer runs far over its target.")
@click.option(
    "--max-answer-s",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Stop recording an answer after this many seconds.",
)
@click.option(
    "--silence-s",
    type=click.FloatRange(min=0.5),
    default=3.0,
    show_default=True,
    help="End the answer after this much silence following speech.",
)
@click.option(
    "--no-answer-s",
    type=click.FloatRange(min=1),
    default=20.0,
    show_default=True,
    help="Say 'no answer heard' after this long without speech.",
)
@click.option(
    "--model",
    default="bundled",
    show_default=True,
    help="Whisper model: 'bundled' (tiny.en, offline), a size name (downloads once) or a folder.",
)
@click.option("--input-device", help="Microphone: index or name (see: viva devices).")
@click.option("--no-voice", is_flag=True, help="Show the questions without speaking them.")
@click.option("--no-live", is_flag=True, help="No live line (time, level, pace, um/uh) while recording.")
@click.option(
    "--no-streaming",
    is_flag=True,
    help="Transcribe only after each answer (less CPU while you speak; a longer wait after).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where sessions are kept (default: VIVAVOCE_HOME or the user data folder).",
)
def practice(
    pack,
    n_questions,
    shuffle,
    competency,
    kind,
    follow_ups,
    time_cue,
    max_answer_s,
    silence_s,
    no_answer_s,
    model,
    input_device,
    no_voice,
    no_live,
    no_streaming,
    data_dir,
) -> None:
    """Answer interview questions out loud and get feedback on each answer."""
    from vivavoce.cli.practice import PracticeSettings, run_practice
    from vivavoce.errors import NoInputDeviceError, VivaError

    settings = PracticeSettings(
        pack,
        n_questions,
        max_answer_s,
        silence_s,
        no_answer_s,
        model,
        parse_device(input_device),
        not no_voice,
        not no_live,
        data_dir,
        shuffle,
        competency,
        kind,
        follow_ups,
        time_cue,
        not no_streaming,
    )
    out = console()
    try:
        status = run_practice(settings, out)
    except NoInputDeviceError as e:
        show_devices_after_error()
        fail(e)
    except VivaError as e:
        fail(e)
    sys.exit(status)


def parse_device(value: str | None) -> int | str | None:
    if value is None:
        return None
    return int(value) if value.isdigit() else value


def show_devices_after_error() -> None:
    from vivavoce.devices.sound import list_devices
    from vivavoce.errors import VivaError
    from vivavoce.report.terminal import devices_table

    try:
        rows = list_devices()
    except VivaError:
        return
    if rows:
        console(stderr=True).print(devices_table(rows))
    else:
        console(stderr=True).print("This machine shows no audio devices at all.")


@cli.command()
def devices() -> None:
    """List the microphones and speakers this machine has."""
    from vivavoce.devices.sound import list_devices
    from vivavoce.errors import VivaError
    from vivavoce.report.terminal import devices_table

    try:
        rows = list_devices()
    except VivaError as e:
        fail(e)
    if not rows:
        console().print("No audio devices found. Tip: check that a sound card or headset is connected.")
        return
    console().print(devices_table(rows))


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl", "csv", "html"]),
    default="table",
    show_default=True,
    help="Output format; the JSON record is described in docs/record.md; html: a page of charts and a table.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout.")
@click.option("--jobs", type=click.IntRange(min=1), help="Files scored in parallel [default: one per core].")
@click.option("--force", is_flag=True, help="Score again files already in the cache.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option("--model", default="bundled", show_default=True, help="Whisper model, as for practice.")
@click.option(
    "--fillers",
    type=click.Choice(["full", "transcript"]),
    default="full",
    show_default=True,
    help="'full' looks for the um/uh Whisper leaves out; 'transcript' is faster, and misses most.",
)
@click.option("--question", help="The question every recording answers (else a NAME.question.toml/.txt sidecar).")
@click.option(
    "--max-duration-s",
    type=click.FloatRange(min=1),
    default=7200,
    show_default=True,
    help="Refuse files longer than this.",
)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Where the cache is kept.")
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Score on a Ray cluster: 'auto' (one this machine is part of) or HOST:PORT. Needs vivavoce[cluster].",
)
@click.option("--shared-fs", is_flag=True, help="With --cluster: the workers see these paths; send paths, not bytes.")
def score(
    paths, fmt, output, jobs, force, no_cache, model, fillers, question, max_duration_s, data_dir, cluster, shared_fs
) -> None:
    """Score recorded answers: files, folders (recursively) and globs, in any audio format."""
    from vivavoce.cli.score import ScoreRequest, run_score
    from vivavoce.errors import VivaError

    if shared_fs and not cluster:
        raise click.UsageError("--shared-fs goes with --cluster")
    request = ScoreRequest(
        list(paths),
        fmt,
        output,
        jobs,
        force,
        not no_cache,
        model,
        fillers,
        question,
        max_duration_s,
        data_dir,
        cluster,
        shared_fs,
    )
    try:
        status = run_score(request, console(), console(stderr=True))
    except VivaError as e:
        fail(e)
    except KeyboardInterrupt:
        console(stderr=True).print("\nInterrupted. Finished files are cached: run the same command to resume.")
        status = ExitStatus.INTERRUPTED
    sys.exit(status)


@cli.command()
@click.option("--init", is_flag=True, help="Write a commented config file, if there is none.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help="The data directory.")
def config(init, data_dir) -> None:
    """Show where the config file is and the norms in effect, with their sources."""
    from vivavoce.config import config_path, load_norms, template
    from vivavoce.datadir import default_data_dir
    from vivavoce.errors import VivaError
    from vivavoce.report.terminal import norms_table

    path = config_path(data_dir or default_data_dir())
    out = console()
    try:
        if init and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template(), encoding="utf-8")
            out.print(f"Wrote {path}")
        norms = load_norms(path)
    except OSError as e:
        fail(VivaError(f"cannot write {path}: {e.strerror or e}", "Choose another place with VIVAVOCE_CONFIG."))
    except VivaError as e:
        fail(e)
    state = "" if path.exists() else " (not there: defaults in effect; viva config --init writes one)"
    out.print(f"Config file: {path}{state}", soft_wrap=True)
    out.print(norms_table(norms))


def user_packs_dir(data_dir: Path | None) -> Path:
    from vivavoce.datadir import default_data_dir

    return (data_dir or default_data_dir()) / "packs"


DATA_DIR_OPTION = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The data directory (your own packs are in its packs/ folder).",
)


@cli.group(invoke_without_command=True)
@DATA_DIR_OPTION
@click.pass_context
def packs(ctx, data_dir) -> None:
    """List question packs: built-in ones and your own."""
    if ctx.invoked_subcommand is not None:
        return
    from vivavoce.errors import PackError
    from vivavoce.packs import available_packs, read_pack
    from vivavoce.report.terminal import packs_table

    rows: list[tuple] = []  # (name, pack or None, problem or None)
    for name, (path, builtin) in sorted(available_packs(user_packs_dir(data_dir)).items()):
        try:
            rows.append((name, read_pack(path, builtin), None))
        except PackError as e:
            count = len(getattr(e, "problems", [])) or 1
            rows.append((name, None, f"{count} problem(s): viva packs validate {path}"))
    console().print(packs_table(rows))
    console().print(
        f"Your own packs go in {user_packs_dir(data_dir)} (start one with: viva packs new NAME).",
        highlight=False,
        soft_wrap=True,
    )


@packs.command("show")
@click.argument("name")
@DATA_DIR_OPTION
def packs_show(name, data_dir) -> None:
    """Print one pack: its questions, follow-ups and talking points."""
    from vivavoce.config import config_path, load_norms
    from vivavoce.datadir import default_data_dir
    from vivavoce.errors import VivaError
    from vivavoce.packs import load_pack
    from vivavoce.report.terminal import pack_view

    try:
        norms = load_norms(config_path(data_dir or default_data_dir()))  # a question's default target
        pack = load_pack(name, user_packs_dir(data_dir), norms)
    except VivaError as e:
        fail(e)
    console().print(pack_view(pack))


@packs.command("validate")
@click.argument("names", metavar="PACK...", nargs=-1, required=True)
@DATA_DIR_OPTION
def packs_validate(names, data_dir) -> None:
    """Check packs (names or .toml files) and report every problem with file, line and field."""
    from vivavoce.errors import PackError, PackProblems
    from vivavoce.packs import find_pack, read_pack

    failed = 0
    for name in names:
        try:
            path, builtin = find_pack(name, user_packs_dir(data_dir))
            pack = read_pack(path, builtin)
            click.echo(f"{path}: ok ({len(pack.questions)} question(s))")
        except PackError as e:
            failed += 1
            click.echo(str(e), err=True)
            if e.tip and not isinstance(e, PackProblems):
                click.echo(f"Tip: {e.tip}", err=True)
    sys.exit(ExitStatus.ERROR if failed else ExitStatus.OK)


@packs.command("new")
@click.argument("name")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it [default: your packs folder].",
)
@DATA_DIR_OPTION
def packs_new(name, output, data_dir) -> None:
    """Write a commented template for a new pack."""
    from vivavoce.errors import PackError
    from vivavoce.packs import ID_PATTERN, template

    if not ID_PATTERN.fullmatch(name):
        fail(PackError(f"{name!r} is not a pack name", "Use lowercase letters, digits and hyphens."))
    path = output or user_packs_dir(data_dir) / f"{name}.toml"
    check = str(path) if output else name  # what to pass to viva packs validate
    if path.exists():
        fail(PackError(f"{path} already exists", "Choose another name, or edit that file."))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template(name, check), encoding="utf-8")
    except OSError as e:
        fail(PackError(f"cannot write {path}: {e.strerror or e}"))
    click.echo(f"Wrote {path}. Edit it, then: viva packs validate {check}")


def with_store(data_dir, action):
    """Run ``action(store)`` and turn library errors into a clear message and status 1."""
    from vivavoce.cli.sessions import open_store
    from vivavoce.errors import VivaError

    try:
        store = open_store(data_dir)
        try:
            return action(store)
        finally:
            store.close()
    except VivaError as e:
        fail(e)


def check_session(ctx, param, value: str | None) -> str | None:
    """SESSION may be a negative number (-1: the last); any other '-x' is an unknown option."""
    if value is not None and value.startswith("-") and not value[1:].isdecimal():
        from difflib import get_close_matches

        known = [opt for p in ctx.command.params for opt in p.opts if opt.startswith("-")]
        raise click.NoSuchOption(value, possibilities=get_close_matches(value, known), ctx=ctx)
    return value


SESSION_ARGUMENT = click.argument("session", required=False, callback=check_session)
# Unknown options are kept as arguments so that `viva review -1` reaches SESSION (check_session
# turns every other one back into "No such option").
SESSION_COMMAND = {"context_settings": {"ignore_unknown_options": True}}


@cli.command()
@DATA_DIR_OPTION
def sessions(data_dir) -> None:
    """List practice sessions with their headline metrics."""
    from vivavoce.cli.sessions import list_sessions

    with_store(data_dir, lambda store: list_sessions(store, console()))


@cli.command(**SESSION_COMMAND)
@SESSION_ARGUMENT
@click.option("--answer", type=click.IntRange(min=1), help="Only answer N.")
@click.option("--play", is_flag=True, help="Play the recording(s) too.")
@DATA_DIR_OPTION
def review(session, answer, play, data_dir) -> None:
    """Review a session (default: the last): transcripts with fillers, hedges and long
    pauses marked, metrics and feedback. SESSION is an id, its start, or a number from
    viva sessions (-1: the last)."""
    from vivavoce.cli.sessions import review as run_review

    with_store(data_dir, lambda store: run_review(store, session, answer, play, console()))


@cli.command()
@click.option("--html", "as_html", is_flag=True, help="Write charts over time as a self-contained HTML page (-o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="The HTML file to write.")
@DATA_DIR_OPTION
def progress(as_html, output, data_dir) -> None:
    """How your headline metrics moved across sessions, and every attempt per question.
    With --html -o FILE: charts per pack and competency; a session's point links to its
    report when one named SESSION.html sits beside FILE."""
    from vivavoce.cli.sessions import progress as run_progress
    from vivavoce.cli.sessions import progress_html

    if as_html != (output is not None):
        raise click.UsageError("--html and -o FILE go together: viva progress --html -o progress.html")
    if as_html:
        with_store(data_dir, lambda store: progress_html(store, output, console()))
    else:
        with_store(data_dir, lambda store: run_progress(store, console()))


@cli.command(**SESSION_COMMAND)
@SESSION_ARGUMENT
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "md"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout.")
@DATA_DIR_OPTION
def export(session, fmt, output, data_dir) -> None:
    """Export a session (default: the last) as JSON, CSV or Markdown. SESSION is an id,
    its start, or a number from viva sessions (-1: the last)."""
    from vivavoce.cli.sessions import export_session

    with_store(data_dir, lambda store: export_session(store, session, fmt, output, console()))


@cli.command(**SESSION_COMMAND)
@click.argument("session", callback=check_session)
@click.option("--yes", is_flag=True, help="Do not ask first.")
@DATA_DIR_OPTION
def delete(session, yes, data_dir) -> None:
    """Delete a session and its audio (asks first). SESSION is an id, its start, or a
    number from viva sessions (-1: the last)."""
    from vivavoce.cli.sessions import delete as run_delete

    confirm = (lambda text: True) if yes else (lambda text: click.confirm(text, default=False))
    deleted = with_store(data_dir, lambda store: run_delete(store, session, confirm))
    console().print(f"Deleted {deleted}." if deleted else "Nothing deleted.")


@cli.command(**SESSION_COMMAND)
@SESSION_ARGUMENT
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The HTML file to write."
)
@DATA_DIR_OPTION
def report(session, output, data_dir) -> None:
    """Write a self-contained HTML report of a session (default: the last) for a coach:
    an overview, each answer's timeline, player and clickable transcript, notes. Works offline.
    SESSION is an id, its start, or a number from viva sessions (-1: the last)."""
    from vivavoce.cli.sessions import html_report

    with_store(data_dir, lambda store: html_report(store, session, output, console()))


@cli.group()
def notes() -> None:
    """The coach's notes from a report, kept with their session."""


@notes.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--session", help="Store them with this session, not the one the file names.")
@DATA_DIR_OPTION
def notes_import(file, session, data_dir) -> None:
    """Store the notes a report's "Export notes" saved (FILE, JSON) with their session, so the
    next `viva report` of it shows them."""
    from vivavoce.cli.sessions import import_notes

    with_store(data_dir, lambda store: import_notes(store, file, session, console()))


def main() -> None:
    cli()
