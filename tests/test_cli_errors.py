"""The command line's errors, on exact output (issue 11): session numbers and prefixes,
`viva score` inputs and bad files, microphone and speaker errors, a model that needs a
download on a machine that is offline."""

import json
import os
import subprocess
import sys
import wave
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner

from test_store import LEGACY_ANSWER
from vivavoce import batch
from vivavoce.audio import write_wav
from vivavoce.cli import cli
from vivavoce.devices import sound
from vivavoce.inputs import extensions_text

IDS = ["2026-11-26_014746", "2026-11-27_090000", "2026-12-01_100000"]
JFK = Path(__file__).parent / "data" / "fw_jfk.wav"
NOISE_ERROR = "cannot decode: the samples are full-scale white noise (corrupt or not audio)"
INPUTS_TIP = f"Tip: Give audio files ({extensions_text()}), folders of them (searched recursively), or globs.\n"


def viva(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, env={"COLUMNS": "100"})


@pytest.fixture
def home(tmp_path):
    """A data directory with three sessions of known ids (in the JSON layout, imported on open)."""
    for session_id in IDS:
        folder = tmp_path / "sessions" / session_id
        folder.mkdir(parents=True)
        doc = {
            "schema": 1,
            "id": session_id,
            "started_at": f"{session_id[:10]}T09:00:00+00:00",
            "ended_at": None,
            "interrupted": False,
            "pack": {"id": "starter", "title": "Starter"},
            "model": "tiny.en (bundled)",
            "vivavoce_version": "0.1.0",
            "answers": [LEGACY_ANSWER],
        }
        (folder / "session.json").write_text(json.dumps(doc))
    return tmp_path


# -- SESSION: numbers, negative numbers, prefixes ------------------------------------------


@pytest.mark.parametrize(
    "given, session_id", [("-1", IDS[2]), ("-2", IDS[1]), ("1", IDS[0]), ("3", IDS[2]), ("2026-11-27", IDS[1])]
)
def test_review_takes_numbers_and_negative_numbers_count_from_the_last(home, given, session_id):
    result = viva("review", given, "--data-dir", home)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{session_id}  Starter  model: tiny.en (bundled)"
    assert result.output == viva("review", session_id, "--data-dir", home).output


def test_export_report_and_delete_take_minus_one(home, tmp_path):
    md = viva("export", "-1", "--format", "md", "--data-dir", home)
    assert md.exit_code == 0, md.output
    assert md.output.splitlines()[0] == "# Practice session 2026-12-01\\_100000"
    assert md.output == viva("export", IDS[2], "--format", "md", "--data-dir", home).output
    page = tmp_path / "coach.html"
    assert viva("report", "-2", "-o", page, "--data-dir", home).output == f"Wrote {page}\n"
    assert IDS[1] in page.read_text()
    deleted = viva("delete", "-1", "--yes", "--data-dir", home)
    assert (deleted.exit_code, deleted.output) == (0, f"Deleted {IDS[2]}.\n")


@pytest.mark.parametrize("given", ["-4", "0", "7"])
def test_a_number_out_of_range_says_how_many_sessions_there_are(home, given):
    result = viva("review", given, "--data-dir", home)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no session {given}: there are 3 sessions (numbered 1 to 3, or -1 to -3 "
        "from the last)\nTip: See them with: viva sessions\n"
    )


def test_an_ambiguous_prefix_lists_the_sessions_it_matches(home):
    result = viva("export", "2026-11", "--data-dir", home)
    assert result.exit_code == 1
    assert result.output == (
        "Error: session '2026-11' matches 2 sessions: 2026-11-26_014746, 2026-11-27_090000\n"
        "Tip: Give more of the id, or its number from: viva sessions\n"
    )


def test_a_session_nothing_matches(home):
    result = viva("review", "2025-01", "--data-dir", home)
    assert result.exit_code == 1
    assert result.output == (
        "Error: no session matches '2025-01'\nTip: See them with: viva sessions (use an id, its start, or its number)\n"
    )


def test_an_unknown_option_is_still_refused(home):
    result = viva("review", "--anser", "2", "--data-dir", home)
    assert result.exit_code == 2
    assert result.output == (
        "Usage: cli review [OPTIONS] [SESSION]\nTry 'cli review --help' for help.\n\n"
        "Error: No such option '--anser'. Did you mean '--answer'?\n"
    )


# -- review --play -----------------------------------------------------------------------


