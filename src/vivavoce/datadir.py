"""Where data lives, and small helpers for writing it safely."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from vivavoce.errors import StoreError

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
        raise StoreError(f"cannot write to the data directory {str(folder)!r}: {e.strerror or e}", WRITABLE_TIP) from e
    return folder


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".json.tmp")
    try:
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        raise StoreError(
            f"cannot save {str(path)!r}: {e.strerror or e}", "Free some disk space; the answer audio is kept beside it."
        ) from e


def safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)[:40] or "q"
