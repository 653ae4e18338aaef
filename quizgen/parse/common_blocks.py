"""mistune's block tokens for the markdown QuickTakes answers are made of, without mistune.

Nearly every answer is ATX headings, paragraphs of unindented lines, one-line list items
(`1. **Term**: text`), blank lines and pipe tables. mistune's block parser spends most of
a document's parse on its general machinery (a list item is re-parsed as a document of
its own, through a dozen compiled rules), so this module reads that subset line by line
and returns exactly the tokens stock mistune returns for it, inline content tokenised by
the same inline parser. A pipe table, a block that blank lines close on both sides, is
read by `pipe_table` when plain, else handed to the full parser on its own.

The subset is narrow on purpose: a line any block rule could read another way (leading
space or tab, `>`, fences, `$$`, HTML, `[ref]:`, setext or thematic lines, a `|` outside
a table) or a structure we do not build (nested or multi-line list items, a list item
or table that a line continues without a blank line) makes `parse_common` return None,
and the caller parses the whole document with mistune. tests/test_markdown_speedups.py holds
both equal on every document and on generated markdown built from those edge cases.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from .pipe_table import parse_pipe_table

Token = dict[str, Any]
InlineParser = Callable[[str, dict[str, Any]], list[Token]]
BlockParser = Callable[[str], list[Token]]

_HEADING = re.compile(r"(#{1,6}) (\S.*)")
_ITEM = re.compile(r"(?:(\d{1,9})([.)])|([-*+])) (\S.*)")
_LIST_START = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")  # what mistune's list rule takes
_UNSUPPORTED = "\t\r\x0b\x0c"  # tab stops and odd line ends: mistune's own rules
_BLOCK_START_CHARS = frozenset(" #=-_*+>[<|`~$\\:")  # first characters some block rule starts with
_INLINE_STRIP = " \r\n\t\f"  # what mistune strips from a block's text before inline parsing


class _Unsupported(Exception):
    """The text leaves the subset: mistune must parse it."""


def parse_common(text: str, inline: InlineParser, parse_blocks: BlockParser) -> list[Token] | None:
    """mistune's token list for `text`, or None when `text` needs mistune's full parser.

    `inline` is the inline parser mistune would call; `parse_blocks` the full parser,
    given each table on its own.
    """
    if not text or any(char in text for char in _UNSUPPORTED):  # a C scan each, no regex
        return None
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if not lines[0]:
        return None  # mistune counts a document's leading blank lines
    try:
        return _Reader(lines, inline, parse_blocks).read()
    except _Unsupported:
        return None


def is_text_line(line: str) -> bool:
    """True for a line that continues a paragraph and that no block rule can take."""
    if "|" in line:
        return False
    first = line[0]
    if first in _BLOCK_START_CHARS:  # "**Term**: ..." is text; "** *" a thematic break
        return line.startswith("**") and line[2:3] not in ("", "*", " ")
    if first.isdigit():
        return not _LIST_START.match(line)
    return not first.isspace()


class _Reader:
    """One pass over the lines, top-level blocks only (`depth` 0)."""

    def __init__(self, lines: list[str], inline: InlineParser, parse_blocks: BlockParser) -> None:
        self.lines = lines
        self.inline = inline
        self.parse_blocks = parse_blocks
        self.env: dict[str, Any] = {"ref_links": {}}  # no `[ref]:` line gets this far
        self.tokens: list[Token] = []

    def read(self) -> list[Token]:
        lines, count, i = self.lines, len(self.lines), 0
        while i < count:
            line = lines[i]
            if not line:
                while i < count and not lines[i]:
                    i += 1
                self.tokens.append({"type": "blank_line"})
            elif line[0] == "#":
                self.heading(line)
                i += 1
            elif line[0] == "|":
                i = self.table(i)
            elif _LIST_START.match(line):
                i = self.list(i)
            elif is_text_line(line):
                i = self.paragraph(i)
            else:
                raise _Unsupported
        return self.tokens

    def children(self, text: str) -> list[Token]:
        return self.inline(text.strip(_INLINE_STRIP), self.env)

    def heading(self, line: str) -> None:
        match = _HEADING.fullmatch(line)
        if match is None or match.group(2).rstrip().endswith("#"):  # closing #s: mistune trims them
            raise _Unsupported
        level = len(match.group(1))
        self.tokens.append({"type": "heading", "attrs": {"level": level}, "style": "atx",
                            "children": self.children(match.group(2))})

    def paragraph(self, start: int) -> int:
        """Lines up to a blank line, a heading or a list that may interrupt a paragraph."""
        lines, end = self.lines, start + 1
        while end < len(lines) and lines[end] and is_text_line(lines[end]):
            end += 1
        if end < len(lines) and lines[end]:
            stop = lines[end]
            item = _ITEM.fullmatch(stop)
            heading = stop[0] == "#"
            if not heading and (item is None or (item.group(1) is not None and int(item.group(1)) != 1)):
                raise _Unsupported  # only "1." or a bullet starts a list inside a paragraph
        text = "\n".join(lines[start:end])
        self.tokens.append({"type": "paragraph", "children": self.children(text)})
        return end

    def table(self, start: int) -> int:
        """A run of `|` lines between blank lines: a plain table, or mistune's to parse alone."""
        lines, end = self.lines, start + 1
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        if end < len(lines) and lines[end]:
            raise _Unsupported  # a line that may continue the table or its paragraph
        table = parse_pipe_table(lines[start:end], self.children)
        if table is None:
            self.tokens.extend(self.parse_blocks("\n".join(lines[start:end]) + "\n"))
        else:
            self.tokens.append(table)
        return end

    def list(self, start: int) -> int:
        """One-line items of one marker kind; blank lines between items make it loose."""
        lines, count = self.lines, len(self.lines)
        match = _item(lines[start])
        number, delimiter, bullet = match.groups()[:3]
        marker = delimiter or bullet
        attrs: dict[str, Any] = {"depth": 0, "ordered": number is not None}
        if number is not None and int(number) != 1:
            attrs["start"] = int(number)
        items: list[Token] = []
        tight = True
        i = start
        while True:
            items.append({"type": "list_item", "children": [{"type": "paragraph", "children": self.children(match.group(4))}]})
            i += 1
            blank = i < count and not lines[i]
            while i < count and not lines[i]:
                i += 1
            if i == count:
                break
            line = lines[i]
            if _LIST_START.match(line):
                match = _item(line)
                if (match.group(2) or match.group(3)) != marker:
                    break  # another kind of marker starts another list
                tight = tight and not blank
                continue
            if line[0] == "#" or blank:
                break  # a heading, or a block after a blank line, ends the list
            raise _Unsupported  # a lazy continuation line
        if tight:
            for item in items:
                item["children"][0]["type"] = "block_text"
        self.tokens.append({"type": "list", "children": items, "tight": tight, "bullet": marker, "attrs": attrs})
        return i


def _item(line: str) -> re.Match[str]:
    """A one-line list item whose text is a plain paragraph line."""
    match = _ITEM.fullmatch(line)
    if match is None or not is_text_line(match.group(4)):
        raise _Unsupported
    return match
