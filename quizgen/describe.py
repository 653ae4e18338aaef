"""A Document as readable text (for `quizgen show`) or as plain JSON data."""

from __future__ import annotations

import dataclasses
from typing import Any

from .model import Block, CodeBlock, Document, MathBlock, Paragraph, Quote, Section, Table


def to_data(value: Any) -> Any:
    """Dataclasses -> dicts tagged with their type, tuples -> lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {"type": type(value).__name__}
        data.update({f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)})
        return data
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    return value


def describe(doc: Document) -> str:
    lines = [
        f"{doc.id}  {doc.title}",
        f"  file:     {doc.path}",
        f"  subject:  {doc.subject}  (key: {doc.subject_key})",
        f"  date:     {doc.date or '-'}",
        f"  url:      {doc.url or '-'}",
        f"  keywords: {', '.join(doc.keywords) or '-'}",
        f"  question: {doc.question}",
        "intro:",
    ]
    for block in doc.intro:
        lines += _block(block, "  ")
    for section in doc.sections:
        lines += _section(section, "")
    lines.append(f"summary: {doc.summary or '-'}")
    return "\n".join(lines)


def _section(section: Section, indent: str) -> list[str]:
    lines = [f"{indent}{'#' * section.level} {section.heading}"]
    for block in section.blocks:
        lines += _block(block, indent + "  ")
    for sub in section.subsections:
        lines += _section(sub, indent + "  ")
    return lines


def _block(block: Block, indent: str) -> list[str]:
    if isinstance(block, Paragraph):
        return _wrapped(f"{indent}¶ ", block.text, indent + "  ")
    if isinstance(block, CodeBlock):
        head = f"{indent}code ({block.language or 'plain'}):"
        return [head] + [f"{indent}  | {line}" for line in block.code.split("\n")]
    if isinstance(block, MathBlock):
        return [f"{indent}math:"] + [f"{indent}  $ {line}" for line in block.tex.split("\n")]
    if isinstance(block, Table):
        rows = [block.header] + list(block.rows)
        return [f"{indent}table ({len(block.header)} columns, {len(block.rows)} rows):"] + [
            f"{indent}  | " + " | ".join(row) + " |" for row in rows
        ]
    if isinstance(block, Quote):
        return [f"{indent}quote:"] + [line for b in block.blocks for line in _block(b, indent + "  ")]
    lines: list[str] = []
    for number, point in enumerate(block.points, block.start):
        marker = f"{number}." if block.ordered else "-"
        term = (f"[{point.term}]" + (" " if point.text else "")) if point.term else ""
        lines += _wrapped(f"{indent}{marker} {term}", point.text, indent + " " * (len(marker) + 1))
        for child in point.children:
            lines += _block(child, indent + "    ")
    return lines


def _wrapped(lead: str, text: str, indent: str) -> list[str]:
    """`lead` + text, a hard line break's next line indented under it (not at column 0)."""
    first, *rest = text.split("\n")
    return [lead + first] + [indent + line for line in rest]
