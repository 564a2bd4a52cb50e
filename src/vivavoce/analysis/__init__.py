"""Pure analysis: timed words and speech spans in, metrics out. No files, devices or clocks."""

from vivavoce.analysis.fillers import Filler, find_fillers
from vivavoce.analysis.metrics import AnswerMetrics, Pause, analyze

__all__ = ["AnswerMetrics", "Filler", "Pause", "analyze", "find_fillers"]
