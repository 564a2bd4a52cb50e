"""The coach's notes as a report's "Export notes" writes them, read back for `viva notes import`:

    {"session": "2026-11-26_023208", "pack": "...", "exported_at": "...",
     "notes": [{"answer": 1, "question": "...", "label": "Question 1", "attempt": 1, "note": "..."}, ...]}

Only ``session`` and each note's ``answer`` (its place in the session, from 1) and ``note`` are read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from vivavoce.errors import NotesError

TIP = 'Give the JSON file that "Export notes" in a vivavoce report saved.'


@dataclass(frozen=True)
class ExportedNotes:
    session: str
    notes: dict[int, str]  # answer number (from 1) -> note


def read_notes(path: Path) -> ExportedNotes:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise NotesError(f"cannot read {str(path)!r}: {e.strerror or e}", TIP) from e
    except ValueError as e:
        raise NotesError(f"{str(path)!r} is not JSON: {e}", TIP) from e
    return parse_notes(data, path)


def parse_notes(data, path: Path) -> ExportedNotes:
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("session"), str)
        or not isinstance(data.get("notes"), list)
    ):
        raise NotesError(f"{str(path)!r} is not a notes file exported by a vivavoce report", TIP)
    notes: dict[int, str] = {}
    for i, item in enumerate(data["notes"], start=1):
        answer = item.get("answer") if isinstance(item, dict) else None
        if type(answer) is not int or answer < 1 or not isinstance(item.get("note"), str):
            raise NotesError(f"{str(path)!r}: note {i} needs an answer number (from 1) and a note text", TIP)
        notes[answer] = item["note"]
    return ExportedNotes(data["session"], notes)
