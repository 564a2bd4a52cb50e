"""The practice loop, over the device Protocols and a UI Protocol (the CLI implements it)."""

from __future__ import annotations

import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Callable, Protocol

from vivavoce.devices.base import Microphone, Speaker
from vivavoce.errors import SpeechError
from vivavoce.norms import Norms
from vivavoce.packs import Question, choose_follow_up
from vivavoce.recorder import Progress, RecordOptions, Recording, record_answer
from vivavoce.scoring import ScoredAnswer, score_answer
from vivavoce.session import now_iso
from vivavoce.streaming import END_PAUSE_S, PAUSE_S, StreamingTranscriber
from vivavoce.store import StoredSession
from vivavoce.transcribe import Transcriber


FOLLOW_UP_TARGET_S = (30.0, 90.0)
TIME_CUE_FACTOR = 1.5  # "far over": half as long again as the target's upper end


class TimeCue:
    """Passes progress on, and says "time" once when the answer runs past ``after_s``.
    The cue is spoken in the background, so the recording never stalls (the microphone
    will hear it, as a person would)."""

    def __init__(self, speaker: Speaker, after_s: float, on_progress: Callable[[Progress], None]):
        self.speaker, self.after_s, self.on_progress = speaker, after_s, on_progress
        self.thread: threading.Thread | None = None

    def __call__(self, progress: Progress) -> None:
        self.on_progress(progress)
        if self.thread is None and progress.elapsed_s >= self.after_s:
            self.thread = threading.Thread(target=self._say, daemon=True)
            self.thread.start()

    def finish(self) -> None:
        if self.thread is not None:
            self.thread.join(10)

    def _say(self) -> None:
        try:
            self.speaker.say("Time.")
        except SpeechError:
            pass  # a missed cue is no reason to stop the answer


def with_live_stats(stream: StreamingTranscriber, on_progress: Callable[[Progress], None]):
    """Adds the pace and filler count of what is transcribed so far to each progress report."""
    def report(progress: Progress) -> None:
        live = stream.live()
        on_progress(replace(progress, recent_wpm=live.recent_wpm, fillers=live.fillers, behind=live.behind))

    return report


class Interrupted(Exception):
    """Ctrl-C: the session was saved; the CLI exits with status 130."""


class PracticeUI(Protocol):
    def show_question(self, number: int, total: int, question: Question, attempt: int,
                      follow_up: bool = False) -> None: ...  # fmt: skip
    def speech_failed(self, error: SpeechError) -> None: ...
    def recording(self, target_s: tuple[float, float]) -> AbstractContextManager[Callable[[Progress], None]]: ...
    def stop_requested(self) -> bool: ...
    def transcribing(self) -> AbstractContextManager[None]: ...
    def waiting_for_model(self) -> AbstractContextManager[None]: ...
    def ask_retry_no_answer(self) -> bool: ...
    def show_result(self, result: ScoredAnswer, recording: Recording, previous: ScoredAnswer | None) -> None: ...
    def choose_next(self, is_last: bool) -> str: ...  # "next", "retry" or "quit"


