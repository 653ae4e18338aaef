"""The preview's HTML pages: an index of subjects and one page per document.

Markdown from documents reaches a page only through `render_markdown` (sanitised, as in
the decks); plain metadata (titles, subjects, ids, paths) only through `html.escape`.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Iterable, Sequence

from ..cards.rules import RULES
from ..export.anki import FieldRenderer
from ..export.render import render_blocks, render_markdown
from ..model import CARD_KINDS, Document, Problem, Section
from .cardview import note_html, page_html
from .quality import CardCheck, DocumentCheck, QualityReport

GENERATOR = "quizgen preview"
# No inline script or style anywhere: the one script and stylesheet are files beside the page.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
esc = html.escape


def layout(title: str, body: str, *, page: str, crumbs: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{esc(title)}</title>\n"
        '<link rel="stylesheet" href="preview.css">\n'
        '<script src="preview.js"></script>\n'
        f'</head>\n<body data-page="{page}">\n'
        '<a class="skip" href="#main">Skip to content</a>\n'
        '<header class="site"><a class="brand" href="index.html">quizgen preview</a>'
        f"<nav>{crumbs}</nav>"
        '<button type="button" id="theme-toggle">Theme</button></header>\n'
        f'<main id="main">\n{body}\n</main>\n'
        "</body>\n</html>\n"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _flag_summary(counts: Counter[str]) -> str:
    if not counts:
        return '<span class="muted">none</span>'
    return ", ".join(f"{esc(rule)} {counts[rule]}" for rule in _rules(counts))


def _rules(counts: Iterable[str]) -> list[str]:
    return sorted(set(counts), key=lambda r: (RULES.index(r) if r in RULES else len(RULES), r))


def index_page(report: QualityReport, pages: dict[str, str]) -> str:
    """Subjects with document, card and flag counts; each document linked."""
    subjects = report.subjects()
    parts = [
        "<h1>Card preview</h1>",
        '<ul class="totals">'
        f"<li><b>{len(subjects)}</b> subjects</li>"
        f"<li><b>{len(report.documents)}</b> documents</li>"
        f"<li><b>{report.cards}</b> cards (notes)</li>"
        f"<li><b>{len(report.flagged)}</b> flagged</li>"
        f"<li><b>{sum(len(d.rejected) for d in report.documents)}</b> candidates rejected</li>"
        "</ul>",
        '<div class="table-wrap"><table class="summary" id="subjects"><thead><tr><th>Subject</th>'
        '<th class="num">Documents</th><th class="num">Cards</th><th class="num">Flagged</th>'
        "<th>Flags by rule</th></tr></thead><tbody>",
    ]
    for n, subject in enumerate(subjects):
        parts.append(
            f'<tr class="subject-row"><td><a href="#subject-{n}">{esc(subject.subject)}</a></td>'
            f'<td class="num">{len(subject.documents)}</td><td class="num">{subject.cards}</td>'
            f'<td class="num">{subject.flagged}</td><td>{_flag_summary(subject.flag_counts)}</td></tr>'
        )
    parts.append("</tbody></table></div>")
    parts.append(_rules_table(report))
    if report.problems:
        parts.append(_problems(report.problems))
    for n, subject in enumerate(subjects):
        parts.append(
            f'<section class="subject" id="subject-{n}"><h2>{esc(subject.subject)}'
            f'<span class="muted">{_plural(len(subject.documents), "document")}, '
            f'{_plural(subject.cards, "card")}, {subject.flagged} flagged</span></h2><ul class="docs">'
        )
        for check in subject.documents:
            doc = check.document
            kinds: Counter[str] = Counter(c.card.kind for c in check.cards)
            kind_text = ", ".join(f"{kinds[k]} {k}" for k in CARD_KINDS if kinds[k]) or "no cards"
            flagged = f', <span class="flag-count">{len(check.flagged)} flagged</span>' if check.flagged else ""
            parts.append(
                f'<li><a href="{esc(pages[doc.path])}">{esc(doc.title)}</a>'
                f'<span class="muted">{esc(doc.id)} · {_plural(len(check.cards), "card")}{flagged} · {esc(kind_text)}</span></li>'
            )
        parts.append("</ul></section>")
    return layout("quizgen preview", "\n".join(parts), page="index")


def _rules_table(report: QualityReport) -> str:
    flags, rejected = report.flag_counts(), report.rejected_counts()
    rows = "".join(
        f'<tr><td>{esc(rule)}</td><td class="num">{flags[rule]}</td><td class="num">{rejected[rule]}</td></tr>'
        for rule in _rules(set(RULES) | set(flags) | set(rejected))
    )
    return (
        '<details><summary>Quality rules: flagged cards and rejected candidates</summary>'
        '<div class="table-wrap"><table class="summary" id="rules"><thead><tr><th>Rule</th>'
        '<th class="num">Flagged cards</th><th class="num">Rejected candidates</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></details>"
    )


def _problems(problems: Sequence[Problem]) -> str:
    items = "".join(f"<li>{esc(str(p))}</li>" for p in problems)
    return f'<h2>Problems</h2><ul class="problems">{items}</ul>'


# ---------------------------------------------------------------- document page


def _sections(doc: Document) -> list[tuple[tuple[str, ...], Section]]:
    """Every section with its heading path, in document order."""
    found: list[tuple[tuple[str, ...], Section]] = []

    def walk(section: Section, parent: tuple[str, ...]) -> None:
        path = parent + (section.heading,)
        found.append((path, section))
        for sub in section.subsections:
            walk(sub, path)

    for section in doc.sections:
        walk(section, ())
    return found


def _filters(check: DocumentCheck) -> str:
    kinds: Counter[str] = Counter(c.card.kind for c in check.cards)
    rules = Counter(rule for c in check.cards + check.rejected for rule in c.rules)
    kind_buttons = "".join(
        f'<button type="button" data-filter="kind" data-value="{k}">{k} <span class="count">{kinds[k]}</span></button>'
        for k in CARD_KINDS
        if kinds[k]
    )
    rule_buttons = "".join(
        f'<button type="button" data-filter="flag" data-value="{esc(r)}">{esc(r)} <span class="count">{rules[r]}</span></button>'
        for r in _rules(rules)
    )
    rejected = ""
    if check.rejected:
        rejected = (
            '<label><input type="checkbox" id="show-rejected"> show '
            f"{_plural(len(check.rejected), 'rejected candidate')}</label>"
        )
    return (
        '<nav class="filters" aria-label="Filter cards">'
        '<div class="filter-row" role="group" aria-label="Card kind"><span class="label">Kind</span>'
        f'<button type="button" data-filter="kind" data-value="" aria-pressed="true">all</button>{kind_buttons}</div>'
        '<div class="filter-row" role="group" aria-label="Quality flags"><span class="label">Flags</span>'
        '<button type="button" data-filter="flag" data-value="" aria-pressed="true">all</button>'
        '<button type="button" data-filter="flag" data-value="flagged">flagged</button>'
        f'<button type="button" data-filter="flag" data-value="clean">clean</button>{rule_buttons}</div>'
        '<div class="filter-row"><span class="label">Text</span>'
        '<input type="search" id="filter-text" placeholder="filter cards by text" aria-label="Filter cards by text">'
        f'{rejected}<span id="filter-status" aria-live="polite"></span></div>'
        "</nav>"
        '<p class="keys"><kbd>j</kbd>/<kbd>k</kbd> or <kbd>↓</kbd>/<kbd>↑</kbd> next/previous card · '
        "<kbd>f</kbd> filter · <kbd>t</kbd> theme · <kbd>Esc</kbd> leave the filter</p>"
    )


def document_page(check: DocumentCheck, pages: dict[str, str], neighbours: tuple[str | None, str | None]) -> str:
    """The document's structure, section by section, beside the cards made from each."""
    doc = check.document
    render = FieldRenderer()
    paths = _sections(doc)
    known = {path for path, _ in paths}
    by_section: dict[tuple[str, ...], list[tuple[str, CardCheck]]] = {}
    for what, checks in (("note", check.cards), ("candidate", check.rejected)):
        for card_check in checks:
            where = card_check.card.section if card_check.card.section in known else ()
            by_section.setdefault(where, []).append((what, card_check))
    numbers: Counter[str] = Counter()  # cards are numbered in page order, as j/k visits them

    def cards_html(where: tuple[str, ...]) -> str:
        items = by_section.get(where, [])
        notes = []
        for what, card_check in items:
            numbers[what] += 1
            notes.append(note_html(card_check, render, number=numbers[what], candidate=what == "candidate"))
        if not any(what == "note" for what, _ in items):
            notes.insert(0, '<p class="none">No cards from this part.</p>')
        return "".join(notes)

    intro = "".join(
        [
            "<h2>Introduction</h2>",
            page_html(render_blocks(doc.intro)) if doc.intro else "",
            (
                f'<h2>Summary</h2><div class="summary-text">{page_html(render_markdown(doc.summary))}</div>'
                if doc.summary
                else ""
            ),
        ]
    )
    groups = [_group("intro", intro, cards_html(()))]
    for n, (path, section) in enumerate(paths, 1):
        heading = f'<h2 class="level-{section.level}">{page_html(render_markdown(section.heading, inline=True))}</h2>'
        groups.append(_group(f"section-{n}", heading + page_html(render_blocks(section.blocks)), cards_html(path)))

    previous, following = neighbours
    crumbs = '<a href="index.html">All subjects</a>'
    if previous:
        crumbs += f'<a href="{esc(previous)}" rel="prev">← previous</a>'
    if following:
        crumbs += f'<a href="{esc(following)}" rel="next">next →</a>'
    meta = (
        f'<p class="meta">{esc(doc.subject)} · id {esc(doc.id)} · {esc(doc.path)} · '
        f"{_plural(len(check.cards), 'card')} · {len(check.flagged)} flagged · "
        f"{len(check.rejected)} rejected by the generator</p>"
    )
    question = ""
    if " ".join(doc.question.split()) != " ".join(doc.title.split()):
        question = f'<p class="question">{page_html(render_markdown(doc.question, inline=True))}</p>'
    body = (
        f"<h1>{esc(doc.title)}</h1>{meta}{question}"
        f'{_filters(check)}<div id="groups">{"".join(groups)}</div>'
    )
    return layout(f"{doc.title} · quizgen preview", body, page="document", crumbs=crumbs)


def _group(anchor: str, source: str, cards: str) -> str:
    return (
        f'<section class="group" id="{anchor}"><div class="source">{source}</div>'
        f'<div class="cards">{cards}</div></section>'
    )
