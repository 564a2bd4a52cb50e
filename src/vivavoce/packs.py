"""Question packs: TOML files of questions, loaded and checked with every problem named
by file, line and field, in line order.

A pack needs only a title and questions with text; every other field has a default::

    title = "..."                # required
    id = "leadership"            # default: the file name without .toml
    description = "..."          # default: none
    audience = "..."             # default: none
    [[questions]]
    text = "..."                 # required
    id = "change-resistance"     # default: the pack id and the position, like leadership-3
    competency = "..."           # default: none
    kind = "behavioural"         # default: behavioural ("behavioral" is read as behavioural)
    target_s = [90, 150]         # default: answer_target_s of the norms in effect (config.toml)
    follow_ups = ["..."]         # default: none
    talking_points = ["..."]     # default: none

Built-in packs give every field (the test suite checks that).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from vivavoce.analysis.norms import Norms
from vivavoce.errors import PackError, PackProblems
from vivavoce.tomlcheck import LineFinder, Problem, in_line_order, parse_toml, type_problem, unknown

DEFAULT_PACK = "starter"
DEFAULT_NORMS = Norms()  # a question's default target_s is its answer_target_s
DEFAULT_TARGET_S = DEFAULT_NORMS.answer_target_s  # behavioural answers: 1-2 min (NORMS.md, career guides)
KINDS = ("behavioural", "situational", "motivational", "technical discussion")
DEFAULT_KIND = "behavioural"
KIND_ALIASES = {"behavioral": "behavioural"}
MAX_PACK_BYTES = 1_000_000
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
PACK_FIELDS = {"id": str, "title": str, "description": str, "audience": str, "questions": list}
QUESTION_FIELDS = {
    "id": str,
    "text": str,
    "competency": str,
    "kind": str,
    "target_s": list,
    "follow_ups": list,
    "talking_points": list,
}
SIDECAR_FIELDS = {"text": str, "target_s": list, "talking_points": list}  # NAME.question.toml for viva score
PACK_REQUIRED = ("title", "questions")
QUESTION_REQUIRED = ("text",)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    target_s: tuple[float, float] = DEFAULT_TARGET_S
    talking_points: tuple[str, ...] = ()
    competency: str = ""
    kind: str = DEFAULT_KIND
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
    """A file, or a built-in or user pack by name; a bare ``NAME.toml`` that is not a file
    in the current folder is looked up by name too."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path, False
    packs = available_packs(user_dir)
    name = path.stem if path.suffix == ".toml" and path.name == name_or_path else name_or_path
    if name in packs:
        return packs[name]
    choices = f"{', '.join(sorted(packs)) or '(none installed)'} (see: viva packs)"
    if path.suffix == ".toml" or "/" in name_or_path:
        raise PackError(f"question pack {str(path)!r} not found", f"Check the path, or name a pack: {choices}.")
    raise PackError(f"no question pack named {name_or_path!r}", f"Choose one of: {choices}.")


def load_pack(name_or_path: str = DEFAULT_PACK, user_dir: Path | None = None, norms: Norms = DEFAULT_NORMS) -> Pack:
    path, builtin = find_pack(name_or_path, user_dir)
    return read_pack(path, builtin, norms)


