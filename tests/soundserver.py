"""A private PulseAudio server with a virtual speaker and a virtual microphone.

Implements /work/shared/AUDIO.md for machines without a sound card:

* whatever a program plays goes to the null sink ``virtual_speaker``;
  :meth:`VirtualSoundServer.record_speaker` listens to its monitor;
* whatever is played into ``virtual_mic_feed``
  (:meth:`VirtualSoundServer.play_into_mic`) is what a program records from
  the default input ``virtual_mic``: a simulated candidate at the microphone.

No pytest in here, so scripts can use it too::

    with VirtualSoundServer() as server:
        env = {**os.environ, **server.env}   # before the child imports sounddevice
        ...

PortAudio enumerates devices once, so PULSE_SERVER must be in a process's
environment before it imports sounddevice: run audio code in subprocesses
with ``server.env`` merged in.
"""

from __future__ import annotations

import array
import atexit
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["VirtualSoundServer", "SpeakerTap"]

SPEAKER = "virtual_speaker"
MIC = "virtual_mic"
MIC_FEED = "virtual_mic_feed"

_CONFIG = f""".fail
load-module module-null-sink sink_name={SPEAKER} rate=48000 channels=2 norewinds=1
load-module module-null-sink sink_name={MIC_FEED} rate=48000 channels=1 norewinds=1
load-module module-remap-source master={MIC_FEED}.monitor source_name={MIC} channels=1
set-default-sink {SPEAKER}
set-default-source {MIC}
"""

