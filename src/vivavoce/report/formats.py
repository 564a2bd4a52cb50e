"""Batch results as JSON, JSON Lines, CSV, or a terminal table. Pure: records in, text out."""

from __future__ import annotations

import csv
import io
import json
import os

from rich import box
from rich.table import Table
from rich.text import Text

from vivavoce.jsonrecord import CSV_COLUMNS, flat


def to_json(records: list[dict]) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def to_jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def to_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat(r) for r in records)
    return out.getvalue()


def cell(value, pattern: str = "{}") -> str:
    return "-" if value is None else pattern.format(value)


def common_folder(files: list[str]) -> str:
    folders = [os.path.dirname(f) for f in files]
    try:
        folder = os.path.commonpath(folders) if folders else ""
    except ValueError:  # a mix of absolute and relative paths
        return ""
    return "" if folder == os.path.dirname(folder) and os.path.isabs(folder) else folder  # not "in /"


def short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_table(records: list[dict]) -> Table:
    folder = common_folder([r["file"] for r in records])
    n_scored = sum(1 for r in records if not r["error"])
    scored = f"{len(records)}" if n_scored == len(records) else f"{n_scored} of {len(records)}"
    title = f"{scored} file(s) scored" + (f" in {folder}" if folder else "")
    table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("File", overflow="fold", min_width=12)
    for column in ("Sec", "WPM", "Fillers", "Pauses", "Max"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("Result", min_width=24)
    for r in records:
        pauses = r.get("pauses") or {}
        name = os.path.relpath(r["file"], folder) if folder else r["file"]
        table.add_row(
            Text(name), cell(r["duration_s"], "{:.1f}"), cell(r["wpm"], "{:.0f}"),
            cell((r.get("fillers") or {}).get("count")), cell(pauses.get("count")),
            cell(pauses.get("longest_s"), "{:.1f}"),
            Text(short(r["error"]), "red") if r["error"] else Text("ok", "green"),
        )  # fmt: skip
    return table


RENDERERS = {"json": to_json, "jsonl": to_jsonl, "csv": to_csv}
