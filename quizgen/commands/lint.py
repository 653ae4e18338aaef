"""`quizgen lint`: parse everything, report problems, write nothing."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Sequence

import click

from ..model import Document, Problem
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
    problems = result.problems + duplicate_ids(result.documents)
    print_problems(problems)
    rejected = sum(1 for p in result.problems if p.severity == "error")
    click.echo(
        f"{result.files} files: {len(result.documents)} documents parsed, {rejected} rejected",
        err=True,
    )
    sys.exit(exit_code(problems, strict=strict))


def duplicate_ids(documents: Sequence[Document]) -> tuple[Problem, ...]:
    """A warning for each file whose `id` an earlier file (by path) has for other content.

    `build` still builds both (pipeline.resolve_ids), but the second file's notes then
    hang on its file name, so lint says so first. An exact copy is built once: no warning.
    """
    by_id: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        by_id[doc.id].append(doc)
    problems: list[Problem] = []
    for doc_id, docs in by_id.items():
        first, *others = sorted(docs, key=lambda d: d.path)
        problems += [
            Problem(o.path, f"document id {doc_id!r} is also used by {first.path}", severity="warning")
            for o in others
            if (o.title, o.question, o.answer) != (first.title, first.question, first.answer)
        ]
    return tuple(problems)


command.name = "lint"