_SOCKET_PATH_MAX = 107  # sun_path is 108 bytes including the NUL


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class VirtualSoundServer:
    """One private ``pulseaudio`` process, started by :meth:`start`, stopped by :meth:`stop`."""

    BINARIES = ("pulseaudio", "pactl", "paplay", "parec")

    def __init__(self, disable_shm: bool = False) -> None:
        self.disable_shm = disable_shm
        self.run_dir: Path | None = None
        self._proc: subprocess.Popen | None = None
        self._stderr = None

    # -- discovery -------------------------------------------------------
    @classmethod
    def available(cls) -> bool:
        """Whether the pulseaudio, pactl, paplay and parec binaries are on PATH."""
        return all(shutil.which(b) for b in cls.BINARIES)

    # -- lifecycle ---------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def env(self) -> dict[str, str]:
        """Variables to merge into a subprocess's environment so it uses this server."""
        if self.run_dir is None:
            raise RuntimeError("VirtualSoundServer is not started")
        run = self.run_dir
        return {
            "PULSE_SERVER": f"unix:{run / 'pulse' / 'native'}",
            "PULSE_COOKIE": str(run / "config" / "pulse" / "cookie"),
            "PULSE_RUNTIME_PATH": str(run / "pulse"),
            "PULSE_STATE_PATH": str(run / "state"),
        }

    def subprocess_env(self, **extra: str) -> dict[str, str]:
        """``os.environ`` plus :attr:`env` plus ``extra``: a ready ``env=`` for Popen."""
        return {**os.environ, **self.env, **extra}

    def start(self, timeout_s: float = 10) -> VirtualSoundServer:
        if self._proc is not None:
            raise RuntimeError("VirtualSoundServer already started")
        base = "/tmp" if os.path.isdir("/tmp") else None  # macOS's $TMPDIR is too long
        run = Path(tempfile.mkdtemp(prefix="viva-pa-", dir=base))
        self.run_dir = run
        for sub in ("pulse", "state", "config"):
            (run / sub).mkdir(mode=0o700)
        socket = run / "pulse" / "native"
        if len(os.fsencode(socket)) > _SOCKET_PATH_MAX:
            self._cleanup_dir()
            raise RuntimeError(f"socket path too long for a unix socket: {socket}")
        config = run / "virtual-devices.pa"
        config.write_text(_CONFIG)
        log = run / "pulseaudio.log"

        server_env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_")}
        server_env.update(
            PULSE_RUNTIME_PATH=str(run / "pulse"),
            PULSE_STATE_PATH=str(run / "state"),
            XDG_CONFIG_HOME=str(run / "config"),
        )
        cmd = [
            "pulseaudio",
            "--daemonize=no",
            "--system=no",
            "-n",
            "-F",
            str(config),
            "-L",
            f"module-native-protocol-unix socket={socket} auth-anonymous=1",
            "--exit-idle-time=-1",
            "--realtime=no",
            "--high-priority=no",
            "--use-pid-file=no",
            f"--log-target=file:{log}",
        ]
        if self.disable_shm:
            cmd.append("--disable-shm=yes")
        # Errors before logging is set up go to stderr: keep them in a file, too.
        self._stderr = open(run / "stderr.log", "wb")
        try:
            self._proc = subprocess.Popen(
                cmd,
                env=server_env,
                stdin=subprocess.DEVNULL,
                stdout=self._stderr,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            self._close_stderr()
            self._cleanup_dir()
            raise RuntimeError(f"cannot start pulseaudio: {exc}") from exc
        atexit.register(self.stop)

        deadline = time.monotonic() + timeout_s
        last = ""
        while True:
            if self._proc.poll() is not None:
                reason = f"pulseaudio exited with status {self._proc.returncode}"
                break
            last = self._default_source()
            if last == MIC:
                return self
            if time.monotonic() > deadline:
                reason = f"pulseaudio not ready after {timeout_s} s (default source: {last!r})"
                break
            time.sleep(0.05)
        details = f"{reason}\n--- stderr ---\n{_tail(run / 'stderr.log')}\n--- log ---\n{_tail(log)}"
        self.stop()
        raise RuntimeError(details)

    def _default_source(self) -> str:
        env = self.subprocess_env()
        try:
            r = subprocess.run(["pactl", "get-default-source"], env=env, capture_output=True, text=True, timeout=5)
            if r.returncode == 0:
                return r.stdout.strip()
            if "onnection" in r.stderr:  # "Connection failure: ...": not up yet
                return ""
            # pactl < 15 has no get-default-source
            r = subprocess.run(["pactl", "info"], env=env, capture_output=True, text=True, timeout=5)
        except subprocess.TimeoutExpired:
            return ""
        for line in r.stdout.splitlines():
            if line.startswith("Default Source:"):
                return line.split(":", 1)[1].strip()
        return ""

    def stop(self) -> None:
        """Stop exactly our pulseaudio process (SIGTERM, SIGKILL after 3 s); remove the temp dir."""
        atexit.unregister(self.stop)
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                try:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self._close_stderr()
        self._cleanup_dir()

    def _close_stderr(self) -> None:
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _cleanup_dir(self) -> None:
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None

    def __enter__(self) -> VirtualSoundServer:
        if self._proc is None:
            self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- simulated people ------------------------------------------------------
    def play_into_mic(self, wav_path: str | os.PathLike) -> subprocess.Popen:
        """Start playing a WAV into the microphone; ``.wait()`` on the result to know it ended."""
        return subprocess.Popen(
            ["paplay", f"--device={MIC_FEED}", os.fspath(wav_path)],
            env=self.subprocess_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )

    def record_speaker(self, ready_timeout_s: float = 5) -> SpeakerTap:
        """Start listening to what programs play; returns once audio is flowing."""
        tap = SpeakerTap(self.subprocess_env())
        tap.start(ready_timeout_s)
        return tap


class SpeakerTap:
    """Records ``virtual_speaker.monitor`` at 16 kHz mono in a background thread."""

    RATE = 16000
    FRAME_S = 0.02
    FRAME_SAMPLES = int(RATE * FRAME_S)
    THRESHOLD = 0.01  # RMS as a fraction of full scale; at or below it is silence

    def __init__(self, env: dict[str, str]) -> None:
        self._env = env
        self._proc: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._cond = threading.Condition()
        self._pcm = bytearray()
        self._loud: list[bool] = []  # one flag per 20 ms frame
        self._cursor = 0  # first frame not yet consumed by wait_for_speech_then_silence
        self._eof = False

    def start(self, ready_timeout_s: float = 5) -> SpeakerTap:
        self._proc = subprocess.Popen(
            [
                "parec",
                f"--device={SPEAKER}.monitor",
                "--format=s16le",
                f"--rate={self.RATE}",
                "--channels=1",
                "--raw",
                "--latency-msec=20",
            ],
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._thread = threading.Thread(target=self._reader, name="speaker-tap", daemon=True)
        self._thread.start()
        with self._cond:  # a null sink's monitor streams silence, so data comes at once
            flowing = self._cond.wait_for(lambda: self._loud or self._eof, ready_timeout_s)
            got_audio = bool(self._loud)
        if not got_audio:
            self.stop()
            if not flowing:
                raise TimeoutError("parec produced no audio from the virtual speaker")
            raise RuntimeError("parec exited at once: is the sound server running?")
        return self

    def _reader(self) -> None:
        nbytes = self.FRAME_SAMPLES * 2
        full = 32768.0
        stdout = self._proc.stdout
        while True:
            chunk = stdout.read(nbytes)
            if len(chunk) < nbytes:
                break
            samples = array.array("h", chunk)
            if sys.byteorder == "big":
                samples.byteswap()
            rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / full
            with self._cond:
                self._pcm += chunk
                self._loud.append(rms > self.THRESHOLD)
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    @property
    def pcm(self) -> bytes:
        """Everything heard so far: raw s16le, 16 kHz, mono."""
        with self._cond:
            return bytes(self._pcm)

    @property
    def seconds_recorded(self) -> float:
        with self._cond:
            return len(self._loud) * self.FRAME_S

    def wait_for_speech_then_silence(
        self, min_speech_s: float = 0.3, silence_s: float = 0.8, timeout_s: float = 30
    ) -> float:
        """Wait until at least ``min_speech_s`` of sound, then ``silence_s`` of unbroken silence.

        Counts only audio not consumed by an earlier call, so successive calls
        wait for successive utterances. Returns the seconds of sound heard;
        raises TimeoutError after ``timeout_s``.
        """
        need_speech = math.ceil(min_speech_s / self.FRAME_S - 1e-9)
        need_silence = math.ceil(silence_s / self.FRAME_S - 1e-9)
        deadline = time.monotonic() + timeout_s
        speech = quiet = 0
        i = self._cursor
        with self._cond:
            while True:
                while i < len(self._loud):
                    if self._loud[i]:
                        speech += 1
                        quiet = 0
                    else:
                        quiet += 1
                    i += 1
                    if speech >= need_speech and quiet >= need_silence:
                        self._cursor = i
                        return round(speech * self.FRAME_S, 3)
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    self._cursor = i
                    why = "parec stopped" if self._eof else f"after {timeout_s} s"
                    raise TimeoutError(
                        f"speaker: {why}, heard {speech * self.FRAME_S:.2f} s of sound "
                        f"(wanted {min_speech_s} s then {silence_s} s of silence)"
                    )
                self._cond.wait(min(left, 0.1))

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if self._thread is not None:
                self._thread.join(timeout=3)
            proc.stdout.close()

    def __enter__(self) -> SpeakerTap:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
