"""Shared fixtures. The real corpus lives in ../shared/corpus, absent on a fresh clone."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"

needs_corpus = pytest.mark.skipif(
    not SHARED_CORPUS.is_dir(),
    reason="../shared/corpus is absent (fresh clone): the real-corpus tests need it",
)


def corpus_file(name: str) -> Path:
    return SHARED_CORPUS / name


def corpus_files() -> list[Path]:
    return sorted(SHARED_CORPUS.glob("*.md")) if SHARED_CORPUS.is_dir() else []


def stock_markdown():  # type: ignore[no-untyped-def]
    """mistune as shipped (block and inline parsers) with quizgen's plugins: what our
    speedups in quizgen.parse.markdown must agree with, token for token."""
    import mistune

    from quizgen.parse import markdown

    plugins = [mistune.plugins.import_plugin(name) for name in ("table", "strikethrough")]
    return mistune.Markdown(renderer=None, block=mistune.BlockParser(), inline=mistune.InlineParser(),
                            plugins=[*plugins, markdown._math_plugin])


def content_files() -> list[Path]:
    return sorted(CONTENT.glob("*.md"))
