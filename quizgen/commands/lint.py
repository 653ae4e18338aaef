"""`quizgen lint`: parse everything, report problems, write nothing."""

from __future__ import annotations

import sys

import click

from ..sources import DEFAULT_CONTENT, read_all
from .output import exit_code, paths_argument, print_problems


@click.command()
@paths_argument
@click.option("--strict", is_flag=True, help="Treat warnings as failures (exit 1).")
def command(paths: tuple[str, ...], strict: bool) -> None:
    """Check documents and report problems as `path:line: message`; writes nothing.

    Exit 0 when every file parses, 1 when any file is rejected, 2 on usage errors.

    \b
    Example:
        quizgen lint content/ ../shared/corpus
    """
    result = read_all(paths or (DEFAULT_CONTENT,))
    print_problems(result.problems)
    rejected = sum(1 for p in result.problems if p.severity == "error")
    click.echo(
        f"{result.files} files: {len(result.documents)} documents parsed, {rejected} rejected",
        err=True,
    )
    sys.exit(exit_code(result.problems, strict=strict))


command.name = "lint"
