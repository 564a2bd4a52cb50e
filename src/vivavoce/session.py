"""Practice sessions on disk: one folder per session, one WAV per answer and a JSON document.

    DATA_DIR/sessions/2026-11-26_014746/session.json
    DATA_DIR/sessions/2026-11-26_014746/q01-tell-me-a1.wav
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from vivavoce import __version__
from vivavoce.errors import StoreError

SCHEMA_VERSION = 1
WRITABLE_TIP = "Choose a writable folder with --data-dir or the VIVAVOCE_HOME variable."


def default_data_dir() -> Path:
    env = os.environ.get("VIVAVOCE_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("vivavoce", appauthor=False))


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def ensure_writable(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise StoreError(f"cannot write to the data directory {str(folder)!r}: {e.strerror or e}",
                         WRITABLE_TIP) from e  # fmt: skip
    return folder


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".json.tmp")
    try:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        raise StoreError(f"cannot save {str(path)!r}: {e.strerror or e}",
                         "Free some disk space; the answer audio is kept beside it.") from e  # fmt: skip


@dataclass
class SessionFile:
    folder: Path
    document: dict = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.folder / "session.json"

    def audio_path(self, question_number: int, question_id: str, attempt: int) -> Path:
        return self.folder / f"q{question_number:02d}-{safe_name(question_id)}-a{attempt}.wav"

    def add_answer(self, answer: dict) -> None:
        self.document["answers"].append(answer)
        self.save()

    def finish(self, interrupted: bool = False) -> None:
        self.document["ended_at"] = now_iso()
        self.document["interrupted"] = interrupted
        self.save()

    def save(self) -> None:
        write_json_atomic(self.path, self.document)


def safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)[:40] or "q"


def new_session(data_dir: Path, pack: dict, model: str) -> SessionFile:
    sessions = ensure_writable(data_dir / "sessions")
    stamp = datetime.now().strftime("%Y-%m-%d_%H%M%S")
    folder, n = sessions / stamp, 1
    while folder.exists():
        n += 1
        folder = sessions / f"{stamp}-{n}"
    folder.mkdir()
    session = SessionFile(folder, {
        "schema": SCHEMA_VERSION, "id": folder.name, "started_at": now_iso(), "ended_at": None,
        "interrupted": False, "pack": pack, "model": model, "vivavoce_version": __version__,
        "answers": [],
    })  # fmt: skip
    session.save()
    return session


def load_session(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise StoreError(f"cannot read session {str(path)!r}: {e}") from e
