"""Batch results as JSON, JSON Lines, CSV, or a terminal table. Pure: records in, text out."""

from __future__ import annotations

import csv
import io
import json
import os

from rich import box
from rich.table import Table
from rich.text import Text

from vivavoce.formatting import short
from vivavoce.jsonrecord import CSV_COLUMNS, flat, from_record
from vivavoce.report.present import band, duration, number


def to_json(records: list[dict]) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def to_jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def to_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat(from_record(r)) for r in records)
    return out.getvalue()


def common_folder(files: list[str]) -> str:
    folders = [os.path.dirname(f) for f in files]
    try:
        folder = os.path.commonpath(folders) if folders else ""
    except ValueError:  # a mix of absolute and relative paths
        return ""
    return "" if folder == os.path.dirname(folder) and os.path.isabs(folder) else folder  # not "in /"


def to_table(records: list[dict]) -> Table:
    answers = [from_record(r) for r in records]
    folder = common_folder([a.take.audio for a in answers])
    n_scored = sum(1 for a in answers if not a.error)
    scored = f"{len(records)}" if n_scored == len(records) else f"{n_scored} of {len(records)}"
    title = f"{scored} file(s) scored" + (f" in {folder}" if folder else "")
    norms = {a.norms for a in answers}
    if len(norms) == 1:
        n = norms.pop()
        title += f" (pace band {band(*n.pace_wpm, 'wpm')}, long pause {duration(n.long_pause_s)})"
    table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("File", overflow="fold", min_width=12)
    for column in ("Length", "WPM", "Um/uh", "Long pauses", "Max pause"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("Result", min_width=24)
    for a in answers:
        m = a.metrics
        name = os.path.relpath(a.take.audio, folder) if folder else a.take.audio
        cells = (
            ["", "", "", "", ""]
            if m is None
            else [
                duration(m.speaking_s),
                number(m.wpm),
                str(m.filler_count) + (f" ({a.uncertain_fillers}?)" if a.uncertain_fillers else ""),
                str(len(m.long_pauses)),
                duration(m.longest_pause_s),
            ]
        )
        table.add_row(Text(name), *cells, Text(short(a.error, 24), "red") if a.error else Text("ok", "green"))
    return table


RENDERERS = {"json": to_json, "jsonl": to_jsonl, "csv": to_csv}
