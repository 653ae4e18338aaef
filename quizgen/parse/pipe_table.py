"""mistune's table token for a plain pipe table, without mistune's table plugin.

A table is a run of `| a | b |` lines between blank lines; handing each to the whole
mistune parser cost a quarter of a document's parse. This reads the well-formed kind
only: every line closed by `|`, no backslash (mistune counts escaped pipes), a
delimiter row of dashes with optional colons, every row as wide as the header. Any
other run is left to mistune (None), which may read it as a paragraph instead.
"""

from __future__ import annotations

import re
from typing import Any, Callable

Token = dict[str, Any]
_ALIGN = {  # a delimiter cell -> mistune's align attribute
    re.compile(r":-+:"): "center",
    re.compile(r":-+"): "left",
    re.compile(r"-+:"): "right",
    re.compile(r"-*"): None,  # an empty delimiter cell aligns nothing too
}


def parse_pipe_table(lines: list[str], children: Callable[[str], list[Token]]) -> Token | None:
    """The table token for `lines` (each starting with `|`), or None for mistune to read.

    `children` tokenises a cell's text as mistune's renderer would.
    """
    rows = [cells for cells in map(_cells, lines) if cells is not None]
    if len(rows) < 2 or len(rows) != len(lines):
        return None
    header, delimiters, *body = rows
    aligns = [_align(cell) for cell in delimiters]
    if any(align is False for align in aligns) or any(len(row) != len(aligns) for row in [header, *body]):
        return None

    def row_cells(row: list[str], head: bool) -> list[Token]:
        return [{"type": "table_cell", "attrs": {"align": align, "head": head}, "children": children(text)}
                for text, align in zip(row, aligns)]

    head = {"type": "table_head", "children": row_cells(header, True)}
    rows_body = [{"type": "table_row", "children": row_cells(row, False)} for row in body]
    return {"type": "table", "children": [head, {"type": "table_body", "children": rows_body}]}


def _cells(line: str) -> list[str] | None:
    line = line.rstrip(" ")
    if len(line) < 2 or not line.endswith("|") or "\\" in line:
        return None
    return [cell.strip() for cell in line[1:-1].split("|")]


def _align(cell: str) -> str | None | bool:
    """The cell's alignment; False when it is no delimiter cell (then it is no table)."""
    for pattern, align in _ALIGN.items():
        if pattern.fullmatch(cell):
            return align
    return False
