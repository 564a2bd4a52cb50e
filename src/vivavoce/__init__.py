"""vivavoce: a voice mock interviewer that runs entirely on your laptop."""

__version__ = "0.1.0"
