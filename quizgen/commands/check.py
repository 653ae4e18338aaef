"""`quizgen check`: generate every card and judge it by the quality rules; writes nothing."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..cards.rules import RULES
from ..model import CLOZE_CLOSE, CLOZE_MID, CLOZE_OPEN
from ..preview.quality import CardCheck, QualityReport, check_paths
from ..sources import DEFAULT_CONTENT
from ..text import plain_text
from .output import EXIT_OK, EXIT_REJECTED, exit_code, paths_argument, print_problems

EXCERPT = 70
_MARKED = re.compile(re.escape(CLOZE_OPEN) + r"\d+" + re.escape(CLOZE_MID) + "(.*?)" + re.escape(CLOZE_CLOSE), re.DOTALL)


def excerpt(check: CardCheck, limit: int = EXCERPT) -> str:
    """The card's front as plain text, deletions in [brackets], cut to `limit` characters."""
    text = plain_text(_MARKED.sub(lambda m: "[" + m.group(1) + "]", check.card.front))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def report_data(report: QualityReport) -> dict[str, Any]:
    """The report as plain JSON data (`quizgen check --json`)."""
    flags, rejected = report.flag_counts(), report.rejected_counts()
    return {
        "files": report.files,
        "documents": len(report.documents),
        "cards": report.cards,
        "flagged": len(report.flagged),
        "rejected_candidates": sum(len(d.rejected) for d in report.documents),
        "rules": {rule: flags[rule] for rule in _all_rules(flags)},
        "rejected_by_rule": {rule: rejected[rule] for rule in _all_rules(rejected)},
        "subjects": [
            {
                "subject": s.subject,
                "subject_key": s.subject_key,
                "documents": len(s.documents),
                "cards": s.cards,
                "flagged": s.flagged,
                "rules": dict(sorted(s.flag_counts.items())),
            }
            for s in report.subjects()
        ],
        "flagged_cards": [
            {
                "document": d.document.id,
                "path": d.document.path,
                "subject": d.document.subject,
                "kind": c.card.kind,
                "section": list(c.card.section),
                "key": c.card.key,
                "ordinal": c.card.ordinal,
                "front": excerpt(c, limit=10_000),
                "flags": [{"rule": f.rule, "reason": f.reason} for f in c.flags],
            }
            for d, c in report.flagged
        ],
        "problems": [
            {"path": p.path, "line": p.line, "message": p.message, "severity": p.severity} for p in report.problems
        ],
    }


def _all_rules(counts: dict[str, int]) -> list[str]:
    return list(RULES) + sorted(r for r in counts if r not in RULES)


def print_report(report: QualityReport, console: Console) -> None:
    if report.flagged:
        table = Table(title=f"Flagged cards ({len(report.flagged)})", title_justify="left", expand=False)
        for name, style in (("Document", "cyan"), ("Kind", ""), ("Rule", "red"), ("Reason", ""), ("Front", "dim")):
            table.add_column(name, style=style or None, overflow="fold")
        for doc_check, card_check in report.flagged:
            for n, flag in enumerate(card_check.flags):
                first = n == 0
                cells = (
                    doc_check.document.id if first else "",
                    card_check.card.kind if first else "",
                    flag.rule,
                    flag.reason,
                    excerpt(card_check) if first else "",
                )
                table.add_row(*(Text(cell) for cell in cells))  # Text: "[x]" in a card is not rich markup
        console.print(table)
    else:
        console.print("No flagged cards.")
    flags, rejected = report.flag_counts(), report.rejected_counts()
    counts = Table(title="Cards by rule", title_justify="left")
    counts.add_column("Rule")
    counts.add_column("Flagged cards", justify="right")
    counts.add_column("Rejected candidates", justify="right", style="dim")
    for rule in _all_rules({**flags, **rejected}):
        counts.add_row(Text(rule), str(flags[rule]), str(rejected[rule]))
    console.print(counts)


@click.command()
@paths_argument
@click.option("--strict", is_flag=True, help="Exit 1 when any card is flagged or any warning is reported.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON on stdout.")
def command(paths: tuple[str, ...], strict: bool, as_json: bool) -> None:
    """Generate every card and judge it by the card quality rules; writes nothing.

    Rules: empty sides, broken markup, too long, no context, answer leaks, bad cloze
    deletions, duplicates. Prints flagged cards and counts per rule, and (for
    information) how many candidates the generator itself rejected per rule.

    Exit 0 when all is well, 1 when a file is rejected (or, with --strict, when any
    card is flagged or any warning is reported), 2 on usage errors.

    \b
    Example:
        quizgen check content/
        quizgen check --strict --json ../shared/corpus | jq '.rules'
    """
    report = check_paths(paths or (str(DEFAULT_CONTENT),))
    print_problems(report.problems)
    if as_json:
        click.echo(json.dumps(report_data(report), ensure_ascii=False, indent=2))
    else:
        print_report(report, Console(highlight=False))
    rejected = sum(len(d.rejected) for d in report.documents)
    click.echo(
        f"{report.files} files: {len(report.documents)} documents, {report.cards} cards, "
        f"{len(report.flagged)} flagged; the generator rejected {rejected} candidates; "
        f"{report.rejected_files} files rejected",
        err=True,
    )
    code = exit_code(report.problems, strict=strict)
    if code == EXIT_OK and strict and report.flagged:
        code = EXIT_REJECTED
    sys.exit(code)


command.name = "check"
