"""write_preview(report, out_dir) -> the static site's files: index, one page per document,
a stylesheet and a script. Opens from disk: no server, no network.

Every file is written atomically inside `out_dir` (export/files.py); page names are slugs
of document ids. Pages of documents no longer present, which an earlier run wrote, are
removed, and only when they carry the preview's generator mark.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from ..export.files import prepare_out_dir, safe_join, slug, write_text_atomic
from .script import JS
from .style import CSS
from .pages import GENERATOR, document_page, index_page
from .quality import DocumentCheck, QualityReport

PAGE_PREFIX = "doc-"


def page_names(checks: Sequence[DocumentCheck]) -> dict[str, str]:
    """Document path -> `doc-<slug of id>.html`; ids whose slugs clash get a hash of the path."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for check in checks:
        by_slug[slug(check.document.id, fallback="document")].append(check.document.path)
    names: dict[str, str] = {}
    for base, paths in by_slug.items():
        for path in sorted(paths):
            tail = "" if len(paths) == 1 else "-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:8]
            names[path] = f"{PAGE_PREFIX}{base}{tail}.html"
    return names


def site_files(report: QualityReport) -> dict[str, str]:
    """File name -> text, for every file of the site."""
    pages = page_names(report.documents)
    ordered = [d for s in report.subjects() for d in s.documents]  # index order: prev/next follow it
    files = {"preview.css": CSS, "preview.js": JS, "index.html": index_page(report, pages)}
    for n, check in enumerate(ordered):
        previous = pages[ordered[n - 1].document.path] if n > 0 else None
        following = pages[ordered[n + 1].document.path] if n + 1 < len(ordered) else None
        files[pages[check.document.path]] = document_page(check, pages, (previous, following))
    return files


def write_preview(report: QualityReport, out_dir: Path) -> tuple[Path, ...]:
    """Write the site into `out_dir` (created if needed); return the files written."""
    out_dir = prepare_out_dir(Path(out_dir))
    written: list[Path] = []
    for name, text in site_files(report).items():
        target = safe_join(out_dir, name)
        write_text_atomic(target, text)
        written.append(target)
    remove_stale_pages(out_dir, {p.name for p in written})
    return tuple(written)


def remove_stale_pages(out_dir: Path, keep: set[str]) -> list[Path]:
    """Delete `doc-*.html` pages an earlier preview wrote for documents now gone."""
    removed = []
    mark = f'<meta name="generator" content="{GENERATOR}">'.encode("utf-8")
    for path in sorted(out_dir.glob(f"{PAGE_PREFIX}*.html")):
        if path.name in keep or not path.is_file() or path.is_symlink():
            continue
        with open(path, "rb") as handle:
            head = handle.read(2048)
        if mark in head:
            path.unlink()
            removed.append(path)
    return removed
