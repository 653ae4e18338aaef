"""The printable sheets as paper: headless Chromium prints them, pdftotext reads them back.

Needs the Debian packages `chromium` and `poppler-utils` (CI installs both); skipped with
the reason when either is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from quizgen.quiz.fields import plain
from quizgen.quiz.items import FillIn
from quizgen.quiz.sets import QuizOptions, make_quiz_set
from quizgen.quiz.write import write_quiz
from quizgen.sources import read_all

from conftest import FIXTURES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not on PATH (apt-get install chromium)"),
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not on PATH (apt-get install poppler-utils)"),
]
KEY_ONLY = ("Answer key", "Answer:", "Also accept", "Correct statement:", "Source:")


def print_pdf(page: Path, out: Path, profile: Path) -> tuple[str, str]:
    """Print one HTML file to PDF offline; return its text in reading order and as laid out."""
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", f"--print-to-pdf={out}", "--no-pdf-header-footer", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    assert out.is_file() and out.read_bytes().startswith(b"%PDF")
    def text(*mode: str) -> str:
        return subprocess.run([PDFTOTEXT, *mode, str(out), "-"], check=True, capture_output=True, text=True,
                              timeout=60).stdout

    return text(), text("-layout")


def _flat(text: str) -> str:
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    qs = make_quiz_set(read_all([FIXTURES / "quiz"]).documents, QuizOptions(count=30, seed=7, versions=1))
    written = {p.name: p for p in write_quiz(qs.versions, ("html",), tmp)}
    stem = qs.versions[0].file_stem
    student = print_pdf(written[f"{stem}-student.html"], tmp / "student.pdf", tmp / "profile-s")
    key = print_pdf(written[f"{stem}-key.html"], tmp / "key.pdf", tmp / "profile-k")
    return qs.versions[0], student, key


def _item_numbers(layout: str) -> list[int]:
    """Item numbers start a laid-out line ("12. Stem..."); options are letters, pairs unnumbered."""
    pages = layout.replace("\f", "\n")  # pdftotext starts each page with a form feed
    return [int(n) for n in re.findall(r"(?m)^(\d{1,3})\.(?:\s|$)", pages)]


def test_pdf__student_and_key__every_item_printed(printed) -> None:
    version, student, key = printed
    expected = list(range(1, len(version.items) + 1))
    assert _item_numbers(student[1]) == expected
    assert _item_numbers(key[1]) == expected
    assert "Name:" in student[0] and "Date:" in student[0]


def test_pdf__student_sheet__holds_no_answer_key_text(printed) -> None:
    version, (student, _), (key, _) = printed
    for marker in KEY_ONLY:
        assert marker in key
        assert marker not in student, marker
    flat_student, flat_key = _flat(student), _flat(key)
    for item in (i for i in version.items if isinstance(i, FillIn)):
        filled = _flat(plain(item.explanation))  # the sentence with its answer in place
        assert filled in flat_key
        assert filled not in flat_student, filled


@pytest.mark.parametrize(("paper", "named"), [("letter", "(letter)"), ("a4", "(A4)")])
def test_paper__the_cli_option_sizes_the_printed_pages(tmp_path: Path, paper: str, named: str) -> None:
    from click.testing import CliRunner

    from quizgen.cli import cli

    result = CliRunner().invoke(cli, ["quiz", str(FIXTURES / "quiz"), "-n", "5", "--versions", "1", "--format", "html",
                                      "--paper", paper, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    sheet = next((tmp_path / "out").rglob("*-student.html"))
    print_pdf(sheet, tmp_path / "sheet.pdf", tmp_path / "profile")
    info = subprocess.run([shutil.which("pdfinfo") or "pdfinfo", str(tmp_path / "sheet.pdf")], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    assert size.endswith(f"pts {named}")  # pdfinfo names the standard size it measured
