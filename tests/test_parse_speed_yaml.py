"""The direct front matter reader (parse/simple_yaml.py) gives exactly what the safe
YAML loader gives, on every document and on generated front matter; anything the loader
refuses (or reads another way) it leaves to the loader."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import content_files, corpus_files
from quizgen.errors import DocumentError
from quizgen.parse import frontmatter
from quizgen.parse.simple_yaml import read_simple_mapping

_CLOSING = re.compile(r"^---[ \t]*$|^\.\.\.[ \t]*$", re.MULTILINE)


def fast(text: str) -> dict[str, Any] | None:
    return read_simple_mapping(text, frontmatter.plain_scalar)


def slow(text: str) -> dict[str, Any] | str:
    """The loader's answer, or its error message."""
    try:
        return frontmatter.load_yaml_fully(text, "x.md")
    except (DocumentError, ValueError, TypeError) as error:
        return f"error: {error}"


def same(text: str) -> None:
    """The direct reader reads `text` as the loader does, or not at all."""
    quick = fast(text)
    if quick is not None:
        full = slow(text)
        assert not isinstance(full, str), full
        assert repr(quick) == repr(full)  # repr: 5 and 5.0, "5" and 5, date and str all differ
        assert [type(v) for v in quick.values()] == [type(v) for v in full.values()]


def front_matter(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    first = text.find("\n") + 1
    closing = _CLOSING.search(text, first)
    assert closing is not None
    return text[first:closing.start()]


def test_reader__takes_and_matches_every_document() -> None:
    texts = [front_matter(p) for p in content_files() + corpus_files()]
    assert texts
    taken = [t for t in texts if fast(t) is not None]
    assert len(taken) >= 0.9 * len(texts)  # the common shape: else the reader is no use
    for text in texts:
        same(text)


KEYS = ["id", "title", "date", "seo", "yes", "null", "1", "on", "Title", "_schema", "a-b", "x" * 200, "<<", "="]
VALUES = [
    "text", "Posted on", "QuickTakes | Nursing", "/learn/x/y", "5", "-1.0", "1.5e3", "0x1F", "0o17", "017",
    "1_000", "1:20", "+3", ".inf", "-.inf", ".nan", "2024-12-08", "2024-13-45", "2024-12-08 10:00:00",
    "2024-12-08T10:00:00Z", "yes", "No", "true", "FALSE", "on", "Off", "y", "n", "~", "null", "Null", "NULL",
    "a: b", "a #b", "C#", "a:b", "x:", "'q'", '"q"', "&a x", "*a", "!x y", "!!str 5", "|", ">", ">-", "|-",
    "- x", "-x", "-", "--x", "%x", "@x", "`x`", "?x", ":x", "[a]", "{a: 1}", "a, b", "a [b]", "é à",
    "x\u00a0y", "x\ty", "x ", " x", "", "\\n x", "a\\nb", "<b>", "=", "<<",
]  # fmt: skip
BLOCK_LINES = ["word"] * 6 + [ "two words", "# hash", "- dash", "a: b", "  more", "", "x ", "\\n\\n### H", "'q'", "é"]


@st.composite
def mappings(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(KEYS))
        pad = " " * indent
        form = draw(st.sampled_from(["plain"] * 4 + ["folded"] * 2 + (["nested", "odd"] if depth < 2 else [])))
        if form == "plain":  # half of them text, most front matter's values
            value = draw(st.one_of(st.sampled_from(VALUES), st.sampled_from(["text", "Posted on", "a b"])))
            lines.append(f"{pad}{key}: {value}")
        elif form == "folded":
            lines.append(f"{pad}{key}: >-")
            inner = " " * (indent + draw(st.sampled_from([1, 2, 4])))
            lines += [inner + line for line in draw(st.lists(st.sampled_from(BLOCK_LINES), min_size=0, max_size=3))]
        elif form == "nested":
            lines.append(f"{pad}{key}:")
            lines += draw(mappings(indent + draw(st.sampled_from([1, 2, 4])), depth + 1))
        else:
            lines.append(draw(st.sampled_from([f"{pad}{key}:", f"{pad}{key}:x", f"{pad}{key}: ", "", "# c",
                                                f"{pad}- {key}", f"{pad}{key}:  v", f"{pad}{key} : v", "   x"])))
    return lines


@settings(max_examples=800, deadline=None)
@given(mappings())
def test_reader__matches_the_loader_on_generated_front_matter(lines: list[str]) -> None:
    same("\n".join(lines) + "\n")


@pytest.mark.parametrize("text", [
    "id: 5\ndate: 2024-12-08\nscore: -1.0\ntitle: >-\n    A title\n    on two lines\nseo:\n  title: T | S\n",
    "a: yes\nb: ~\nc: 1:20\nd: 0x1F\ne: .inf\n",
])  # fmt: skip
def test_reader__takes_typical_front_matter(text: str) -> None:
    assert fast(text) is not None
    same(text)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: 'q'\n", "a: x\n  y\n", "a: >-\n    x\n\n    y\n", "a: >-\n    x\n      y\n",
    "a:\n", "a: x  \n", "a: >-\n    x \n", "<<: x\n", "yes: x\n", "a: 2024-13-45\n", "a: x\tb\n", "a: x\u2028y\n", "",
])  # fmt: skip
def test_reader__leaves_the_rest_to_the_loader(text: str) -> None:
    assert fast(text) is None
