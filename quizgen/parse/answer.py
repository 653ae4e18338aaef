"""mistune AST -> intro, sections and points (the model in `quizgen.model`).

Inline content is written back as normalised markdown: math always as `\\(..\\)` /
`\\[..\\]`, raw HTML escaped so it stays text, markdown specials in plain text escaped
so a later render shows exactly what the author wrote.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..model import Block, CodeBlock, MathBlock, Paragraph, Point, PointList, Quote, Section, Table
from ..text import SUMMARY_LEAD
from ..text import escape_markdown as escape_text
from .markdown import parse_ast

Token = dict[str, Any]

_TERM_SEPARATOR = re.compile(r"^\s*(?::|[-\u2013\u2014]\s)\s*")
_SUMMARY_HEADING = re.compile(r"^(conclusion|summary)s?\b", re.IGNORECASE)
_SENTENCE_OR_WORD = re.compile(r"[.!?:;]\s*$|[A-Za-z]{4,}")  # what a short label never holds
_CODE_OR_INLINE_MATH = re.compile(r"`+[^`]*`+|\\\(.+?\\\)")


@dataclass(frozen=True)
class Answer:
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]
    summary: str | None


def parse_answer(markdown: str) -> Answer:
    """Structure an answer: intro blocks, nested sections, closing summary."""
    intro, sections = _sectionize(parse_ast(markdown))
    return _take_summary(tuple(intro), tuple(sections))


# ---------------------------------------------------------------- sections


@dataclass
class _Open:
    heading: str
    level: int
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    def close(self) -> Section:
        return Section(self.heading, self.level, tuple(self.blocks), tuple(self.subsections))


def _sectionize(tokens: list[Token]) -> tuple[list[Block], list[Section]]:
    intro: list[Block] = []
    top: list[Section] = []
    stack: list[_Open] = []

    def close_to(level: int) -> None:
        while stack and stack[-1].level >= level:
            done = stack.pop().close()
            (stack[-1].subsections if stack else top).append(done)

    for token in tokens:
        if token["type"] == "heading":
            level = token["attrs"]["level"]
            close_to(level)
            stack.append(_Open(inline_markdown(token.get("children", ())).strip(), level))
            continue
        block = to_block(token)
        if block is not None:
            (stack[-1].blocks if stack else intro).append(block)
    close_to(0)
    return intro, top


def _take_summary(intro: tuple[Block, ...], sections: tuple[Section, ...]) -> Answer:
    """Lift the closing "In summary, ..." (or a Conclusion section) out of the body."""
    if sections:
        last = sections[-1]
        if _SUMMARY_HEADING.match(last.heading) and not last.subsections:
            paragraphs = [b for b in last.blocks if isinstance(b, Paragraph)]
            if paragraphs and len(paragraphs) == len(last.blocks):
                return Answer(intro, sections[:-1], " ".join(p.text for p in paragraphs))
        summary, rest = _pop_summary(last.blocks)
        if summary is not None:
            trimmed = Section(last.heading, last.level, rest, last.subsections)
            return Answer(intro, sections[:-1] + (trimmed,), summary)
        return Answer(intro, sections, None)
    summary, rest = _pop_summary(intro)
    return Answer(rest, sections, summary)


def _pop_summary(blocks: tuple[Block, ...]) -> tuple[str | None, tuple[Block, ...]]:
    if blocks and isinstance(blocks[-1], Paragraph) and SUMMARY_LEAD.match(blocks[-1].text):
        return blocks[-1].text, blocks[:-1]
    return None, blocks


# ---------------------------------------------------------------- blocks


def to_block(token: Token) -> Block | None:
    kind = token["type"]
    if kind in ("paragraph", "block_text"):
        text = inline_markdown(token.get("children", ())).strip()
        return Paragraph(text) if text else None
    if kind == "list":
        return _point_list(token)
    if kind == "block_code":
        info = (token.get("attrs") or {}).get("info") or ""
        return CodeBlock(token.get("raw", "").rstrip("\n"), info.split()[0] if info.split() else "")
    if kind == "block_math":
        return MathBlock(token["raw"])
    if kind == "table":
        return _table(token)
    if kind == "block_quote":
        inner = tuple(b for b in map(to_block, token.get("children", ())) if b is not None)
        return Quote(inner) if inner else None
    if kind == "block_html":
        text = escape_text(token.get("raw", "").strip())
        return Paragraph(text) if text else None
    if kind == "heading":  # a heading inside a list item or quote: keep its words
        return Paragraph("**" + inline_markdown(token.get("children", ())).strip() + "**")
    return None  # blank_line, thematic_break


def _point_list(token: Token) -> PointList | None:
    attrs = token.get("attrs") or {}
    points = tuple(_point(item) for item in token.get("children", ()) if item["type"] == "list_item")
    if not points:
        return None
    return PointList(bool(attrs.get("ordered")), points, int(attrs.get("start") or 1))


def _point(item: Token) -> Point:
    children = item.get("children", ())
    lead: list[Token] = []
    if children and children[0]["type"] in ("block_text", "paragraph"):
        lead = children[0].get("children", [])
        children = children[1:]
    term, text = _split_term(lead)
    blocks = tuple(b for b in map(to_block, children) if b is not None) if children else ()
    return Point(term, text, blocks)


def _split_term(inline: list[Token]) -> tuple[str | None, str]:
    """`**Active Transport**: text` -> ("Active Transport", "text"): the term, if any, and
    the point's text as markdown (written once here, not as tokens to write later)."""
    if not inline or inline[0]["type"] != "strong":
        return None, inline_markdown(inline).strip()
    term = inline_markdown(inline[0].get("children", ())).strip()
    rest = inline[1:]
    if term.endswith(":"):
        return term[:-1].strip() or None, inline_markdown(rest).strip()
    if not rest:
        return None, inline_markdown(inline).strip()
    first = rest[0]
    if first["type"] == "text":  # before the label test: "**Sample Mean**: 100" is short too
        match = _TERM_SEPARATOR.match(first["raw"])
        if match:
            remainder = first["raw"][match.end() :]
            return term, ((_text(remainder) if remainder else "") + inline_markdown(rest[1:])).strip()
    text = inline_markdown(rest).strip()
    if _is_label(text):
        return term, text  # "**Negation** `¬`": a bold name with a symbol, no sentence
    return None, inline_markdown(inline).strip()


