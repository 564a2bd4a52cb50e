"""Question packs: every shipped pack validates; bad packs are refused with file, line and
field; the loader survives fuzzing; follow-ups probe what the answer missed; the CLI."""

import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vivavoce.analysis.norms import Norms
from vivavoce.cli import cli
from vivavoce.errors import PackError, PackProblems
from vivavoce.packs import (
    MAX_PACK_BYTES,
    PACK_FIELDS,
    QUESTION_FIELDS,
    Question,
    available_packs,
    choose_follow_up,
    parse_pack,
    read_pack,
    select,
)
from vivavoce.tomlcheck import tomllib

SHIPPED = sorted((Path(__file__).parents[1] / "question_packs").glob("*.toml"))
MINIMUM = {
    "leadership": 25,
    "behavioural": 15,
    "software-engineering": 15,
    "product-management": 15,
    "customer-facing": 15,
    "first-job": 15,
    "starter": 5,
}

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


MINIMAL = """title = "My loop"

[[questions]]
text = "Why do you want to work here?"

[[questions]]
text = "Tell me about a conflict with a colleague."

[[questions]]
text = "Describe a time you failed."

[[questions]]
text = "What would you do in your first 90 days?"

[[questions]]
text = "Tell me about a decision you made without all the data."
"""


def test_a_minimal_pack_gets_every_default(tmp_path):
    pack = parse_pack(MINIMAL, tmp_path / "my-loop.toml", norms=Norms(answer_target_s=(90.0, 150.0)))
    assert (pack.id, pack.title, pack.description, pack.audience) == ("my-loop", "My loop", "", "")
    assert [q.id for q in pack.questions] == [f"my-loop-{n}" for n in range(1, 6)]
    first = pack.questions[0]
    assert (first.kind, first.competency, first.target_s, first.follow_ups, first.talking_points) == (
        "behavioural",
        "",
        (90.0, 150.0),
        (),
        (),
    )
    assert parse_pack(MINIMAL, tmp_path / "my-loop.toml").questions[0].target_s == Norms().answer_target_s


@pytest.mark.parametrize("written", ["behavioral", "Behavioural", " situational "])
def test_kinds_are_read_in_any_case_and_american_spelling(tmp_path, written):
    [q] = parse_pack(f'title = "t"\n[[questions]]\ntext = "Why?"\nkind = "{written}"\n', tmp_path / "k.toml").questions
    assert q.kind == written.strip().lower().replace("behavioral", "behavioural")


