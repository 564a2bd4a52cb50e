import os

import pytest

from soundserver import VirtualSoundServer


@pytest.fixture(scope="session")
def sound_server():
    """A private PulseAudio server: virtual speaker + virtual microphone (see soundserver.py)."""
    if not VirtualSoundServer.available():
        msg = "no PulseAudio (pulseaudio, pactl, paplay, parec); ./scripts/test installs it"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(msg)
        pytest.skip(msg)
    with VirtualSoundServer() as server:
        yield server


def pytest_report_header(config):
    """The CTranslate2 backend the model tests run under (./scripts/test runs them under two)."""
    chosen = [f"{k}={os.environ[k]}" for k in ("CT2_FORCE_CPU_ISA", "CT2_USE_MKL") if k in os.environ]
    return "CTranslate2 backend: " + (" ".join(chosen) or "this CPU's default")


DATA_DIR = __import__("pathlib").Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir():
    return DATA_DIR


@pytest.fixture(scope="session")
def transcriber():
    """The bundled model, loaded once for the whole run."""
    from vivavoce.transcribe import Transcriber

    t = Transcriber()
    t.load()
    return t
