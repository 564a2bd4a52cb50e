"""The config file a user or coach can change the norms in (``[norms]``), and where it is."""

from __future__ import annotations

import os
import sys
from dataclasses import fields, replace
from pathlib import Path

from vivavoce.analysis.norms import SOURCES, Norms
from vivavoce.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def config_path(data_dir: Path) -> Path:
    env = os.environ.get("VIVAVOCE_CONFIG")
    return Path(env).expanduser() if env else data_dir / "config.toml"


def _value(name: str, raw, default, path: Path):
    if isinstance(default, tuple):
        if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(x, (int, float)) for x in raw)):
            raise ConfigError(f"{path}: [norms] {name} must be a pair of numbers, like {list(default)}")
        low, high = float(raw[0]), float(raw[1])
        if low > high:
            raise ConfigError(f"{path}: [norms] {name}: the low end {low} is above the high end {high}")
        return (low, high)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw < 0:
        raise ConfigError(f"{path}: [norms] {name} must be a number >= 0, not {raw!r}")
    return float(raw)


def load_norms(path: Path) -> Norms:
    """Defaults, overridden by the ``[norms]`` table of the config file if it exists."""
    if not path.is_file():
        return Norms()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the config: {e}", "Fix the file or delete it.") from e
    table = data.get("norms", {})
    known = {f.name: f for f in fields(Norms)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"{path}: unknown [norms] key(s): {', '.join(unknown)}",
                          f"Known keys: {', '.join(known)}.")  # fmt: skip
    defaults = Norms()
    changes = {name: _value(name, raw, getattr(defaults, name), path) for name, raw in table.items()}
    return replace(defaults, **changes)


def template() -> str:
    lines = ["# vivavoce settings. Uncomment a line to change a band.", "[norms]"]
    for f in fields(Norms):
        value = getattr(Norms(), f.name)
        shown = list(value) if isinstance(value, tuple) else value
        lines.append(f"# {SOURCES[f.name]}")
        lines.append(f"# {f.name} = {shown}")
    return "\n".join(lines) + "\n"
