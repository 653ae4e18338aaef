"""`quizgen build`: one Anki deck (.apkg) per subject, safe to re-import after every update."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from ..cards.generate import DEFAULT_KINDS, CardOptions
from ..errors import QuizgenError
from ..model import CARD_KINDS
from ..pipeline import DEFAULT_OUT, BuildOptions, BuildReport, build
from ..sources import DEFAULT_CONTENT
from .output import EXIT_REJECTED, EXIT_USAGE, exit_code, paths_argument, print_problems

LONG_BUILD = 50  # documents; fewer finish before a progress bar would be worth drawing


def parse_kinds(ctx: click.Context, param: click.Parameter, value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    kinds = frozenset(k.strip().lower() for k in value.split(",") if k.strip())
    unknown = sorted(kinds - set(CARD_KINDS))
    if unknown or not kinds:
        raise click.BadParameter(f"unknown kind(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(CARD_KINDS)}")
    return kinds


def parse_site_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise click.BadParameter("must be an absolute http(s) URL, e.g. https://example.org")
    return value


class ProgressBar:
    """A rich progress bar on stderr, only for long builds in a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress: Progress | None = None
        self.tasks: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.progress is None:
            if stage != "generate" or total < LONG_BUILD:
                return
            self.progress = Progress(console=Console(stderr=True), transient=True)
            self.progress.start()
        if stage not in self.tasks:
            label = "generating cards" if stage == "generate" else "writing decks"
            self.tasks[stage] = self.progress.add_task(label, total=total)
        self.progress.update(self.tasks[stage], completed=done)  # type: ignore[arg-type]

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@click.command()
@paths_argument
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder for the .apkg files and the build state.")
@click.option("--deck-prefix", default="", metavar="PREFIX", help='Parent deck(s), e.g. "QuickTakes::".')
@click.option("--subdecks", is_flag=True, help="One subdeck per document, named by its title.")
@click.option("--site-url", metavar="BASE", callback=parse_site_url,
              help="Link relative document urls (/learn/...) in the Source field under BASE.")
@click.option("--kinds", metavar="LIST", callback=parse_kinds,
              help=f"Card kinds, comma separated: {','.join(CARD_KINDS)} [default: {','.join(sorted(DEFAULT_KINDS))}].")
@click.option("--reverse", is_flag=True, help="Also make reverse cards (definition -> term).")
@click.option("--max-per-doc", type=click.IntRange(min=1), metavar="N", help="At most N cards per document.")
@click.option("--stats", is_flag=True, help="Print how many cards of each kind every document gave.")
@click.option("--strict", is_flag=True,
              help="Exit 1 on warnings too (a shared document id, a skipped card, a subject with no cards).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes for parsing and generating [default: one per core].")
@click.option("--no-cache", is_flag=True, help="Ignore and do not update decks/.quizgen-cache (results are the same).")
@click.option("--now", type=float, hidden=True, help="Build time in epoch seconds (hermetic tests).")
def command(
    paths: tuple[str, ...],
    out_dir: Path,
    deck_prefix: str,
    subdecks: bool,
    site_url: str | None,
    kinds: frozenset[str] | None,
    reverse: bool,
    max_per_doc: int | None,
    stats: bool,
    strict: bool,
    jobs: int | None,
    no_cache: bool,
    now: float | None,
) -> None:
    """Write one Anki deck (.apkg) per subject from QuickTakes documents (default: content/).

    Import the decks into Anki after every build: notes keep their identity, so edited
    points are updated in place and review history is never lost. Files that cannot be
    read are reported as `path:line: message`; decks for the others are still written.

    Exit 0 when every file was built, 1 when any file was rejected (or, with --strict,
    when anything was warned about), 2 on usage errors. Decks are written either way.

    \b
    Example:
        quizgen build content/ -o decks/ --deck-prefix "QuickTakes::"
        quizgen build ../shared/corpus --site-url https://quicktakes.io --stats
    """
    options = BuildOptions(
        out_dir=out_dir,
        cards=CardOptions(kinds=(kinds or DEFAULT_KINDS) - {"reverse"}, max_per_document=max_per_doc,
                          reverse=reverse or bool(kinds and "reverse" in kinds)),
        deck_prefix=deck_prefix,
        subdecks=subdecks,
        site_url=site_url,
        now=now,
        workers=jobs,
        cache=not no_cache,
    )
    bar = ProgressBar(enabled=sys.stderr.isatty())
    try:
        report = build(paths or (DEFAULT_CONTENT,), options, progress=bar)
    except QuizgenError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as error:  # writing a deck or the build state failed (disk full, permissions)
        where = error.filename or out_dir
        click.echo(f"{where}: cannot write: {error.strerror or error}\n  nothing was left half-written and the "
                   "build state was not saved; fix the cause and build again", err=True)
        sys.exit(EXIT_REJECTED)
    finally:
        bar.close()
    print_problems(report.problems)
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    if stats:
        console.print(stats_table(report))
    console.print(summary_table(report))
    for deck in report.decks:  # plain lines, never wrapped: paths to copy
        click.echo(f"wrote {deck.path}")
    sys.exit(exit_code(report.problems, strict=strict))


def summary_table(report: BuildReport) -> Table:
    table = Table(title=f"quizgen build: {report.documents} documents from {report.files} files "
                        f"in {report.seconds:.1f}s", title_justify="left")
    for name in ("subject", "deck file", "docs", "notes", "cards", "new", "changed", "same"):
        table.add_column(name, justify="left" if name in ("subject", "deck file") else "right")
    for deck in report.decks:
        table.add_row(deck.deck_name, deck.path.name, str(deck.documents), str(deck.notes), str(deck.anki_cards),
                      str(deck.new), str(deck.changed), str(deck.unchanged))
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.kinds.items())) or "none"
    lines = [f"notes by kind: {kinds}"]
    if report.rejected:
        lines.append(f"rejected files: {report.rejected} (reasons above)")
    if report.retired:
        lines.append(f"{report.retired} notes from earlier builds are no longer generated; "
                     "Anki keeps them (delete them there if unwanted)")
    if not report.decks:
        lines.append("no decks written")
    table.caption = "\n".join(lines)
    table.caption_justify = "left"
    return table


def stats_table(report: BuildReport) -> Table:
    used = [k for k in CARD_KINDS if any(dict(d.kinds).get(k) for d in report.document_stats)]
    table = Table(title="cards per document", title_justify="left")
    table.add_column("document", no_wrap=True)
    table.add_column("title", max_width=44, no_wrap=True, overflow="ellipsis")
    for kind in used:
        table.add_column(kind, justify="right")
    table.add_column("total", justify="right")
    for doc in report.document_stats:
        counts = dict(doc.kinds)
        table.add_row(doc.doc_id, doc.title, *(str(counts.get(k, 0)) for k in used), str(sum(counts.values())))
    return table


command.name = "build"
