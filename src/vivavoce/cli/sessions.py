"""The terminal side of stored sessions: sessions, review, progress, export, delete, report."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from vivavoce.datadir import default_data_dir
from vivavoce.errors import StoreError
from vivavoce.report import export
from vivavoce.report.review import progress_view, session_review, sessions_table
from vivavoce.store import Store


def open_store(data_dir: Path | None) -> Store:
    return Store(data_dir or default_data_dir())


def list_sessions(store: Store, out: Console) -> None:
    rows = store.summaries()
    if not rows:
        out.print("No sessions yet. Start one with: viva practice")
        return
    out.print(sessions_table(rows))
    out.print(f"Kept in {store.data_dir}. Review one with: viva review [SESSION]", highlight=False, soft_wrap=True)


def review(store: Store, session: str | None, answer: int | None, play: bool, out: Console) -> None:
    doc = store.load(store.resolve(session))
    if answer is not None and not 1 <= answer <= len(doc["answers"]):
        raise StoreError(f"session {doc['id']} has {len(doc['answers'])} answer(s), not {answer}")
    out.print(session_review(doc, answer))
    if play:
        for n, a in enumerate(doc["answers"], start=1):
            if answer in (None, n) and a.get("audio"):
                out.print(f"Playing answer {n}... (Ctrl-C to stop)")
                play_file(Path(doc["folder"]) / a["audio"])


def play_file(path: Path) -> None:
    from vivavoce.audio import SAMPLE_RATE_HZ, read_audio
    from vivavoce.devices.sound import import_sounddevice

    samples = read_audio(path)
    sd = import_sounddevice()
    try:
        sd.play(samples, SAMPLE_RATE_HZ)
        sd.wait()
    except sd.PortAudioError as e:
        raise StoreError(f"cannot play {path}: {e}", "Check the speaker (viva devices).") from e


def progress(store: Store, out: Console) -> None:
    rows = store.summaries()
    if not rows:
        out.print("No sessions yet. Start one with: viva practice")
        return
    out.print(progress_view(rows, store.attempts_by_question()))


def export_session(store: Store, session: str | None, fmt: str, output: Path | None, out: Console) -> None:
    text = export.RENDERERS[fmt](store.load(store.resolve(session)))
    write_text(text, output, out)


def write_text(text: str, output: Path | None, out: Console) -> None:
    if output is None:
        out.file.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise StoreError(f"cannot write {str(output)!r}: {e.strerror or e}", "Choose another path with -o.") from e
    out.print(f"Wrote {output}", highlight=False)


def delete(store: Store, session: str, confirm) -> str | None:
    session_id = store.resolve(session)
    doc = store.load(session_id)
    if not confirm(f"Delete session {session_id} ({len(doc['answers'])} answer(s)) and its audio?"):
        return None
    store.delete(session_id)
    return session_id


def html_report(store: Store, session: str | None, output: Path, out: Console) -> None:
    from vivavoce.audio import read_audio
    from vivavoce.errors import AudioFileError
    from vivavoce.report.audio_web import ogg_opus_bytes
    from vivavoce.report.html import render_html

    doc = store.load(store.resolve(session))
    audio = {}
    for a in doc["answers"]:
        path = Path(doc["folder"]) / (a.get("audio") or "")
        if a.get("audio") and path.is_file():
            try:
                audio[a["audio"]] = ogg_opus_bytes(read_audio(path))
            except AudioFileError:
                pass  # the page says the recording is missing
    write_text(render_html(doc, audio), output, out)
