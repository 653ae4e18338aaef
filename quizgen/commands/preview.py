"""`quizgen preview`: a static HTML site of every document beside the cards made from it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import QuizgenError
from ..preview.quality import check_paths
from ..preview.site import write_preview
from ..sources import DEFAULT_CONTENT
from .output import EXIT_REJECTED, exit_code, paths_argument, print_problems

DEFAULT_OUT = Path("preview")


@click.command()
@paths_argument
@click.option("-o", "--out", "out_dir", default=str(DEFAULT_OUT), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the site.")
def command(paths: tuple[str, ...], out_dir: Path) -> None:
    """Write a static preview site: open OUT/index.html in a browser, no server needed.

    Each document's page shows its sections, points, code and tables beside the cards
    generated from them, rendered as Anki shows them (one preview per cloze deletion),
    with kind, tags and quality flags; filter by kind or flag, move with j/k.

    \b
    Example:
        quizgen preview content/ -o preview/
        quizgen preview ../shared/corpus -o /tmp/corpus-preview
    """
    report = check_paths(paths or (str(DEFAULT_CONTENT),))
    print_problems(report.problems)
    try:
        written = write_preview(report, out_dir)
    except QuizgenError as error:
        click.echo(f"quizgen preview: {error}", err=True)
        sys.exit(EXIT_REJECTED)
    click.echo(
        f"{len(report.documents)} documents, {report.cards} cards, {len(report.flagged)} flagged: "
        f"wrote {len(written)} files to {out_dir}/",
        err=True,
    )
    click.echo(str(out_dir / "index.html"))
    sys.exit(exit_code(report.problems))


command.name = "preview"
