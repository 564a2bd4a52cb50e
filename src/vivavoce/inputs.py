"""Which files `viva score` was asked to score: paths, folders (recursively) and globs.

Problems found here (a missing path, a folder with no audio files, a glob that matches
nothing, a folder that links back into itself) become items with ``problem`` set, so they
are reported beside the results, not raised.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

AUDIO_EXTENSIONS = frozenset(
    ".wav .wave .flac .mp3 .m4a .aac .ogg .oga .opus .webm .mp4 .m4v .mov .mkv .wma .aif .aiff .amr .3gp".split()
)


@dataclass(frozen=True)
class Item:
    path: Path
    problem: str | None = None

    @property
    def name(self) -> str:
        return str(self.path)

    def describe(self) -> str:
        """The problem as one line naming the path: 'no such file or folder: talk.wav'."""
        return f"{self.problem}: {self.name}"


def extensions_text() -> str:
    return " ".join(sorted(AUDIO_EXTENSIONS))


def is_glob(text: str) -> bool:
    return any(c in text for c in "*?[")


def discover(inputs: list[str]) -> list[Item]:
    items: list[Item] = []
    for text in inputs:
        items.extend(_expand(text))
    return _dedupe(items)


def _expand(text: str) -> list[Item]:
    path = Path(text).expanduser()
    if path.is_dir():
        found = list(walk(path))
        if any(item.problem is None for item in found):
            return found
        return found + [Item(path, "no audio files in folder")]
    if path.is_file() or (path.is_symlink() and not path.exists()):
        return [Item(path)]  # a broken link is reported when it is read
    if is_glob(text):
        matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
        if not matches:
            return [Item(path, "no file matches")]
        return [item for m in matches for item in _expand(m)]
    return [Item(path, "no such file or folder")]


def walk(top: Path):
    """Audio files below ``top``, following links but never around a loop."""
    seen: dict[tuple[int, int], Path] = {}
    for folder, dirs, files in os.walk(top, followlinks=True):
        st = os.stat(folder)
        here = Path(folder)
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            yield Item(here, f"directory loop: leads back to {seen[(st.st_dev, st.st_ino)]}; skipped")
            continue
        seen[(st.st_dev, st.st_ino)] = here
        dirs.sort()
        for name in sorted(files):
            if Path(name).suffix.lower() in AUDIO_EXTENSIONS:
                yield Item(here / name)


def _dedupe(items: list[Item]) -> list[Item]:
    seen: set[str] = set()
    unique = []
    for item in items:
        key = os.path.realpath(item.path) if item.problem is None else f"{item.path}:{item.problem}"
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
