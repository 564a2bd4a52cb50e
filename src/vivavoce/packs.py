"""Question packs: TOML files of questions, loaded and checked with every problem named
by file, line and field.

A pack::

    id = "leadership"            title = "..."   description = "..."   audience = "..."
    [[questions]]
    id = "change-resistance"     text = "..."    competency = "leading through change"
    kind = "behavioural"         target_s = [90, 150]
    follow_ups = ["...", "..."]  talking_points = ["...", "..."]
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vivavoce.errors import PackError, PackProblems

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_PACK = "starter"
DEFAULT_TARGET_S = (60.0, 120.0)  # behavioural answers: 1-2 min (NORMS.md, career guides)
KINDS = ("behavioural", "situational", "motivational", "technical discussion")
MAX_PACK_BYTES = 1_000_000
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
PACK_FIELDS = {"id": str, "title": str, "description": str, "audience": str, "questions": list}
QUESTION_FIELDS = {"id": str, "text": str, "competency": str, "kind": str, "target_s": list,
                   "follow_ups": list, "talking_points": list}  # fmt: skip


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    target_s: tuple[float, float] = DEFAULT_TARGET_S
    talking_points: tuple[str, ...] = ()
    competency: str = ""
    kind: str = "behavioural"
    follow_ups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    questions: tuple[Question, ...]
    path: Path | None = None
    description: str = ""
    audience: str = ""
    builtin: bool = True


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.field}: {self.message}"


# -- finding packs ---------------------------------------------------------------


def builtin_dirs() -> list[Path]:
    here = Path(__file__).resolve().parent
    return [here / "question_packs", here.parents[1] / "question_packs"]  # wheel, source tree


def available_packs(user_dir: Path | None = None) -> dict[str, tuple[Path, bool]]:
    """Pack name -> (path, built-in?); the user's own packs come after, and may not shadow."""
    found: dict[str, tuple[Path, bool]] = {}
    for folder in builtin_dirs():
        for path in sorted(folder.glob("*.toml")):
            found.setdefault(path.stem, (path, True))
    if user_dir is not None:
        for path in sorted(user_dir.glob("*.toml")):
            found.setdefault(path.stem, (path, False))
    return found


def find_pack(name_or_path: str, user_dir: Path | None = None) -> tuple[Path, bool]:
    path = Path(name_or_path).expanduser()
    if path.suffix == ".toml" or path.exists() or "/" in name_or_path:
        if not path.is_file():
            raise PackError(f"question pack {str(path)!r} not found", "Check the path.")
        return path, False
    packs = available_packs(user_dir)
    if name_or_path not in packs:
        raise PackError(f"no question pack named {name_or_path!r}",
                        f"Choose one of: {', '.join(sorted(packs)) or '(none installed)'} (see: viva packs).")  # fmt: skip
    return packs[name_or_path]


def load_pack(name_or_path: str = DEFAULT_PACK, user_dir: Path | None = None) -> Pack:
    path, builtin = find_pack(name_or_path, user_dir)
    return read_pack(path, builtin)


def read_pack(path: Path, builtin: bool = False) -> Pack:
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise PackProblems(path, [Problem(path, None, "file", f"{size:,} bytes is too big for a "
                                              f"question pack (at most {MAX_PACK_BYTES:,})")])  # fmt: skip
        raw = path.read_bytes().decode("utf-8")
    except OSError as e:
        raise PackError(f"{path}: cannot read the question pack: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise PackProblems(path, [Problem(path, None, "file", f"not UTF-8 text ({e.reason})")]) from e
    return parse_pack(raw, path, builtin)


# -- checking --------------------------------------------------------------------


def parse_pack(raw: str, path: Path, builtin: bool = False) -> Pack:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as e:
        line = re.search(r"line (\d+)", str(e))
        raise PackProblems(path, [Problem(path, int(line.group(1)) if line else None, "toml", str(e))]) from e
    lines = LineFinder(raw)
    problems = check_pack(data, path, lines)
    if problems:
        raise PackProblems(path, problems)
    questions = tuple(to_question(q) for q in data["questions"])
    return Pack(data["id"], data["title"], questions, path, data["description"], data["audience"], builtin)


class LineFinder:
    """Line numbers of keys in the raw text: top-level, or inside the n-th [[questions]]."""

    def __init__(self, raw: str):
        self.lines = raw.splitlines()
        self.tables = [i for i, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*questions\s*\]\]", line)]

    def of(self, key: str, question: int | None = None) -> int | None:
        if question is None:
            start, end = 0, self.tables[0] if self.tables else len(self.lines)
        elif question < len(self.tables):
            start = self.tables[question]
            end = self.tables[question + 1] if question + 1 < len(self.tables) else len(self.lines)
        else:
            return None
        for i in range(start, end):
            if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[i]):
                return i + 1
        return start + 1 if question is not None else None


def check_pack(data: dict, path: Path, lines: LineFinder) -> list[Problem]:
    problems = check_fields(data, PACK_FIELDS, path, lines, None, "")
    if isinstance(data.get("id"), str) and not ID_PATTERN.fullmatch(data["id"]):
        problems.append(Problem(path, lines.of("id"), "id", "use lowercase letters, digits and hyphens"))
    questions = data.get("questions")
    if isinstance(questions, list):
        if not questions:
            problems.append(Problem(path, lines.of("questions"), "questions", "the pack has no questions"))
        seen: dict[str, int] = {}
        for n, q in enumerate(questions):
            where = f"questions[{n + 1}]"
            if not isinstance(q, dict):
                problems.append(Problem(path, lines.of("questions"), where, "must be a [[questions]] table"))
                continue
            problems += check_question(q, path, lines, n, where)
            qid = q.get("id")
            if isinstance(qid, str):
                if qid in seen:
                    problems.append(Problem(path, lines.of("id", n), f"{where}.id",
                                            f"duplicate id {qid!r} (first at questions[{seen[qid] + 1}])"))  # fmt: skip
                seen.setdefault(qid, n)
    return problems


