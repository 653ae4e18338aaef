"""Output files: safe names that stay inside the output folder, and atomic writes.

A student may be importing yesterday's deck while today's is being written: a reader
sees the old file or the new one, never half of one, and a failed build leaves the old
deck as it was (temp file in the same folder, then `os.replace`).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import QuizgenError

MAX_SLUG = 64
TEMP_PREFIX = ".quizgen-tmp-"
# Names Windows refuses whatever the extension; a deck called "con" gets a suffix.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}


@lru_cache(maxsize=4096)
def slug(text: str, *, fallback: str = "deck") -> str:
    """Lowercase ASCII letters, digits and '-': no separators, dots or traversal."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = "-".join(words)[:MAX_SLUG].strip("-") or fallback
    return out + "-deck" if out in _RESERVED else out


def unique_file_names(keys: Iterable[str], suffix: str) -> dict[str, str]:
    """One file name per key; keys whose slugs clash ("c++", "c") get a hash suffix."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key in sorted(set(keys)):
        by_slug[slug(key)].append(key)
    names: dict[str, str] = {}
    for base, group in by_slug.items():
        for key in group:
            tail = "" if len(group) == 1 else "-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
            names[key] = f"{base}{tail}{suffix}"
    return names


def safe_join(folder: Path, name: str) -> Path:
    """`folder/name`, refusing any name that would resolve outside `folder`."""
    target = (folder / name).resolve()
    if target.parent != folder.resolve() or name in ("", ".", ".."):
        raise QuizgenError(f"refusing to write outside the output folder: {name!r}", path=str(folder))
    return folder / name


def prepare_out_dir(out_dir: Path) -> Path:
    """Create the output folder; a clear error when it is a file or not writable."""
    if out_dir.exists() and not out_dir.is_dir():
        raise QuizgenError("output path exists and is not a folder", path=str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QuizgenError(f"cannot create output folder: {exc.strerror or exc}", path=str(out_dir)) from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise QuizgenError("output folder is not writable", path=str(out_dir))
    return out_dir


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a scratch folder next to `target`; `<scratch>/out` replaces `target` on success.

    The scratch folder (same file system, so `os.replace` is atomic) is removed
    whatever happens, with anything else the writer put there (genanki's database).
    """
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX, dir=target.parent) as scratch:
        out = Path(scratch) / "out"
        yield Path(scratch)
        if not out.is_file():
            raise RuntimeError(f"writer produced no file for {target}")
        with open(out, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(out, target)


def write_bytes_atomic(target: Path, data: bytes) -> Path:
    """A reader sees the old file or the new one, never half of one."""
    with atomic_output(target) as scratch:
        (scratch / "out").write_bytes(data)
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    return write_bytes_atomic(target, text.encode("utf-8"))
