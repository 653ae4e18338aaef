"""Shared CLI output: problems to stderr as `path:line: message`, exit codes."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

import click

from ..model import Problem

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def print_problems(problems: Iterable[Problem]) -> None:
    """Each problem once; a repeated warning shows once with a count."""
    counts = Counter(problems)
    for problem, count in counts.items():
        suffix = f" (x{count})" if count > 1 else ""
        label = "warning: " if problem.severity == "warning" else ""
        click.echo(f"{problem.path}{':' + str(problem.line) if problem.line else ''}: {label}{problem.message}{suffix}", err=True)


def exit_code(problems: Iterable[Problem], *, strict: bool = False) -> int:
    """1 when a file was rejected (or, with --strict, anything was flagged); else 0."""
    problems = list(problems)
    if any(p.severity == "error" for p in problems):
        return EXIT_REJECTED
    if strict and problems:
        return EXIT_REJECTED
    return EXIT_OK


def paths_argument(func):
    """The shared PATH... argument: files or folders of documents, default content/."""
    return click.argument("paths", nargs=-1, type=click.Path(path_type=str))(func)
