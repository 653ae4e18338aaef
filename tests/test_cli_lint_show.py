"""`quizgen show` and `quizgen lint` on the command line, and `--help` on every command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CONTENT, FIXTURES, ROOT

from quizgen.cli import cli
from quizgen.commands.lint import command as lint
from quizgen.commands.show import command as show

DOCS = FIXTURES / "docs"


def run(command, *args: str) -> Result:
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


# ---------------------------------------------------------------- show


def test_show__prints_the_whole_outline_of_a_nested_document() -> None:
    path = DOCS / "headings.md"
    result = run(show, str(path))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "\n".join([
        "990201  How do heading levels nest into sections?",
        f"  file:     {path}",
        "  subject:  Biology  (key: biology)",
        "  date:     -",
        "  url:      -",
        "  keywords: -",
        "  question: How do heading levels nest into sections?",
        "intro:",
        "  ¶ Opening paragraph.",
        "## Cell Transport",
        "  ¶ Transport moves molecules across membranes.",
        "  ### Passive Transport",
        "    #### Diffusion",
        "      - [Simple Diffusion] Molecules move down their concentration gradient.",
        "      - [Facilitated Diffusion] Carrier proteins help molecules across.",
        "    #### Osmosis",
        "      ¶ Water moves across a semipermeable membrane.",
        "  ### Active Transport",
        "    1. [Primary Active Transport] Uses ATP directly.",
        "    2. [Secondary Active Transport] Uses an existing gradient.",
        "## Membrane Potential",
        "  - A plain point without a term",
        "      ¶ **Heading inside a point**",
        "      ¶ Its own paragraph.",
        "summary: Transport and potential work together.",
    ]) + "\n"  # fmt: skip


def test_show__code_blocks_inside_points_with_their_language() -> None:
    out = run(show, str(DOCS / "63672.md")).stdout
    assert "\n".join([
        "### For Windows:",
        "  1. [Download MinGW] Go to the MinGW website and download the installer.",
        "  2. [Run the Installer] During installation, select the `mingw-w64` package to install the GCC compiler.",
        "  3. [Set Environment Variables]",
        "      - Search for 'Environment Variables' in the Start menu.",
    ]) in out  # fmt: skip
    assert "\n".join([
        "  4. [Verify Installation] Open Command Prompt and type:",
        "      code (bash):",
        "        | gcc --version",
        "      ¶ This command checks if GCC is accessible from the command prompt.",
    ]) in out  # fmt: skip
    assert "      - Add the path to the MinGW `bin` folder, typically `C:\\MinGW\\bin`.\n" in out


def test_show__tables_with_their_size_and_cells() -> None:
    out = run(show, str(DOCS / "170192.md")).stdout
    assert "\n".join([
        "### Truth Table for Exclusive-Or",
        "  ¶ Here is the truth table for the exclusive-or operator:",
        "  table (3 columns, 4 rows):",
        "    | \\(p\\) | \\(q\\) | \\(p \\oplus q\\) |",
        "    | T | T | F |",
        "    | T | F | T |",
        "    | F | T | T |",
        "    | F | F | F |",
    ]) in out  # fmt: skip


def test_show__display_math_line_by_line() -> None:
    pid = run(show, str(DOCS / "139465.md")).stdout
    assert "  math:\n    $ u(t) = K_p e(t) + K_i \\int_0^t e(\\tau) d\\tau + K_d \\frac{de(t)}{dt}\n" in pid
    rotation = run(show, str(DOCS / "162132.md")).stdout
    assert "\n".join([
        "  math:",
        "    $ x' = x \\cos(\\theta) + y \\sin(\\theta) \\\\",
        "    $ y' = -x \\sin(\\theta) + y \\cos(\\theta)",
    ]) in rotation  # fmt: skip


def test_show__hard_break_continues_under_its_paragraph() -> None:
    out = run(show, str(DOCS / "hard-breaks.md")).stdout
    assert "intro:\n  ¶ Given:  \n    (a) first line  \n    (b) second line\n  ¶ A soft break joins lines.\n" in out


def test_show_json__is_the_document_model_as_json() -> None:
    result = run(show, "--json", str(DOCS / "63672.md"))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["type"], data["id"], data["subject_key"], data["summary"]) == (
        "Document", "63672", "computer science", None
    )
    assert [s["heading"] for s in data["sections"]] == [
        "For macOS:", "For Windows:", "Compiling and Running a C Program:"
    ]
    points = data["sections"][0]["blocks"][0]
    assert (points["type"], points["ordered"], points["start"]) == ("PointList", True, 1)
    install = points["points"][1]
    assert install["term"] == "Install Xcode Command Line Tools"
    assert install["children"][0] == {"type": "CodeBlock", "code": "xcode-select --install", "language": "bash"}


def test_show_json__keeps_non_ascii_and_tex_unescaped() -> None:
    out = run(show, "--json", str(DOCS / "170255.md")).stdout
    assert '"text": "`¬`"' in out and "\\\\(p \\\\land ¬q \\\\lor r\\\\)" in out
    data = json.loads(out)
    assert data["sections"][0]["blocks"][1]["points"][1] == {
        "type": "Point", "term": "Negation", "text": "`¬`", "children": []
    }


def test_show__rejected_file_prints_its_message_and_exits_1() -> None:
    path = FIXTURES / "bad" / "yaml-syntax-error.md"
    result = run(show, str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"{path}:6: YAML syntax error: mapping values are not allowed in this context\n"


def test_show__missing_file_exits_1(tmp_path: Path) -> None:
    result = run(show, str(tmp_path / "nope.md"))
    assert (result.exit_code, result.stderr) == (1, f"{tmp_path / 'nope.md'}: cannot read file: No such file or directory\n")


@pytest.mark.parametrize("args", [[], [str(FIXTURES)], ["--bogus", "x.md"]], ids=["no file", "a folder", "bad option"])
def test_show__usage_errors_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(show, args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr and result.stdout == ""


# ---------------------------------------------------------------- lint


def test_lint__default_is_content_and_all_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    count = len(list(CONTENT.glob("*.md")))
    result = run(lint)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "", f"{count} files: {count} documents parsed, 0 rejected\n"
    )


def test_lint__installed_command_exit_codes_and_streams(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("no front matter\n", encoding="utf-8")
    quizgen = [sys.executable, "-c", "from quizgen.cli import main; main()"]
    bad = subprocess.run([*quizgen, "lint", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert (bad.returncode, bad.stdout) == (1, "")
    assert bad.stderr.splitlines() == [
        f"{tmp_path / 'bad.md'}:1: no YAML front matter: the file must start with a '---' line "
        "(hint: QuickTakes documents begin with '---', the YAML fields, then '---')",
        "1 files: 0 documents parsed, 1 rejected",
    ]
    good = subprocess.run([*quizgen, "lint", str(DOCS)], capture_output=True, text=True, cwd=ROOT)
    assert (good.returncode, good.stdout) == (0, "")
    usage = subprocess.run([*quizgen, "lint", "--nope"], capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 2 and "No such option" in usage.stderr


# ---------------------------------------------------------------- help


def test_help__the_group_lists_every_command_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["--help"], prog_name="quizgen")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    for name in cli.commands:
        assert name in result.stdout


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_help__every_command_exits_0_and_shows_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"], prog_name="quizgen")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
    assert f"quizgen {name}" in result.stdout


def test_help__short_h_works_for_every_command_under_the_group() -> None:
    # a fresh process: click caches a command's help option the first time it runs,
    # and tests elsewhere invoke commands on their own, without the group's `-h`
    script = (
        "from click.testing import CliRunner\n"
        "from quizgen.cli import cli\n"
        "for name in sorted(cli.commands):\n"
        "    result = CliRunner().invoke(cli, [name, '-h'], prog_name='quizgen')\n"
        "    print(name, result.exit_code, 'Example' in result.output)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.splitlines() == [f"{name} 0 True" for name in sorted(cli.commands)]


def test_help__lint_and_show_are_registered() -> None:
    assert {"lint", "show"} <= set(cli.commands)
