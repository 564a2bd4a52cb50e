"""The SQLite session store: round trip, JSON import, migrations, two writers at once,
a writer killed mid-write; and the session commands on top of it."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace

import pytest
from click.testing import CliRunner

from documents import even_answer, jfk_answer
from vivavoce.analysis.norms import Norms
from vivavoce.cli import cli
from vivavoce.errors import StoreError
from vivavoce.jsonrecord import METRIC_FIELDS, to_record
from vivavoce.scoring import unscored
from vivavoce.store import DB_NAME, MIGRATIONS, Store


def answer(question_id="q1", attempt=1, wpm=140.0, text="<b>Lead?</b>", number=1):
    return even_answer(wpm, number, attempt, question_id, text)


def record_session(data_dir, n_answers=2, wpm=140.0):
    store = Store(data_dir)
    s = store.new_session({"id": "starter", "title": "Starter"}, "tiny.en (bundled)")
    for i in range(n_answers):
        a = answer(f"q{i + 1}", wpm=wpm, number=i + 1)
        s.add_answer(a)
        (s.folder / a.take.audio).write_bytes(b"RIFF")
    s.finish()
    store.close()
    return s.id


def test_round_trip_keeps_everything(tmp_path):
    store = Store(tmp_path)
    s = store.new_session({"id": "starter", "title": "Starter"}, "tiny.en (bundled)")
    a = jfk_answer(Norms(pace_wpm=(100.0, 120.0), long_pause_s=1.0))
    s.add_answer(a)
    s.finish(interrupted=True)
    doc = Store(tmp_path).load(s.id)
    assert doc.interrupted is True and doc.ended_at
    [got] = doc.answers
    assert to_record(got) == to_record(a)  # the whole document, norms and talking points included
    assert got.norms.pace_wpm == (100.0, 120.0) and got.coverage == a.coverage
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_answer_saved_before_transcription_then_completed(tmp_path):
    store = Store(tmp_path)
    s = store.new_session({"id": "x"}, "m")
    done = answer()
    seq = s.add_answer(unscored(done.take, done.norms, "not transcribed: interrupted", "m", done.question))
    assert store.load(s.id).answers[0].metrics is None  # kept even if scoring never finishes
    s.replace_answer(seq, done)
    assert Store(tmp_path).load(s.id).answers[0].transcript == done.transcript


LEGACY_ANSWER = {
    "question": {"id": "q1", "text": "<b>Lead?</b>", "target_s": [60, 120]},
    "attempt": 1,
    "recorded_at": "2026-11-26T10:00:00+00:00",
    "audio": "q1-a1.wav",
    "duration_s": 3.0,
    "ended_by": "silence",
    "question_gap_s": 0.1,
    "input_overflows": 0,
    "transcript": {
        "text": "I led the team.",
        "duration_s": 3.0,
        "model": "tiny.en (bundled)",
        "words": [
            {"word": w, "start_s": i * 0.5, "end_s": i * 0.5 + 0.4, "probability": 0.9}
            for i, w in enumerate(["I", "led", "the", "team."])
        ],
    },
    "speech_spans": [[0.0, 2.0]],
    "metrics": to_record(answer()),  # the metric groups had the record's layout then too
}
LEGACY_ANSWER["metrics"] = {k: LEGACY_ANSWER["metrics"][k] for k in METRIC_FIELDS}
LEGACY_ANSWER |= {"feedback": [{"kind": "work-on", "text": "Slow down.", "at_s": 0.5}], "error": None}


def test_sessions_in_the_json_layout_are_imported_once(tmp_path):
    folder = tmp_path / "sessions" / "2026-01-02_090000"
    folder.mkdir(parents=True)
    old = {
        "schema": 1,
        "id": "2026-01-02_090000",
        "started_at": "2026-01-02T09:00:00+00:00",
        "ended_at": None,
        "interrupted": False,
        "pack": {"id": "starter", "title": "Starter"},
        "model": "tiny.en (bundled)",
        "vivavoce_version": "0.1.0",
        "answers": [LEGACY_ANSWER, LEGACY_ANSWER | {"attempt": 2}],
    }
    (folder / "session.json").write_text(json.dumps(old))
    store = Store(tmp_path)
    assert store.session_ids() == ["2026-01-02_090000"]
    first, retry = store.load("2026-01-02_090000").answers
    assert {k: to_record(first)[k] for k in METRIC_FIELDS} == LEGACY_ANSWER["metrics"]
    assert first.transcript == "I led the team."
    assert (retry.number, retry.attempt) == (1, 2)  # a retry keeps its question's number
    assert Store(tmp_path).import_json_sessions() == 0  # not twice
    assert (folder / "session.json").exists()  # nothing is deleted


def test_a_newer_schema_is_refused(tmp_path):
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer vivavoce"):
        Store(tmp_path)


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from documents import even_answer
    from vivavoce.store import Store
    store = Store(Path(sys.argv[1]))
    for n in range(int(sys.argv[2])):
        s = store.new_session({{"id": "p" + sys.argv[3]}}, "m")
        for i in range(3):
            s.add_answer(even_answer(140.0, i + 1, question_id=f"q{{i}}", n_words=200))
        s.finish()
        print(n, flush=True)
""")


def writer(tmp_path, n, tag):
    code = WRITER.format(tests=os.path.dirname(__file__))
    return subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path), str(n), tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_at_once(tmp_path):
    Store(tmp_path).close()
    procs = [writer(tmp_path, 15, tag) for tag in "ab"]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    store = Store(tmp_path)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    sessions = store.sessions()
    assert len(sessions) == 30 and all(len(s.answers) == 3 for s in sessions)
    assert {s.pack_id for s in sessions} == {"pa", "pb"}


