"""The practice loop, over the device Protocols and a UI Protocol (the CLI implements it)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Protocol

from vivavoce.analysis.norms import Norms
from vivavoce.answer import Answer, AskedQuestion, Take
from vivavoce.audio import read_audio
from vivavoce.datadir import now_iso
from vivavoce.devices.base import Microphone, Speaker
from vivavoce.errors import Interrupted, SpeechError
from vivavoce.packs import Question, choose_follow_up
from vivavoce.recorder import Progress, Recording, RecordOptions, record_answer
from vivavoce.scoring import Heard, asked, hear, score_answer, unscored, voicing
from vivavoce.store import StoredSession
from vivavoce.streaming import END_PAUSE_S, PAUSE_S, StreamingTranscriber
from vivavoce.transcribe import Transcriber
from vivavoce.wholepass import WholePass

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


class PracticeUI(Protocol):
    def show_question(
        self, number: int, total: int, question: Question, attempt: int, follow_up: bool = False
    ) -> None: ...
    def speech_failed(self, error: SpeechError) -> None: ...
    def recording(self, target_s: tuple[float, float]) -> AbstractContextManager[Callable[[Progress], None]]: ...
    def stop_requested(self) -> bool: ...
    def transcribing(self) -> AbstractContextManager[None]: ...
    def finishing(self, pending: int) -> AbstractContextManager[None]: ...
    def waiting_for_model(self) -> AbstractContextManager[None]: ...
    def ask_retry_no_answer(self) -> bool: ...
    def show_result(self, result: Answer, previous: Answer | None) -> None: ...
    def choose_next(self, is_last: bool) -> str: ...  # "next", "retry" or "quit"


NOT_TRANSCRIBED = "not transcribed: interrupted (the recording is kept; viva score can score it)"


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
    whole_pass: WholePass | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.streaming and self.whole_pass is None:
            self.whole_pass = WholePass(self.transcriber)

    def run(self) -> StoredSession:
        try:
            for number, question in enumerate(self.questions, start=1):
                if self._ask(number, question) == "quit":
                    break
        except KeyboardInterrupt:
            self._end(interrupted=True)
            raise Interrupted from None
        self._end(interrupted=False)
        return self.session

    def _end(self, interrupted: bool) -> None:
        """Store the whole-answer passes (on Ctrl-C only the one running), then close."""
        if self.whole_pass is not None:
            if interrupted:
                self.whole_pass.cancel_queued()
            self._store_whole_passes(wait=True)
            self.whole_pass.close()
        self.session.finish(interrupted)

    def _ask(self, number: int, question: Question, parent: Question | None = None) -> str:
        previous: Answer | None = None
        attempt = 1
        q = asked(question, parent)
        while True:
            self._store_whole_passes(wait=False)
            self.ui.show_question(number, len(self.questions), question, attempt, parent is not None)
            recording, gap_s, stream = self._speak_and_record(number, question, attempt)
            take = self._take(recording, gap_s, stream)
            if recording.ended_by == "no-answer":
                if stream is not None:
                    stream.close()
                self.session.add_answer(
                    unscored(take, self.norms, "no answer heard", self.transcriber.model_label, q, number, attempt)
                )
                if self.ui.ask_retry_no_answer():
                    attempt += 1
                    continue
                return "next"
            result = self._score(take, recording, q, number, attempt, stream)
            self.ui.show_result(result, previous)
            if recording.ended_by == "interrupt":
                raise KeyboardInterrupt
            choice = self.ui.choose_next(number == len(self.questions) and not self._has_follow_up(parent))
            if choice == "retry":
                previous, attempt = result, attempt + 1
                continue
            if choice == "next" and self._has_follow_up(parent):
                return self._follow_up(number, question, result)
            return choice

    def _has_follow_up(self, parent: Question | None) -> bool:
        return self.follow_ups and parent is None

    def _follow_up(self, number: int, question: Question, result: Answer) -> str:
        text = choose_follow_up(question, result.transcript)
        if text is None:
            return "next"
        follow = Question(f"{question.id}-follow-up", text, FOLLOW_UP_TARGET_S, (), question.competency, question.kind)
        return self._ask(number, follow, parent=question)

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
        if self.whole_pass is not None:
            self.whole_pass.recording(True)
        try:
            recording = self._record(path, question, stream)
        finally:
            if self.whole_pass is not None:
                self.whole_pass.recording(False)
        return recording, max(0.0, recording.started_monotonic_s - question_end_s), stream

    def _record(self, path, question: Question, stream: StreamingTranscriber | None) -> Recording:
        with self.ui.recording(question.target_s) as on_progress:
            cue = None
            if stream is not None:
                on_progress = with_live_stats(stream, on_progress)
            if self.time_cue and self.speaker is not None:
                on_progress = cue = TimeCue(self.speaker, question.target_s[1] * TIME_CUE_FACTOR, on_progress)
            on_block = stream.feed if stream is not None else (lambda block, state: None)
            recording = record_answer(
                self.microphone, path, self.record_options, on_progress, self.ui.stop_requested, on_block
            )
            if cue is not None:
                cue.finish()
        return recording

    def _take(self, recording: Recording, gap_s: float, stream: StreamingTranscriber | None) -> Take:
        return Take(
            recording.path.name,
            recording.duration_s,
            now_iso(),
            recording.ended_by,
            gap_s,
            recording.overflows,
            stream.chunks if stream is not None else 0,
            "streamed" if stream is not None else "whole",
        )

    def _score(
        self,
        take: Take,
        recording: Recording,
        q: AskedQuestion,
        number: int,
        attempt: int,
        stream: StreamingTranscriber | None,
    ) -> Answer:
        model = self.transcriber.model_label
        seq = self.session.add_answer(unscored(take, self.norms, NOT_TRANSCRIBED, model, q, number, attempt))
        if not self.transcriber.ready:  # first answer, short question: say what we wait for
            with self.ui.waiting_for_model():
                self.transcriber.wait_ready()
        with self.ui.transcribing():
            if stream is not None:
                heard = Heard(
                    stream.finish(),
                    tuple(recording.spans),
                    tuple(stream.detected),
                    fillers_unchecked_s=stream.fillers_unchecked_s,
                    speech_probabilities=tuple(recording.speech_probabilities),
                    voiced_frames=voicing(recording.samples, recording.speech_probabilities),
                )
            else:
                heard = hear(read_audio(recording.path), self.transcriber)  # the WAV, as viva score reads it
            result = score_answer(heard, take, self.norms, q, number, attempt)
        self.session.replace_answer(seq, result)
        if self.whole_pass is not None and stream is not None and take.ended_by != "interrupt":
            whole = replace(take, transcript_source="whole")
            self.whole_pass.submit(
                seq, recording.path, lambda heard: score_answer(heard, whole, self.norms, q, number, attempt)
            )
        return result

    def _store_whole_passes(self, wait: bool) -> None:
        """Replace streamed answers by their whole-answer pass, those done (or all, waiting)."""
        if self.whole_pass is None:
            return
        if wait and self.whole_pass.pending:
            with self.ui.finishing(self.whole_pass.pending):
                done = self.whole_pass.wait()
        else:
            done = self.whole_pass.finished()
        for seq, answer in done:
            self.session.replace_answer(seq, answer)