def _is_label(text: str) -> bool:
    """True when what follows a bold lead (`text`, as markdown) is a short symbol or code,
    not a sentence."""
    return bool(text) and len(text.split()) <= 3 and not _SENTENCE_OR_WORD.search(_no_code(text))


def _no_code(text: str) -> str:
    return _CODE_OR_INLINE_MATH.sub("", text)


def _table(token: Token) -> Table:
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
    for part in token.get("children", ()):
        if part["type"] == "table_head":
            header = tuple(_cell(c) for c in part.get("children", ()))
        elif part["type"] == "table_body":
            for row in part.get("children", ()):
                rows.append(tuple(_cell(c) for c in row.get("children", ())))
    return Table(header, tuple(rows))


def _cell(cell: Token) -> str:
    return inline_markdown(cell.get("children", ())).strip()


# ---------------------------------------------------------------- inline


def inline_markdown(tokens: Iterable[Token]) -> str:
    """Write inline tokens back as normalised markdown."""
    return "".join([_inline(t) for t in tokens])  # a list: join() makes one from a generator anyway


def _inline(token: Token) -> str:
    kind = token["type"]
    if kind == "text":
        return _text(token["raw"])
    children = token.get("children", ())
    if kind == "strong":
        return f"**{inline_markdown(children)}**"
    if kind == "emphasis":
        return f"*{inline_markdown(children)}*"
    if kind == "strikethrough":
        return f"~~{inline_markdown(children)}~~"
    if kind == "codespan":
        return code_span(token["raw"])
    if kind == "inline_math":
        tex = token["raw"]
        return f"\\[{tex}\\]" if token["attrs"]["display"] else f"\\({tex}\\)"
    if kind == "link":
        url = (token.get("attrs") or {}).get("url", "")
        label = inline_markdown(children)
        return f"[{label}](<{url}>)" if url and ">" not in url and "\n" not in url else label
    if kind == "image":  # the alt text only: no remote fetches from a card
        return inline_markdown(children)
    if kind in ("inline_html", "block_html"):
        return escape_text(token.get("raw", ""))
    if kind == "softbreak":
        return " "
    if kind == "linebreak":
        return "  \n"
    return inline_markdown(children) if children else escape_text(token.get("raw", ""))


def _text(raw: str) -> str:
    """A text token's markdown. mistune leaves "&amp;" and "&nbsp;" as written: they mean
    "&" and a space."""
    return escape_text(html.unescape(raw) if "&" in raw else raw)  # unescape's own test, a call less


def code_span(raw: str) -> str:
    """Backtick-wrap `raw` with a fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", raw)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if raw.startswith("`") or raw.endswith("`") or not raw.strip() else ""
    return f"{ticks}{pad}{raw}{pad}{ticks}"
