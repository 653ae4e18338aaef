"""read_document(path) -> Document: the only way files become documents."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any, Callable

from ..errors import DocumentError
from ..model import PRIVATE_MARKS, Document
from .answer import parse_answer
from .escapes import decode_newlines
from .frontmatter import split_front_matter

# Control characters other than tab/newline (Anki's field separator \x1f among them, C1
# controls, the noncharacters U+FFFE/U+FFFF) and the private-use marks quizgen uses for
# cloze deletions never reach a card. They go before YAML sees the file: its reader
# rejects them all, naming a character offset instead of a line.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff" + PRIVATE_MARKS + "]")
# Line breaks to YAML but not to us (our line numbers count "\n"): one space each.
_OTHER_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")
_EMPTY_BODY = re.compile(r"^(\s|&nbsp;|&#160;)*$")
DEFAULT_SUBJECT = "General"
LineOf = Callable[[], "int | None"]  # a field's line in the file: searched for only when an error names it
_KIND_NAMES = {
    list: "a list", dict: "a mapping", bool: "true/false", int: "a number", float: "a number",
    datetime.date: "a date", datetime.datetime: "a date and time",
}  # fmt: skip


def read_document(path: Path | str) -> Document:
    """Read and parse one file; raises DocumentError naming the file."""
    path_str = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}", path=path_str) from None
    return parse_document(decode_bytes(data, path_str), path_str)


def decode_bytes(data: bytes, path: str) -> str:
    """UTF-8 (a BOM is fine) with "\\n" line ends, or a clear error."""
    nul = data.find(b"\x00")
    if nul != -1:
        raise DocumentError(
            "not a text file (contains NUL bytes)",
            path=path,
            line=data.count(b"\n", 0, nul) + 1,
            hint="quizgen reads UTF-8 markdown files",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise DocumentError(
            f"not UTF-8 (byte 0x{byte:02x} at offset {exc.start})",
            path=path,
            line=data.count(b"\n", 0, exc.start) + 1,
            hint="save the file as UTF-8 and run quizgen again",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_document(text: str, path: str) -> Document:
    text = clean(text)
    front = split_front_matter(text, path)
    fields = front.data

    def line(name: str) -> LineOf:  # the field's line in the file, looked up for a message only
        return lambda: _field_line(text, name, front.body_line)

    closing = front.body_line - 1  # a missing field is reported where front matter ends: add it there
    question = clean_line(required_text(fields, "question", path, line=lambda: line("question")() or closing))
    answer_raw = optional_text(fields, "answer", path, line=line("answer"))
    if answer_raw is None:
        if _EMPTY_BODY.match(front.body):
            raise DocumentError(
                "`answer` is missing",
                path=path,
                line=closing,
                hint="write the answer in an `answer:` field or as markdown below the front matter",
            )
        answer_raw = front.body
    answer = clean(decode_newlines(answer_raw)).strip()
    if _EMPTY_BODY.match(answer):  # judged once decoded: "\\n" or "&nbsp;" alone is empty too
        raise DocumentError("`answer` is empty", path=path, line=line("answer")())
    subject = clean_line(optional_text(fields, "subject", path, line=line("subject")) or "") or DEFAULT_SUBJECT
    doc_id = _document_id(fields, path, line("id"))
    structure = parse_answer(answer)
    return Document(
        id=doc_id,
        title=clean_line(optional_text(fields, "title", path, numbers_ok=True, line=line("title")) or "") or question,
        question=question,
        subject=subject,
        subject_key=subject_key(subject),
        path=path,
        answer=answer,
        intro=structure.intro,
        sections=structure.sections,
        summary=structure.summary,
        keywords=_keywords(fields),
        url=clean_line(str(fields["url"])) if isinstance(fields.get("url"), str) else None,
        date=str(fields["date"]) if fields.get("date") is not None else None,
        description=_description(fields),
    )


def subject_key(subject: str) -> str:
    """`Computer Science` and ` computer  science` group together."""
    return " ".join(subject.split()).casefold()


_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n\t"  # printable ASCII and the two kept controls


def clean(text: str) -> str:
    """Unsafe characters removed; CR line ends made "\\n", other line breaks a space."""
    if text.isascii():  # most files: checked bytewise, where `isprintable` looks up each character
        if not text.encode("ascii").translate(None, _PLAIN_ASCII):
            return text
    elif text.replace("\n", "").replace("\t", "").isprintable():
        return text  # every character either pattern takes is unprintable: one C pass says none is here
    text = _OTHER_BREAKS.sub(lambda m: "\n" if m.group(0)[0] == "\r" else " ", text)
    return _UNSAFE_CHARS.sub("", text)


def clean_line(text: str) -> str:
    """One line of plain text: decoded, control characters removed, spaces folded."""
    return " ".join(clean(decode_newlines(text)).split())


def _no_line() -> int | None:
    return None


def required_text(fields: dict[str, Any], name: str, path: str, *, line: LineOf = _no_line) -> str:
    value = optional_text(fields, name, path, line=line)
    if value is None:
        raise DocumentError(f"`{name}` is missing", path=path, line=line())
    if not clean_line(value):  # blank once decoded and cleaned: "\\n", "\x1f"
        raise DocumentError(f"`{name}` is empty", path=path, line=line())
    return value


def optional_text(
    fields: dict[str, Any], name: str, path: str, *, numbers_ok: bool = False, line: LineOf = _no_line
) -> str | None:
    """The field as text, None when absent; a list, mapping or (unless allowed) number is an error."""
    value = fields.get(name)
    if value is None:
        return None
    if numbers_ok and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        kind = _KIND_NAMES.get(type(value), type(value).__name__)
        raise DocumentError(f"`{name}` must be text, got {kind}", path=path, line=line())
    return value


def _field_line(text: str, name: str, body_line: int) -> int | None:
    """1-based line of the top-level `name:` key, searched in the front matter only."""
    match = re.search(rf"^{re.escape(name)}[ \t]*:", text, re.MULTILINE)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    return line if line < body_line else None


def _document_id(fields: dict[str, Any], path: str, line: LineOf) -> str:
    """`id` as text (numbers and dates too); absent or blank: the file name without `.md`."""
    value = fields.get("id")
    if isinstance(value, (list, dict, bool)):
        kind = _KIND_NAMES[type(value)]
        raise DocumentError(f"`id` must be text or a number, got {kind}", path=path, line=line())
    return (clean_line(str(value)) if value is not None else "") or clean_line(Path(path).stem)


def _seo(fields: dict[str, Any]) -> dict[str, Any]:
    seo = fields.get("seo")
    return seo if isinstance(seo, dict) else {}


def _keywords(fields: dict[str, Any]) -> tuple[str, ...]:
    raw = _seo(fields).get("page_keywords")
    if not isinstance(raw, str):
        return ()
    seen: dict[str, str] = {}
    for word in clean_line(raw).split(","):
        word = word.strip()
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return tuple(seen.values())


def _description(fields: dict[str, Any]) -> str | None:
    raw = _seo(fields).get("page_description")
    return clean_line(raw) if isinstance(raw, str) else None