def check_fields(data: dict, spec: dict, path: Path, lines: LineFinder, n: int | None, prefix: str) -> list[Problem]:
    problems = []
    for key, kind in spec.items():
        if key not in data:
            problems.append(Problem(path, lines.of(key, n) if n is not None else None, prefix + key, "missing"))
        elif not isinstance(data[key], kind) or isinstance(data[key], bool):
            problems.append(Problem(path, lines.of(key, n), prefix + key,
                                    f"must be {TYPE_NAMES[kind]}, not {type(data[key]).__name__}"))  # fmt: skip
        elif kind is str and not data[key].strip():
            problems.append(Problem(path, lines.of(key, n), prefix + key, "is empty"))
    for key in sorted(set(data) - set(spec)):
        problems.append(Problem(path, lines.of(key, n), prefix + key,
                                f"unknown key (known: {', '.join(spec)})"))  # fmt: skip
    return problems


TYPE_NAMES = {str: "a string", list: "a list", int: "a number"}


def check_question(q: dict, path: Path, lines: LineFinder, n: int, where: str) -> list[Problem]:
    problems = check_fields(q, QUESTION_FIELDS, path, lines, n, f"{where}.")

    def add(key: str, message: str) -> None:
        problems.append(Problem(path, lines.of(key, n), f"{where}.{key}", message))

    if isinstance(q.get("id"), str) and q["id"].strip() and not ID_PATTERN.fullmatch(q["id"]):
        add("id", "use lowercase letters, digits and hyphens")
    if isinstance(q.get("kind"), str) and q["kind"] not in KINDS:
        add("kind", f"{q['kind']!r} is not one of: {', '.join(KINDS)}")
    target = q.get("target_s")
    if isinstance(target, list):
        numbers = len(target) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in target)
        if not numbers or not 0 < target[0] < target[1] <= 3600:
            add("target_s", "must be two numbers of seconds, low then high, like [60, 120]")
    for key in ("follow_ups", "talking_points"):
        items = q.get(key)
        if isinstance(items, list) and not all(isinstance(x, str) and x.strip() for x in items):
            add(key, "must be a list of non-empty strings")
    return problems


def to_question(q: dict) -> Question:
    low, high = q["target_s"]
    return Question(q["id"], q["text"].strip(), (float(low), float(high)), tuple(q["talking_points"]),
                    q["competency"], q["kind"], tuple(q["follow_ups"]))  # fmt: skip


def question_from_file(path: Path) -> Question:
    """A question for one recording: a ``.question.toml`` (text, target_s, talking_points)
    or a ``.question.txt`` holding just the question."""
    try:
        raw = path.read_text(encoding="utf-8")
        data: dict[str, Any] = tomllib.loads(raw) if path.suffix == ".toml" else {"text": raw}
        text = str(data["text"]).strip()
        if not text:
            raise ValueError("the question text is empty")
        low, high = data.get("target_s", DEFAULT_TARGET_S)
        points = tuple(str(p) for p in data.get("talking_points", ()))
        return Question(path.stem, text, (float(low), float(high)), points)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as e:
        raise PackError(f"{path}: cannot read the question: {e}",
                        "A .question.toml needs text = \"...\"; target_s and talking_points are optional.") from e


# -- choosing ----------------------------------------------------------------------------


def select(questions, n: int | None = None, shuffle: bool = False, competency: str | None = None,
           kind: str | None = None, seed: int | None = None) -> list[Question]:  # fmt: skip
    chosen = [q for q in questions if (competency is None or competency.lower() in q.competency.lower())
              and (kind is None or q.kind == kind)]  # fmt: skip
    if shuffle:
        random.Random(seed).shuffle(chosen)
    return chosen[:n] if n else chosen


def choose_follow_up(question: Question, answer_text: str) -> str | None:
    """The follow-up the answer covered least (by content-word match), so the interviewer
    probes what is missing; None when the question has none."""
    from vivavoce.analysis.talking_points import content_stems

    if not question.follow_ups:
        return None
    said = content_stems(answer_text)

    def covered(follow_up: str) -> float:
        wanted = content_stems(follow_up)
        return len(wanted & said) / len(wanted) if wanted else 1.0

    return min(question.follow_ups, key=covered)


TEMPLATE = '''# A vivavoce question pack. Check it with: viva packs validate {path}
id = "{name}"                     # the file name without .toml
title = "My practice questions"
description = "What this pack practises."
audience = "Who it is for."

[[questions]]
id = "first-question"             # unique in the pack: lowercase, digits, hyphens
text = "Tell me about a time you changed someone's mind. How did you do it?"
competency = "influence"          # a short phrase; viva practice --competency filters on it
kind = "behavioural"              # behavioural, situational, motivational or technical discussion
target_s = [60, 120]              # target answer length in seconds: low, high
follow_ups = [                    # asked with --follow-ups: the one the answer covered least
  "What did they object to at first?",
  "What would you do differently next time?",
]
talking_points = [                # what a strong answer covers, checked against the transcript
  "what they believed before",
  "how you listened to their concerns",
  "the evidence that changed their mind",
]
'''


def template(name: str, path: Path) -> str:
    return TEMPLATE.format(name=name, path=path)
