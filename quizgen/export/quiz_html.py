"""Printable review sheets: a student sheet and a separate answer key, per version.

Every piece of content goes through quizgen.export.render (sanitised); only the page frame
and the MathML that `mathml` checks are ours. Math becomes MathML so a sheet prints with
no network; `@page`, `break-inside: avoid` and a page break per part shape the paper.
"""

from __future__ import annotations

from html import escape

from ..quiz.fields import html as render
from ..quiz.items import KIND_NAMES, FillIn, Matching, MultipleChoice, QuizItem, QuizVersion, TrueFalse
from .mathml import math_to_mathml
from .render import code_css

name = "html"
PAPER = {"a4": "A4", "letter": "letter"}
BLANK_HTML = '<span class="blank" aria-label="blank"></span>'
INSTRUCTIONS = {
    "mcq": "Choose the one best answer.",
    "tf": "Circle True or False.",
    "match": "Write the letter of the matching term on each line. Each term is used once.",
    "fill": "Write the missing word, term or value on the line.",
}

CSS = """
@page { size: %(paper)s; margin: 15mm 16mm 16mm; }
:root { color: #111; background: #fff; font: 11pt/1.4 "DejaVu Serif", Georgia, "Times New Roman", serif; }
body { max-width: 46rem; margin: 1.5rem auto 3rem; padding: 0 1.25rem; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; line-height: 1.25; }
h2 { font-size: 1.1rem; margin: 0 0 .2rem; border-bottom: 1px solid #999; padding-bottom: .15rem; }
.sheet-head { border-bottom: 2px solid #111; padding-bottom: .6rem; margin-bottom: 1.2rem; }
.meta { margin: 0 0 .7rem; color: #444; font-size: .92em; }
.fields { display: flex; flex-wrap: wrap; gap: .6rem 2.5rem; }
.field .line { display: inline-block; width: 15em; border-bottom: 1px solid #111; margin-left: .4em; }
.field.date .line { width: 9em; }
.instructions { margin: .2rem 0 .8rem; font-style: italic; color: #333; }
.part + .part { break-before: page; page-break-before: always; }
.item { display: grid; grid-template-columns: 2.3em 1fr; margin: 0 0 1rem; break-inside: avoid; page-break-inside: avoid; }
.num { font-weight: bold; }
.stem { margin: 0 0 .35rem; }
.options { margin: 0; padding-left: 1.8em; list-style: upper-alpha; }
.options li { margin: .1rem 0; padding-left: .2em; }
.tf-choices { display: flex; gap: 2.5em; margin-top: .2rem; }
.tf-choices span { border: 1px solid #777; border-radius: 1em; padding: 0 .8em; }
.blank { display: inline-block; min-width: 7em; border-bottom: 1px solid #111; height: 1em; vertical-align: baseline; }
.matching { display: grid; grid-template-columns: 1.6fr 1fr; gap: 1.5rem; }
.matching ol { margin: 0; padding: 0; list-style: none; }
.defs li { display: grid; grid-template-columns: 3.2em 1fr; gap: .4em; margin-bottom: .45rem; }
.defs .slot { border: 1px solid #111; height: 1.35em; width: 2.2em; text-align: center; font-weight: bold; }
.terms li { margin-bottom: .3rem; }
.terms .letter { font-weight: bold; display: inline-block; width: 1.6em; }
.key .correct { font-weight: bold; }
.key .correct::after { content: "  \\2714"; }
.key .tf-choices span.correct { background: #e7e7e7; border: 2px solid #111; }
.filled { border-bottom: 2px solid #111; padding: 0 .3em; font-weight: bold; }
.nowrap { white-space: nowrap; }
.answer { margin: .35rem 0 0; }
.accepted { margin: .1rem 0 0; color: #333; font-size: .92em; }
.explanation { margin: .35rem 0 0; padding: .25rem .6rem; border-left: 3px solid #888; background: #f5f5f5; font-size: .93em; }
.explanation p { margin: .2rem 0; }
.source { margin: .25rem 0 0; color: #555; font-size: .85em; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .3rem 0; }
code.tex { background: #f3f3f3; }
math { font-size: 1.05em; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  .explanation { background: none; }
}
"""


def files(version: QuizVersion, paper: str = "a4") -> dict[str, bytes]:
    return {
        f"{version.file_stem}-student.html": render_sheet(version, key=False, paper=paper).encode("utf-8"),
        f"{version.file_stem}-key.html": render_sheet(version, key=True, paper=paper).encode("utf-8"),
    }


def _field(markdown: str, inline: bool = True) -> str:
    out = math_to_mathml(render(markdown, inline=inline, blank=BLANK_HTML))
    # An opening quote must not end a line with its blank on the next.
    return out.replace("\u201c" + BLANK_HTML, f'<span class="nowrap">\u201c{BLANK_HTML}</span>')


