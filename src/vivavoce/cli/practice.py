"""Wires the real devices, the model, the store and the terminal UI into a practice session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from vivavoce.cli.ui import ConsoleUI
from vivavoce.config import config_path, load_norms
from vivavoce.datadir import default_data_dir, ensure_writable
from vivavoce.devices.sound import SoundDeviceMicrophone
from vivavoce.devices.speech import Pyttsx3Speaker
from vivavoce.errors import Interrupted, PackError
from vivavoce.interview import Practice
from vivavoce.packs import load_pack, select
from vivavoce.recorder import RecordOptions
from vivavoce.report.terminal import summary_table
from vivavoce.store import Store
from vivavoce.transcribe import TranscribeOptions, Transcriber


@dataclass(frozen=True)
class PracticeSettings:
    pack: str = "starter"
    n_questions: int | None = None
    max_answer_s: float = 300.0
    silence_s: float = 3.0
    no_answer_s: float = 20.0
    model: str = "bundled"
    input_device: int | str | None = None
    voice: bool = True
    live: bool = True
    data_dir: Path | None = None
    shuffle: bool = False
    competency: str | None = None
    kind: str | None = None
    follow_ups: bool = False
    time_cue: bool = False
    streaming: bool = True


def run_practice(settings: PracticeSettings, console: Console) -> int:
    data_dir = settings.data_dir or default_data_dir()
    norms = load_norms(config_path(data_dir))  # a question without target_s gets its answer_target_s
    pack = load_pack(settings.pack, data_dir / "packs", norms)
    questions = select(pack.questions, settings.n_questions, settings.shuffle, settings.competency, settings.kind)
    if not questions:
        raise PackError(
            f"no question in {pack.id!r} matches --competency/--kind",
            "See the competencies and kinds with: viva packs show " + pack.id,
        )
    transcriber = Transcriber(TranscribeOptions(model=settings.model))
    data_dir = ensure_writable(data_dir)
    microphone = SoundDeviceMicrophone(settings.input_device)
    mic_info = microphone.check()
    transcriber.load_in_background()  # ready by the time the first answer ends
    store = Store(data_dir)
    session = store.new_session({"id": pack.id, "title": pack.title}, transcriber.model_label)
    console.print(
        f"[bold]{escape(pack.title)}[/bold]: {len(questions)} question(s). "
        f"Microphone: {escape(mic_info['name'])}. Model: {escape(transcriber.model_label)}."
    )
    options = RecordOptions(settings.max_answer_s, settings.silence_s, settings.no_answer_s)
    ui = ConsoleUI(console, settings.max_answer_s, settings.live)
    speaker = Pyttsx3Speaker() if settings.voice else None
    practice = Practice(
        questions,
        microphone,
        speaker,
        transcriber,
        session,
        ui,
        options,
        norms,
        settings.follow_ups,
        settings.time_cue,
        settings.streaming,
    )
    status = 0
    try:
        practice.run()
    except Interrupted:
        console.print("\n[yellow]Interrupted.[/yellow] What you recorded is kept.")
        status = 130
    answers = session.answers
    if answers:
        console.print(summary_table(answers))
    console.print(
        f"Session {escape(session.id)} saved in {escape(str(store.data_dir / 'vivavoce.db'))}, "
        f"audio in {escape(str(session.folder))}. Review it with: viva review",
        soft_wrap=True,
    )
    store.close()
    return status
