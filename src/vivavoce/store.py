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

from vivavoce import __version__
from vivavoce.answer import Answer, Session
from vivavoce.datadir import WRITABLE_TIP, ensure_writable, now_iso, safe_name
from vivavoce.errors import StoreError
from vivavoce.jsonrecord import METRIC_FIELDS, from_record, record_from_legacy, to_record

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
    # 3: the whole answer document (its JSON record); old rows get one built from their columns
    """
    ALTER TABLE attempts ADD COLUMN document TEXT;
    """,
    # 4: the coach's notes on each answer (number from 1), imported from a report's export
    """
    CREATE TABLE notes (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, answer INTEGER NOT NULL,
        note TEXT NOT NULL, saved_at TEXT NOT NULL, PRIMARY KEY (session_id, answer));
    """,
]


def fill_documents(db: sqlite3.Connection) -> None:
    """Migration 3's data step: a record for every attempt stored before documents were."""
    rows = db.execute("SELECT * FROM attempts WHERE document IS NULL ORDER BY session_id, seq").fetchall()
    for session_id in dict.fromkeys(a["session_id"] for a in rows):
        attempts = [a for a in rows if a["session_id"] == session_id]
        for a, answer in zip(attempts, numbered([_legacy_answer(db, a) for a in attempts]), strict=True):
            record = json.dumps(record_from_legacy(answer), ensure_ascii=False)
            db.execute("UPDATE attempts SET document=? WHERE id=?", (record, a["id"]))


def numbered(answers: list[dict]) -> list[dict]:
    """Earlier layouts' answers with the number of their question: a new question id counts
    up, a retry or a follow-up keeps the number of its question."""
    numbers: dict[str, int] = {}
    out = []
    for answer in answers:
        qid = (answer.get("question") or {}).get("id", "")
        parent = answer.get("follow_up_of")
        number = numbers.get(parent or qid) or numbers.setdefault(qid, len(set(numbers.values())) + 1)
        numbers.setdefault(qid, number)
        out.append(answer | {"number": number})
    return out


