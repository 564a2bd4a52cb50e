"""Question packs: every shipped pack validates; bad packs are refused with file, line and
field; the loader survives fuzzing; follow-ups probe what the answer missed; the CLI."""

import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vivavoce.cli import cli
from vivavoce.errors import PackError, PackProblems
from vivavoce.packs import MAX_PACK_BYTES, Question, available_packs, choose_follow_up, parse_pack, read_pack, select

SHIPPED = sorted((Path(__file__).parents[1] / "question_packs").glob("*.toml"))
MINIMUM = {"leadership": 25, "behavioural": 15, "software-engineering": 15, "product-management": 15,
           "customer-facing": 15, "first-job": 15, "starter": 5}  # fmt: skip

GOOD = """id = "mine"
title = "Mine"
description = "Practice."
audience = "Me."

[[questions]]
id = "one"
text = "Tell me about a time you led a change."
competency = "leading through change"
kind = "behavioural"
target_s = [60, 120]
follow_ups = ["What was the hardest conversation?", "How did you measure the result?"]
talking_points = ["why the change was needed", "a measurable result"]
"""


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_pack_validates(path):
    pack = read_pack(path)
    assert pack.id == path.stem
    assert all(q.follow_ups and q.talking_points and q.competency for q in pack.questions)


def test_shipped_packs_are_all_there():
    counts = {p.stem: len(read_pack(p).questions) for p in SHIPPED}
    for name, minimum in MINIMUM.items():
        assert counts.get(name, 0) >= minimum, name


def test_a_good_pack_loads(tmp_path):
    pack = parse_pack(GOOD, tmp_path / "mine.toml")
    [q] = pack.questions
    assert (q.id, q.kind, q.target_s, len(q.follow_ups)) == ("one", "behavioural", (60.0, 120.0), 2)


def problems_of(text: str, tmp_path) -> list[str]:
    with pytest.raises(PackProblems) as caught:
        parse_pack(text, tmp_path / "bad.toml")
    return [f"{p.line}:{p.field}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(
    "change, expected",
    [
        (("text = \"Tell me about a time you led a change.\"", 'text = "  "'), "8:questions[1].text: is empty"),
        (("kind = \"behavioural\"", 'kind = "chatty"'), "10:questions[1].kind: 'chatty' is not one of"),
        (("target_s = [60, 120]", "target_s = [120, 60]"), "11:questions[1].target_s: must be two numbers"),
        (("target_s = [60, 120]", 'target_s = "long"'), "11:questions[1].target_s: must be a list, not str"),
        (("competency = \"leading through change\"\n", ""), "6:questions[1].competency: missing"),
        (('audience = "Me."', 'audience = "Me."\ncolour = "blue"'), "5:colour: unknown key"),
        (('id = "one"', 'id = "one"\nsecret = 1'), "8:questions[1].secret: unknown key"),
        (('title = "Mine"', "title = 3"), "2:title: must be a string, not int"),
        (('follow_ups = ["What was the hardest conversation?", "How did you measure the result?"]',
          "follow_ups = [1, 2]"), "12:questions[1].follow_ups: must be a list of non-empty strings"),
        (('id = "mine"', 'id = "Mine Pack"'), "1:id: use lowercase letters"),
        (("[[questions]]", "[[questions]]\n[x"), "7:toml: "),
    ],
)  # fmt: skip
def test_malformed_packs_name_line_and_field(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    found = problems_of(GOOD.replace(old, new, 1), tmp_path)
    assert any(p.startswith(expected) for p in found), found


def test_duplicate_ids_and_every_problem_at_once(tmp_path):
    text = GOOD + GOOD[GOOD.index("[[questions]]"):].replace('kind = "behavioural"', 'kind = "x"')
    found = problems_of(text, tmp_path)
    assert any("questions[2].id: duplicate id 'one' (first at questions[1])" in p for p in found)
    assert any(p.startswith("18:questions[2].kind") for p in found)


def test_missing_questions_and_empty_pack(tmp_path):
    found = problems_of('id = "x"\ntitle = "t"\ndescription = "d"\naudience = "a"\nquestions = []\n', tmp_path)
    assert found == ["5:questions: the pack has no questions"]
    assert "None:questions: missing" in problems_of('id = "x"\n', tmp_path)


def test_huge_and_binary_files_are_refused(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * (10 * 1024 * 1024))
    with pytest.raises(PackProblems, match="too big for a question pack"):
        read_pack(big)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PackProblems, match="not UTF-8"):
        read_pack(binary)
    assert MAX_PACK_BYTES < 10 * 1024 * 1024


# -- fuzzing: the loader raises PackError or returns a pack, never anything else --------

toml_values = st.recursive(
    st.one_of(st.booleans(), st.integers(-5, 500), st.floats(allow_nan=False, allow_infinity=False),
              st.text(string.printable, max_size=20)),
    lambda children: st.lists(children, max_size=4),
    max_leaves=8,
)  # fmt: skip
keys = st.sampled_from(["id", "text", "competency", "kind", "target_s", "follow_ups", "talking_points", "title",
                        "description", "audience", "extra", "questions"])  # fmt: skip


def toml_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") \
            .replace("\t", "\\t").replace("\x0b", "\\u000b").replace("\x0c", "\\f") + '"'  # fmt: skip
    return "[" + ", ".join(toml_literal(v) for v in value) + "]"


