"""The command line: the only package that prints, prompts or exits."""

from vivavoce.cli.main import cli, main

__all__ = ["cli", "main"]
