"""Moodle GIFT: one question per paragraph, HTML text marked `[html]`.

Moodle's importer (question/format/gift/format.php) finds the answer block with the first
`{` and the first `}`, splits answers on `=` and `~`, feedback on `#`, matching pairs on
`->`, and ends a question at a blank line. So every piece of content is escaped with
`escape` (as Moodle's own exporter, `repchar`, does), newlines become `\\n`, and a
question is never allowed a blank line.
"""

from __future__ import annotations

from ..quiz.fields import html, plain
from ..quiz.items import KIND_NAMES, FillIn, Matching, MultipleChoice, QuizItem, QuizVersion, TrueFalse

name = "gift"
_SPECIAL = ("~", "=", "#", "{", "}", ":")


def escape(text: str) -> str:
    """Backslash-escape GIFT's control characters; newlines as `\\n` (Moodle undoes both)."""
    text = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def shortanswer_literal(text: str) -> str:
    """Moodle short answers treat `*` as a wildcard; `\\*` is a literal star."""
    return text.replace("*", "\\*")


def files(version: QuizVersion) -> dict[str, bytes]:
    return {f"{version.file_stem}.gift": render_gift(version).encode("utf-8")}


def render_gift(version: QuizVersion) -> str:
    title = " ".join(version.title.split())
    out = [
        f"// {title}",
        f"// quizgen set {version.set_name}, version {version.number}, seed {version.seed}: "
        f"{len(version.items)} questions. Import into Moodle as GIFT.",
        "",
        f"$CATEGORY: quizgen/{version.set_name}/v{version.number}",
        "",
    ]
    for number, item in enumerate(version.items, 1):
        out += [question(number, item, version), ""]
    return "\n".join(out)


def question_name(number: int, item: QuizItem, version: QuizVersion) -> str:
    where = item.source.section[-1] if item.source.section else item.source.doc_title
    return f"{version.file_stem} Q{number:02d} {KIND_NAMES[item.kind]} · {item.source.doc_id} · {where}"[:250]


def _html(markdown: str, inline: bool = True) -> str:
    return escape(html(markdown, inline=inline))


def question(number: int, item: QuizItem, version: QuizVersion) -> str:
    head = f"::{escape(question_name(number, item, version))}::"
    general = f"####{_html(item.explanation, inline=False)}"
    if isinstance(item, MultipleChoice):
        lines = [f"{head}[html]{_html(item.stem)}{{"]
        for n, option in enumerate(item.options):
            mark = "=" if n == item.key else "~"
            lines.append(f"\t{mark}{_html(option)}")
        return "\n".join(lines + [f"\t{general}", "}"])
    if isinstance(item, TrueFalse):
        verdict = "TRUE" if item.truth else "FALSE"
        wrong = "It is true." if item.truth else f"It is false. {item.correction}"
        right = "Correct: it is true." if item.truth else f"Correct: it is false. {item.correction}"
        return f"{head}[html]{_html(item.statement)}{{{verdict}#{_html(wrong)}#{_html(right)}{general}}}"
    if isinstance(item, Matching):
        lines = [f"{head}[html]{_html(item.prompt)}{{"]
        for definition, term in item.pairs:
            # Moodle splits a pair at its first "->": the HTML side must not contain one.
            left = _html(definition).replace("->", "-&gt;")
            lines.append(f"\t={left} -> {escape(plain(term))}")
        return "\n".join(lines + [f"\t{general}", "}"])
    if isinstance(item, FillIn):
        lines = [f"{head}[html]{_html(item.text)}{{"]
        lines += [f"\t={escape(shortanswer_literal(answer))}" for answer in item.accepted]
        return "\n".join(lines + [f"\t{general}", "}"])
    raise TypeError(f"not a quiz item: {item!r}")
