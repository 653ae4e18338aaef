"""The `\\n` decoder: line breaks restored, LaTeX, code and Windows paths untouched.

Inputs are written as raw strings, exactly as they stand in a folded QuickTakes answer
(the two characters backslash and `n`); expected values use real newlines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, SHARED_CORPUS, needs_corpus
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.parse.escapes import decode_newlines

DOCS = FIXTURES / "docs"


def raw_answer(path: Path) -> str:
    """The `answer` field as stored, before any decoding."""
    front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n")
    return yaml.safe_load(front)["answer"]


# ---------------------------------------------------------------- prose


def test_decode__prose_newlines_become_line_breaks() -> None:
    assert decode_newlines(r"First.\n\n### Heading\n\n- item\n- next") == "First.\n\n### Heading\n\n- item\n- next"


def test_decode__text_without_a_literal_newline_is_returned_as_is() -> None:
    text = r"C:\MinGW\bin and $\theta$ and \times"
    assert decode_newlines(text) is text


def test_decode__windows_path_in_prose_is_untouched_and_later_newlines_still_decode() -> None:
    assert decode_newlines(r"typically C:\MinGW\bin.\nNext step") == "typically C:\\MinGW\\bin.\nNext step"


def test_decode__drive_root_in_inline_code_ends_at_its_backtick() -> None:
    # "`C:\`": the backslash must not escape the closing backtick, or the rest is code
    assert decode_newlines(r"a drive letter (like `C:\`) in Windows.\n\n4. **Next**") == (
        "a drive letter (like `C:\\`) in Windows.\n\n4. **Next**"
    )


def test_decode__escaped_backslash_before_n_in_prose_is_not_a_newline() -> None:
    assert decode_newlines(r"write \\n for a newline\nnext") == "write \\\\n for a newline\nnext"


def test_decode__unmistakable_tex_command_in_prose_survives() -> None:
    assert decode_newlines(r"the gradient \nabla f and a \neq b\nnext") == (
        "the gradient \\nabla f and a \\neq b\nnext"
    )


def test_decode__prose_line_starting_with_a_tex_like_word_is_a_line_break() -> None:
    # "\nexists" would be TeX in math; in prose it is a line that begins "exists"
    assert decode_newlines(r"A proof\nexists for this.\nnu is a letter") == "A proof\nexists for this.\nnu is a letter"


def test_decode__money_is_not_math_so_its_newlines_decode() -> None:
    # if "$5 and\nnot $" were math, "\not" would be kept as a TeX command
    assert decode_newlines(r"It costs $5 and\nnot $10.") == "It costs $5 and\nnot $10."
    assert decode_newlines(r"Pay $5 and $10\nthen leave") == "Pay $5 and $10\nthen leave"


# ---------------------------------------------------------------- math


@pytest.mark.parametrize(
    "raw",
    [
        r"$\nabla f$",
        r"$a \neq b$",
        r"$ a_i \neq 0 $",
        r"\( \nu \)",
        r"\(f(c) \neq 0\)",
        r"\[ \nu = \frac{1}{2} \]",
        r"$$ H_1: \text{At least one } \beta_j \neq 0 $$",
        r"$x \notin A$",
    ],
)
def test_decode__tex_commands_starting_with_n_survive_in_inline_math(raw: str) -> None:
    assert decode_newlines(raw + r"\nafter") == raw + "\nafter"


def test_decode__theta_and_times_are_untouched() -> None:
    assert decode_newlines(r"$\theta \times 2$\n\( \vec{A} \times \vec{B} \)") == (
        "$\\theta \\times 2$\n\\( \\vec{A} \\times \\vec{B} \\)"
    )


def test_decode__tex_row_break_followed_by_newline() -> None:
    assert decode_newlines(r"$$x \\\ny$$") == "$$x \\\\\ny$$"


def test_decode__display_math_block__first_newline_is_a_line_break() -> None:
    # "$$\nu(t)..." written as a block: "$$", newline, "u(t) = ...", never "\nu"
    assert decode_newlines(r"$$\nu(t) = K_p e(t)\n$$") == "$$\nu(t) = K_p e(t)\n$$"


def test_decode__display_math_block__tex_command_after_the_first_newline_survives() -> None:
    assert decode_newlines(r"$$\n\nabla \cdot E = \nu\n$$") == "$$\n\\nabla \\cdot E = \\nu\n$$"


def test_decode__bracket_display_block__first_newline_is_a_line_break() -> None:
    assert decode_newlines(r"\[\nu = 1\n\]") == "\\[\nu = 1\n\\]"


def test_decode__inline_bracket_math_keeps_nu() -> None:
    assert decode_newlines(r"\[\nu = 1\]\nnext") == "\\[\\nu = 1\\]\nnext"


def test_decode__pmatrix_rows_break_after_double_backslash() -> None:
    raw = r"$$\n\begin{pmatrix}\nx' \\\ny'\n\end{pmatrix}\n$$"
    assert decode_newlines(raw) == "$$\n\\begin{pmatrix}\nx' \\\\\ny'\n\\end{pmatrix}\n$$"


def test_decode__math_never_spans_a_paragraph_break() -> None:
    # an unmatched "$" must not turn the next paragraph's "\nu..." into TeX
    assert decode_newlines(r"costs $x\n\nnumbers follow $") == "costs $x\n\nnumbers follow $"


# ---------------------------------------------------------------- code


def test_decode__inline_code_keeps_its_escape_sequence() -> None:
    assert decode_newlines(r'call `printf("a\n")` then\nreturn') == 'call `printf("a\\n")` then\nreturn'


def test_decode__fenced_code_keeps_escapes_inside_double_quoted_strings() -> None:
    raw = r'```python\nprint("a\nb")\nx = 1\n```\nafter'
    assert decode_newlines(raw) == '```python\nprint("a\\nb")\nx = 1\n```\nafter'


@pytest.mark.parametrize(
    "line",
    [
        r"text = '\n'.join(lines)",
        r"if (c == '\n') {",
        r"print('a\nb')",
        r"print(f'{x}\n')",
        r"""print("it's\n")""",
        r'printf("Value: %d\n", x);',
    ],
)
def test_decode__fenced_code_keeps_escapes_inside_string_literals(line: str) -> None:
    raw = r"```c\n" + line + r"\nnext();\n```"
    assert decode_newlines(raw) == "```c\n" + line + "\nnext();\n```"


@pytest.mark.parametrize(
    "first, second",
    [
        ("# don't panic", "x = 1"),  # an apostrophe is no string
        ("y = [1 2 3]';", "fprintf('%d', y)"),  # MATLAB transpose
        ("B = A';", "C = 1"),
        ("x = '\"'", "y = 1"),  # a double quote inside single quotes
        ("' a VB comment", "Dim x"),  # never closes on its line
        ('    """', "    Summary."),  # a docstring's lines are lines
    ],
)
def test_decode__fenced_code_line_breaks_after_quotes_that_are_not_open_strings(first: str, second: str) -> None:
    raw = "```\\n" + first + "\\n" + second + "\\n```"
    assert decode_newlines(raw) == f"```\n{first}\n{second}\n```"


