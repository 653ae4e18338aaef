"""`quizgen quiz`: instructor review sets (print sheets, Moodle, Canvas, CSV)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from ..errors import QuizgenError, UsageError
from ..export.quiz_html import PAPER
from ..model import Problem
from ..quiz.items import ITEM_KINDS, KIND_NAMES
from ..quiz.sets import QuizOptions, make_quiz_set
from ..quiz.write import QUIZ_FORMATS, write_quiz
from ..sources import DEFAULT_CONTENT, read_all
from .output import EXIT_REJECTED, EXIT_USAGE, exit_code, paths_argument, print_problems


def _csv_choice(allowed: tuple[str, ...], what: str):
    """A comma-separated option checked against `allowed`, kept in the order given."""

    def convert(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
        chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
        unknown = [v for v in chosen if v not in allowed]
        if unknown or not chosen:
            raise click.BadParameter(f"unknown {what} {', '.join(unknown) or '(none)'}; choose from {','.join(allowed)}")
        return chosen

    return convert


@click.command()
@paths_argument
@click.option("--subject", "subjects", multiple=True, metavar="S", help="Only documents of this subject (any case; repeatable).")
@click.option("--doc", "doc_ids", multiple=True, metavar="ID", help="Only this document id (repeatable).")
@click.option("--tag", "tags", multiple=True, metavar="T", help="Only documents with this keyword (repeatable).")
@click.option("-n", "--count", default=30, show_default=True, type=click.IntRange(1, 500), help="Number of items.")
@click.option("--types", "kinds", default=",".join(ITEM_KINDS), show_default=True,
              callback=_csv_choice(ITEM_KINDS, "type"), help="Item types to include.")
@click.option("--seed", default=7, show_default=True, type=int, help="Same seed, same set and files, byte for byte.")
@click.option("--versions", default=2, show_default=True, type=click.IntRange(1, 26), help="Shuffled versions to write.")
@click.option("--format", "formats", default=",".join(QUIZ_FORMATS), show_default=True,
              callback=_csv_choice(tuple(QUIZ_FORMATS), "format"), help="Files to write per version.")
@click.option("--paper", type=click.Choice(sorted(PAPER)), default="a4", show_default=True,
              help="Page size of the printable student sheet and answer key.")
@click.option("--name", default=None, help="Set name for the folder and files (default from filters and seed).")
@click.option("-o", "--out", "out_dir", default="quizzes", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the set's folder.")
def command(paths: tuple[str, ...], subjects: tuple[str, ...], doc_ids: tuple[str, ...], tags: tuple[str, ...],
            count: int, kinds: tuple[str, ...], seed: int, versions: int, formats: tuple[str, ...],
            paper: str, name: str | None, out_dir: Path) -> None:
    """Build an instructor review set: MCQ, true/false, matching and fill-in items.

    Items come from the documents' termed points and key facts; each names its source
    document and section and explains its answer. Writes, per version, a printable student
    sheet and answer key (HTML, print to PDF), Moodle GIFT and XML, a Canvas QTI zip and CSV.

    \b
    Example:
        quizgen quiz content/ --subject nursing -n 30 --seed 7 --versions 2 -o quizzes/
        quizgen quiz content/900001.md --types mcq,fill --format html,qti
    """
    result = read_all(paths or (DEFAULT_CONTENT,))
    print_problems(result.problems)
    options = QuizOptions(subjects, doc_ids, tags, count, kinds, seed, versions, name)
    try:
        quiz = make_quiz_set(result.documents, options)
        written = write_quiz(quiz.versions, formats, out_dir, paper)
    except UsageError as error:
        click.echo(f"quizgen quiz: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except QuizgenError as error:
        click.echo(f"quizgen quiz: {error}", err=True)
        sys.exit(EXIT_REJECTED)
    print_problems(Problem("quiz", w, severity="warning") for w in quiz.warnings)
    if not quiz.items:
        click.echo("quizgen quiz: no good items in these documents; nothing written", err=True)
        sys.exit(EXIT_REJECTED)
    kinds_count = Counter(item.kind for item in quiz.items)
    summary = ", ".join(f"{kinds_count[k]} {KIND_NAMES[k].lower()}" for k in ITEM_KINDS if kinds_count[k])
    click.echo(f"{quiz.name}: {len(quiz.items)} items from {len(quiz.documents)} documents ({summary}); "
               f"{versions} version(s), seed {seed}", err=True)
    folder = written[0].parent if written else out_dir
    click.echo(f"wrote {len(written)} files to {folder}/", err=True)
    for path in written:
        click.echo(str(path))
    sys.exit(exit_code(result.problems))


command.name = "quiz"
