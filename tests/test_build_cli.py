"""`quizgen build` on the command line: options, messages, exit codes."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from ankitools import package_notes
from click.testing import CliRunner
from conftest import FIXTURES

from quizgen.cache import CACHE_DIR
from quizgen.commands.build import command
from quizgen.export.state import STATE_FILE

BUILD = FIXTURES / "build"
NOW = "1750000000"


def run(*args: str) -> tuple[int, str, str]:
    # the command itself, so a sibling command that fails to import cannot break these tests
    result = CliRunner().invoke(command, list(args), prog_name="quizgen build", catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_build_cli__help_teaches_with_an_example() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "Example:" in out and "quizgen build content/ -o decks/" in out
    for option in ("--out", "--deck-prefix", "--subdecks", "--site-url", "--kinds", "--reverse", "--max-per-doc", "--stats"):
        assert option in out
    assert "--now" not in out  # hidden: for hermetic tests only


def test_build_cli__is_registered_in_the_quizgen_group() -> None:
    tree = ast.parse((Path(__file__).parent.parent / "quizgen" / "cli.py").read_text(encoding="utf-8"))
    names = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                 and any(getattr(t, "id", "") == "COMMANDS" for t in n.targets))
    assert "build" in names


def test_build_cli__writes_one_deck_per_subject_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "decks"
    code, stdout, stderr = run(str(BUILD / "reimport"), str(BUILD / "subjects"), "-o", str(out), "--now", NOW)
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == [CACHE_DIR, STATE_FILE, "nursing.apkg", "pharmacology.apkg"]
    assert stderr == ""
    assert "6 documents from 6 files" in stdout
    for text in ("Nursing", "Pharmacology", "notes by kind:"):
        assert text in stdout
    assert stdout.splitlines()[-2:] == [f"wrote {out / 'nursing.apkg'}", f"wrote {out / 'pharmacology.apkg'}"]


def test_build_cli__a_rejected_file_exits_1_and_the_rest_is_still_built(tmp_path: Path) -> None:
    code, stdout, stderr = run(str(BUILD / "bad"), str(BUILD / "reimport"), "-o", str(tmp_path), "--now", NOW)
    assert code == 1
    assert f"{BUILD / 'bad' / 'no-question.md'}:" in stderr and ": `question` is missing" in stderr
    assert (tmp_path / "nursing.apkg").is_file()
    assert "rejected files: 1" in stdout


def test_build_cli__a_missing_path_is_reported(tmp_path: Path) -> None:
    code, _, stderr = run(str(tmp_path / "nowhere"), "-o", str(tmp_path / "decks"))
    assert code == 1
    assert f"{tmp_path / 'nowhere'}: no such file or folder" in stderr


def test_build_cli__duplicate_ids_warn_but_exit_0(tmp_path: Path) -> None:
    code, _, stderr = run(str(BUILD / "dup-id"), "-o", str(tmp_path), "--now", NOW)
    assert code == 0
    assert "second.md: warning: document id '910040' is also used by" in stderr


@pytest.mark.parametrize("args, message", [
    (["--kinds", "term,bogus"], "unknown kind(s) bogus"),
    (["--max-per-doc", "0"], "--max-per-doc"),
    (["--site-url", "/learn"], "must be an absolute http(s) URL"),
])
def test_build_cli__usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, stderr = run(str(BUILD / "reimport"), "-o", str(tmp_path), *args)
    assert code == 2
    assert message in stderr
    assert not list(tmp_path.iterdir())


def test_build_cli__an_output_path_that_is_a_file_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "decks"
    target.write_text("not a folder", encoding="utf-8")
    code, _, stderr = run(str(BUILD / "reimport"), "-o", str(target))
    assert code == 2
    assert "decks" in stderr and target.read_text(encoding="utf-8") == "not a folder"


def test_build_cli__kinds_and_max_per_doc_reach_the_cards(tmp_path: Path) -> None:
    code, _, stderr = run(str(BUILD / "subjects"), "-o", str(tmp_path), "--kinds", "term,gist", "--max-per-doc", "2", "--now", NOW)
    assert code == 0, stderr
    notes = package_notes(tmp_path / "pharmacology.apkg")
    kinds = [next(t for t in n.tags if t.startswith("kind::")) for n in notes.values()]
    assert set(kinds) <= {"kind::term", "kind::gist"} and len(kinds) == 4 * 2


def test_build_cli__reverse_adds_reverse_cards(tmp_path: Path) -> None:
    code, _, stderr = run(str(BUILD / "subjects"), "-o", str(tmp_path), "--kinds", "term", "--reverse", "--now", NOW)
    assert code == 0, stderr
    tags = {t for n in package_notes(tmp_path / "pharmacology.apkg").values() for t in n.tags}
    assert {"kind::term", "kind::reverse"} <= tags


def test_build_cli__stats_prints_kinds_per_document(tmp_path: Path) -> None:
    code, stdout, _ = run(str(BUILD / "subjects"), "-o", str(tmp_path), "--stats", "--now", NOW)
    assert code == 0
    assert "cards per document" in stdout
    for doc_id in ("910011", "910012", "910013", "910014"):
        assert doc_id in stdout


def test_build_cli__site_url_links_the_source(tmp_path: Path) -> None:
    code, _, _ = run(str(BUILD / "subjects"), "-o", str(tmp_path), "--site-url", "https://quicktakes.io", "--now", NOW)
    assert code == 0
    sources = {n.fields[3] for n in package_notes(tmp_path / "pharmacology.apkg").values()}
    assert any('href="https://quicktakes.io/learn/nursing/questions/drug-a"' in s for s in sources)


def test_build_cli__default_paths_are_content_and_decks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(BUILD / "reimport", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = run("--now", NOW)
    assert code == 0
    assert (tmp_path / "decks" / "nursing.apkg").is_file() and "wrote decks/nursing.apkg" in stdout


def test_build_cli__no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    code, _, stderr = run(str(BUILD / "subjects"), "-o", str(tmp_path), "--now", NOW)
    assert code == 0 and stderr == ""


def test_build_cli__second_build_reports_unchanged_notes(tmp_path: Path) -> None:
    run(str(BUILD / "reimport"), "-o", str(tmp_path), "--now", NOW)
    code, stdout, _ = run(str(BUILD / "reimport"), "-o", str(tmp_path), "--now", NOW)
    assert code == 0
    row = next(line for line in stdout.splitlines() if "nursing.apkg" in line)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[-3:-1] == ["0", "0"] and cells[-1] == cells[3]  # new, changed 0; same == notes