DATA_STEPS = {3: fill_documents}


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
        raise StoreError(
            f"the session store is from a newer vivavoce (schema {version})",
            "Upgrade vivavoce: pip install -U vivavoce",
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] < number:  # another process may have won
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
                if number in DATA_STEPS:
                    DATA_STEPS[number](db)
                db.execute(f"PRAGMA user_version={number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _legacy_answer(db: sqlite3.Connection, a: sqlite3.Row) -> dict:
    """An attempt as stores before migration 3 held it, in the layout of that time."""
    q = db.execute(
        "SELECT details FROM questions WHERE session_id=? AND question_id=?", (a["session_id"], a["question_id"])
    ).fetchone()
    m = db.execute("SELECT all_metrics, speech_spans FROM metrics WHERE attempt_id=?", (a["id"],)).fetchone()
    words = [
        dict(w)
        for w in db.execute(
            "SELECT word, start_s, end_s, probability FROM words WHERE attempt_id=? ORDER BY idx", (a["id"],)
        )
    ]
    feedback = [
        dict(f)
        for f in db.execute("SELECT kind, text, at_s FROM feedback WHERE attempt_id=? ORDER BY rank", (a["id"],))
    ]
    return {
        "question": json.loads(q[0]) if q else None,
        "attempt": a["attempt"],
        "recorded_at": a["recorded_at"],
        "audio": a["audio"],
        "duration_s": a["duration_s"],
        "ended_by": a["ended_by"],
        "question_gap_s": a["question_gap_s"],
        "input_overflows": a["input_overflows"],
        "streamed_chunks": a["streamed_chunks"],
        "follow_up_of": a["follow_up_of"],
        "transcript": None
        if a["transcript"] is None
        else {"text": a["transcript"], "model": a["model"], "words": words},
        "speech_spans": json.loads(m[1]) if m and m[1] else [],
        "metrics": json.loads(m[0]) if m else None,
        "feedback": feedback,
        "error": a["error"],
    }


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
        doc = {
            "id": folder.name,
            "started_at": now_iso(),
            "ended_at": None,
            "interrupted": False,
            "pack": pack,
            "model": model,
            "vivavoce_version": __version__,
        }
        with self.write():
            self._insert_session(doc, folder)
        return StoredSession(self, folder, folder.name)

    def _insert_session(self, doc: dict, folder: Path) -> None:
        pack = doc.get("pack") or {}
        self.db.execute(
            "INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?)",
            (
                doc["id"],
                doc["started_at"],
                doc.get("ended_at"),
                int(bool(doc.get("interrupted"))),
                pack.get("id"),
                pack.get("title"),
                doc.get("model"),
                doc.get("vivavoce_version"),
                str(folder.relative_to(self.data_dir)) if folder.is_relative_to(self.data_dir) else str(folder),
            ),
        )

    def session_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM sessions ORDER BY started_at, id")]

    def resolve(self, session: str | None) -> str:
        """A session id from an id, a unique prefix, 'last', None (the last), or a number as
        `viva sessions` shows it (negative numbers count from the last: -1 is the last)."""
        ids = self.session_ids()
        if not ids:
            raise StoreError("there are no sessions yet", "Practise first: viva practice")
        if session in (None, "last"):
            return ids[-1]
        number = int(session) if session.removeprefix("-").isdecimal() else None
        if number is not None and 0 < abs(number) <= len(ids):
            return ids[number - 1] if number > 0 else ids[number]
        matches = [i for i in ids if i.startswith(session)]
        if len(matches) == 1:
            return matches[0]
        raise self._no_single_session(session, number, matches, len(ids))

    @staticmethod
    def _no_single_session(session: str, number: int | None, matches: list[str], n_sessions: int) -> StoreError:
        if len(matches) > 1:
            listed = ", ".join(matches[:10]) + (f" and {len(matches) - 10} more" if len(matches) > 10 else "")
            return StoreError(
                f"session {session!r} matches {len(matches)} sessions: {listed}",
                "Give more of the id, or its number from: viva sessions",
            )
        if number is not None:
            there = "there is 1 session" if n_sessions == 1 else f"there are {n_sessions} sessions"
            return StoreError(
                f"no session {number}: {there} (numbered 1 to {n_sessions}, or -1 to -{n_sessions} from the last)",
                "See them with: viva sessions",
            )
        return StoreError(
            f"no session matches {session!r}", "See them with: viva sessions (use an id, its start, or its number)"
        )

    def folder(self, session_id: str) -> Path:
        row = self.db.execute("SELECT folder FROM sessions WHERE id=?", (session_id,)).fetchone()
        return self.data_dir / row[0]

    def load(self, session_id: str) -> Session:
        """The session and its answers, as they were scored."""
        s = self.db.execute("SELECT * FROM sessions WHERE id=?", (session_id,)).fetchone()
        if s is None:
            raise StoreError(f"no session {session_id!r}")
        rows = self.db.execute("SELECT document FROM attempts WHERE session_id=? ORDER BY seq", (session_id,))
        answers = tuple(from_record(json.loads(row[0])) for row in rows)
        return Session(
            s["id"],
            s["started_at"],
            s["ended_at"],
            bool(s["interrupted"]),
            s["pack_id"],
            s["pack_title"],
            s["model"],
            s["vivavoce_version"],
            str(self.folder(s["id"])),
            answers,
        )

    def save_answer(self, session_id: str, seq: int, answer: Answer) -> None:
        """Insert or replace one answer, all its parts in one transaction."""
        record = to_record(answer)
        with self.write():
            q = answer.question
            if q is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO questions VALUES (?,?,?,?)",
                    (session_id, q.id, q.text, json.dumps(record["question"])),
                )
            self.db.execute("DELETE FROM attempts WHERE session_id=? AND seq=?", (session_id, seq))
            take = answer.take
            cur = self.db.execute(
                "INSERT INTO attempts (session_id, seq, question_id, attempt, follow_up_of, recorded_at, audio, "
                "duration_s, ended_by, question_gap_s, input_overflows, transcript, model, error, streamed_chunks, "
                "document) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    session_id,
                    seq,
                    q.id if q else "",
                    answer.attempt,
                    q.follow_up_of if q else None,
                    take.recorded_at,
                    take.audio,
                    take.duration_s,
                    take.ended_by,
                    take.question_gap_s,
                    take.input_overflows,
                    record["transcript"],
                    answer.model,
                    answer.error,
                    take.streamed_chunks,
                    json.dumps(record, ensure_ascii=False),
                ),
            )
            self._save_parts(cur.lastrowid, answer, record)

    def _save_parts(self, attempt_id: int | None, answer: Answer, record: dict) -> None:
        """Words, headline metrics and feedback in their own tables, for queries."""
        self.db.executemany(
            "INSERT INTO words VALUES (?,?,?,?,?,?)",
            [(attempt_id, i, w.word, w.start_s, w.end_s, w.probability) for i, w in enumerate(answer.words)],
        )
        m = answer.metrics
        if m is not None:
            self.db.execute(
                "INSERT INTO metrics VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    attempt_id,
                    m.speaking_s,
                    m.word_count,
                    m.wpm,
                    m.articulation_wpm,
                    m.latency_s,
                    m.filler_count,
                    m.fillers_per_min,
                    len(m.long_pauses),
                    m.longest_pause_s,
                    json.dumps({k: record[k] for k in METRIC_FIELDS}),
                    json.dumps(record["speech_spans"]),
                ),
            )
        self.db.executemany(
            "INSERT INTO feedback VALUES (?,?,?,?,?)",
            [(attempt_id, rank, p.kind, p.text, p.at_s) for rank, p in enumerate(answer.feedback)],
        )

    def finish_session(self, session_id: str, interrupted: bool) -> None:
        with self.write():
            self.db.execute(
                "UPDATE sessions SET ended_at=?, interrupted=? WHERE id=?", (now_iso(), int(interrupted), session_id)
            )

    def delete(self, session_id: str) -> Path:
        folder = self.folder(session_id)
        with self.write():
            self.db.execute("DELETE FROM sessions WHERE id=?", (session_id,))
        if folder.is_dir() and folder.resolve().is_relative_to((self.data_dir / "sessions").resolve()):
            shutil.rmtree(folder)
        return folder

    # -- the coach's notes ----------------------------------------------------------

    def notes(self, session_id: str) -> dict[int, str]:
        """The coach's note on each answer (numbered from 1) that has one."""
        rows = self.db.execute("SELECT answer, note FROM notes WHERE session_id=? ORDER BY answer", (session_id,))
        return {answer: note for answer, note in rows}

    def save_notes(self, session_id: str, notes: dict[int, str]) -> None:
        """Store notes by answer number; an empty note removes the answer's note."""
        with self.write():
            for answer, note in notes.items():
                self.db.execute("DELETE FROM notes WHERE session_id=? AND answer=?", (session_id, answer))
                if note.strip():
                    self.db.execute("INSERT INTO notes VALUES (?,?,?,?)", (session_id, answer, note, now_iso()))

    # -- listing --------------------------------------------------------------

    def sessions(self) -> list[Session]:
        """Every session, oldest first."""
        return [self.load(session_id) for session_id in self.session_ids()]

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
            for seq, answer in enumerate(numbered(doc["answers"])):
                self.save_answer(doc["id"], seq, from_record(record_from_legacy(answer)))
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
                raise StoreError(
                    f"cannot save to the session store: {e}",
                    "Free some disk space; the answer audio is kept in its folder.",
                ) from e
        self.db.execute("ROLLBACK")
        if isinstance(value, sqlite3.Error):
            raise StoreError(
                f"cannot save to the session store: {value}",
                "Free some disk space; the answer audio is kept in its folder.",
            ) from value
        return False


@dataclass
class StoredSession:
    """One practice session being recorded: what the practice loop writes to."""

    store: Store
    folder: Path
    id: str
    answers: list[Answer] = field(default_factory=list)

    def audio_path(self, question_number: int, question_id: str, attempt: int) -> Path:
        return self.folder / f"q{question_number:02d}-{safe_name(question_id)}-a{attempt}.wav"

    def add_answer(self, answer: Answer) -> int:
        """Save a new answer; returns its place, to replace it later."""
        self.answers.append(answer)
        self.store.save_answer(self.id, len(self.answers) - 1, answer)
        return len(self.answers) - 1

    def replace_answer(self, seq: int, answer: Answer) -> None:
        self.answers[seq] = answer
        self.store.save_answer(self.id, seq, answer)

    def finish(self, interrupted: bool = False) -> None:
        self.store.finish_session(self.id, interrupted)
