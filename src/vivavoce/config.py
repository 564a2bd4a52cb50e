"""The config file a user or coach can change the norms in (``[norms]``), where it is, and
checking it: every problem at once, in line order, with "did you mean" for unknown keys."""

from __future__ import annotations

import os
from dataclasses import fields, replace
from pathlib import Path

from vivavoce.analysis.norms import SOURCES, Norms
from vivavoce.errors import ConfigError, ConfigProblems
from vivavoce.tomlcheck import LineFinder, Problem, in_line_order, parse_toml, unknown

TABLES = ("norms",)  # the tables config.toml may have


def config_path(data_dir: Path) -> Path:
    env = os.environ.get("VIVAVOCE_CONFIG")
    return Path(env).expanduser() if env else data_dir / "config.toml"


def load_norms(path: Path) -> Norms:
    """Defaults, overridden by the ``[norms]`` table of the config file if it exists; every
    problem in the file is reported at once, in line order."""
    if not path.is_file():
        return Norms()
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the config: {e}", "Fix the file or delete it.") from e
    data = parse_toml(raw, path)
    if isinstance(data, Problem):
        raise ConfigProblems(path, [data])
    changes, problems = check_config(data, path, LineFinder(raw, "norms"))
    if problems:
        raise ConfigProblems(path, in_line_order(problems))
    return replace(Norms(), **changes)


def check_config(data: dict, path: Path, lines: LineFinder) -> tuple[dict, list[Problem]]:
    """The [norms] values that are usable, and a problem for each one that is not."""
    problems = [
        Problem(path, lines.of(key), key, unknown("table" if isinstance(value, dict) else "key", key, TABLES))
        for key, value in data.items()
        if key not in TABLES
    ]
    table = data.get("norms", {})
    if not isinstance(table, dict):
        return {}, problems + [Problem(path, lines.of("norms"), "norms", "must be a [norms] table")]
    known = [f.name for f in fields(Norms)]
    changes = {}
    for name, raw in table.items():
        try:
            if name not in known:
                raise ValueError(unknown("key", name, known))
            changes[name] = norm_value(raw, getattr(Norms(), name))
        except ValueError as e:
            problems.append(Problem(path, lines.of(name, 0), f"norms.{name}", str(e)))
    return changes, problems


def norm_value(raw, default: float | tuple[float, float]) -> float | tuple[float, float]:
    """``raw`` as a number or a (low, high) pair like ``default``; ValueError says what is wrong."""
    if isinstance(default, tuple):
        if not (isinstance(raw, list) and len(raw) == 2 and all(is_number(x) and x >= 0 for x in raw)):
            raise ValueError(f"must be a pair of numbers >= 0, like {list(default)}")
        low, high = float(raw[0]), float(raw[1])
        if low > high:
            raise ValueError(f"the low end {low} is above the high end {high}")
        return (low, high)
    if not is_number(raw) or raw < 0:
        raise ValueError(f"must be a number >= 0, not {raw!r}")
    return float(raw)


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def template() -> str:
    lines = ["# vivavoce settings. Uncomment a line to change a band.", "[norms]"]
    for f in fields(Norms):
        value = getattr(Norms(), f.name)
        shown = list(value) if isinstance(value, tuple) else value
        lines.append(f"# {SOURCES[f.name]}")
        lines.append(f"# {f.name} = {shown}")
    return "\n".join(lines) + "\n"