def test_killed_mid_write_leaves_it_readable_and_nothing_older_lost(tmp_path):
    first = record_session(tmp_path)
    proc = writer(tmp_path, 10_000, "k")
    proc.stdout.readline()  # it is writing
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    store = Store(tmp_path)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.load(first).answers[1].transcript == answer().transcript
    killed = [s for s in store.sessions() if s.pack_id == "pk"]
    assert killed and all(0 <= len(s.answers) <= 3 for s in killed)


# -- commands --------------------------------------------------------------------------------


def viva(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, env={"COLUMNS": "200"})


def test_sessions_review_progress(tmp_path):
    first = record_session(tmp_path, wpm=120.0)
    time.sleep(1.1)
    record_session(tmp_path, wpm=150.0)
    listing = viva("sessions", "--data-dir", tmp_path)
    assert listing.exit_code == 0 and first in listing.output and "120" in listing.output
    result = viva("review", "--data-dir", tmp_path, "--answer", "1")
    assert result.exit_code == 0
    assert "Question 1" in result.output and "Question 2" not in result.output
    assert "<b>Lead?</b>" in result.output and "Pace 150 wpm [130-160 wpm; in band]" in result.output
    progress = viva("progress", "--data-dir", tmp_path)
    assert progress.exit_code == 0
    assert "│ WPM (130-160 wpm) │ 120            │ 150    │ +30.0  │" in progress.output
    assert viva("review", "nope", "--data-dir", tmp_path).exit_code == 1


def test_export_formats(tmp_path):
    session_id = record_session(tmp_path)
    as_json = json.loads(viva("export", session_id, "--format", "json", "--data-dir", tmp_path).output)
    assert as_json["id"] == session_id and len(as_json["answers"]) == 2
    as_csv = viva("export", "--format", "csv", "--data-dir", tmp_path).output.splitlines()
    assert as_csv[0].startswith("session,answer,file,number,attempt,question_id") and len(as_csv) == 3
    md = viva("export", "--format", "md", "--data-dir", tmp_path).output
    assert md.startswith(f"# Practice session {session_id.replace('_', chr(92) + '_')}")
    assert "\\<b\\>Lead?\\</b\\>" in md  # pack text cannot inject markup


def test_delete_asks_first_and_removes_audio(tmp_path):
    session_id = record_session(tmp_path)
    folder = tmp_path / "sessions" / session_id
    assert folder.is_dir()
    kept = viva("delete", session_id, "--data-dir", tmp_path, input="n\n")
    assert "Nothing deleted." in kept.output and folder.is_dir()
    gone = viva("delete", session_id, "--data-dir", tmp_path, input="y\n")
    assert f"Deleted {session_id}." in gone.output and not folder.exists()
    assert "No sessions yet" in viva("sessions", "--data-dir", tmp_path).output


def test_a_version_1_store_is_migrated_keeping_its_sessions(tmp_path):
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(MIGRATIONS[0] + "PRAGMA user_version=1;")
    db.execute(
        "INSERT INTO sessions VALUES ('old', '2026-01-01T00:00:00', NULL, 0, 'starter', 'S', 'm', '0.1.0', "
        "'sessions/old')"
    )
    db.commit()
    db.close()
    store = Store(tmp_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 4
    assert store.session_ids() == ["old"]
    s = store.new_session({"id": "x"}, "m")
    s.add_answer(replace(answer(), take=replace(answer().take, streamed_chunks=3)))
    assert store.load(s.id).answers[0].take.streamed_chunks == 3


def test_rows_of_a_version_2_store_become_documents(tmp_path):
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "PRAGMA user_version=2;")
    db.execute(
        "INSERT INTO sessions VALUES ('old', '2026-01-01T00:00:00', NULL, 0, 'starter', 'S', 'm', '0.1.0', "
        "'sessions/old')"
    )
    a, m = LEGACY_ANSWER, LEGACY_ANSWER["metrics"]
    db.execute("INSERT INTO questions VALUES ('old', 'q1', ?, ?)", (a["question"]["text"], json.dumps(a["question"])))
    for seq, attempt in enumerate((1, 2)):
        cur = db.execute(
            "INSERT INTO attempts (session_id, seq, question_id, attempt, audio, duration_s, transcript, "
            "model, streamed_chunks) VALUES ('old', ?, 'q1', ?, 'q1.wav', 3.0, 'I led the team.', 'm', 2)",
            (seq, attempt),
        )
        db.executemany(
            "INSERT INTO words VALUES (?,?,?,?,?,?)",
            [
                (cur.lastrowid, i, w["word"], w["start_s"], w["end_s"], w["probability"])
                for i, w in enumerate(a["transcript"]["words"])
            ],
        )
        db.execute(
            "INSERT INTO metrics VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                cur.lastrowid,
                m["speaking_s"],
                m["word_count"],
                m["wpm"],
                m["articulation_wpm"],
                m["latency_s"],
                0,
                0.0,
                0,
                0.0,
                json.dumps(m),
                "[[0.0, 2.0]]",
            ),
        )
    db.commit()
    db.close()
    first, retry = Store(tmp_path).load("old").answers
    assert {k: to_record(first)[k] for k in METRIC_FIELDS} == LEGACY_ANSWER["metrics"]
    assert first.question.text == "<b>Lead?</b>"
    assert (retry.number, retry.attempt, retry.take.transcript_source) == (1, 2, "streamed")
    assert first.norms == Norms()  # rows from before norms were kept were judged by the defaults
