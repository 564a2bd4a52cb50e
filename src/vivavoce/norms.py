"""The bands feedback is judged against, with where each comes from (NORMS.md), and the
config file a user or coach can change them in."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path

from vivavoce.errors import VivaError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(VivaError):
    pass


@dataclass(frozen=True)
class Norms:
    pace_wpm: tuple[float, float] = (130.0, 160.0)
    min_pause_s: float = 0.25
    long_pause_s: float = 1.5
    fillers_ok_per_min: float = 5.0
    fillers_harm_per_min: float = 12.0
    discourse_ok_per_min: float = 6.0
    answer_target_s: tuple[float, float] = (60.0, 120.0)
    latency_long_s: float = 6.0
    pace_window_s: float = 10.0
    result_min_s: float = 8.0


SOURCES = {
    "pace_wpm": "interview answer pace, InterviewVoice citing Griffiths 1990 and Tauroza & Allison 1990",
    "min_pause_s": "silent pause threshold, Goldman-Eisler 1968 (De Jong & Bosker 2013)",
    "long_pause_s": "a long pause; studies use 100-1000 ms for any pause, this marks the ones listeners notice",
    "fillers_ok_per_min": "no measurable listener penalty up to ~5 a minute, Laske et al. 2024",
    "fillers_harm_per_min": "harm concentrates near 12 a minute, Laske et al. 2024",
    "discourse_ok_per_min": "judgement: like/so weigh less than um/uh with listeners (Laske et al. 2024)",
    "answer_target_s": "behavioural answers: 1-2 minutes, career guides (not research)",
    "latency_long_s": "judgement: a pause to think is fine, a long silence before starting is not",
    "pace_window_s": "window for pace over time",
    "result_min_s": "STAR result part roughly 10-20 s, career guides (not research)",
}


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
