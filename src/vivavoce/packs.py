"""Question packs: TOML files of questions. (A minimal loader; validation grows later.)"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from vivavoce.errors import PackError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_PACK = "starter"
DEFAULT_TARGET_S = (60.0, 120.0)  # behavioural answers: 1-2 min (NORMS.md, career guides)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    target_s: tuple[float, float] = DEFAULT_TARGET_S
    talking_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    questions: tuple[Question, ...]
    path: Path | None = None


def builtin_dirs() -> list[Path]:
    here = Path(__file__).resolve().parent
    return [here / "question_packs", here.parents[1] / "question_packs"]  # wheel, source tree


def builtin_packs() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in builtin_dirs():
        for path in sorted(folder.glob("*.toml")):
            found.setdefault(path.stem, path)
    return found


def find_pack(name_or_path: str) -> Path:
    path = Path(name_or_path).expanduser()
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise PackError(f"question pack {str(path)!r} not found", "Check the path.")
        return path
    packs = builtin_packs()
    if name_or_path not in packs:
        raise PackError(f"no question pack named {name_or_path!r}",
                        f"Choose one of: {', '.join(sorted(packs)) or '(none installed)'}.")  # fmt: skip
    return packs[name_or_path]


def load_pack(name_or_path: str = DEFAULT_PACK) -> Pack:
    path = find_pack(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise PackError(f"{path}: cannot read question pack: {e}") from e
    try:
        questions = tuple(_question(q) for q in data["questions"])
        pack = Pack(str(data["id"]), str(data.get("title", data["id"])), questions, path)
    except (KeyError, TypeError, ValueError) as e:
        raise PackError(f"{path}: malformed question pack: {e!r}",
                        "Each pack needs id and [[questions]] with id and text.") from e  # fmt: skip
    if not questions:
        raise PackError(f"{path}: the pack has no questions")
    return pack


def _question(data: dict) -> Question:
    low, high = data.get("target_s", DEFAULT_TARGET_S)
    text = str(data["text"]).strip()
    if not text:
        raise ValueError(f"question {data.get('id')!r} has empty text")
    points = tuple(str(p) for p in data.get("talking_points", ()))
    return Question(str(data["id"]), text, (float(low), float(high)), points)


def question_from_file(path: Path) -> Question:
    """A question for one recording: a ``.question.toml`` (text, target_s, talking_points)
    or a ``.question.txt`` holding just the question."""
    try:
        raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw) if path.suffix == ".toml" else {"text": raw}
        return _question({"id": path.stem, **data})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as e:
        raise PackError(f"{path}: cannot read the question: {e}",
                        "A .question.toml needs text = \"...\"; target_s and talking_points are optional.") from e