@dataclass
class Practice:
    questions: list[Question]
    microphone: Microphone
    speaker: Speaker | None
    transcriber: Transcriber
    session: StoredSession
    ui: PracticeUI
    record_options: RecordOptions = RecordOptions()
    norms: Norms = Norms()
    follow_ups: bool = False
    time_cue: bool = False
    streaming: bool = True

    def run(self) -> StoredSession:
        try:
            for number, question in enumerate(self.questions, start=1):
                if self._ask(number, question) == "quit":
                    break
        except KeyboardInterrupt:
            self.session.finish(interrupted=True)
            raise Interrupted from None
        self.session.finish()
        return self.session

    def _ask(self, number: int, question: Question, follow_up_of: Question | None = None) -> str:
        previous: ScoredAnswer | None = None
        attempt = 1
        while True:
            self.ui.show_question(number, len(self.questions), question, attempt, follow_up_of is not None)
            recording, gap_s, stream = self._speak_and_record(number, question, attempt)
            answer = self._new_answer(question, attempt, recording, gap_s)
            if follow_up_of is not None:
                answer["follow_up_of"] = follow_up_of.id
            if recording.ended_by == "no-answer":
                if stream is not None:
                    stream.close()
                answer["error"] = "no answer heard"
                self.session.add_answer(answer)
                if self.ui.ask_retry_no_answer():
                    attempt += 1
                    continue
                return "next"
            result = self._score(answer, recording, gap_s, question, stream)
            self.ui.show_result(result, recording, previous)
            if recording.ended_by == "interrupt":
                raise KeyboardInterrupt
            choice = self.ui.choose_next(number == len(self.questions) and not self._has_follow_up(follow_up_of))
            if choice == "retry":
                previous, attempt = result, attempt + 1
                continue
            if choice == "next" and self._has_follow_up(follow_up_of):
                return self._follow_up(number, question, result)
            return choice

    def _has_follow_up(self, follow_up_of: Question | None) -> bool:
        return self.follow_ups and follow_up_of is None

    def _follow_up(self, number: int, question: Question, result: ScoredAnswer) -> str:
        text = choose_follow_up(question, result.transcript.text)
        if text is None:
            return "next"
        follow = Question(f"{question.id}-follow-up", text, FOLLOW_UP_TARGET_S, (), question.competency,
                          question.kind)  # fmt: skip
        return self._ask(number, follow, follow_up_of=question)

    def _speak_and_record(self, number: int, question: Question, attempt: int):
        if self.speaker is not None:
            try:
                self.speaker.say(question.text)
            except SpeechError as e:
                self.ui.speech_failed(e)
                self.speaker = None  # warn once; the questions are still shown
        question_end_s = time.monotonic()
        path = self.session.audio_path(number, question.id, attempt)
        end_pause_s = min(END_PAUSE_S, max(PAUSE_S, self.record_options.silence_s - 1.0))
        stream = StreamingTranscriber(self.transcriber, end_pause_s=end_pause_s) if self.streaming else None
        with self.ui.recording(question.target_s) as on_progress:
            cue = None
            if stream is not None:
                on_progress = with_live_stats(stream, on_progress)
            if self.time_cue and self.speaker is not None:
                on_progress = cue = TimeCue(self.speaker, question.target_s[1] * TIME_CUE_FACTOR, on_progress)
            on_block = stream.feed if stream is not None else (lambda block, state: None)
            recording = record_answer(self.microphone, path, self.record_options,
                                      on_progress, self.ui.stop_requested, on_block)  # fmt: skip
            if cue is not None:
                cue.finish()
        return recording, max(0.0, recording.started_monotonic_s - question_end_s), stream

    def _new_answer(self, question: Question, attempt: int, recording: Recording, gap_s: float) -> dict:
        return {
            "question": {"id": question.id, "text": question.text, "target_s": list(question.target_s)},
            "attempt": attempt, "recorded_at": now_iso(), "audio": recording.path.name,
            "duration_s": round(recording.duration_s, 3), "ended_by": recording.ended_by,
            "question_gap_s": round(gap_s, 3), "input_overflows": recording.overflows,
            "transcript": None, "metrics": None, "feedback": [], "error": None,
        }  # fmt: skip

    def _score(self, answer: dict, recording: Recording, gap_s: float, question: Question,
               stream: StreamingTranscriber | None) -> ScoredAnswer:  # fmt: skip
        self.session.add_answer(answer)  # kept even if transcription is interrupted
        if not self.transcriber.ready:  # first answer, short question: say what we wait for
            with self.ui.waiting_for_model():
                self.transcriber.wait_ready()
        with self.ui.transcribing():
            transcript = stream.finish() if stream is not None else None
            answer["streamed_chunks"] = stream.chunks if stream is not None else 0
            result = score_answer(recording.samples, self.transcriber, gap_s, question.target_s, norms=self.norms,
                                  transcript=transcript, spans=recording.spans,
                                  detected=stream.detected if stream is not None else None)  # fmt: skip
        answer.update(result.to_dict())
        if stream is not None and stream.fillers_unchecked_s:  # the machine was too busy to look for um/uh
            answer["metrics"]["fillers"]["unchecked_s"] = round(stream.fillers_unchecked_s, 1)
        self.session.save_answer(answer)
        return result
