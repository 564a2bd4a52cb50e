"""End to end through real devices: `viva practice` speaks into a virtual speaker
(pyttsx3 + espeak-ng + aplay) and records a virtual microphone (PortAudio), into
which a simulated candidate plays a real recording once the question has ended."""

import os
import signal
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import pytest

from speech import reference, wer
from vivavoce.store import Store

# Whisper's words differ slightly across CPUs and CTranslate2 backends, and here the audio also passes
# through the virtual sound server: transcripts are held to a word error rate against the human transcript.
MAX_WER = 0.2  # measured (ISA AVX2/AVX/AVX512/GENERIC): fw_jfk 0.0, mfa_acoustic_corpus 0.088-0.105 of 57 words

pytestmark = [pytest.mark.e2e, pytest.mark.model]

VIVA = [sys.executable, "-m", "vivavoce"]


class Viva:
    """`viva practice` in a subprocess, its output collected line by line."""

    def __init__(self, args, env):
        self.proc = subprocess.Popen(
            VIVA + args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout_s: float = 30):
        deadline = time.monotonic() + timeout_s
        while text not in self.output:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"never printed {text!r}:\n{self.output}")
            time.sleep(0.05)

    def finish(self, stdin_text: str = "", timeout_s: float = 120) -> int:
        try:
            self.proc.stdin.write(stdin_text)
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        status = self.proc.wait(timeout_s)
        self._reader.join(5)
        return status


def start_practice(sound_server, data_dir: Path, *extra):
    env = server_env(sound_server)
    args = ["practice", "--questions", "1", "--data-dir", str(data_dir), *extra]
    return Viva(args, env)


def server_env(sound_server):
    env = {**os.environ, **sound_server.env}
    env.pop("VIVAVOCE_HOME", None)
    return env


def only_session(data_dir: Path) -> dict:
    store = Store(data_dir)
    try:
        [session_id] = store.session_ids()
        return store.load(session_id)
    finally:
        store.close()


def answer_after_question(sound_server, viva, clip: Path):
    """A candidate who listens to the whole question, waits for the prompt, then answers."""
    with sound_server.record_speaker() as speaker:
        heard_s = speaker.wait_for_speech_then_silence(min_speech_s=1.0, silence_s=0.8, timeout_s=60)
    viva.wait_for("Recording")
    time.sleep(0.3)
    return heard_s, sound_server.play_into_mic(clip)


def test_practice_speaks_records_transcribes_and_saves(sound_server, tmp_path, data_dir):
    viva = start_practice(sound_server, tmp_path)
    heard_s, player = answer_after_question(sound_server, viva, data_dir / "fw_jfk.wav")
    player.wait(30)
    status = viva.finish("q\n")
    assert status == 0, viva.output
    assert heard_s > 1.5  # the question was really spoken
    doc = only_session(tmp_path)
    [answer] = doc.answers
    assert answer.take.ended_by == "silence"
    text = answer.transcript
    assert (error := wer(text, reference(data_dir, "fw_jfk"))) <= MAX_WER, (error, text)
    m = answer.metrics
    assert m.speaking_s == pytest.approx(10.0, abs=1.0)  # the clip holds ~10 s of speech
    assert 110 < m.wpm < 170
    assert 0.2 < m.latency_s < 3.0
    assert answer.take.input_overflows == 0
    with wave.open(str(Path(doc.folder) / answer.take.audio)) as w:
        assert w.getnframes() / w.getframerate() == pytest.approx(answer.take.duration_s, abs=0.01)
    assert "saved in" in viva.output and "Pace " in viva.output and "130-160 wpm" in viva.output


def test_ctrl_c_mid_answer_keeps_the_audio(sound_server, tmp_path, data_dir):
    viva = start_practice(sound_server, tmp_path, "--no-voice")
    viva.wait_for("Recording")
    player = sound_server.play_into_mic(data_dir / "mfa_acoustic_corpus.wav")
    time.sleep(8.0)
    viva.proc.send_signal(signal.SIGINT)
    status = viva.finish()
    player.kill()
    player.wait(5)
    assert status == 130, viva.output
    doc = only_session(tmp_path)
    assert doc.interrupted is True
    [answer] = doc.answers
    assert answer.take.ended_by == "interrupt"
    assert 6.0 < answer.take.duration_s < 10.0
    assert "acoustic" in answer.transcript.lower()  # "This is the acoustic corpus" ends at 2.4 s
    assert (Path(doc.folder) / answer.take.audio).stat().st_size > 6 * 16000 * 2
    assert "What you recorded is kept" in viva.output


def test_transcribed_while_speaking_with_no_lost_audio(sound_server, tmp_path, data_dir):
    viva = start_practice(sound_server, tmp_path, "--no-voice")
    viva.wait_for("Recording")
    sound_server.play_into_mic(data_dir / "mfa_acoustic_corpus.wav").wait(60)
    assert viva.finish("q\n") == 0, viva.output
    [answer] = only_session(tmp_path).answers
    assert answer.take.input_overflows == 0
    assert answer.take.streamed_chunks >= 2  # cut at pauses and transcribed during the answer
    text = answer.transcript
    assert (error := wer(text, reference(data_dir, "mfa_acoustic_corpus"))) <= MAX_WER, (error, text)
    assert 24 < answer.take.duration_s < 32


def test_devices_lists_the_virtual_devices(sound_server):
    out = subprocess.run(VIVA + ["devices"], env=server_env(sound_server), capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "default" in out.stdout and "input" in out.stdout
