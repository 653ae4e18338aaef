"""Plain inline text with at most **bold** and `code`, understood without mistune.

Nearly every sentence, term, heading and card field in QuickTakes documents is this
simple, and mistune's inline parser (a dozen rules tried per position, then CommonMark's
delimiter-run pass for emphasis) costs a third of a document's parse and most of a
field's rendering. The pattern is narrow on purpose, so that CommonMark can only read
such text one way:

- a `**` that opens is followed by a word character, or by punctuation when it follows
  a space or punctuation itself; a closing `**` mirrors that (so CommonMark's flanking
  rules hold whatever surrounds them); no third `*` touches either;
- a code span is one backtick on each side with no backtick next to them;
- no other character mistune treats specially (`\\ _ [ ] < > ! ~ $ &`, newlines), and
  none that could start a block (`#`, `|`, `=`, `+`, `-` after a space, `1.`).

Anything else takes the full mistune path. Tests hold both paths equal on every string
of the corpus and on generated text built from delimiters (tests/test_simple_inline.py).
"""

from __future__ import annotations

import re
from typing import Any

# A run of plain characters, taken whole (possessive): no other piece starts on one of
# them, so giving characters back could only retry the same dead ends, exponentially.
_PLAIN = r"(?:[^\\`*_\[\]<>!#|~$&\n\r=+-]++|(?<=\S)[-=+])"
_PUNCTUATION = r"!-/:-@\[-`{-~"  # ASCII punctuation: what every CommonMark version counts as such
_PUNCT = rf"[{_PUNCTUATION}]"
_OPEN = rf"(?<!\*)(?:\*\*(?=\w)|(?<![^\s{_PUNCTUATION}])\*\*(?={_PUNCT}))"
_CLOSE = rf"(?:(?<=\w)\*\*|(?<={_PUNCT})\*\*(?=\s|$|{_PUNCT}))(?!\*)"
_BOLD = rf"{_OPEN}{_PLAIN}++{_CLOSE}"  # the text runs to the first `*`: nothing to give back
_CODE = r"(?<!`)`[^`\n\r]+`(?!`)"
_SIMPLE = re.compile(rf"(?:{_PLAIN}|{_BOLD}|{_CODE})+")
_BLOCK_START = re.compile(r"\d{1,9}[.)](?:\s|$)")  # "1. x" / "0)" start a list, not a sentence
MARKUP = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`")


def is_simple(markdown: str) -> bool:
    """True when `markdown` (already stripped) is plain text with only **bold** and `code`."""
    if not _SIMPLE.fullmatch(markdown):
        return False
    # `\d` is what `isdecimal` says: one string method, not a match, for the many lines
    # that cannot start a list because they start with no digit
    return not (markdown[:1].isdecimal() and _BLOCK_START.match(markdown))


def code_text(raw: str) -> str:
    """A code span's content as CommonMark reads it: one space off each side, only from both."""
    if len(raw) > 1 and raw[0] == raw[-1] == " " and raw.strip():
        return raw[1:-1]
    return raw


def markup_parts(markdown: str) -> list[str | None]:
    """`MARKUP.split(markdown)` for simple text: text, then (bold, code, text) per piece.

    Without code spans, simple text holds `*` only in the `**` pairs around bold text
    (never three in a row, never an empty pair), so splitting at `**` finds the same
    pieces without the pattern's scan (most sentences with a bold term)."""
    if "`" in markdown:
        return MARKUP.split(markdown)  # a code span may hold `**`
    pieces = markdown.split("**")
    parts: list[str | None] = [pieces[0]]
    for index in range(1, len(pieces), 2):
        parts += (pieces[index], None, pieces[index + 1])
    return parts


def simple_tokens(markdown: str) -> list[dict[str, Any]]:
    """mistune's inline tokens for simple text (see `is_simple`), without parsing it."""
    if "*" not in markdown and "`" not in markdown:
        return [{"type": "text", "raw": markdown}]
    parts = markup_parts(markdown)  # text, then (bold, code, text) per piece of markup
    tokens: list[dict[str, Any]] = [{"type": "text", "raw": parts[0]}] if parts[0] else []
    for index in range(1, len(parts), 3):
        bold, code, text = parts[index : index + 3]
        if bold is not None:
            tokens.append({"type": "strong", "children": [{"type": "text", "raw": bold}]})
        elif code is not None:  # one of the two always is
            tokens.append({"type": "codespan", "raw": code_text(code)})
        if text:
            tokens.append({"type": "text", "raw": text})
    return tokens