class FakeSoundDevice:
    """sounddevice's query and play layer over a fixed list of devices: no PortAudio, no hardware.
    Devices are (name, input channels, output channels); ``default`` is (input, output), -1: none."""

    class PortAudioError(Exception):
        pass

    def __init__(self, devices: list[tuple[str, int, int]], default: tuple[int, int] = (-1, -1)):
        self.devices = [
            {
                "name": name,
                "hostapi": 0,
                "max_input_channels": inputs,
                "max_output_channels": outputs,
                "default_samplerate": 48000.0,
            }
            for name, inputs, outputs in devices
        ]
        self.default = SimpleNamespace(device=list(default))
        self.played: list[int] = []

    def query_hostapis(self, index: int) -> dict:
        return {"name": "ALSA"}

    def query_devices(self, device=None, kind=None):
        if device is None and kind is None:
            return self.devices
        if device is None:
            device = self.default.device[0 if kind == "input" else 1]
        if isinstance(device, str):
            device = self._match(device, kind)
        if not 0 <= device < len(self.devices):
            raise self.PortAudioError(f"Error querying device {device}")
        if kind and self.devices[device][f"max_{kind}_channels"] < 1:
            raise ValueError(f"Not an {kind} device: {self.devices[device]['name']!r}")
        return self.devices[device]

    def _match(self, text: str, kind: str) -> int:
        found = [
            i for i, d in enumerate(self.devices) if text.lower() in d["name"].lower() and d[f"max_{kind}_channels"] > 0
        ]
        if len(found) != 1:
            raise ValueError(f"{'Multiple' if found else 'No'} {kind} device(s) matching {text!r}")
        return found[0]

    def play(self, samples, rate_hz: int) -> None:
        self.query_devices(kind="output")
        self.played.append(len(samples))

    def wait(self) -> None:
        pass


LAPTOP = [("Built-in Microphone", 2, 0), ("Built-in Speakers", 0, 2), ("USB Headset", 1, 2), ("USB Webcam", 1, 0)]


@pytest.fixture
def fake_sd(monkeypatch):
    def install(devices, default=(-1, -1)):
        fake = FakeSoundDevice(devices, default)
        monkeypatch.setattr(sound, "import_sounddevice", lambda: fake)
        return fake

    return install


def with_recording(home) -> Path:
    path = home / "sessions" / IDS[2] / LEGACY_ANSWER["audio"]
    write_wav(path, np.zeros(8000, np.float32))
    return path


def test_play_without_a_speaker_fails_with_status_1(home, fake_sd):
    path = with_recording(home)
    fake_sd(LAPTOP[:1], default=(0, -1))
    result = viva("review", "-1", "--play", "--data-dir", home)
    assert result.exit_code == 1
    assert result.stdout.endswith("Playing Question 1... (Ctrl-C to stop)\n")
    assert result.stderr == (
        f"Error: cannot play {path}: no speaker (no default output device)\n"
        "Tip: Plug in or enable a speaker or headphones (see: viva devices).\n"
    )


def test_play_with_the_recording_gone_fails_with_status_1(home, fake_sd):
    fake = fake_sd(LAPTOP, default=(0, 1))
    result = viva("review", "-1", "--play", "--data-dir", home)
    assert result.exit_code == 1 and fake.played == []
    assert result.stderr == (
        f"Error: cannot play Question 1: its recording is missing: "
        f"{home / 'sessions' / IDS[2] / LEGACY_ANSWER['audio']}\n"
        "Tip: It was moved or deleted; the transcript and metrics are kept.\n"
    )


def test_play_on_a_speaker(home, fake_sd):
    with_recording(home)
    fake = fake_sd(LAPTOP, default=(0, 1))
    result = viva("review", "-1", "--play", "--data-dir", home)
    assert (result.exit_code, result.stderr, fake.played) == (0, "", [8000])


# -- microphones -------------------------------------------------------------------------


def practice(tmp_path, *args):
    return viva("practice", "--no-voice", "--data-dir", tmp_path, *args)


@pytest.mark.parametrize(
    "given, message",
    [
        ("99", "no input device 99"),
        ("no such mic", "no input device 'no such mic'"),
        ("1", "device 1 ('Built-in Speakers') is not an input device"),
    ],
)
def test_an_input_device_that_is_not_there_points_to_viva_devices(tmp_path, fake_sd, given, message):
    fake_sd(LAPTOP, default=(0, 1))
    result = practice(tmp_path, "--input-device", given)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.endswith(f"Error: {message}\nTip: See the devices with: viva devices\n")
    assert "Built-in Microphone" in result.stderr  # the devices are listed first


def test_a_name_that_matches_two_microphones_asks_for_the_index(tmp_path, fake_sd):
    fake_sd(LAPTOP, default=(0, 1))
    result = practice(tmp_path, "--input-device", "usb")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "Error: several input devices match 'usb'\nTip: Give its index instead (see: viva devices).\n"
    )


@pytest.mark.parametrize("given", [[], ["--input-device", "99"]])
def test_no_microphone_at_all_says_plug_one_in(tmp_path, fake_sd, given):
    fake_sd([("Built-in Speakers", 0, 2)], default=(-1, 0))
    result = practice(tmp_path, *given)
    assert result.exit_code == 1
    which = "no default input device" if not given else "input device 99: Error querying device 99"
    assert result.stderr.endswith(
        f"Error: no microphone: {which}\nTip: Plug in or enable a microphone, or pick "
        "one with --input-device (see: viva devices).\n"
    )


