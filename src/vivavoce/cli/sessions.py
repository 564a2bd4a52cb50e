"""The terminal side of stored sessions: sessions, review, progress, export, delete, report."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from vivavoce.answer import Answer, Session
from vivavoce.datadir import default_data_dir
from vivavoce.errors import AudioFileError, DeviceError, StoreError
from vivavoce.report import export
from vivavoce.report.present import label
from vivavoce.report.review import progress_view, session_review, sessions_table
from vivavoce.store import Store


def open_store(data_dir: Path | None) -> Store:
    return Store(data_dir or default_data_dir())


def list_sessions(store: Store, out: Console) -> None:
    sessions = store.sessions()
    if not sessions:
        out.print("No sessions yet. Start one with: viva practice")
        return
    out.print(sessions_table(sessions))
    out.print(f"Kept in {store.data_dir}. Review one with: viva review [SESSION]", highlight=False, soft_wrap=True)


def review(store: Store, session: str | None, answer: int | None, play: bool, out: Console) -> None:
    doc = store.load(store.resolve(session))
    if answer is not None and not 1 <= answer <= len(doc.answers):
        raise StoreError(f"session {doc.id} has {len(doc.answers)} answer(s), not {answer}")
    out.print(session_review(doc, answer))
    if play:
        for n, a in enumerate(doc.answers, start=1):
            if answer in (None, n):
                play_answer(a, Path(doc.folder), out)


def play_answer(answer: Answer, folder: Path, out: Console) -> None:
    """Play one answer's recording; raise if it is missing or cannot be played."""
    if not answer.take.audio:
        out.print(f"{label(answer)} has no recording.")
        return
    path = folder / answer.take.audio
    if not path.is_file():
        raise StoreError(
            f"cannot play {label(answer)}: its recording is missing: {path}",
            "It was moved or deleted; the transcript and metrics are kept.",
        )
    out.print(f"Playing {label(answer)}... (Ctrl-C to stop)")
    play_file(path)


def play_file(path: Path) -> None:
    from vivavoce.audio import SAMPLE_RATE_HZ, read_audio
    from vivavoce.devices.sound import import_sounddevice

    try:
        samples = read_audio(path)
    except AudioFileError as e:
        raise AudioFileError(f"cannot play {path}: {e}", e.tip) from e
    sd = import_sounddevice()
    try:
        sd.query_devices(kind="output")
    except (ValueError, sd.PortAudioError) as e:
        raise DeviceError(
            f"cannot play {path}: no speaker (no default output device)",
            "Plug in or enable a speaker or headphones (see: viva devices).",
        ) from e
    try:
        sd.play(samples, SAMPLE_RATE_HZ)
        sd.wait()
    except (ValueError, sd.PortAudioError) as e:
        raise DeviceError(f"cannot play {path}: {e}", "Check the speaker (viva devices).") from e


def progress(store: Store, out: Console) -> None:
    sessions = store.sessions()
    if not sessions:
        out.print("No sessions yet. Start one with: viva practice")
        return
    out.print(progress_view(sessions))


def import_notes(store: Store, path: Path, session: str | None, out: Console) -> None:
    """Store the notes a report exported with their session (or with SESSION when given)."""
    from vivavoce.errors import NotesError
    from vivavoce.notes import read_notes

    exported = read_notes(path)
    if session is None and exported.session not in store.session_ids():
        raise StoreError(
            f"no session {exported.session!r} here, the session {path.name} is for",
            "Use the data directory that holds it (--data-dir), or name one: --session",
        )
    doc = store.load(store.resolve(session) if session is not None else exported.session)
    beyond = sorted(n for n in exported.notes if n > len(doc.answers))
    if beyond:
        raise NotesError(
            f"{path.name} has a note on answer {beyond[0]}; session {doc.id} has {len(doc.answers)} answer(s)",
            "Check that the notes are for this session.",
        )
    store.save_notes(doc.id, exported.notes)
    kept = sum(1 for note in exported.notes.values() if note.strip())
    out.print(
        f"Stored {kept} note(s) with session {doc.id}. The next report shows them: viva report {doc.id} -o FILE",
        highlight=False,
        soft_wrap=True,
    )


def progress_html(store: Store, output: Path, out: Console) -> None:
    from urllib.parse import quote

    from vivavoce.report.html.progress import render_progress

    sessions = store.sessions()
    links = {s.id: quote(f"{s.id}.html") for s in sessions if (output.parent / f"{s.id}.html").is_file()}
    write_text(render_progress(sessions, links), output, out)


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
    out.print(f"Wrote {output}", highlight=False, soft_wrap=True)


def delete(store: Store, session: str, confirm) -> str | None:
    session_id = store.resolve(session)
    doc = store.load(session_id)
    if not confirm(f"Delete session {session_id} ({len(doc.answers)} answer(s)) and its audio?"):
        return None
    store.delete(session_id)
    return session_id


def html_report(store: Store, session: str | None, output: Path, out: Console) -> None:
    from vivavoce.report.html import render_html

    doc = store.load(store.resolve(session))
    audio, envelopes = encoded_audio(doc)
    write_text(render_html(doc, audio, envelopes, store.notes(doc.id)), output, out)


def encoded_audio(doc: Session) -> tuple[dict[str, bytes], dict[str, tuple[float, ...]]]:
    """Each answer's recording as Ogg/Opus and its loudness envelope, by audio file name."""
    from vivavoce.audio import read_audio
    from vivavoce.report.audio_web import loudness_envelope, ogg_opus_bytes

    audio, envelopes = {}, {}
    for a in doc.answers:
        path = Path(doc.folder) / a.take.audio
        if a.take.audio and path.is_file():
            try:
                samples = read_audio(path)
            except AudioFileError:
                continue  # the page says the recording is missing
            audio[a.take.audio] = ogg_opus_bytes(samples)
            envelopes[a.take.audio] = loudness_envelope(samples)
    return audio, envelopes
