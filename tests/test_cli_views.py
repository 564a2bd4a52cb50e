"""The session commands on exact output: answers numbered by question with the try and
follow-ups labelled, "Max pause" the longest pause of the session, one duration format."""

from __future__ import annotations

from click.testing import CliRunner

from documents import QUESTION, even_answer, jfk_answer, no_answer
from vivavoce.answer import AskedQuestion
from vivavoce.cli import cli
from vivavoce.store import Store

FOLLOW_UP = AskedQuestion(
    "q1-follow-up", "What would you do differently?", (30.0, 90.0), follow_up_of="q1", parent_text=QUESTION.text
)


def viva(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "120"})


def recorded(data_dir):
    store = Store(data_dir)
    s = store.new_session({"id": "leadership", "title": "Leadership"}, "tiny.en (bundled)")
    for answer in (
        jfk_answer(),
        even_answer(150.0, 1, 2, "q1", QUESTION.text),
        jfk_answer(question=FOLLOW_UP, words=[("Listen", 0.2, 0.6), ("first.", 0.6, 1.0)], duration_s=2.0),
        no_answer(2),
    ):
        s.add_answer(answer)
    s.finish()
    store.close()
    return s.id


def test_review_labels_each_answer_by_question_try_and_follow_up(tmp_path):
    recorded(tmp_path)
    result = viva("review", "-1", "--data-dir", tmp_path)
    assert result.exit_code == 0, result.output
    titles = [line for line in result.output.splitlines() if line.startswith("Question ")]
    assert titles == [
        "Question 1  Tell me about a change you led.",
        "Question 1, try 2  Tell me about a change you led.",
        "Question 1 follow-up  What would you do differently?",
        "Question 2  Why this role?",
    ]
    assert "Follow-up to: Tell me about a change you led.\n" in result.output
    assert "Not scored: no answer heard\n" in result.output


def test_sessions_max_pause_is_the_longest_of_the_session(tmp_path):
    session_id = recorded(tmp_path)
    result = viva("sessions", "--data-dir", tmp_path)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if session_id in line)
    # the answers' longest pauses are 1.6 s, 0.0 s and 0.0 s: the maximum, not their mean (0.5 s)
    assert [cell.strip() for cell in row.split("│")[5:9]] == ["142", "29.4", "1.6 s", "0.4 s"]
