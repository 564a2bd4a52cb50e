"""Checking a hand-written TOML file (a question pack, config.toml): problems named by file,
line and field, listed in line order, with "did you mean" for misspelt names."""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HEADER = re.compile(r"\s*\[\[?\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")
TYPE_NAMES = {str: "a string", list: "a list", dict: "a table", int: "a number"}


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.field}: {self.message}"


def in_line_order(problems: list[Problem]) -> list[Problem]:
    """Whole-file problems (no line) first, then by line; stable within a line."""
    return sorted(problems, key=lambda p: p.line or 0)


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def unknown(what: str, word: str, known) -> str:
    """``unknown key; did you mean 'x'?``, or, with nothing close, the known names."""
    return f"unknown {what}" + (did_you_mean(word, known) or f" (known: {', '.join(known)})")


def type_problem(value, kind: type) -> str | None:
    """Why ``value`` is not of ``kind`` (bools are not numbers), or None."""
    if isinstance(value, kind) and not isinstance(value, bool):
        return None
    return f"must be {TYPE_NAMES[kind]}, not {type(value).__name__}"


def parse_toml(raw: str, path: Path) -> dict | Problem:
    """The parsed table, or the one problem the parser stopped at, with its line."""
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as e:
        line = re.search(r"line (\d+)", str(e))
        return Problem(path, int(line.group(1)) if line else None, "toml", str(e))


class LineFinder:
    """Line numbers of keys in the raw text: top-level ones, or those in the n-th
    ``[table]`` / ``[[table]]`` of one name."""

    def __init__(self, raw: str, table: str):
        self.lines = raw.splitlines()
        self.headers = [i for i, line in enumerate(self.lines) if HEADER.match(line)]
        self.tables = [i for i in self.headers if self._header_name(i) == table]

    def of(self, key: str, n: int | None = None) -> int | None:
        """The key's line; a key missing from table n gets the table's header line."""
        if n is None:
            return self._find(key, 0, self._end(-1)) or self._table_line(key)
        if n >= len(self.tables):
            return None
        start = self.tables[n]
        return self._find(key, start + 1, self._end(start)) or start + 1

    def _header_name(self, i: int) -> str:
        match = HEADER.match(self.lines[i])
        return match.group(1).strip("\"' ") if match else ""

    def _end(self, start: int) -> int:
        return next((i for i in self.headers if i > start), len(self.lines))

    def _find(self, key: str, start: int, end: int) -> int | None:
        pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        return next((i + 1 for i in range(start, end) if pattern.match(self.lines[i])), None)

    def _table_line(self, key: str) -> int | None:
        return next((i + 1 for i in self.headers if self._header_name(i) == key), None)