def test_a_default_id_may_not_repeat_a_given_one(tmp_path):
    text = 'title = "t"\n[[questions]]\ntext = "Why?"\n[[questions]]\nid = "k-1"\ntext = "How?"\n'
    assert problems_of(text, tmp_path / "k.toml") == ["5:questions[2].id: duplicate id 'k-1' (first at questions[1])"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_builtin_packs_give_every_field(path):
    """Defaults are for people's own packs; the built-in ones say everything."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(data) == set(PACK_FIELDS), path
    for q in data["questions"]:
        assert set(q) == set(QUESTION_FIELDS), (path, q.get("id"))


def problems_of(text: str, tmp_path) -> list[str]:
    """``line:field: message`` of each problem; ``tmp_path`` may be the pack's file name."""
    path = tmp_path if tmp_path.suffix == ".toml" else tmp_path / "bad.toml"
    with pytest.raises(PackProblems) as caught:
        parse_pack(text, path)
    return [f"{p.line}:{p.field}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(
    "change, expected",
    [
        (('text = "Tell me about a time you led a change."', 'text = "  "'), "8:questions[1].text: is empty"),
        (('kind = "behavioural"', 'kind = "chatty"'), "10:questions[1].kind: unknown kind 'chatty' (known: "),
        (
            ('kind = "behavioural"', 'kind = "situtional"'),
            "10:questions[1].kind: unknown kind 'situtional'; did you mean 'situational'?",
        ),
        (("target_s = [60, 120]", "target_s = [120, 60]"), "11:questions[1].target_s: must be two numbers"),
        (("target_s = [60, 120]", 'target_s = "long"'), "11:questions[1].target_s: must be a list, not str"),
        (('text = "Tell me about a time you led a change."\n', ""), "6:questions[1].text: missing"),
        (('title = "Mine"\n', ""), "None:title: missing"),
        (('audience = "Me."', 'audience = "Me."\ncolour = "blue"'), "5:colour: unknown key (known: id, title, "),
        (('audience = "Me."', 'audience = "Me."\ntitel = "Mine"'), "5:titel: unknown key; did you mean 'title'?"),
        (('id = "one"', 'id = "one"\nsecret = 1'), "8:questions[1].secret: unknown key"),
        (('title = "Mine"', "title = 3"), "2:title: must be a string, not int"),
        (
            (
                'follow_ups = ["What was the hardest conversation?", "How did you measure the result?"]',
                "follow_ups = [1, 2]",
            ),
            "12:questions[1].follow_ups: must be a list of non-empty strings",
        ),
        (('id = "mine"', 'id = "Mine Pack"'), "1:id: use lowercase letters"),
        (("[[questions]]", "[[questions]]\n[x"), "7:toml: "),
    ],
)
def test_malformed_packs_name_line_and_field(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    found = problems_of(GOOD.replace(old, new, 1), tmp_path)
    assert any(p.startswith(expected) for p in found), found


def test_duplicate_ids_and_every_problem_at_once(tmp_path):
    text = GOOD + GOOD[GOOD.index("[[questions]]") :].replace('kind = "behavioural"', 'kind = "x"')
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
    st.one_of(
        st.booleans(),
        st.integers(-5, 500),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(string.printable, max_size=20),
    ),
    lambda children: st.lists(children, max_size=4),
    max_leaves=8,
)
keys = st.sampled_from(
    [
        "id",
        "text",
        "competency",
        "kind",
        "target_s",
        "follow_ups",
        "talking_points",
        "title",
        "description",
        "audience",
        "extra",
        "questions",
    ]
)


def toml_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return (
            '"'
            + value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
            .replace("\x0b", "\\u000b")
            .replace("\x0c", "\\f")
            + '"'
        )
    return "[" + ", ".join(toml_literal(v) for v in value) + "]"


mutated_packs = st.tuples(
    st.dictionaries(keys, toml_values, max_size=6),
    st.lists(st.dictionaries(keys, toml_values, max_size=8), max_size=3),
).map(
    lambda t: (
        "\n".join(f"{k} = {toml_literal(v)}" for k, v in t[0].items() if k != "questions")
        + "\n"
        + "".join(
            "\n[[questions]]\n" + "\n".join(f"{k} = {toml_literal(v)}" for k, v in q.items()) + "\n" for q in t[1]
        )
    )
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(mutated_packs, st.text(max_size=300), st.builds(lambda g, c: g[:c], st.just(GOOD), st.integers(0, 600)))
)
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
    "change",
    "Tell me about leading a change.",
    follow_ups=(
        "What was the hardest conversation you had with a resistant team member?",
        "How did you measure whether the change worked?",
        "What would you do differently next time?",
    ),
)


@pytest.mark.parametrize(
    "answer, follow_up",
    [
        (
            "We moved to a new release process. The hardest conversation was with a resistant team member "
            "who feared for his job. What would I do differently? I'd start earlier.",
            "How did you measure whether the change worked?",
        ),
        (
            "We measured whether the change worked: lead time fell by half. The hardest conversation was "
            "with one resistant team member.",
            "What would you do differently next time?",
        ),
        ("", "What was the hardest conversation you had with a resistant team member?"),
    ],
)
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
        "Mine",
        "Practice.",
        "For: Me.",
        "",
        "1. Tell me about a time you led a change.",
        "   one | behavioural | leading through change | 60-120 s",
    ]
    assert "   ? follow-up: How did you measure the result?" in result.output.splitlines()


