"""Sessions in SQLite (WAL, schema version, migrations); answer audio stays as WAV files
in one folder per session beside the database.

    DATA_DIR/vivavoce.db
    DATA_DIR/sessions/2026-11-26_014746/q01-tell-me-a1.wav

Sessions saved by earlier versions as ``sessions/*/session.json`` are imported on open.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from vivavoce import __version__
from vivavoce.datadir import WRITABLE_TIP, ensure_writable, now_iso, safe_name
from vivavoce.errors import StoreError

DB_NAME = "vivavoce.db"
BUSY_TIMEOUT_MS = 15000

MIGRATIONS = [
    # 1: sessions, questions, attempts, their words, metrics and feedback
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT, interrupted INTEGER NOT NULL DEFAULT 0,
        pack_id TEXT, pack_title TEXT, model TEXT, vivavoce_version TEXT, folder TEXT NOT NULL);
    CREATE TABLE questions (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, question_id TEXT NOT NULL,
        text TEXT NOT NULL, details TEXT NOT NULL, PRIMARY KEY (session_id, question_id));
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, question_id TEXT NOT NULL, attempt INTEGER NOT NULL, follow_up_of TEXT,
        recorded_at TEXT, audio TEXT, duration_s REAL, ended_by TEXT, question_gap_s REAL,
        input_overflows INTEGER, transcript TEXT, model TEXT, error TEXT, UNIQUE (session_id, seq));
    CREATE TABLE words (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
        word TEXT NOT NULL, start_s REAL NOT NULL, end_s REAL NOT NULL, probability REAL,
        PRIMARY KEY (attempt_id, idx));
    CREATE TABLE metrics (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        speaking_s REAL, word_count INTEGER, wpm REAL, articulation_wpm REAL, latency_s REAL,
        filler_count INTEGER, fillers_per_min REAL, long_pauses INTEGER, longest_pause_s REAL,
        all_metrics TEXT NOT NULL, speech_spans TEXT);
    CREATE TABLE feedback (
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE, rank INTEGER NOT NULL,
        kind TEXT NOT NULL, text TEXT NOT NULL, at_s REAL, PRIMARY KEY (attempt_id, rank));
    CREATE INDEX attempts_by_question ON attempts(question_id);
    """,
    # 2: how many stretches were transcribed while the candidate spoke
    """
    ALTER TABLE attempts ADD COLUMN streamed_chunks INTEGER;
    """,
]


def connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        migrate(db)
    except sqlite3.Error as e:
        raise StoreError(f"cannot open the session store {str(path)!r}: {e}", WRITABLE_TIP) from e
    return db


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations this database lacks, each in its own transaction."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreError(f"the session store is from a newer vivavoce (schema {version})",
                         "Upgrade vivavoce: pip install -U vivavoce")  # fmt: skip
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] < number:  # another process may have won
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


