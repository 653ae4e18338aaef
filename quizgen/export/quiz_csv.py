"""One row per item, plain text, for spreadsheets and item banks (csv module, UTF-8 with BOM
so Excel shows "−70 mV" and accented names correctly)."""

from __future__ import annotations

import csv
import io

from ..quiz.fields import plain
from ..quiz.items import FillIn, Matching, MultipleChoice, QuizItem, QuizVersion, TrueFalse

name = "csv"
COLUMNS = ("number", "id", "type", "stem", "options", "answer", "accepted", "explanation",
           "source_doc", "source_title", "section")
SEPARATOR = " | "


def files(version: QuizVersion) -> dict[str, bytes]:
    return {f"{version.file_stem}.csv": render_csv(version).encode("utf-8-sig")}


def render_csv(version: QuizVersion) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for number, item in enumerate(version.items, 1):
        writer.writerow(row(number, item))
    return out.getvalue()


def row(number: int, item: QuizItem) -> list[str]:
    stem, options, answer, accepted = "", "", "", ""
    if isinstance(item, MultipleChoice):
        stem = plain(item.stem)
        options = SEPARATOR.join(f"{chr(65 + n)}) {plain(o)}" for n, o in enumerate(item.options))
        answer = f"{chr(65 + item.key)}) {plain(item.answer)}"
    elif isinstance(item, TrueFalse):
        stem, options, answer = plain(item.statement), "True | False", item.answer
    elif isinstance(item, Matching):
        stem = plain(item.prompt) + " " + " ".join(f"{n}) {plain(d)}" for n, (d, _) in enumerate(item.pairs, 1))
        options = SEPARATOR.join(f"{item.letter(t)}) {plain(t)}" for t in item.choices)
        answer = "; ".join(f"{n}-{item.letter(t)}" for n, (_, t) in enumerate(item.pairs, 1))
    elif isinstance(item, FillIn):
        stem, answer, accepted = plain(item.text), plain(item.answer), SEPARATOR.join(item.accepted)
    source = item.source
    return [str(number), item.id, item.kind, stem, options, answer, accepted, plain(item.explanation),
            source.doc_id, source.doc_title, source.section_title]
