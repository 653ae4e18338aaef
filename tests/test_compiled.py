"""The compiled build (setup.py: mypyc) and the pure one must behave the same.

CI runs the whole suite twice: against an editable install (pure Python) and with the
extensions built in place (QUIZGEN_EXPECT_COMPILED=1). These tests hold what differs
between the two by construction: how frozen dataclasses cross process boundaries.
"""

from __future__ import annotations

import copy
import os
import pickle
from pathlib import Path

import pytest

import quizgen
from quizgen.cards.generate import CardOptions, generate_cards
from quizgen.export.anki import FieldRenderer
from quizgen.export.ids import ClozeNumbers
from quizgen.export.notes import render_card
from quizgen.model import Problem
from quizgen.parse.document import read_document

from conftest import CONTENT

ROOT = Path(__file__).resolve().parent.parent


def test_compiled__the_ci_pass_that_expects_extensions_really_has_them():
    expected = os.environ.get("QUIZGEN_EXPECT_COMPILED")
    if expected is None:
        pytest.skip("QUIZGEN_EXPECT_COMPILED not set: this run does not say which build it tests")
    assert quizgen.compiled() is (expected == "1")


def test_compiled__what_workers_send_survives_pickling_and_copying():
    doc = read_document(sorted(CONTENT.glob("*.md"))[0])
    cards = generate_cards(doc, CardOptions())
    rendered = [render_card(card, FieldRenderer(None)) for card in cards]
    values = [CardOptions(frozenset({"term"}), 3, True), Problem("a.md", "bad", 2, "warning"),
              ClozeNumbers((("x", 1), ("y", 3)), 4), cards[0], *rendered]
    assert any(r.first is not None for r in rendered)
    for value in values:
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value


def test_compiled__every_module_setup_compiles_exists():
    source = (ROOT / "setup.py").read_text(encoding="utf-8")
    listed = [line.strip().strip('",') for line in source.split("COMPILED = [", 1)[1].split("]", 1)[0].splitlines()]
    listed = [name for name in listed if name and not name.startswith("#")]
    assert listed and all((ROOT / name).exists() for name in listed), listed


def test_compiled__quizgen_type_checks():
    """mypyc compiles only code that type-checks; an install whose check fails falls back
    to pure Python, slower, without a word to the user. So main stays clean."""
    api = pytest.importorskip("mypy.api", reason="mypy is in the test extras: pip install -e '.[test]'")
    out, err, status = api.run([str(ROOT / "quizgen"), "--config-file", str(ROOT / "pyproject.toml"),
                                "--cache-dir", str(ROOT / ".mypy_cache")])
    assert status == 0, out + err