def test_packs_validate_reports_every_problem_in_line_order(tmp_path):
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(GOOD)
    bad.write_text(
        'title = "Loop"\ncolour = "blue"\n\n[[questions]]\nkind = "behavorial"\ntxt = "Why us?"\n'
        'target_s = [120, 60]\n\n[[questions]]\ntext = "Tell me about a failure."\nid = "Fail"\n'
    )
    result = viva("packs", "validate", good, bad)
    assert result.exit_code == 1
    assert result.output == (
        f"{good}: ok (1 question(s))\n"
        f"{bad}: 6 problem(s) in the question pack:\n"
        f"  {bad}:2: colour: unknown key (known: id, title, description, audience, questions)\n"
        f"  {bad}:4: questions[1].text: missing\n"
        f"  {bad}:5: questions[1].kind: unknown kind 'behavorial'; did you mean 'behavioural'?\n"
        f"  {bad}:6: questions[1].txt: unknown key; did you mean 'text'?\n"
        f"  {bad}:7: questions[1].target_s: must be two numbers of seconds, low then high, like [60, 120]\n"
        f"  {bad}:11: questions[2].id: use lowercase letters, digits and hyphens\n"
    )


def test_a_misspelt_key_gets_did_you_mean(tmp_path):
    path = tmp_path / "points.toml"
    path.write_text('title = "t"\n\n[[questions]]\ntext = "Why?"\ntalkingpoints = ["the team"]\n')
    result = viva("packs", "validate", path)
    assert result.exit_code == 1
    assert result.output == (
        f"{path}: 1 problem(s) in the question pack:\n"
        f"  {path}:5: questions[1].talkingpoints: unknown key; did you mean 'talking_points'?\n"
    )


def test_a_minimal_pack_validates_and_shows_with_the_norms_target(tmp_path):
    (tmp_path / "packs").mkdir()
    behavioral = MINIMAL.replace('text = "Describe', 'kind = "behavioral"\ntext = "Describe')  # read as behavioural
    (tmp_path / "packs" / "my-loop.toml").write_text(behavioral)
    (tmp_path / "config.toml").write_text("[norms]\nanswer_target_s = [90, 150]\n")
    result = viva("packs", "validate", "my-loop", "--data-dir", tmp_path)
    assert (result.exit_code, result.output) == (0, f"{tmp_path / 'packs' / 'my-loop.toml'}: ok (5 question(s))\n")
    result = viva("packs", "show", "my-loop", "--data-dir", tmp_path)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "My loop",
        "",
        "1. Why do you want to work here?",
        "   my-loop-1 | behavioural | 90-150 s",
        "2. Tell me about a conflict with a colleague.",
        "   my-loop-2 | behavioural | 90-150 s",
        "3. Describe a time you failed.",
        "   my-loop-3 | behavioural | 90-150 s",
        "4. What would you do in your first 90 days?",
        "   my-loop-4 | behavioural | 90-150 s",
        "5. Tell me about a decision you made without all the data.",
        "   my-loop-5 | behavioural | 90-150 s",
    ]


