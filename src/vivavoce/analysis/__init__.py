"""Pure analysis: timed words and speech spans in, metrics out. No files, devices or clocks."""

from vivavoce.analysis.fillers import Filler, find_fillers
from vivavoce.analysis.metrics import AnswerMetrics, analyze
from vivavoce.analysis.pauses import Pause, find_pauses

__all__ = ["AnswerMetrics", "Filler", "Pause", "analyze", "find_fillers", "find_pauses"]