def read_pack(path: Path, builtin: bool = False, norms: Norms = DEFAULT_NORMS) -> Pack:
    """The pack in ``path``; a question without ``target_s`` gets ``norms.answer_target_s``."""
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise PackProblems(
                path,
                [
                    Problem(
                        path,
                        None,
                        "file",
                        f"{size:,} bytes is too big for a question pack (at most {MAX_PACK_BYTES:,})",
                    )
                ],
            )
        raw = path.read_bytes().decode("utf-8")
    except OSError as e:
        raise PackError(f"{path}: cannot read the question pack: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise PackProblems(path, [Problem(path, None, "file", f"not UTF-8 text ({e.reason})")]) from e
    return parse_pack(raw, path, builtin, norms)


def parse_pack(raw: str, path: Path, builtin: bool = False, norms: Norms = DEFAULT_NORMS) -> Pack:
    data = parse_toml(raw, path)
    if isinstance(data, Problem):
        raise PackProblems(path, [data])
    problems = check_pack(data, path, LineFinder(raw, "questions"))
    if problems:
        raise PackProblems(path, in_line_order(problems))
    return to_pack(data, path, builtin, norms)


def to_pack(data: dict, path: Path, builtin: bool, norms: Norms) -> Pack:
    """A checked pack's table as a Pack, every default filled in."""
    pack_id = data.get("id", path.stem)
    ids = question_ids(data["questions"], pack_id)
    questions = tuple(to_question(q, qid, norms) for q, qid in zip(data["questions"], ids, strict=True))
    return Pack(pack_id, data["title"], questions, path, data.get("description", ""), data.get("audience", ""), builtin)


def question_ids(questions: list, pack_id: str) -> list:
    """Each question's id: its own, or the pack id and its position (``leadership-3``)."""
    return [q["id"] if isinstance(q, dict) and "id" in q else f"{pack_id}-{n}" for n, q in enumerate(questions, 1)]


def kind_of(value: str) -> str | None:
    """The kind a pack's ``kind`` names (any case; "behavioral" is behavioural), or None."""
    kind = value.strip().lower()
    kind = KIND_ALIASES.get(kind, kind)
    return kind if kind in KINDS else None


def to_question(q: dict, qid: str, norms: Norms) -> Question:
    low, high = q.get("target_s", norms.answer_target_s)
    return Question(
        qid,
        q["text"].strip(),
        (float(low), float(high)),
        tuple(q.get("talking_points", ())),
        q.get("competency", ""),
        kind_of(q.get("kind", DEFAULT_KIND)) or DEFAULT_KIND,
        tuple(q.get("follow_ups", ())),
    )


# -- checking --------------------------------------------------------------------


@dataclass
class Checker:
    """Collects the problems of one pack file, each at the line of its key."""

    path: Path
    lines: LineFinder
    problems: list[Problem] = field(default_factory=list)

    def add(self, key: str, message: str, n: int | None = None) -> None:
        where = key if n is None else f"questions[{n + 1}].{key}"
        self.problems.append(Problem(self.path, self.lines.of(key, n), where, message))

    def keys(self, data: dict, spec: dict, required: tuple[str, ...], n: int | None = None) -> None:
        for key in required:
            if key not in data:
                self.add(key, "missing", n)
        for key, value in data.items():
            if key not in spec:
                self.add(key, unknown("key", key, spec), n)
            elif wrong := type_problem(value, spec[key]):
                self.add(key, wrong, n)
            elif spec[key] is str and not value.strip():
                self.add(key, "is empty", n)

    def id_format(self, data: dict, n: int | None = None) -> None:
        value = data.get("id")
        if isinstance(value, str) and value.strip() and not ID_PATTERN.fullmatch(value):
            self.add("id", "use lowercase letters, digits and hyphens", n)


def check_pack(data: dict, path: Path, lines: LineFinder) -> list[Problem]:
    check = Checker(path, lines)
    check.keys(data, PACK_FIELDS, PACK_REQUIRED)
    check.id_format(data)
    questions = data.get("questions")
    if isinstance(questions, list):
        pack_id = data["id"] if isinstance(data.get("id"), str) else path.stem
        check_questions(check, questions, pack_id)
    return check.problems


def check_questions(check: Checker, questions: list, pack_id: str) -> None:
    if not questions:
        check.add("questions", "the pack has no questions")
    for n, q in enumerate(questions):
        if isinstance(q, dict):
            check_question(check, q, n)
        else:
            check.problems.append(
                Problem(check.path, check.lines.of("questions"), f"questions[{n + 1}]", "must be a [[questions]] table")
            )
    first: dict[str, int] = {}
    for n, qid in enumerate(question_ids(questions, pack_id)):
        if isinstance(qid, str) and qid in first:
            check.add("id", f"duplicate id {qid!r} (first at questions[{first[qid] + 1}])", n)
        elif isinstance(qid, str):
            first[qid] = n


def check_question(check: Checker, q: dict, n: int | None, spec: dict = QUESTION_FIELDS) -> None:
    """The n-th [[questions]] table of a pack, or (n None) a recording's question file."""
    check.keys(q, spec, QUESTION_REQUIRED, n)
    check.id_format(q, n)
    kind = q.get("kind")
    if isinstance(kind, str) and kind.strip() and kind_of(kind) is None:
        check.add("kind", unknown(f"kind {kind!r}", kind.strip().lower(), KINDS), n)
    target = q.get("target_s")
    if isinstance(target, list):
        numbers = len(target) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in target)
        if not numbers or not 0 < target[0] < target[1] <= 3600:
            check.add("target_s", "must be two numbers of seconds, low then high, like [60, 120]", n)
    for key in ("follow_ups", "talking_points"):
        items = q.get(key)
        if isinstance(items, list) and not all(isinstance(x, str) and x.strip() for x in items):
            check.add(key, "must be a list of non-empty strings", n)


