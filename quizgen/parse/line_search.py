"""Search for line-anchored patterns by jumping from line start to line start."""

from __future__ import annotations

import re
from typing import Any


class LineStartSearch:
    """A pattern whose every alternative is anchored at a line start (`^`, MULTILINE),
    with a `search` that tries line starts only.

    `re.search` still tries each alternative at every character: mistune searches its
    block rules that way past any paragraph that starts with punctuation (every
    `**Term**: ...` list item), which was a third of a document's parse, and the closing
    `---` of front matter lies past a whole folded answer. Jumping from newline to newline
    finds the same match.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.match = pattern.match

    def search(self, src: str, pos: int = 0) -> re.Match[str] | None:
        match = self.pattern.match
        if pos == 0 or src[pos - 1] == "\n":
            found = match(src, pos)
            if found:
                return found
        newline = src.find("\n", pos)
        while newline != -1:
            found = match(src, newline + 1)
            if found:
                return found
            newline = src.find("\n", newline + 1)
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)
