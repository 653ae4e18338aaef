"""`quizgen bench`: how fast the build is, against what the libraries alone cost."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..bench.run import report_lines, run_bench
from ..export.files import write_text_atomic
from ..sources import DEFAULT_CONTENT


@click.command()
@click.option("--docs", type=click.IntRange(min=10), default=10_000, show_default=True,
              help="Synthetic documents to build.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed for the synthetic corpus.")
@click.option("--source", "sources", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Documents to recombine into the corpus [default: content/].")
@click.option("--repeat", type=click.IntRange(min=1), default=1, show_default=True,
              help="Measure floor, cold build and rebuild this many times and report medians (a shared "
                   "machine's single runs vary by a quarter).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("bench-results/bench.json"), show_default=True, help="Where to write the JSON result.")
def command(docs: int, seed: int, sources: tuple[Path, ...], repeat: int, json_out: Path) -> None:
    """Measure the build against the library floor and print the ratios.

    Makes a deterministic synthetic corpus (QuickTakes format, several subjects), then in
    one run measures: the library floor on one core (read + YAML + one mistune parse per
    document + genanki writing as many notes), a cold build, a rebuild after editing one
    document, peak memory, and time per document at a tenth of the size.

    \b
    Example:
        quizgen bench --docs 10000
        quizgen bench --docs 10000 --repeat 3
        quizgen bench --docs 1000 --json /tmp/bench.json
    """
    result = run_bench(docs, seed, sources or (DEFAULT_CONTENT,), say=lambda m: click.echo(m, err=True),
                       repeat=repeat)
    for line in report_lines(result):
        click.echo(line)
    json_out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(json_out, json.dumps(result.as_dict(), indent=2) + "\n")
    click.echo(f"wrote {json_out}")


command.name = "bench"
