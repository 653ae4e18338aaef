"""`quizgen show FILE`: the parsed structure of one document."""

from __future__ import annotations

import json
import sys

import click

from ..describe import describe, to_data
from ..errors import QuizgenError
from ..parse.document import read_document


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the document model as JSON.")
def command(file: str, as_json: bool) -> None:
    """Print how quizgen understood one document: sections, points, code, tables, math.

    \b
    Example:
        quizgen show content/170601.md
        quizgen show --json content/170601.md | jq '.sections[0].heading'
    """
    try:
        document = read_document(file)
    except QuizgenError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(to_data(document), ensure_ascii=False, indent=2))
    else:
        click.echo(describe(document))


command.name = "show"
