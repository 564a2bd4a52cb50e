"""The terminal side of the practice loop (part of the CLI layer: it prints and prompts)."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.prompt import Prompt

from vivavoce.answer import Answer
from vivavoce.errors import SpeechError
from vivavoce.formatting import band, duration
from vivavoce.packs import Question
from vivavoce.report import terminal


class EnterKey:
    """Says whether Enter was pressed, without blocking. Only watches a real terminal."""

    def __init__(self, stream=sys.stdin):
        self.stream = stream
        self.active = bool(getattr(stream, "isatty", lambda: False)())

    def pressed(self) -> bool:
        if not self.active:
            return False
        if sys.platform == "win32":
            import msvcrt

            hit = False
            while msvcrt.kbhit():
                hit = msvcrt.getwch() in ("\r", "\n") or hit
            return hit
        import select

        ready, _, _ = select.select([self.stream], [], [], 0)
        if ready:
            self.stream.readline()
            return True
        return False


class ConsoleUI:
    def __init__(self, console: Console, max_answer_s: float, live: bool = True):
        self.console = console
        self.max_answer_s = max_answer_s
        self.live = live and console.is_terminal
        self.enter = EnterKey()

    def show_question(self, number: int, total: int, question: Question, attempt: int, follow_up: bool = False) -> None:
        again = f", try {attempt}" if attempt > 1 else ""
        self.console.rule(f"Question {number} of {total}{' follow-up' if follow_up else ''}{again}")
        self.console.print(f"[bold]{escape(question.text)}[/bold]")
        self.console.print(f"[dim]Aim for {band(*question.target_s, 's')}.[/dim]")

    def speech_failed(self, error: SpeechError) -> None:
        self.console.print(f"[yellow]Warning:[/yellow] cannot speak the questions: {escape(str(error))}")
        if error.tip:
            self.console.print(f"Tip: {escape(error.tip)}")
        self.console.print("Going on with the questions on screen.")

    @contextmanager
    def recording(self, target_s: tuple[float, float]):
        hint = "press Enter to finish" if self.enter.active else "stop talking to finish"
        self.console.print(f"Recording... answer now ({hint}; it also ends after a silence).")
        if not self.live:
            yield lambda p: None
            return
        with Live(console=self.console, refresh_per_second=8, transient=True) as live:
            yield lambda p: live.update(terminal.meter(p, self.max_answer_s, target_s))

    def stop_requested(self) -> bool:
        return self.enter.pressed()

    @contextmanager
    def waiting_for_model(self):
        with self.console.status("Waiting for the speech model to load..."):
            yield

    @contextmanager
    def transcribing(self):
        with self.console.status("Transcribing on this machine..."):
            yield

    def ask_retry_no_answer(self) -> bool:
        self.console.print("[yellow]No answer heard.[/yellow] Check the microphone level (viva devices).")
        return self._ask("Try this question again?", ["y", "n"], "y") == "y"

    @contextmanager
    def finishing(self, pending: int):
        with self.console.status(f"Finishing the whole-answer transcript of {pending} answer(s) for the record..."):
            yield

    def show_result(self, result: Answer, previous: Answer | None) -> None:
        take = result.take
        ended = {
            "silence": "you stopped talking",
            "enter": "you pressed Enter",
            "max": "the time limit",
            "interrupt": "Ctrl-C",
        }.get(take.ended_by or "", take.ended_by)
        self.console.print(f"[dim]Recorded {duration(take.duration_s)} (ended by {ended}).[/dim]")
        if take.input_overflows:
            self.console.print(f"[yellow]Warning:[/yellow] the microphone dropped {take.input_overflows} blocks.")
        if previous is not None:
            self.console.print(terminal.comparison_view(previous, result))
        else:
            self.console.print(terminal.answer_view(result))

    def choose_next(self, is_last: bool) -> str:
        if is_last:
            answer = self._ask("Retry this question (r) or finish (q)?", ["r", "q"], "q")
        else:
            answer = self._ask("Next question (n), retry (r) or quit (q)?", ["n", "r", "q"], "n")
        return {"n": "next", "r": "retry", "q": "quit"}[answer]

    def _ask(self, prompt: str, choices: list[str], default: str) -> str:
        try:
            return Prompt.ask(prompt, choices=choices, default=default, console=self.console)
        except EOFError:
            self.console.print()
            return default
