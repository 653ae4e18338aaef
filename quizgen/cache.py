"""Per-document results cached by file content, so a rebuild redoes only what changed.

One SQLite file in `<out>/.quizgen-cache/`, safe to delete at any time: a missing,
stale or unreadable cache only means the work is done again. A result is reused only
when the file's bytes, quizgen's version and the card settings are all the same.
Entries are pickles written by quizgen itself into the output folder.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from pathlib import Path
from typing import Iterable

from .work import DocWork

CACHE_DIR = ".quizgen-cache"
CACHE_FILE = "work.sqlite"


def content_key(data: bytes, fingerprint: str) -> str:
    return hashlib.sha256(fingerprint.encode("ascii") + b"\0" + data).hexdigest()


class WorkCache:
    def __init__(self, out_dir: Path) -> None:
        folder = out_dir / CACHE_DIR
        self.connection: sqlite3.Connection | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.connection = self._open(folder / CACHE_FILE)
        except (OSError, sqlite3.Error):
            self.connection = None  # no cache, same results

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(path)
            connection.execute("CREATE TABLE IF NOT EXISTS work (path TEXT PRIMARY KEY, key TEXT, blob BLOB)")
        except sqlite3.DatabaseError:  # a corrupt file: start again
            path.unlink(missing_ok=True)
            connection = sqlite3.connect(path)
            connection.execute("CREATE TABLE IF NOT EXISTS work (path TEXT PRIMARY KEY, key TEXT, blob BLOB)")
        connection.execute("PRAGMA synchronous = OFF")
        return connection

    def get_many(self, wanted: dict[str, str]) -> dict[str, DocWork]:
        """path -> cached work, for the paths whose stored key matches `wanted[path]`."""
        if self.connection is None or not wanted:
            return {}
        found: dict[str, DocWork] = {}
        try:
            for path, key, blob in self.connection.execute("SELECT path, key, blob FROM work"):
                if wanted.get(path) == key:
                    try:
                        work = pickle.loads(blob)
                    except Exception:  # noqa: BLE001 - any unreadable entry is just a miss
                        continue
                    if isinstance(work, DocWork):
                        found[path] = work
        except sqlite3.Error:
            return {}
        return found

    def put_many(self, entries: Iterable[tuple[str, str, DocWork]]) -> None:
        if self.connection is None:
            return
        try:
            with self.connection:
                self.connection.executemany(
                    "INSERT OR REPLACE INTO work (path, key, blob) VALUES (?, ?, ?)",
                    ((path, key, pickle.dumps(work, pickle.HIGHEST_PROTOCOL)) for path, key, work in entries),
                )
        except sqlite3.Error:
            pass  # a cache that cannot be written costs time next build, nothing else

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