def render_sheet(version: QuizVersion, *, key: bool, paper: str = "a4") -> str:
    """A whole HTML page: header with name and date lines, then one part per item kind."""
    label = "Answer key" if key else "Student sheet"
    title = escape(version.title)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title} · version {version.number} · {label.lower()}</title>",
        f"<style>{CSS % {'paper': PAPER.get(paper, 'A4')}}\n{code_css()}</style>",
        "</head>",
        f'<body class="{"key" if key else "student"}">',
        '<header class="sheet-head">',
        f"<h1>{title}</h1>",
        f'<p class="meta">{label} · version {version.number} · {len(version.items)} questions'
        f" · set {escape(version.set_name)}</p>",
        '<div class="fields"><span class="field">Name:<span class="line"></span></span>'
        '<span class="field date">Date:<span class="line"></span></span></div>' if not key else "",
        "</header>",
    ]
    body = []
    for letter, (kind, numbered) in zip("ABCD", version.by_kind()):
        body.append(f'<section class="part part-{kind}">')
        body.append(f"<h2>Part {letter}: {KIND_NAMES[kind]}</h2>")
        body.append(f'<p class="instructions">{INSTRUCTIONS[kind]}</p>')
        body += [render_item(number, item, key=key) for number, item in numbered]
        body.append("</section>")
    return "\n".join(head + body + ["</body>", "</html>", ""])


def render_item(number: int, item: QuizItem, *, key: bool) -> str:
    inner = _item_body(item, key)
    if key:
        inner += _key_extras(item)
    return (f'<div class="item item-{item.kind}" id="q{number}"><span class="num">{number}.</span>'
            f'<div class="body">{inner}</div></div>')


def _item_body(item: QuizItem, key: bool) -> str:
    if isinstance(item, MultipleChoice):
        correct = ' class="correct"'
        options = "".join(f"<li{correct if key and n == item.key else ''}>{_field(o)}</li>"
                          for n, o in enumerate(item.options))
        return f'<p class="stem">{_field(item.stem)}</p><ol class="options">{options}</ol>'
    if isinstance(item, TrueFalse):
        def choice(value: bool) -> str:
            mark = ' class="correct"' if key and value == item.truth else ""
            return f"<span{mark}>{'True' if value else 'False'}</span>"
        return f'<p class="stem">{_field(item.statement)}</p><div class="tf-choices">{choice(True)}{choice(False)}</div>'
    if isinstance(item, Matching):
        defs = "".join(
            f'<li><span class="slot">{item.letter(term) if key else ""}</span><span>{_field(d)}</span></li>'
            for d, term in item.pairs)
        terms = "".join(f'<li><span class="letter">{item.letter(t)}.</span>{_field(t)}</li>' for t in item.choices)
        return (f'<p class="stem">{_field(item.prompt)}</p>'
                f'<div class="matching"><ol class="defs">{defs}</ol><ol class="terms">{terms}</ol></div>')
    if isinstance(item, FillIn):
        text = _field(item.text)
        if key:
            text = text.replace(BLANK_HTML, f'<span class="filled">{escape(item.answer)}</span>')
        return f'<p class="stem">{text}</p>'
    raise TypeError(f"not a quiz item: {item!r}")


def _key_extras(item: QuizItem) -> str:
    parts = []
    if isinstance(item, MultipleChoice):
        parts.append(f'<p class="answer"><strong>Answer:</strong> {chr(65 + item.key)}. {_field(item.answer)}</p>')
    elif isinstance(item, TrueFalse):
        parts.append(f'<p class="answer"><strong>Answer:</strong> {item.answer}</p>')
        if not item.truth:
            parts.append(f'<p class="answer"><strong>Correct statement:</strong> {_field(item.correction)}</p>')
    elif isinstance(item, Matching):
        pairs = ", ".join(f"{n}–{item.letter(t)}" for n, (_, t) in enumerate(item.pairs, 1))
        parts.append(f'<p class="answer"><strong>Answer:</strong> {pairs} (top to bottom)</p>')
    elif isinstance(item, FillIn):
        parts.append(f'<p class="answer"><strong>Answer:</strong> {escape(item.answer)}</p>')
        seen = {item.answer.casefold()}
        others = []
        for accepted in item.accepted:
            if accepted.casefold() not in seen:
                seen.add(accepted.casefold())
                others.append(accepted)
        if others:
            parts.append(f'<p class="accepted">Also accept: {"; ".join(escape(a) for a in others)}</p>')
    parts.append(f'<div class="explanation">{_field(item.explanation, inline=False)}</div>')
    source = item.source
    parts.append(f'<p class="source">Source: {escape(source.doc_title)} ({escape(source.doc_id)}) · '
                 f"{escape(source.section_title)}</p>")
    return "".join(parts)
