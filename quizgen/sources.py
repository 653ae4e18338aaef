"""Find document files and read them all; a bad file becomes a Problem, never a crash."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import QuizgenError
from .model import Document, Problem
from .parse.document import read_document

DEFAULT_CONTENT = Path("content")


@dataclass(frozen=True)
class ReadResult:
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    files: int


def find_documents(paths: Iterable[Path | str]) -> tuple[list[Path], list[Problem]]:
    """Every `*.md` under the given files/folders, sorted, each once."""
    found: dict[Path, None] = {}
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(_markdown_files(path), key=_path_order):
                found.setdefault(child, None)
        elif path.is_file():
            found.setdefault(path, None)
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    return list(found), problems


def _path_order(path: Path) -> Any:
    """Path's own order, by a key compared in C: 10,000 files sort in a tenth of the time
    (PurePath compares case-sensitive parts on POSIX, casefolded parts elsewhere)."""
    return path.parts if os.name == "posix" else path


def _markdown_files(folder: Path) -> Iterable[Path]:
    """`*.md` files below `folder`, skipping hidden files and folders (one scandir per folder)."""
    stack = [str(folder)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    stack.append(entry.path)
                elif entry.name.endswith(".md") and entry.is_file():
                    yield Path(entry.path)


def problem_from(error: QuizgenError, fallback_path: str) -> Problem:
    message = error.message + (f" (hint: {error.hint})" if error.hint else "")
    return Problem(error.path or fallback_path, message, error.line)


def read_paths(paths: Sequence[Path]) -> tuple[list[Document], list[Problem]]:
    documents: list[Document] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            documents.append(read_document(path))
        except QuizgenError as error:
            problems.append(problem_from(error, str(path)))
    return documents, problems


def read_all(paths: Iterable[Path | str]) -> ReadResult:
    files, problems = find_documents(paths)
    documents, bad = read_paths(files)
    return ReadResult(tuple(documents), tuple(problems + bad), len(files))