@pytest.mark.e2e
def test_an_input_device_that_is_not_there_on_the_virtual_sound_server(sound_server, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "vivavoce",
            "practice",
            "--no-voice",
            "--input-device",
            "99",
            "--data-dir",
            str(tmp_path),
        ],
        env=sound_server.subprocess_env(COLUMNS="100"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.endswith("Error: no input device 99\nTip: See the devices with: viva devices\n")


# -- viva score: inputs ------------------------------------------------------------------


def test_score_a_folder_with_no_audio_is_an_error(tmp_path):
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "notes.txt").write_text("not audio")
    result = viva("score", tmp_path / "answers", "--data-dir", tmp_path / "home")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: no audio files in folder: {tmp_path / 'answers'}\n" + INPUTS_TIP


def test_score_a_missing_path_is_an_error(tmp_path):
    result = viva("score", tmp_path / "talk.wav", "--data-dir", tmp_path / "home")
    assert result.exit_code == 1
    assert result.output == f"Error: no such file or folder: {tmp_path / 'talk.wav'}\n" + INPUTS_TIP


def test_score_with_nothing_to_score_lists_every_input(tmp_path):
    (tmp_path / "empty").mkdir()
    result = viva("score", tmp_path / "empty", tmp_path / "*.mp3", "gone.wav", "--data-dir", tmp_path / "home")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: nothing to score:\n  no audio files in folder: {tmp_path / 'empty'}\n"
        f"  no file matches: {tmp_path / '*.mp3'}\n  no such file or folder: gone.wav\n" + INPUTS_TIP
    )


@pytest.mark.model
def test_score_good_files_and_report_a_missing_one(tmp_path):
    result = viva("score", JFK, tmp_path / "gone.wav", "--jobs", "1", "--data-dir", tmp_path / "home")
    assert result.exit_code == 1
    heading = result.stdout.splitlines()[0].strip()  # "in FOLDER" names the folder the two paths share, if any
    assert heading.startswith("1 of 2 file(s) scored") and heading.endswith("(pace band 130-160 wpm, long pause 1.5 s)")
    assert result.stderr == f"error: {tmp_path / 'gone.wav'}: no such file or folder\n1 scored, 1 failed.\n"


# -- viva score: corrupt, silent, too short ---------------------------------------------


def noise_wav(path: Path, seconds: float) -> Path:
    """A WAV header over random bytes: what a damaged file, or not-audio named .wav, decodes to."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(np.random.default_rng(7).integers(0, 256, int(seconds * 32000), np.uint8).tobytes())
    return path


def test_unscorable_samples_are_told_apart_before_the_model_runs(tmp_path, data_dir):
    from vivavoce.audio import read_audio

    assert batch.unscorable(np.zeros(0, np.float32), 0.0) == "no audio in the file"
    assert batch.unscorable(np.zeros(3200, np.float32), 0.2) == "too short to score (0.2 s; at least 0.5 s)"
    noise = read_audio(noise_wav(tmp_path / "noise.wav", 2.0))
    assert batch.unscorable(noise, 2.0) == NOISE_ERROR
    assert batch.unscorable(np.zeros(48000, np.float32), 3.0) is None  # silence goes to the model
    for name in ("fw_jfk.wav", "mfa_acoustic_corpus.wav", "mfa_cold_corpus.wav"):
        speech = read_audio(data_dir / name)
        assert batch.unscorable(speech, len(speech) / 16000) is None, name
        assert batch.unscorable(np.clip(speech * 50, -1, 1), len(speech) / 16000) is None, name  # clipped hard


@pytest.mark.model
def test_score_tells_corrupt_silent_and_too_short_apart(tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    noise_wav(folder / "corrupt.wav", 2.0)
    (folder / "header.wav").write_bytes(b"RIFF")
    write_wav(folder / "silent.wav", np.zeros(3 * 16000, np.float32))
    write_wav(folder / "short.wav", np.random.default_rng(1).normal(0, 0.05, 3200).astype(np.float32))
    result = viva("score", folder, "--format", "jsonl", "--jobs", "1", "--data-dir", tmp_path / "home")
    assert result.exit_code == 1
    errors = {Path(r["file"]).name: r["error"] for r in map(json.loads, result.stdout.splitlines())}
    assert errors == {
        "corrupt.wav": NOISE_ERROR,
        "header.wav": "cannot decode: Invalid data found when processing input (corrupt or not audio)",
        "short.wav": "too short to score (0.2 s; at least 0.5 s)",
        "silent.wav": "no speech found (silent, or too quiet)",
    }
    lines = sorted(result.stderr.splitlines())
    assert lines == ["0 scored, 4 failed."] + sorted(f"error: {folder / n}: {e}" for n, e in errors.items())


# -- a model that needs a download ------------------------------------------------------


@pytest.mark.parametrize("command", [["score", str(JFK)], ["practice", "--no-voice"]])
def test_a_model_to_download_on_a_machine_that_is_offline(tmp_path, command):
    env = os.environ | {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"), "VIVAVOCE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "vivavoce", *command, "--model", "base.en"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        "Error: model 'base.en' needs a one-time download from Hugging Face "
        "(Systran/faster-whisper-base.en); this machine could not reach it\n"
        "Tip: Use --model bundled (tiny.en, offline), or a local model folder: --model PATH.\n"
    )
    assert not (tmp_path / "hf" / "hub" / "models--Systran--faster-whisper-base.en").exists()