mutated_packs = st.tuples(
    st.dictionaries(keys, toml_values, max_size=6),
    st.lists(st.dictionaries(keys, toml_values, max_size=8), max_size=3),
).map(lambda t: "\n".join(f"{k} = {toml_literal(v)}" for k, v in t[0].items() if k != "questions") + "\n" + "".join(
    "\n[[questions]]\n" + "\n".join(f"{k} = {toml_literal(v)}" for k, v in q.items()) + "\n" for q in t[1]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(mutated_packs, st.text(max_size=300), st.builds(lambda g, c: g[:c], st.just(GOOD), st.integers(0, 600))))
def test_loader_fuzz(tmp_path, text):
    try:
        pack = parse_pack(text, tmp_path / "fuzz.toml")
    except PackProblems as e:
        assert e.problems and all(p.field and p.message for p in e.problems)
    except PackError:
        pass
    else:
        assert pack.questions


# -- choosing ------------------------------------------------------------------------------

QUESTION = Question(
    "change", "Tell me about leading a change.", follow_ups=(
        "What was the hardest conversation you had with a resistant team member?",
        "How did you measure whether the change worked?",
        "What would you do differently next time?",
    ))  # fmt: skip


@pytest.mark.parametrize(
    "answer, follow_up",
    [
        ("We moved to a new release process. The hardest conversation was with a resistant team member "
         "who feared for his job. What would I do differently? I'd start earlier.",
         "How did you measure whether the change worked?"),
        ("We measured whether the change worked: lead time fell by half. The hardest conversation was "
         "with one resistant team member.", "What would you do differently next time?"),
        ("", "What was the hardest conversation you had with a resistant team member?"),
    ],
)  # fmt: skip
def test_follow_up_probes_what_the_answer_missed(answer, follow_up):
    assert choose_follow_up(QUESTION, answer) == follow_up


def test_no_follow_ups():
    assert choose_follow_up(Question("x", "Why?"), "because") is None


def test_select_filters_shuffles_and_limits():
    qs = [Question(str(i), "q", competency="conflict" if i % 2 else "strategy", kind="behavioural") for i in range(10)]
    assert [q.id for q in select(qs, competency="Conflict")] == ["1", "3", "5", "7", "9"]
    assert select(qs, kind="situational") == []
    shuffled = select(qs, 4, shuffle=True, seed=3)
    assert len(shuffled) == 4 and [q.id for q in shuffled] != ["0", "1", "2", "3"]


# -- CLI --------------------------------------------------------------------------------------


def viva(*args):
    return CliRunner().invoke(cli, list(map(str, args)), env={"COLUMNS": "300"})


def test_packs_lists_builtin_and_user_packs(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "mine.toml").write_text(GOOD)
    (tmp_path / "packs" / "broken.toml").write_text("id = \n")
    result = viva("packs", "--data-dir", tmp_path)
    assert result.exit_code == 0
    names = set(available_packs(tmp_path / "packs"))
    assert {"leadership", "starter", "mine", "broken"} <= names
    assert "Leadership and executive roles" in result.output and str(tmp_path / "packs" / "mine.toml") in result.output
    assert f"1 problem(s): viva packs validate {tmp_path / 'packs' / 'broken.toml'}" in result.output


def test_packs_show_prints_questions_and_points(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "mine.toml").write_text(GOOD)
    result = viva("packs", "show", "mine", "--data-dir", tmp_path)
    assert result.exit_code == 0
    assert result.output.splitlines()[:6] == [
        "Mine", "Practice.", "For: Me.", "", "1. Tell me about a time you led a change.",
        "   one | behavioural | leading through change | 60-120 s",
    ]  # fmt: skip
    assert "   ? follow-up: How did you measure the result?" in result.output.splitlines()


def test_packs_validate_reports_every_problem(tmp_path):
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(GOOD)
    bad.write_text(GOOD.replace('kind = "behavioural"', 'kind = "x"').replace('text = "Tell', 'text = ""\nold = "Tell'))
    result = viva("packs", "validate", good, bad)
    assert result.exit_code == 1
    assert f"{good}: ok (1 question(s))" in result.output
    assert f"{bad}:8: questions[1].text: is empty" in result.output
    assert f"{bad}:9: questions[1].old: unknown key" in result.output
    assert f"{bad}:11: questions[1].kind: 'x' is not one of" in result.output


def test_packs_new_writes_a_template_that_validates(tmp_path):
    result = viva("packs", "new", "my-pack", "--data-dir", tmp_path)
    path = tmp_path / "packs" / "my-pack.toml"
    assert result.exit_code == 0 and result.output == f"Wrote {path}. Edit it, then: viva packs validate {path}\n"
    assert read_pack(path).id == "my-pack"
    again = viva("packs", "new", "my-pack", "--data-dir", tmp_path)
    assert again.exit_code == 1 and "already exists" in again.output


def test_pack_option_takes_a_path_or_a_name(tmp_path):
    from vivavoce.packs import load_pack

    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    assert load_pack(str(path)).id == "mine"
    assert load_pack("leadership").id == "leadership"
    with pytest.raises(PackError, match="no question pack named 'nope'"):
        load_pack("nope")