class Store:
    def __init__(self, data_dir: Path):
        self.data_dir = ensure_writable(data_dir)
        self.db = connect(self.data_dir / DB_NAME)
        self.import_json_sessions()

    def close(self) -> None:
        self.db.close()

    def write(self):
        return Transaction(self.db)

    # -- sessions ------------------------------------------------------------

    def new_session(self, pack: dict, model: str) -> StoredSession:
        sessions = ensure_writable(self.data_dir / "sessions")
        stamp = datetime.now().strftime("%Y-%m-%d_%H%M%S")
        folder, n = sessions / stamp, 1
        while True:
            try:
                folder.mkdir()
                break
            except FileExistsError:
                n += 1
                folder = sessions / f"{stamp}-{n}"
        doc: dict[str, Any] = {"id": folder.name, "started_at": now_iso(), "ended_at": None, "interrupted": False,
               "pack": pack, "model": model, "vivavoce_version": __version__, "answers": []}  # fmt: skip
        with self.write():
            self._insert_session(doc, folder)
        return StoredSession(self, folder, doc)

    def _insert_session(self, doc: dict, folder: Path) -> None:
        pack = doc.get("pack") or {}
        self.db.execute(
            "INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?)",
            (doc["id"], doc["started_at"], doc.get("ended_at"), int(bool(doc.get("interrupted"))),
             pack.get("id"), pack.get("title"), doc.get("model"), doc.get("vivavoce_version"),
             str(folder.relative_to(self.data_dir)) if folder.is_relative_to(self.data_dir) else str(folder)),
        )  # fmt: skip

    def session_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM sessions ORDER BY started_at, id")]

    def resolve(self, session: str | None) -> str:
        """A session id from an id, a unique prefix, 'last', or None (the last)."""
        ids = self.session_ids()
        if not ids:
            raise StoreError("there are no sessions yet", "Practise first: viva practice")
        if session in (None, "last"):
            return ids[-1]
        if session.lstrip("-").isdigit() and int(session) != 0 and abs(int(session)) <= len(ids):
            n = int(session)
            return ids[n - 1] if n > 0 else ids[n]
        matches = [i for i in ids if i.startswith(session)]
        if len(matches) != 1:
            raise StoreError(f"no single session matches {session!r}",
                             "See them with: viva sessions (use an id, its start, or its number)")  # fmt: skip
        return matches[0]

    def folder(self, session_id: str) -> Path:
        row = self.db.execute("SELECT folder FROM sessions WHERE id=?", (session_id,)).fetchone()
        return self.data_dir / row[0]

    def load(self, session_id: str) -> dict:
        """The session as a document (the layout of JSON export)."""
        s = self.db.execute("SELECT * FROM sessions WHERE id=?", (session_id,)).fetchone()
        if s is None:
            raise StoreError(f"no session {session_id!r}")
        doc = {"id": s["id"], "started_at": s["started_at"], "ended_at": s["ended_at"],
               "interrupted": bool(s["interrupted"]), "pack": {"id": s["pack_id"], "title": s["pack_title"]},
               "model": s["model"], "vivavoce_version": s["vivavoce_version"], "folder": str(self.folder(s["id"])),
               "answers": []}  # fmt: skip
        for a in self.db.execute("SELECT * FROM attempts WHERE session_id=? ORDER BY seq", (session_id,)):
            doc["answers"].append(self._answer(a))
        return doc

    def _answer(self, a: sqlite3.Row) -> dict:
        q = self.db.execute("SELECT details FROM questions WHERE session_id=? AND question_id=?",
                            (a["session_id"], a["question_id"])).fetchone()  # fmt: skip
        m = self.db.execute("SELECT all_metrics, speech_spans FROM metrics WHERE attempt_id=?", (a["id"],)).fetchone()
        words = [dict(w) for w in self.db.execute(
            "SELECT word, start_s, end_s, probability FROM words WHERE attempt_id=? ORDER BY idx", (a["id"],))]
        feedback = [dict(f) for f in self.db.execute(
            "SELECT kind, text, at_s FROM feedback WHERE attempt_id=? ORDER BY rank", (a["id"],))]
        answer = {
            "question": json.loads(q[0]), "attempt": a["attempt"], "recorded_at": a["recorded_at"],
            "audio": a["audio"], "duration_s": a["duration_s"], "ended_by": a["ended_by"],
            "question_gap_s": a["question_gap_s"], "input_overflows": a["input_overflows"],
            "streamed_chunks": a["streamed_chunks"],
            "transcript": None if a["transcript"] is None else {
                "text": a["transcript"], "duration_s": a["duration_s"], "model": a["model"], "words": words},
            "speech_spans": json.loads(m[1]) if m and m[1] else [],
            "metrics": json.loads(m[0]) if m else None, "feedback": feedback, "error": a["error"],
        }  # fmt: skip
        if a["follow_up_of"]:
            answer["follow_up_of"] = a["follow_up_of"]
        return answer

    def save_answer(self, session_id: str, seq: int, answer: dict) -> None:
        """Insert or replace one answer, all its parts in one transaction."""
        with self.write():
            q = answer["question"]
            self.db.execute("INSERT OR REPLACE INTO questions VALUES (?,?,?,?)",
                            (session_id, q["id"], q["text"], json.dumps(q)))  # fmt: skip
            self.db.execute("DELETE FROM attempts WHERE session_id=? AND seq=?", (session_id, seq))
            t = answer.get("transcript")
            cur = self.db.execute(
                "INSERT INTO attempts (session_id, seq, question_id, attempt, follow_up_of, recorded_at, audio, "
                "duration_s, ended_by, question_gap_s, input_overflows, transcript, model, error, streamed_chunks) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (session_id, seq, q["id"], answer["attempt"], answer.get("follow_up_of"), answer.get("recorded_at"),
                 answer.get("audio"), answer.get("duration_s"), answer.get("ended_by"), answer.get("question_gap_s"),
                 answer.get("input_overflows"), t["text"] if t else None, t.get("model") if t else None,
                 answer.get("error"), answer.get("streamed_chunks")),
            )  # fmt: skip
            attempt_id = cur.lastrowid
            if t:
                self.db.executemany("INSERT INTO words VALUES (?,?,?,?,?,?)", [
                    (attempt_id, i, w["word"], w["start_s"], w["end_s"], w.get("probability"))
                    for i, w in enumerate(t["words"])])  # fmt: skip
            m = answer.get("metrics")
            if m:
                self.db.execute("INSERT INTO metrics VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (
                    attempt_id, m.get("speaking_s"), m.get("word_count"), m.get("wpm"), m.get("articulation_wpm"),
                    m.get("latency_s"), m["fillers"]["count"], m["fillers"]["per_min"], m["pauses"]["long_count"],
                    m["pauses"]["longest_s"], json.dumps(m), json.dumps(answer.get("speech_spans", []))))  # fmt: skip
            self.db.executemany("INSERT INTO feedback VALUES (?,?,?,?,?)", [
                (attempt_id, rank, p["kind"], p["text"], p.get("at_s"))
                for rank, p in enumerate(answer.get("feedback") or [])])  # fmt: skip

    def finish_session(self, session_id: str, interrupted: bool) -> None:
        with self.write():
            self.db.execute("UPDATE sessions SET ended_at=?, interrupted=? WHERE id=?",
                            (now_iso(), int(interrupted), session_id))  # fmt: skip

    def delete(self, session_id: str) -> Path:
        folder = self.folder(session_id)
        with self.write():
            self.db.execute("DELETE FROM sessions WHERE id=?", (session_id,))
        if folder.is_dir() and folder.resolve().is_relative_to((self.data_dir / "sessions").resolve()):
            shutil.rmtree(folder)
        return folder

    # -- listing --------------------------------------------------------------

    def summaries(self) -> list[dict]:
        """One row per session with headline metrics (means over answers that have them)."""
        rows = self.db.execute("""
            SELECT s.id, s.started_at, s.pack_id, s.pack_title, s.interrupted,
                   COUNT(a.id) AS answers, AVG(m.wpm) AS wpm, AVG(m.fillers_per_min) AS fillers_per_min,
                   AVG(m.longest_pause_s) AS longest_pause_s, AVG(m.latency_s) AS latency_s,
                   AVG(m.speaking_s) AS speaking_s
            FROM sessions s LEFT JOIN attempts a ON a.session_id = s.id
            LEFT JOIN metrics m ON m.attempt_id = a.id
            GROUP BY s.id ORDER BY s.started_at, s.id""")
        return [dict(r) for r in rows]

    def attempts_by_question(self) -> list[dict]:
        rows = self.db.execute("""
            SELECT a.question_id, q.text, s.id AS session_id, s.started_at, a.attempt, m.wpm, m.filler_count,
                   m.longest_pause_s, m.latency_s, m.speaking_s
            FROM attempts a JOIN sessions s ON s.id = a.session_id
            JOIN questions q ON q.session_id = a.session_id AND q.question_id = a.question_id
            LEFT JOIN metrics m ON m.attempt_id = a.id
            WHERE a.error IS NULL ORDER BY a.question_id, s.started_at, a.seq""")
        return [dict(r) for r in rows]

    # -- the earlier JSON layout -------------------------------------------------

    def import_json_sessions(self) -> int:
        known = set(self.session_ids())
        imported = 0
        for path in sorted((self.data_dir / "sessions").glob("*/session.json")):
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # left as it is; nothing is deleted
            if doc.get("id") in known or "answers" not in doc:
                continue
            with self.write():
                self._insert_session(doc | {"ended_at": doc.get("ended_at")}, path.parent)
            for seq, answer in enumerate(doc["answers"]):
                self.save_answer(doc["id"], seq, answer)
            imported += 1
        return imported


class Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise StoreError(f"cannot write the session store: {e}", WRITABLE_TIP) from e
        return self.db

    def __exit__(self, kind, value, tb):
        if kind is None:
            try:
                self.db.execute("COMMIT")
                return False
            except sqlite3.Error as e:
                self.db.execute("ROLLBACK")
                raise StoreError(f"cannot save to the session store: {e}",
                                 "Free some disk space; the answer audio is kept in its folder.") from e  # fmt: skip
        self.db.execute("ROLLBACK")
        if isinstance(value, sqlite3.Error):
            raise StoreError(f"cannot save to the session store: {value}",
                             "Free some disk space; the answer audio is kept in its folder.") from value  # fmt: skip
        return False


@dataclass
class StoredSession:
    """One practice session being recorded: what the practice loop writes to."""

    store: Store
    folder: Path
    document: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.document["id"]

    @property
    def path(self) -> Path:
        return self.folder

    def audio_path(self, question_number: int, question_id: str, attempt: int) -> Path:
        return self.folder / f"q{question_number:02d}-{safe_name(question_id)}-a{attempt}.wav"

    def add_answer(self, answer: dict) -> None:
        self.document["answers"].append(answer)
        self.save_answer(answer)

    def save_answer(self, answer: dict) -> None:
        seq = next(i for i, a in enumerate(self.document["answers"]) if a is answer)
        self.store.save_answer(self.id, seq, answer)

    def finish(self, interrupted: bool = False) -> None:
        self.document["ended_at"] = now_iso()
        self.document["interrupted"] = interrupted
        self.store.finish_session(self.id, interrupted)
