"""Per-document results cached by file content, so a rebuild redoes only what changed.

One SQLite file in `<out>/.quizgen-cache/`, safe to delete at any time: a missing,
stale or unreadable cache only means the work is done again. A result is reused only
when the file's bytes, quizgen's version and the card settings are all the same; a file
whose metadata is still what it was when its bytes were read is not read again (see
compute.file_seen: any write moves its ctime). The small part (document head, card
kinds) is read for every document; the cards only for documents whose deck is rewritten.
Both are card_blob's digest-checked marshal: reading a cache never runs code, whoever
wrote the file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Iterable

from .card_blob import unpack
from .export.notes import RenderedCard
from .work import DocHead, Encoded, head_from_blob

CACHE_DIR = ".quizgen-cache"
CACHE_FILE = "work.sqlite"
_PATHS_PER_QUERY = 500  # bound parameters per query: under SQLite's oldest limit (999)
# seen: the file's metadata when `key` was made from its bytes (compute.file_seen), or NULL.
# Small columns first: a row's cards run over several pages, read only to reach a later column.
_SCHEMA = "CREATE TABLE IF NOT EXISTS work (path TEXT PRIMARY KEY, key TEXT, seen TEXT, head BLOB, cards BLOB)"


def content_key(data: bytes, fingerprint: str) -> str:
    return hashlib.sha256(fingerprint.encode("ascii") + b"\0" + data).hexdigest()


class WorkCache:
    def __init__(self, out_dir: Path) -> None:
        folder = out_dir / CACHE_DIR
        self.path = folder / CACHE_FILE
        self.pid = os.getpid()
        self.connection: sqlite3.Connection | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.connection = self._open(self.path)
        except (OSError, sqlite3.Error):
            self.connection = None  # no cache, same results

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(path)
            connection.execute(_SCHEMA)
            connection.execute("SELECT path, key, seen, head, cards FROM work LIMIT 1").fetchall()
        except sqlite3.DatabaseError:  # corrupt, or an older layout: start again
            path.unlink(missing_ok=True)
            connection = sqlite3.connect(path)
            connection.execute(_SCHEMA)
        connection.execute("PRAGMA synchronous = OFF")
        return connection

    def unchanged(self, seen: dict[str, str]) -> dict[str, str]:
        """path -> stored key for the paths whose file is still as `seen` when that key was
        made from its bytes: a rebuild need not read those files again."""
        return {path: key for path, key, stored in self._rows("SELECT path, key, seen FROM work WHERE seen IS NOT NULL")
                if seen.get(path) == stored}

    def heads(self, wanted: dict[str, str]) -> dict[str, tuple[DocHead, tuple[str, ...]]]:
        """path -> (head, card kinds) for the paths whose stored key is `wanted[path]`."""
        found: dict[str, tuple[DocHead, tuple[str, ...]]] = {}
        for path, key, blob in self._rows("SELECT path, key, head FROM work"):
            if wanted.get(path) == key:
                value = head_from_blob(blob)
                if value is not None:
                    found[path] = value
        return found

    def cards(self, paths: Iterable[str]) -> dict[str, tuple[RenderedCard, ...]]:
        """path -> cards for those of `paths` stored and readable (a deck's documents: a few
        queries of many paths each, not one query per document)."""
        wanted = list(dict.fromkeys(paths))
        found: dict[str, tuple[RenderedCard, ...]] = {}
        for start in range(0, len(wanted), _PATHS_PER_QUERY):
            chunk = wanted[start : start + _PATHS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            for path, blob in self._rows(f"SELECT path, cards FROM work WHERE path IN ({marks})", tuple(chunk)):
                value = unpack(blob)
                if value is not None:
                    found[path] = value
        return {path: found[path] for path in wanted if path in found}  # in the order asked for

    def put_many(self, entries: Iterable[tuple[str, str, Encoded]], seen: dict[str, str] | None = None) -> None:
        """Store results, each with its file's `seen` metadata if there is one."""
        seen = seen or {}
        self._write("INSERT OR REPLACE INTO work (path, key, seen, head, cards) VALUES (?, ?, ?, ?, ?)",
                    ((path, key, seen.get(path), e.head_blob, e.cards_blob) for path, key, e in entries))

    def mark_seen(self, seen: dict[str, str]) -> None:
        """Record the metadata of files read again and found as stored (touched, or new when last read)."""
        if seen:
            self._write("UPDATE work SET seen = ? WHERE path = ?", ((value, path) for path, value in seen.items()))

    def _write(self, statement: str, rows: Iterable[tuple]) -> None:
        if self.connection is None:
            return
        try:
            with self.connection:
                self.connection.executemany(statement, rows)
        except sqlite3.Error:
            pass  # a cache that cannot be written costs time next build, nothing else

    def _rows(self, query: str, args: tuple[object, ...] = ()) -> list[tuple]:
        if self.connection is not None and self.pid != os.getpid():
            self._reopen_read_only()  # a forked deck writer: never use the parent's connection
        if self.connection is None:
            return []
        try:
            return self.connection.execute(query, args).fetchall()
        except sqlite3.Error:
            return []

    def _reopen_read_only(self) -> None:
        self.pid = os.getpid()
        try:
            self.connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
