"""The `quizgen` command: a thin click group; each command lives in quizgen/commands/."""

from __future__ import annotations

import importlib
import sys

import click

from . import __version__, compiled

# Each name is a module quizgen.commands.<name> exposing a click command `command`.
COMMANDS = ("lint", "show", "build", "check", "preview", "quiz", "bench")


def version_message() -> str:
    """`quizgen --version`, saying whether the hot path is compiled (timings differ)."""
    how = "compiled with mypyc" if compiled() else "pure Python"
    return f"%(prog)s, version %(version)s ({how})"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="quizgen", message=version_message())
def cli() -> None:
    """Turn QuickTakes study documents into Anki decks and review quizzes.

    \b
    Example:
        quizgen build content/ -o decks/
    """


for _name in COMMANDS:
    cli.add_command(importlib.import_module(f"quizgen.commands.{_name}").command)


def main() -> None:
    try:
        cli(prog_name="quizgen")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the one place a bug becomes a message, not a traceback
        click.echo(f"quizgen: internal error: {type(error).__name__}: {error}\n"
                   "  this is a bug in quizgen, not in your documents; please report it with the command you ran",
                   err=True)
        sys.exit(3)
