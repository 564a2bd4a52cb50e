"""The command line: help, start-up cost, and clear errors for bad input."""

import builtins
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vivavoce.cli import cli
from vivavoce.devices import sound, speech
from vivavoce.errors import DeviceError, SpeechError

README = (Path(__file__).parents[1] / "README.md").read_text()


def viva(*args, **kwargs):
    return CliRunner().invoke(cli, list(args), **kwargs)


def test_every_command_has_help_and_a_readme_mention():
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"viva {name}" in README, name


def test_help_imports_no_heavy_module():
    code = (
        "import sys; from vivavoce.cli import main; sys.argv=['viva','--help']\n"
        "try: main()\nexcept SystemExit: pass\n"
        "heavy = {'numpy','faster_whisper','sounddevice','pyttsx3','ctranslate2','av','rich'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_missing_model_says_where_it_looked(tmp_path):
    missing = tmp_path / "models" / "tiny"
    missing.mkdir(parents=True)
    result = viva("practice", "--model", str(missing), "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert f"looked for {missing / 'model.bin'}" in result.output.replace("\n", "")


def test_unknown_model_name_lists_the_choices(tmp_path):
    result = viva("practice", "--model", "huge-v9", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "model 'huge-v9' not found" in result.output and "tiny.en" in result.output


def test_unwritable_data_dir_is_refused_before_recording(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = viva("practice", "--data-dir", str(blocker / "sub"))
    assert result.exit_code == 1
    assert "cannot write to the data directory" in result.output
    assert "Tip: Choose a writable folder with --data-dir" in result.output


def test_malformed_pack_is_refused_with_its_path(tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text("id = 'x'\n[[questions]]\ntext = \n")
    result = viva("practice", "--pack", str(pack), "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert f"{pack}: 1 problem(s) in the question pack" in result.output and f"{pack}:3: toml:" in result.output


def test_unknown_pack_name_lists_the_packs(tmp_path):
    result = viva("practice", "--pack", "nope", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "no question pack named 'nope'" in result.output and "starter" in result.output


def test_missing_portaudio_names_the_package(monkeypatch):
    real_import = builtins.__import__

    def no_portaudio(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(DeviceError) as caught:
        sound.import_sounddevice()
    assert "PortAudio is not available" in str(caught.value)
    assert caught.value.tip == "Install it: sudo apt-get install libportaudio2"


def test_missing_espeak_names_the_package(monkeypatch):
    import pyttsx3

    def broken_init(*args, **kwargs):
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    monkeypatch.setattr(pyttsx3, "init", broken_init)
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(SpeechError) as caught:
        speech.Pyttsx3Speaker().say("hello")
    assert "libespeak-ng" in str(caught.value)
    assert caught.value.tip == "Install it: sudo apt-get install espeak-ng"


def test_config_shows_path_norms_and_sources(tmp_path):
    result = viva("config", "--data-dir", str(tmp_path))
    assert result.exit_code == 0
    assert f"Config file: {tmp_path / 'config.toml'} (not there" in result.output.replace("\n", "")
    assert "pace_wpm" in result.output and "Griffiths" in result.output
    result = viva("config", "--init", "--data-dir", str(tmp_path))
    assert (tmp_path / "config.toml").read_text().startswith("# vivavoce settings")
    (tmp_path / "config.toml").write_text("[norms]\npace_wpm = [120, 150]\n")
    assert "120-150" in viva("config", "--data-dir", str(tmp_path)).output