def test_practice_asks_a_minimal_pack_with_the_norms_target(tmp_path, monkeypatch):
    from vivavoce.cli import practice

    asked = []
    monkeypatch.setattr(practice, "Transcriber", StubTranscriber)
    monkeypatch.setattr(practice, "SoundDeviceMicrophone", StubMicrophone)
    monkeypatch.setattr(practice, "Practice", lambda questions, *rest: asked.extend(questions) or StubPractice())
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "my-loop.toml").write_text(MINIMAL)
    (tmp_path / "config.toml").write_text("[norms]\nanswer_target_s = [90, 150]\n")
    result = viva("practice", "--pack", "my-loop", "--no-voice", "--data-dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("My loop: 5 question(s). Microphone: stub mic. Model: stub.\n")
    assert [(q.id, q.target_s) for q in asked] == [(f"my-loop-{n}", (90.0, 150.0)) for n in range(1, 6)]


class StubTranscriber:
    model_label = "stub"

    def __init__(self, options):
        pass

    def load_in_background(self):
        pass


class StubMicrophone:
    def __init__(self, device):
        pass

    def check(self):
        return {"name": "stub mic"}


class StubPractice:
    def run(self):
        pass


def test_packs_validate_finds_packs_by_name_and_file_name(tmp_path, monkeypatch):
    assert viva("packs", "new", "my-loop", "--data-dir", tmp_path).exit_code == 0
    path = tmp_path / "packs" / "my-loop.toml"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # my-loop.toml is not a file here: it is looked up by name
    result = viva("packs", "validate", "my-loop", "my-loop.toml", "starter", "--data-dir", tmp_path)
    starter = available_packs()["starter"][0]
    assert result.exit_code == 0
    assert result.output == (
        f"{path}: ok (2 question(s))\n{path}: ok (2 question(s))\n"
        f"{starter}: ok ({len(read_pack(starter).questions)} question(s))\n"
    )


def test_packs_validate_names_what_it_cannot_find(tmp_path):
    result = viva("packs", "validate", "nope.toml", "--data-dir", tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith("question pack 'nope.toml' not found\nTip: Check the path, or name a pack: ")


def test_packs_new_writes_a_template_that_validates(tmp_path):
    result = viva("packs", "new", "my-pack", "--data-dir", tmp_path)
    path = tmp_path / "packs" / "my-pack.toml"
    assert result.exit_code == 0 and result.output == f"Wrote {path}. Edit it, then: viva packs validate my-pack\n"
    pack = read_pack(path)
    assert pack.id == "my-pack" and [q.id for q in pack.questions] == ["first-question", "my-pack-2"]
    assert path.read_text().startswith("# A vivavoce question pack. Check it with: viva packs validate my-pack\n")
    elsewhere = tmp_path / "elsewhere.toml"
    result = viva("packs", "new", "other", "-o", elsewhere)
    assert result.output == f"Wrote {elsewhere}. Edit it, then: viva packs validate {elsewhere}\n"
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


# -- a recording's question file (viva score sidecars) -----------------------------------------


def test_a_question_file_gets_its_target_from_the_norms(tmp_path):
    from vivavoce.packs import question_from_file

    toml, txt = tmp_path / "a.question.toml", tmp_path / "b.question.txt"
    toml.write_text('text = "Why us?"\ntalking_points = ["the mission"]\n')
    txt.write_text("  Why this role?\n")
    norms = Norms(answer_target_s=(30.0, 90.0))
    assert question_from_file(toml, norms) == Question("a.question", "Why us?", (30.0, 90.0), ("the mission",))
    assert question_from_file(txt, norms) == Question("b.question", "Why this role?", (30.0, 90.0))


@pytest.mark.parametrize(
    "text, message",
    [
        ('text = "Why?"\ntalkingpoints = ["x"]\n', ":2: talkingpoints: unknown key; did you mean 'talking_points'?"),
        ('text = "Why?"\ntarget_s = [90, 30]\n', ":2: target_s: must be two numbers of seconds"),
        ("target_s = [30, 90]\n", ": text: missing"),
        ('text = "Why?\n', ":1: toml: "),
    ],
)
def test_a_bad_question_file_is_named_with_line_and_field(tmp_path, text, message):
    from vivavoce.packs import question_from_file

    path = tmp_path / "a.question.toml"
    path.write_text(text)
    with pytest.raises(PackError) as caught:
        question_from_file(path)
    assert str(caught.value).startswith(f"{path}{message}"), str(caught.value)
    assert caught.value.tip.startswith("A .question.toml needs text")
