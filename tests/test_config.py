"""config.toml: the [norms] it overrides, and every problem in it listed at once, in line
order, with "did you mean" for unknown keys."""

import re

import pytest
from click.testing import CliRunner

from vivavoce.analysis.norms import Norms
from vivavoce.cli import cli
from vivavoce.config import load_norms, template
from vivavoce.errors import ConfigError, ConfigProblems


def test_norms_config_overrides(tmp_path):
    path = tmp_path / "config.toml"
    assert load_norms(path) == Norms()
    path.write_text("[norms]\npace_wpm = [120, 150]\nlong_pause_s = 2\n")
    norms = load_norms(path)
    assert norms.pace_wpm == (120.0, 150.0) and norms.long_pause_s == 2.0 and norms.min_pause_s == 0.25


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[norms]\nspeed = 3\n", "2: norms.speed: unknown key (known: pace_wpm, min_pause_s, "),
        ("[norms]\nlong_pase_s = 3\n", "2: norms.long_pase_s: unknown key; did you mean 'long_pause_s'?"),
        ("[norms]\npace_wpm = 140\n", "2: norms.pace_wpm: must be a pair of numbers >= 0, like [130.0, 160.0]"),
        ("[norms]\npace_wpm = [true, 150]\n", "2: norms.pace_wpm: must be a pair of numbers"),
        ("[norms]\npace_wpm = [160, 120]\n", "2: norms.pace_wpm: the low end 160.0 is above the high end 120.0"),
        ("[norms]\nlong_pause_s = 'long'\n", "2: norms.long_pause_s: must be a number >= 0, not 'long'"),
        ("[norms]\nlong_pause_s = -1\n", "2: norms.long_pause_s: must be a number >= 0, not -1"),
        ("norms = 3\n", "1: norms: must be a [norms] table"),
        ("[norm]\npace_wpm = [1, 2]\n", "1: norm: unknown table; did you mean 'norms'?"),
        ("# settings\n[norms\n", "2: toml: "),
    ],
)
def test_each_bad_config_is_named_with_its_line(tmp_path, text, problem):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigProblems) as caught:
        load_norms(path)
    [found] = caught.value.problems
    assert str(found).startswith(f"{path}:{problem}"), str(found)


def test_an_unreadable_config_is_refused(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe[norms]")
    with pytest.raises(ConfigError, match=re.escape(f"{path}: cannot read the config")):
        load_norms(path)


def test_template_parses_to_defaults(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(template())
    assert load_norms(path) == Norms()


def viva(*args):
    return CliRunner().invoke(cli, list(map(str, args)), env={"COLUMNS": "300", "VIVAVOCE_CONFIG": None})


def test_every_config_problem_at_once_in_line_order(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        "# my norms\n[norms]\nlong_pase_s = 2\npace_wpm = [160, 120]\nfillers_ok_per_min = 'five'\n"
        "answer_target_s = [90, 150]\n"
    )
    result = viva("config", "--data-dir", tmp_path)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: 3 problem(s) in the config:\n"
        f"  {path}:3: norms.long_pase_s: unknown key; did you mean 'long_pause_s'?\n"
        f"  {path}:4: norms.pace_wpm: the low end 160.0 is above the high end 120.0\n"
        f"  {path}:5: norms.fillers_ok_per_min: must be a number >= 0, not 'five'\n"
        "Tip: Fix them, then check with: viva config\n"
    )


def test_practice_and_score_refuse_a_bad_config_the_same_way(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[norms]\nspeed = 3\n")
    for command in (["practice", "--no-voice"], ["score", tmp_path / "none.wav"]):
        result = viva(*command, "--data-dir", tmp_path)
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: {path}: 1 problem(s) in the config:\n"), result.output
