"""Rich renderables for the terminal: live meter, one answer's feedback, the summary."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from vivavoce.analysis.norms import Norms
from vivavoce.answer import Answer
from vivavoce.formatting import short
from vivavoce.recorder import Progress
from vivavoce.report.present import band, clock, duration, filler_legend, headlines, label, mark, number
from vivavoce.report.review import marked_transcript

FILLER_NOTE = f"{filler_legend()}. Discourse markers (like, you know, ...) are underlined."


def level_bar(level_dbfs: float, width: int = 20) -> str:
    filled = int(max(0.0, min(1.0, (level_dbfs + 60) / 60)) * width)
    return "█" * filled + "·" * (width - filled)


def countdown(elapsed_s: float, target_s: tuple[float, float]) -> tuple[str, str]:
    """Where the answer stands against its target, and a colour for it."""
    low, high = target_s
    if elapsed_s < low:
        return f"{clock(low - elapsed_s)} to the target", "cyan"
    if elapsed_s <= high:
        return f"on target, {clock(high - elapsed_s)} left", "green"
    return f"{clock(elapsed_s - high)} over the target", "bold yellow"


def meter(p: Progress, max_answer_s: float, target_s: tuple[float, float]) -> Text:
    status = "speaking" if p.silence_after_speech_s < 0.5 and p.speech_s > 0 else "listening"
    if p.speech_s > 0 and p.silence_after_speech_s >= 0.5:
        status = f"quiet {p.silence_after_speech_s:.0f} s"
    target, colour = countdown(p.elapsed_s, target_s)
    pace = "" if p.recent_wpm is None else f"  pace {p.recent_wpm:.0f} wpm"
    fillers = "" if p.fillers is None else f"  um/uh {p.fillers}"
    behind = ("transcription behind: live um/uh paused  ", "yellow") if p.behind else ""
    return Text.assemble(
        ("● REC ", "bold red"),
        f"{clock(p.elapsed_s)}  ",
        (target, colour),
        "  ",
        (level_bar(p.level_dbfs, 12), "green"),
        f"  {status}{pace}{fillers}  ",
        behind,
        ("(Enter ends)", "dim"),
    )


def metrics_table(answer: Answer, previous: Answer | None = None) -> Table:
    """The headline numbers against their bands; a retry beside the try before, with the change."""
    table = Table(show_header=True, box=None, padding=(0, 2))
    table.add_column("measure", style="bold")
    if previous is not None:
        table.add_column("last try")
    table.add_column("this answer")
    if previous is not None:
        table.add_column("change")
    table.add_column("band")
    before = {h.name: h for h in headlines(previous)} if previous is not None else {}
    for h in headlines(answer):
        row: list[str | Text] = [h.name]
        row += [before[h.name].value if h.name in before else "-"] if previous is not None else []
        row.append(Text(h.value, "" if h.in_band is None else "green" if h.in_band else "yellow"))
        if previous is not None:
            row.append(change(NUMBERS[h.name](previous), NUMBERS[h.name](answer)))
        table.add_row(*row, f"{h.band}{' (' + mark(h.in_band) + ')' if mark(h.in_band) else ''}")
    return table


NUMBERS = {  # the number behind each headline, for the change between tries
    "Pace": lambda a: a.metrics.wpm if a.metrics else None,
    "Um/uh": lambda a: a.metrics.filler_count if a.metrics else None,
    "Long pauses": lambda a: len(a.metrics.long_pauses) if a.metrics else None,
    "Latency": lambda a: a.metrics.latency_s if a.metrics else None,
    "Length": lambda a: a.metrics.speaking_s if a.metrics else None,
}


def change(before, after) -> str:
    if not isinstance(before, (int, float)) or not isinstance(after, (int, float)):
        return ""
    delta = after - before
    if abs(delta) < 0.05:
        return "="
    return f"{delta:+.1f}" if isinstance(delta, float) and not float(delta).is_integer() else f"{delta:+.0f}"


def comparison_view(previous: Answer, answer: Answer) -> Group:
    """A retry beside the try before: metrics side by side with the change, then both
    transcripts one after the other."""
    return Group(
        Text("Last try", "bold underline"),
        marked_transcript(previous),
        Text(""),
        Text("This try", "bold underline"),
        marked_transcript(answer),
        Text(""),
        metrics_table(answer, previous),
        Text(FILLER_NOTE, "dim"),
        Text(""),
        coverage_text(answer),
        Text("Feedback", "bold underline"),
        points_text(answer),
    )


def points_text(answer: Answer) -> Text:
    text = Text()
    for p in answer.feedback:
        mark_, style = ("+ ", "green") if p.kind == "strength" else ("> ", "yellow")
        text.append(mark_, style)
        text.append(p.text + (f" [{clock(p.at_s)}]" if p.at_s is not None else "") + "\n")
    return text


def coverage_text(answer: Answer) -> Text:
    if not answer.coverage:
        return Text("")
    text = Text("Talking points: ", "bold")
    for t in answer.coverage:
        text.append(("covered: " if t.covered else "missed: ") + t.text, "green" if t.covered else "yellow")
        text.append("; " if t is not answer.coverage[-1] else "\n")
    return text


def answer_view(answer: Answer) -> Group:
    """One scored answer: the marked transcript, the metrics, the feedback."""
    return Group(
        Text("Transcript", "bold underline"),
        marked_transcript(answer),
        Text(""),
        metrics_table(answer),
        Text(FILLER_NOTE, "dim"),
        Text(""),
        coverage_text(answer),
        Text("Feedback", "bold underline"),
        points_text(answer),
    )


def summary_table(answers: list[Answer] | tuple[Answer, ...]) -> Table:
    norms = answers[0].norms if answers else Norms()
    table = Table(title="Session summary")
    low, high = norms.pace_wpm
    for column in (
        "Answer",
        "Question",
        "Length",
        f"Pace ({band(low, high, 'wpm')})",
        "Um/uh",
        "Longest pause",
        "Latency",
    ):
        table.add_column(column)
    for a in answers:
        m = a.metrics
        q = a.question.text if a.question else ""
        if m is None:
            table.add_row(label(a), short(q, 40), Text(a.error or "-", "yellow"), "", "", "", "")
            continue
        unsure = a.uncertain_fillers
        table.add_row(
            label(a),
            short(q, 40),
            duration(m.speaking_s),
            f"{number(m.wpm)} wpm",
            f"{m.filler_count}" + (f" ({unsure} uncertain)" if unsure else ""),
            duration(m.longest_pause_s),
            duration(m.latency_s),
        )
    return table


def norms_table(norms) -> Table:
    from dataclasses import fields

    from vivavoce.analysis.norms import SOURCES, Norms

    table = Table(title="Norms in effect")
    for column in ("Setting", "Value", "Default", "Source"):
        table.add_column(column, overflow="fold")
    for f in fields(norms):
        value, default = getattr(norms, f.name), getattr(Norms(), f.name)
        table.add_row(f.name, _band(value), _band(default), SOURCES[f.name])
    return table


def _band(value) -> str:
    return "-".join(f"{x:g}" for x in value) if isinstance(value, tuple) else f"{value:g}"


def packs_table(rows) -> Table:
    table = Table(title="Question packs")
    for column in ("Name", "Title", "Questions", "Where"):
        table.add_column(column, overflow="fold")
    for name, pack, problem in rows:
        if pack is None:
            table.add_row(name, Text(problem, "red"), "-", "")
        else:
            table.add_row(name, pack.title, str(len(pack.questions)), "built-in" if pack.builtin else str(pack.path))
    return table


def pack_view(pack) -> Group:
    parts = [Text(pack.title, "bold")]
    parts += [Text(pack.description)] if pack.description else []
    parts += [Text(f"For: {pack.audience}", "dim")] if pack.audience else []
    parts.append(Text(""))
    for n, q in enumerate(pack.questions, start=1):
        parts.append(Text.assemble((f"{n}. ", "bold"), q.text))
        about = [
            q.id,
            q.kind,
            q.competency,
            band(q.target_s[0], q.target_s[1], "s"),
        ]  # a pack's own questions may lack a competency
        parts.append(Text("   " + " | ".join(part for part in about if part), "dim"))
        for point in q.talking_points:
            parts.append(Text(f"   - covers: {point}"))
        for follow in q.follow_ups:
            parts.append(Text(f"   ? follow-up: {follow}"))
    return Group(*parts)


def devices_table(rows: list[dict]) -> Table:
    table = Table(title="Audio devices")
    for column in ("#", "Name", "API", "In", "Out", "Rate (Hz)", "Default"):
        table.add_column(column)
    for r in rows:
        default = " ".join(k for k, v in (("input", r["default_input"]), ("output", r["default_output"])) if v)
        table.add_row(
            str(r["index"]),
            r["name"],
            r["hostapi"],
            str(r["inputs"]),
            str(r["outputs"]),
            f"{r['default_rate_hz']:.0f}",
            default,
        )
    return table