def question_from_file(path: Path, norms: Norms = DEFAULT_NORMS) -> Question:
    """A question for one recording: a ``.question.toml`` (text; target_s, default
    ``norms.answer_target_s``; talking_points) or a ``.question.txt`` holding just the question."""
    tip = 'A .question.toml needs text = "..."; target_s and talking_points are optional.'
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PackError(f"{path}: cannot read the question: {e}", tip) from e
    data = parse_toml(raw, path) if path.suffix == ".toml" else {"text": raw}
    if isinstance(data, Problem):
        raise PackError(str(data), tip)
    check = Checker(path, LineFinder(raw, "questions"))
    check_question(check, data, None, SIDECAR_FIELDS)
    if check.problems:
        raise PackError("\n".join(str(p) for p in in_line_order(check.problems)), tip)
    low, high = tuple(data.get("target_s", norms.answer_target_s))
    return Question(path.stem, data["text"].strip(), (float(low), float(high)), tuple(data.get("talking_points", ())))


# -- choosing ----------------------------------------------------------------------------


def select(
    questions,
    n: int | None = None,
    shuffle: bool = False,
    competency: str | None = None,
    kind: str | None = None,
    seed: int | None = None,
) -> list[Question]:
    chosen = [
        q
        for q in questions
        if (competency is None or competency.lower() in q.competency.lower()) and (kind is None or q.kind == kind)
    ]
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


TEMPLATE = """# A vivavoce question pack. Check it with: viva packs validate {check}
# Only the title and each question's text are needed; every other line is optional,
# and its comment says what you get without it.
title = "My practice questions"
id = "{name}"                     # default: the file name without .toml
description = "What this pack practises."   # default: none
audience = "Who it is for."                 # default: none

# A question with every field:
[[questions]]
text = "Tell me about a time you changed someone's mind. How did you do it?"
id = "first-question"             # default: the pack id and the position ({name}-1); an id keeps
                                  # the question's progress when you reorder. Lowercase, digits, hyphens
competency = "influence"          # default: none; viva practice --competency filters on it
kind = "behavioural"              # default: behavioural; or situational, motivational, technical discussion
target_s = [60, 120]              # answer length in seconds, low and high; default: answer_target_s
                                  # in config.toml (60-120 unless changed; see: viva config)
follow_ups = [                    # default: none; with --follow-ups, the one the answer covered least
  "What did they object to at first?",
  "What would you do differently next time?",
]
talking_points = [                # default: none; what a strong answer covers, checked in the transcript
  "what they believed before",
  "how you listened to their concerns",
  "the evidence that changed their mind",
]

# A question with only its text:
[[questions]]
text = "Why do you want this role?"
"""


def template(name: str, check: str) -> str:
    """A commented pack named ``name``; ``check`` is what to pass to viva packs validate."""
    return TEMPLATE.format(name=name, check=check)
