"""The command line's errors, on exact output (issue 11): session numbers and prefixes,
`viva score` inputs and bad files, microphone and speaker errors, a model that needs a
download on a machine that is offline."""

import json
import os
import subprocess
import sys
import wave
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner

from test_store import answer
from vivavoce import batch
from vivavoce.audio import write_wav
from vivavoce.cli import cli
from vivavoce.devices import sound
from vivavoce.inputs import extensions_text

IDS = ["2026-11-26_014746", "2026-11-27_090000", "2026-12-01_100000"]
JFK = Path(__file__).parent / "data" / "fw_jfk.wav"
INPUTS_TIP = f"Tip: Give audio files ({extensions_text()}), folders of them (searched recursively), or globs.\n"


def viva(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, env={"COLUMNS": "100"})


@pytest.fixture
def home(tmp_path):
    """A data directory with three sessions of known ids (in the JSON layout, imported on open)."""
    for session_id in IDS:
        folder = tmp_path / "sessions" / session_id
        folder.mkdir(parents=True)
        doc = {"schema": 1, "id": session_id, "started_at": f"{session_id[:10]}T09:00:00+00:00", "ended_at": None,
               "interrupted": False, "pack": {"id": "starter", "title": "Starter"}, "model": "tiny.en (bundled)",
               "vivavoce_version": "0.1.0", "answers": [answer()]}  # fmt: skip
        (folder / "session.json").write_text(json.dumps(doc))
    return tmp_path


# -- SESSION: numbers, negative numbers, prefixes ------------------------------------------


@pytest.mark.parametrize("given, session_id", [("-1", IDS[2]), ("-2", IDS[1]), ("1", IDS[0]), ("3", IDS[2]),
                                               ("2026-11-27", IDS[1])])  # fmt: skip
def test_review_takes_numbers_and_negative_numbers_count_from_the_last(home, given, session_id):
    result = viva("review", given, "--data-dir", home)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{session_id}  Starter  model: tiny.en (bundled)"
    assert result.output == viva("review", session_id, "--data-dir", home).output


def test_export_report_and_delete_take_minus_one(home, tmp_path):
    md = viva("export", "-1", "--format", "md", "--data-dir", home)
    assert md.exit_code == 0, md.output
    assert md.output.splitlines()[0] == "# Practice session 2026-12-01\\_100000"
    assert md.output == viva("export", IDS[2], "--format", "md", "--data-dir", home).output
    page = tmp_path / "coach.html"
    assert viva("report", "-2", "-o", page, "--data-dir", home).output == f"Wrote {page}\n"
    assert IDS[1] in page.read_text()
    deleted = viva("delete", "-1", "--yes", "--data-dir", home)
    assert (deleted.exit_code, deleted.output) == (0, f"Deleted {IDS[2]}.\n")


@pytest.mark.parametrize("given", ["-4", "0", "7"])
def test_a_number_out_of_range_says_how_many_sessions_there_are(home, given):
    result = viva("review", given, "--data-dir", home)
    assert result.exit_code == 1
    assert result.output == (f"Error: no session {given}: there are 3 sessions (numbered 1 to 3, or -1 to -3 "
                             "from the last)\nTip: See them with: viva sessions\n")  # fmt: skip


def test_an_ambiguous_prefix_lists_the_sessions_it_matches(home):
    result = viva("export", "2026-11", "--data-dir", home)
    assert result.exit_code == 1
    assert result.output == ("Error: session '2026-11' matches 2 sessions: 2026-11-26_014746, 2026-11-27_090000\n"
                             "Tip: Give more of the id, or its number from: viva sessions\n")  # fmt: skip


def test_a_session_nothing_matches(home):
    result = viva("review", "2025-01", "--data-dir", home)
    assert result.exit_code == 1
    assert result.output == ("Error: no session matches '2025-01'\n"
                             "Tip: See them with: viva sessions (use an id, its start, or its number)\n")  # fmt: skip


def test_an_unknown_option_is_still_refused(home):
    result = viva("review", "--anser", "2", "--data-dir", home)
    assert result.exit_code == 2
    assert result.output == ("Usage: cli review [OPTIONS] [SESSION]\nTry 'cli review --help' for help.\n\n"
                             "Error: No such option '--anser'. Did you mean '--answer'?\n")  # fmt: skip
