"""The front matter QuickTakes documents are made of, read without YAML's machinery.

Every document's front matter is a block mapping of `key: plain scalar` lines, `key: >-`
folded blocks of equally indented lines, and nested mappings of the same (`seo:`). The
safe loader composes a node per scalar and resolves and constructs each in Python, a
quarter of a document's parse; this module reads that subset line by line and returns
exactly what the loader returns for it. Plain scalars are resolved and constructed by
the loader's own resolvers and constructors (the caller's `plain`), so `id: 5`,
`date: 2024-12-08` and `score: -1.0` come out as the loader makes them.

The subset is narrow on purpose: anything else (comments, blank lines, quoted or
multi-line plain scalars, flow collections, sequences, anchors and tags, tabs and
unprintable characters, a key given twice, a key YAML would not read as text, a folded
block with blank or more-indented lines or trailing spaces) makes `read_simple_mapping`
return None, and the caller loads the text with YAML, errors and all.
tests/test_parse_speed_yaml.py holds both equal on every document and on generated text.
"""

from __future__ import annotations

import re
from typing import Any, Callable

# `key:` then nothing, or one space and the rest; keys short enough for any YAML reader
_KEY_LINE = re.compile(r"( *)([A-Za-z0-9_][A-Za-z0-9_-]{0,127}):(?: (.*))?")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain scalar starting with one: YAML's to read
_FOLDED = ">-"
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"


class _NotSimple(Exception):
    """The text leaves the subset: YAML must read it."""


PlainScalar = Callable[[str], Any]  # the value the loader makes of a plain scalar; raises when unsure


def read_simple_mapping(text: str, plain: PlainScalar) -> dict[str, Any] | None:
    """What the safe loader returns for `text`, or None when `text` needs the loader.

    `plain(value)` must return what the loader constructs for the plain scalar `value`,
    or raise (any exception) when it cannot say."""
    if not text.endswith("\n") or not _printable(text):
        return None  # tabs, odd line breaks, a BOM, control characters: the loader's rules
    lines = text[:-1].split("\n")
    try:
        data, end = _mapping(lines, 0, 0, plain)
    except Exception:  # _NotSimple, or `plain` could not say: the loader reads it (and reports)
        return None
    return data if end == len(lines) and data else None


def _printable(text: str) -> bool:
    """Printable but for "\\n" (every such character is printable to YAML too). ASCII text,
    nearly all of it, is checked bytewise: `isprintable` looks up each character."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.replace("\n", "").isprintable()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mapping(lines: list[str], start: int, indent: int, plain: PlainScalar) -> tuple[dict[str, Any], int]:
    """The mapping whose keys sit at `indent` from line `start`, and the line after it."""
    out: dict[str, Any] = {}
    i, count = start, len(lines)
    while i < count:
        match = _KEY_LINE.fullmatch(lines[i])
        if match is None:
            raise _NotSimple
        own = len(match.group(1))
        if own < indent:
            break  # a key of an enclosing mapping
        if own > indent:
            raise _NotSimple  # a plain scalar continued on the next line, or worse
        key, rest = match.group(2), match.group(3)
        if key in out or type(plain(key)) is not str:
            raise _NotSimple  # a key given twice (the loader says where), or `yes:`, `1:`
        if rest is None:  # `key:` alone: a nested mapping (or null, left to the loader)
            if i + 1 >= count or _indent(lines[i + 1]) <= indent:
                raise _NotSimple
            out[key], i = _mapping(lines, i + 1, _indent(lines[i + 1]), plain)
        elif rest == _FOLDED:
            out[key], i = _folded(lines, i + 1, indent)
        else:
            out[key] = _plain(rest, plain)
            i += 1
    return out, i


def _folded(lines: list[str], start: int, indent: int) -> tuple[str, int]:
    """A `>-` block of lines all at one deeper indent: their text joined by spaces."""
    if start >= len(lines):
        raise _NotSimple
    depth = _indent(lines[start])
    if depth <= indent:
        raise _NotSimple  # an empty block
    lead = " " * depth
    end = start
    while end < len(lines) and lines[end].startswith(lead):
        line = lines[end]
        if line[depth] == " " or line.endswith(" "):
            raise _NotSimple  # a more-indented line keeps its break; trailing spaces stay
        end += 1
    if end < len(lines) and not lines[end]:
        raise _NotSimple
    return " ".join(line[depth:] for line in lines[start:end]), end


def _plain(value: str, plain: PlainScalar) -> Any:
    """A one-line plain scalar that YAML can read only one way, as the loader makes it."""
    first = value[:1]
    if not first or value[-1] == " " or first == " ":
        raise _NotSimple
    if first in _INDICATORS and not (first == "-" and value[1:2] not in ("", " ")):
        raise _NotSimple  # quoted, a block, a flow collection, an anchor or tag, a comment
    if ": " in value or " #" in value or value.endswith(":"):
        raise _NotSimple
    return plain(value)