def test_decode__indented_fence_in_a_list_item() -> None:
    raw = r'2. **Install**: Type:\n   ```bash\n   echo -e "a\nb"\n   ```\n   Done.'
    assert decode_newlines(raw) == '2. **Install**: Type:\n   ```bash\n   echo -e "a\\nb"\n   ```\n   Done.'


def test_decode__fenced_code_backslashes_are_not_escapes() -> None:
    raw = r"```matlab\nV = Y_Mat\b; % solve\n```"
    assert decode_newlines(raw) == "```matlab\nV = Y_Mat\\b; % solve\n```"


# ---------------------------------------------------------------- real documents


def test_decode__real_pid_controller_display_block() -> None:
    decoded = decode_newlines(raw_answer(DOCS / "139465.md"))
    assert "\n\n$$\nu(t) = K_p e(t) + K_i \\int_0^t e(\\tau) d\\tau + K_d \\frac{de(t)}{dt}\n$$\n\n" in decoded
    assert "- \\( u(t) \\) is the control output,\n- \\( e(t) \\) is the error at time $ t $,\n" in decoded


def test_decode__real_rotation_matrix_keeps_pmatrix_rows() -> None:
    decoded = decode_newlines(raw_answer(DOCS / "162132.md"))
    assert "$$\n\\begin{pmatrix}\nx' \\\\\ny'\n\\end{pmatrix}\n=\n\\begin{pmatrix}\n\\cos(-\\theta) & -\\sin(-\\theta) \\\\\n" in decoded
    assert "$$\nx' = x \\cos(\\theta) + y \\sin(\\theta) \\\\\ny' = -x \\sin(\\theta) + y \\cos(\\theta)\n$$" in decoded


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("104659.md", "(where at least one $ a_i \\neq 0 $), the vectors"),
        ("135376.md", "   $$ H_1: \\text{At least one } \\beta_j \\neq 0 $$\n\n2. **Types of Tests**"),
        ("81113.md", "   - If \\(f(c) \\neq 0\\), determine which subinterval"),
    ],
)
def test_decode__real_neq_survives(name: str, fragment: str) -> None:
    assert fragment in decode_newlines(raw_answer(DOCS / name))


def test_decode__real_windows_paths_survive() -> None:
    mingw = decode_newlines(raw_answer(DOCS / "63672.md"))
    assert "   - Add the path to the MinGW `bin` folder, typically `C:\\MinGW\\bin`.\n4. **Verify Installation**" in mingw
    paths = decode_newlines(raw_answer(DOCS / "116297.md"))
    assert "a drive letter (like `C:\\`) in Windows, indicating the root of the file system.\n   - A **relative path**" in paths


def test_decode__real_matlab_backslash_in_code_survives() -> None:
    decoded = decode_newlines(raw_answer(DOCS / "105434.md"))
    assert "   V = Y_Mat\\b; % Solve for node voltages\n   ```" in decoded


@needs_corpus
def test_decode__no_literal_newline_is_left_in_the_corpus_outside_tex() -> None:
    left = {}
    for path in sorted(SHARED_CORPUS.glob("*.md")):
        decoded = decode_newlines(raw_answer(path))
        # every "\n" still there must begin a TeX command (\neq, \nu, \nabla ...)
        stray = [m.group(0) for m in re.finditer(r"\\n[a-zA-Z]*", decoded) if m.group(0) not in (r"\neq", r"\nu", r"\nabla")]
        if stray:
            left[path.name] = stray
    assert left == {}


# ---------------------------------------------------------------- properties

PROSE = st.text(st.characters(blacklist_characters="\\$`", blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=200, deadline=None)
@given(PROSE)
def test_decode__prose_round_trips_through_literal_newlines(text: str) -> None:
    # text without backslashes (nor math or code delimiters, where "\n" may be an escape)
    assert decode_newlines(text.replace("\n", "\\n")) == text


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("\\n$`'\"{}()[] abuxq\n")), max_size=80) | st.text(max_size=200))
def test_decode__only_ever_turns_a_literal_newline_into_a_line_break(raw: str) -> None:
    # whatever it decides, nothing but "\n" pairs change, and nothing is lost
    assert decode_newlines(raw).replace("\n", "\\n") == raw.replace("\n", "\\n")
