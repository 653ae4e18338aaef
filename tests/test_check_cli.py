"""`quizgen check`: exit codes, the JSON shape, and bad cards (built directly) flagged."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CONTENT, FIXTURES, content_files
from quizgen.cards.generate import Generated, generate
from quizgen.cli import cli
from quizgen.model import Card, cloze
from quizgen.parse.document import read_document
from quizgen.preview import quality
from quizgen.preview.quality import check_generated, check_paths
from quizgen.sources import read_all

MATH = FIXTURES / "preview" / "990102.md"
CONTEXT = "Sodium pump"


def bad_cards(doc_id: str) -> tuple[Card, ...]:
    """One card per rule that the generator would never let through."""
    section = ("Pump",)
    return (
        Card("cloze", doc_id, section, "p1", 0, "The pump moves ions out of " + cloze(1, "the") + " cell.", "", CONTEXT),
        Card("term", doc_id, section, "t1", 0, "Sodium pump: what is **Active Transport**?", "", CONTEXT),
        Card("reverse", doc_id, section, "r1", 0, "Which mechanism actively transports ions?", "Active Transport", CONTEXT),
        Card("term", doc_id, section, "t2", 0, "Sodium pump: what is **ATP**?", "### Energy\nThe energy source.", CONTEXT),
        Card("term", doc_id, section, "t2", 1, "Sodium pump: what is **ATP**?", "The energy source.", CONTEXT),
        Card("cloze", doc_id, section, "p2", 0, "It pumps " + cloze(1, "three") + " sodium ions out.", "", ""),
        Card("term", doc_id, section, "t3", 0, "Sodium pump: what is **Na+**?", "Sodium, the ion pumped out.", CONTEXT),
    )


def run(*args: str):
    return CliRunner().invoke(cli, ["check", *args], env={"COLUMNS": "200"})  # rows on one line each


@pytest.fixture
def bad_generator(monkeypatch):
    """Every document 'generates' the bad cards, plus one rejected candidate."""

    def fake(doc, options=None):
        cards = bad_cards(doc.id)
        return Generated(cards, ((cards[0], (quality.Flag("leak", "c1 'x' is visible elsewhere"),)),))

    monkeypatch.setattr(quality, "generate", fake)


# ---------------------------------------------------------------- the rules, on Card objects


def test_check__each_bad_card_is_flagged_by_its_rule():
    doc = read_document(MATH)
    checked = check_generated(doc, Generated(bad_cards(doc.id)))
    rules = [check.rules for check in checked.cards]
    assert rules == [("deletion",), ("empty",), ("leak",), ("broken-markup",), ("duplicate",), ("no-context",), ()]
    assert len(checked.flagged) == 6
    reasons = {f.rule: f.reason for check in checked.cards for f in check.flags}
    assert reasons["deletion"] == "c1 deletes a trivial word 'the'"
    assert reasons["duplicate"] == "same fact as card 4"


def test_check__generated_cards_of_the_content_are_all_clean():
    report = check_paths([str(CONTENT)])
    assert report.documents and report.problems == ()
    assert report.flagged == () and sum(report.flag_counts().values()) == 0
    assert report.cards == sum(len(generate(d).cards) for d in read_all([CONTENT]).documents)


# ---------------------------------------------------------------- exit codes


def test_check_cli__strict_content_passes():
    result = run("--strict", str(CONTENT))
    assert result.exit_code == 0, result.output
    assert "No flagged cards." in result.stdout
    assert "Cards by rule" in result.stdout and "duplicate" in result.stdout
    files = len(content_files())
    assert result.stderr.startswith(f"{files} files: {files} documents, ")
    assert ", 0 flagged; the generator rejected " in result.stderr and result.stderr.endswith("0 files rejected\n")


def test_check_cli__default_path_is_content(monkeypatch):
    monkeypatch.chdir(CONTENT.parent)
    result = run("--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"] == len(list(CONTENT.glob("*.md")))


def test_check_cli__flagged_cards_fail_only_with_strict(bad_generator):
    plain = run(str(MATH))
    assert plain.exit_code == 0, plain.output
    assert "Flagged cards (6)" in plain.stdout
    for text in ("deletion", "c1 deletes a trivial word 'the'", "broken-markup", "raw markup in back", "990102",
                 "The pump moves ions out of [the] cell."):  # brackets in a card are text, not rich markup
        assert text in plain.stdout
    strict = run("--strict", str(MATH))
    assert strict.exit_code == 1
    assert "1 files: 1 documents, 7 cards, 6 flagged; the generator rejected 1 candidates" in strict.stderr


def test_check_cli__rejected_file_fails_even_without_strict(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = run(str(bad), str(MATH))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:")
    cards = len(generate(read_document(MATH)).cards)
    assert f"2 files: 1 documents, {cards} cards, 0 flagged" in result.stderr and "1 files rejected" in result.stderr


def test_check_cli__missing_path_is_a_rejected_input(tmp_path):
    result = run(str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere'}: no such file or folder" in result.stderr


def test_check_cli__unknown_option_is_a_usage_error():
    assert run("--nope").exit_code == 2


# ---------------------------------------------------------------- JSON


def test_check_cli__json_shape(bad_generator):
    result = run("--json", str(MATH))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"files", "documents", "cards", "flagged", "rejected_candidates", "rules",
                         "rejected_by_rule", "subjects", "flagged_cards", "problems"}  # fmt: skip
    assert (data["files"], data["documents"], data["cards"], data["flagged"]) == (1, 1, 7, 6)
    assert data["rules"] == {"empty": 1, "broken-markup": 1, "too-long": 0, "no-context": 1, "leak": 1,
                             "deletion": 1, "duplicate": 1}  # fmt: skip
    assert data["rejected_candidates"] == 1 and data["rejected_by_rule"]["leak"] == 1
    assert data["subjects"] == [{"subject": "Mathematics", "subject_key": "mathematics", "documents": 1, "cards": 7,
                                 "flagged": 6, "rules": {"broken-markup": 1, "deletion": 1, "duplicate": 1,
                                                         "empty": 1, "leak": 1, "no-context": 1}}]  # fmt: skip
    first = data["flagged_cards"][0]
    assert first == {
        "document": "990102", "path": str(MATH), "subject": "Mathematics", "kind": "cloze", "section": ["Pump"],
        "key": "p1", "ordinal": 0, "front": "The pump moves ions out of [the] cell.",
        "flags": [{"rule": "deletion", "reason": "c1 deletes a trivial word 'the'"}],
    }  # fmt: skip
    assert data["problems"] == []


def test_check_cli__json_of_the_content_matches_the_generator():
    data = json.loads(run("--json", str(CONTENT)).stdout)
    documents = read_all([CONTENT]).documents
    generated = [generate(d) for d in documents]
    assert data["cards"] == sum(len(g.cards) for g in generated)
    assert data["rejected_candidates"] == sum(len(g.rejected) for g in generated)
    assert data["flagged"] == 0 and data["flagged_cards"] == []


def test_check_cli__help_explains_and_gives_an_example():
    result = CliRunner().invoke(cli, ["check", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--strict" in result.output and "--json" in result.output


def test_cli__lists_check_and_preview():
    result = CliRunner().invoke(cli, ["--help"])
    assert "check" in result.output and "preview" in result.output


@pytest.mark.parametrize("rule", ["leak", "deletion", "duplicate", "empty", "broken-markup", "no-context"])
def test_check__subject_flag_counts_match_the_report(rule):
    doc = read_document(MATH)
    cards = tuple(dataclasses.replace(c, subject_key=doc.subject_key) for c in bad_cards(doc.id))
    counts = quality.subject_flag_counts(cards)
    report = quality.QualityReport(1, (), (check_generated(doc, Generated(cards)),))
    assert counts[doc.subject_key][rule] == report.flag_counts()[rule] == 1


def test_check__paths_are_not_written(tmp_path: Path):
    before = sorted(p.name for p in tmp_path.iterdir())
    run(str(MATH))
    assert sorted(p.name for p in tmp_path.iterdir()) == before
