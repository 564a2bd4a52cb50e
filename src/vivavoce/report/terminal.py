"""Rich renderables for the terminal: live meter, one answer's feedback, the summary."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from vivavoce.analysis import AnswerMetrics
from vivavoce.feedback import Point, clock
from vivavoce.recorder import Progress
from vivavoce.report.review import SURE, marked_transcript

FILLER_NOTE = ("[um] marks a filler Whisper left out and the detector heard; [um?] an uncertain one. "
               "Discourse markers (like, you know, ...) are underlined.")


def filler_summary(m: AnswerMetrics) -> str:
    unsure = sum(1 for f in m.of_kind("non-lexical") if f.confidence < SURE)
    return f"{m.filler_count}" + (f" ({unsure} uncertain)" if unsure else "")


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


def meter(p: Progress, max_answer_s: float, target_s: tuple[float, float] = (60.0, 120.0)) -> Text:
    status = "speaking" if p.silence_after_speech_s < 0.5 and p.speech_s > 0 else "listening"
    if p.speech_s > 0 and p.silence_after_speech_s >= 0.5:
        status = f"quiet {p.silence_after_speech_s:.0f} s"
    target, colour = countdown(p.elapsed_s, target_s)
    pace = "" if p.recent_wpm is None else f"  pace {p.recent_wpm:.0f} wpm"
    fillers = "" if p.fillers is None else f"  um/uh {p.fillers}"
    behind = ("transcription behind: live um/uh paused  ", "yellow") if p.behind else ""
    return Text.assemble(
        ("● REC ", "bold red"), f"{clock(p.elapsed_s)}  ", (target, colour), "  ",
        (level_bar(p.level_dbfs, 12), "green"), f"  {status}{pace}{fillers}  ", behind, ("(Enter ends)", "dim"),
    )  # fmt: skip


def fmt(value: float | None, pattern: str, missing: str = "-") -> str:
    return missing if value is None else pattern.format(value)


def metrics_table(m: AnswerMetrics, previous: AnswerMetrics | None = None) -> Table:
    table = Table(show_header=previous is not None, box=None, padding=(0, 2))
    table.add_column("metric", style="bold")
    if previous is not None:
        table.add_column("last try")
    table.add_column("this answer")
    if previous is not None:
        table.add_column("change")
    for name, getter, pattern in METRIC_ROWS:
        row = [name]
        if previous is not None:
            row.append(fmt(getter(previous), pattern))
        row.append(fmt(getter(m), pattern))
        if previous is not None:
            row.append(change(getter(previous), getter(m)))
        table.add_row(*row)
    return table


def change(before, after) -> str:
    if not isinstance(before, (int, float)) or not isinstance(after, (int, float)):
        return ""
    delta = after - before
    if abs(delta) < 0.05:
        return "="
    return f"{delta:+.1f}" if isinstance(delta, float) and not float(delta).is_integer() else f"{delta:+.0f}"


def comparison_view(previous, result) -> Group:
    """A retry beside the try before: metrics side by side with the change, then both
    transcripts one after the other."""
    return Group(
        Text("Last try", "bold underline"), marked_transcript(previous.to_dict()), Text(""),
        Text("This try", "bold underline"), marked_transcript(result.to_dict()), Text(""),
        metrics_table(result.metrics, previous.metrics), Text(FILLER_NOTE, "dim"), Text(""),
        Text("Feedback", "bold underline"), points_text(result.points),
    )  # fmt: skip


METRIC_ROWS = [
    ("Words per minute", lambda m: m.wpm, "{:.0f}"),
    ("Filler words (um, uh)", lambda m: filler_summary(m) if m.word_count else None, "{}"),
    ("Discourse markers", lambda m: len(m.of_kind("discourse")) if m.word_count else None, "{}"),
    ("Repetitions", lambda m: len(m.of_kind("repetition")) if m.word_count else None, "{}"),
    ("Longest pause", lambda m: m.longest_pause_s if m.word_count else None, "{:.1f} s"),
    ("Long pauses (>= 1.5 s)", lambda m: len(m.long_pauses) if m.word_count else None, "{}"),
    ("Response latency", lambda m: m.latency_s, "{:.1f} s"),
    ("Answer length", lambda m: m.speaking_s if m.word_count else None, "{:.0f} s"),
    ("Words", lambda m: m.word_count, "{}"),
]


def points_text(points: list[Point]) -> Text:
    text = Text()
    for p in points:
        mark, style = ("+ ", "green") if p.kind == "strength" else ("> ", "yellow")
        text.append(mark, style)
        text.append(p.text + "\n")
    return text


def answer_view(result) -> Group:
    """One scored answer: the marked transcript, the metrics, the feedback."""
    return Group(
        Text("Transcript", "bold underline"), marked_transcript(result.to_dict()), Text(""),
        metrics_table(result.metrics), Text(FILLER_NOTE, "dim"), Text(""),
        Text("Feedback", "bold underline"), points_text(result.points),
    )  # fmt: skip


def summary_table(answers: list[dict]) -> Table:
    table = Table(title="Session summary")
    for column in ("#", "Question", "Try", "Length", "WPM", "Fillers", "Longest pause", "Latency"):
        table.add_column(column)
    for i, a in enumerate(answers, start=1):
        m = a.get("metrics") or {}
        table.add_row(
            str(i), a["question"]["text"][:40], str(a["attempt"]),
            fmt(m.get("speaking_s"), "{:.0f} s"), fmt(m.get("wpm"), "{:.0f}"),
            fmt((m.get("fillers") or {}).get("count"), "{}"),
            fmt((m.get("pauses") or {}).get("longest_s"), "{:.1f} s"),
            fmt(m.get("latency_s"), "{:.1f} s", a.get("error") or "-"),
        )  # fmt: skip
    return table


def norms_table(norms) -> Table:
    from dataclasses import fields

    from vivavoce.norms import SOURCES, Norms

    table = Table(title="Norms in effect")
    for column in ("Setting", "Value", "Default", "Source"):
        table.add_column(column, overflow="fold")
    for f in fields(norms):
        value, default = getattr(norms, f.name), getattr(Norms(), f.name)
        show = (lambda v: "-".join(f"{x:g}" for x in v) if isinstance(v, tuple) else f"{v:g}")
        table.add_row(f.name, show(value), show(default), SOURCES[f.name])
    return table


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
    parts = [Text(pack.title, "bold"), Text(pack.description), Text(f"For: {pack.audience}", "dim"), Text("")]
    for n, q in enumerate(pack.questions, start=1):
        parts.append(Text.assemble((f"{n}. ", "bold"), q.text))
        low, high = q.target_s
        parts.append(Text(f"   {q.id} | {q.kind} | {q.competency} | {low:.0f}-{high:.0f} s", "dim"))
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
        table.add_row(str(r["index"]), r["name"], r["hostapi"], str(r["inputs"]), str(r["outputs"]),
                      f"{r['default_rate_hz']:.0f}", default)  # fmt: skip
    return table
