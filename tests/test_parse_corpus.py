"""Real QuickTakes documents: every one parses, and the hard ones parse exactly right.

The exact-structure tests read copies of real corpus documents kept in
tests/fixtures/docs/ (chosen for code in list items, tables, `\\neq`/`\\nu` TeX,
`pmatrix`, Windows paths, non-ASCII, `<div>` as text, hard breaks), so they run on a
fresh clone; the corpus-wide tests need ../shared/corpus and skip without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONTENT, FIXTURES, SHARED_CORPUS, content_files, corpus_file, corpus_files, needs_corpus

from quizgen.commands.lint import command as lint
from quizgen.model import Block, CodeBlock, Document, MathBlock, Paragraph, PointList, Quote, Section, Table
from quizgen.parse.document import read_document
from quizgen.sources import read_all

DOCS = FIXTURES / "docs"
COPIES = sorted(p for p in DOCS.glob("*.md") if p.stem.isdigit())


def doc(name: str) -> Document:
    return read_document(DOCS / f"{name}.md")


def kind(block: Block) -> str:
    """A block in a word; a point list as its terms, each with its children's kinds."""
    if isinstance(block, Paragraph):
        return "P"
    if isinstance(block, CodeBlock):
        return f"Code[{block.language}]"
    if isinstance(block, MathBlock):
        return "Math"
    if isinstance(block, Table):
        return f"Table{len(block.header)}x{len(block.rows)}"
    if isinstance(block, Quote):
        return "Quote(" + " ".join(kind(b) for b in block.blocks) + ")"
    points = [
        repr(p.term) + ("{" + " ".join(kind(c) for c in p.children) + "}" if p.children else "")
        for p in block.points
    ]
    return ("OL" if block.ordered else "UL") + "(" + ", ".join(points) + ")"


def outline(document: Document) -> list[str]:
    """Intro and sections as lines: `intro: P OL(...)`, `### Heading: P Table3x4`, nested by indent."""
    lines = ["intro: " + " ".join(kind(b) for b in document.intro)]

    def walk(section: Section, indent: str) -> None:
        blocks = " ".join(kind(b) for b in section.blocks)
        lines.append(f"{indent}{'#' * section.level} {section.heading}: {blocks}".rstrip())
        for sub in section.subsections:
            walk(sub, indent + "  ")

    for section in document.sections:
        walk(section, "")
    return lines


def blocks_of(document: Document, kind_: type) -> list:
    """Every block of one kind, in reading order, however deeply nested in points and quotes."""
    found: list = []

    def visit(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, kind_):
                found.append(block)
            if isinstance(block, PointList):
                for point in block.points:
                    visit(point.children)
            elif isinstance(block, Quote):
                visit(block.blocks)

    def visit_section(section: Section) -> None:
        visit(section.blocks)
        for sub in section.subsections:
            visit_section(sub)

    visit(document.intro)
    for section in document.sections:
        visit_section(section)
    return found


# ---------------------------------------------------------------- every document


@needs_corpus
def test_corpus__all_65_documents_parse_without_problems() -> None:
    result = read_all([SHARED_CORPUS])
    assert (result.files, len(result.documents), result.problems) == (65, 65, ())


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus__document_has_question_answer_and_structure(path: Path) -> None:
    document = read_document(path)
    assert document.question and document.answer and document.id == path.stem
    assert document.intro or document.sections
    assert "\\n\\n" not in document.answer  # the folded answer was decoded


def test_content__every_embedded_document_parses_without_problems() -> None:
    result = read_all([CONTENT])
    assert result.problems == ()
    assert len(result.documents) == result.files == len(content_files()) > 0


@needs_corpus
def test_lint__corpus_and_content_exit_0() -> None:
    result = CliRunner().invoke(lint, [str(SHARED_CORPUS), str(CONTENT)], catch_exceptions=False)
    files = 65 + len(content_files())
    assert (result.exit_code, result.stderr) == (0, f"{files} files: {files} documents parsed, 0 rejected\n")


@needs_corpus
@pytest.mark.parametrize("copy", COPIES, ids=lambda p: p.name)
def test_fixture_copy__is_the_corpus_document_unchanged(copy: Path) -> None:
    assert copy.read_bytes() == corpus_file(copy.name).read_bytes()


def test_fixture_copies__cover_at_least_eight_documents() -> None:
    assert len(COPIES) >= 8


# ---------------------------------------------------------------- code in list items, Windows paths


def test_63672__code_blocks_inside_numbered_points_and_a_windows_path() -> None:
    document = doc("63672")
    assert outline(document) == [
        "intro: P",
        "### For macOS:: OL('Open Terminal', 'Install Xcode Command Line Tools'{Code[bash] P})",
        "### For Windows:: OL('Download MinGW', 'Run the Installer', 'Set Environment Variables'"
        "{UL(None, None, None, None, None)}, 'Verify Installation'{Code[bash] P})",
        "### Compiling and Running a C Program:: OL('Create a C Source File', 'Open Command Prompt', "
        "'Compile the Program'{Code[bash]}, 'Run the Program'{Code[bash]}) P",
    ]
    assert blocks_of(document, CodeBlock) == [
        CodeBlock("xcode-select --install", "bash"),
        CodeBlock("gcc --version", "bash"),
        CodeBlock("gcc sourcefile_name.c -o outputfile.exe", "bash"),
        CodeBlock("outputfile.exe", "bash"),
    ]
    env = document.sections[1].blocks[0].points[2].children[0]
    assert env.points[4].text == "Add the path to the MinGW `bin` folder, typically `C:\\MinGW\\bin`."
    assert document.summary is None  # "By following these steps, ..." is no summary lead


def test_52691__code_two_levels_deep_in_list_items() -> None:
    document = doc("52691")
    terms = [p.term for p in document.intro[1].points]
    assert terms == [
        "Setting Tick Positions and Labels", "Using Tick Formatters", "Customizing Tick Parameters",
        "Using Locators", "Rotating Tick Labels", "Customizing Major and Minor Ticks", "Using Styles",
    ]  # fmt: skip
    assert all(kind(p.children[0]) == "UL(None{Code[python]})" for p in document.intro[1].points)
    codes = blocks_of(document, CodeBlock)
    assert [c.code.split("\n")[0] for c in codes] == [
        "ax.set_xticks([0, 1, 2, 3])",
        "from matplotlib.ticker import FuncFormatter",
        "ax.tick_params(axis='x', length=10, width=2, color='red')",
        "from matplotlib.ticker import MultipleLocator",
        "ax.set_xticklabels(['Label1', 'Label2', 'Label3'], rotation=45)",
        "ax.xaxis.set_minor_locator(MultipleLocator(0.5))",
        "plt.style.use('seaborn-darkgrid')",
    ]
    assert codes[1].code == (
        "from matplotlib.ticker import FuncFormatter\n"
        "ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f'{x:.2f}'))"
    )


def test_15641__angle_brackets_in_inline_code_and_a_prompt_in_a_code_block() -> None:
    document = doc("15641")
    passwords = document.intro[1].points[0].children[0].points[1]
    assert passwords.text.startswith(
        "For user accounts, avoid using the `username <username> password <password>` command."
    )
    assert blocks_of(document, CodeBlock) == [
        CodeBlock("Switch(config)# hostname Switch9k\nSwitch9k(config)# ip domain name npg.com", "bash"),
    ]


def test_116297__drive_root_in_code_nested_points_and_a_curly_apostrophe() -> None:
    document = doc("116297")
    assert outline(document) == [
        "intro: P OL('Definition'{UL('Absolute Path', 'Relative Path')}, 'Usage Context'{UL(None, None)}, "
        "'Structure'{UL(None, None)}, 'Portability'{UL(None, None)}, 'Error Handling'{UL(None, None)})",
    ]
    assert document.intro[0].text.endswith("Here\u2019s a detailed comparison:")
    structure = document.intro[1].points[2].children[0].points[0]
    assert "a drive letter (like `C:\\`) in Windows, indicating the root" in structure.text
    assert document.summary.startswith("In summary, absolute paths provide a definitive location")


def test_105434__backslash_operator_survives_in_fenced_code() -> None:
    (code,) = blocks_of(doc("105434"), CodeBlock)
    assert code.language == "python"  # as labelled by the author, though it is MATLAB
    assert code.code.split("\n")[3] == "V = Y_Mat\\b; % Solve for node voltages"


# ---------------------------------------------------------------- tables


def test_170192__two_truth_tables_with_math_headers() -> None:
    document = doc("170192")
    assert outline(document) == [
        "intro: P",
        "### Definition of Exclusive-Or (XOR): P",
        "### Truth Table for Exclusive-Or: P Table3x4",
        "### Definition of Regular Disjunction (OR): P",
        "### Truth Table for Disjunction: P Table3x4",
        "### Key Differences: OL('Condition for Truth'{UL('Exclusive-Or (XOR)', 'Disjunction (OR)')}, "
        "'Truth Value When Both Are True'{UL('XOR', 'OR')})",
        "### Example: P UL(None, None, None, None) P",
    ]
    xor, disjunction = blocks_of(document, Table)
    assert xor == Table(
        ("\\(p\\)", "\\(q\\)", "\\(p \\oplus q\\)"),
        (("T", "T", "F"), ("T", "F", "T"), ("F", "T", "T"), ("F", "F", "F")),
    )
    assert disjunction.header == ("\\(p\\)", "\\(q\\)", "\\(p \\lor q\\)")
    assert [row[2] for row in disjunction.rows] == ["T", "T", "T", "F"]


def test_98928__transition_table_and_bold_leads_without_separator() -> None:
    document = doc("98928")
    assert outline(document) == [
        "intro: P",
        "### Structure of a Transition Table: P UL(None, None, None) P Table3x6",
        "### Purpose of a Transition Table: OL('Clarity', 'Deterministic vs Non-Deterministic', "
        "'Formal Specification', 'Problem Solving')",
    ]
    (table,) = blocks_of(document, Table)
    assert table.header == ("Current State", "Input", "Next State")
    assert table.rows == (("S0", "0", "S1"), ("S0", "1", "S2"), ("S1", "0", "S0"),
                          ("S1", "1", "S2"), ("S2", "0", "S1"), ("S2", "1", "S0"))  # fmt: skip
    rows = document.sections[0].blocks[1].points[0]
    assert (rows.term, rows.text) == (None, "**Rows** represent the current states of the automaton.")


# ---------------------------------------------------------------- math


def test_139465__display_block_starting_with_u_not_nu() -> None:
    document = doc("139465")
    assert outline(document) == [
        "intro: P",
        "### Components of a PID Controller:: OL('Proportional (P) Component'{UL(None)}, "
        "'Integral (I) Component'{UL(None)}, 'Derivative (D) Component'{UL(None)})",
        "### Working Principle:: P Math P UL(None, None, None)",
        "### Applications:: P",
    ]
    assert blocks_of(document, MathBlock) == [
        MathBlock("u(t) = K_p e(t) + K_i \\int_0^t e(\\tau) d\\tau + K_d \\frac{de(t)}{dt}")
    ]
    where = document.sections[1].blocks[3]
    assert [p.text for p in where.points] == [
        "\\(u(t)\\) is the control output,",
        "\\(e(t)\\) is the error at time \\(t\\),",
        "\\(K_p\\), \\(K_i\\), and \\(K_d\\) are the proportional, integral, and derivative gains, respectively.",
    ]
    assert document.summary.startswith("In summary, a PID controller combines")


def test_162132__pmatrix_rows_and_row_breaks_kept() -> None:
    document = doc("162132")
    assert outline(document) == ["intro: P P Math P Math P Math", "### Example: P UL(None, None) P Math P"]
    maths = [m.tex for m in blocks_of(document, MathBlock)]
    assert maths[0] == (
        "\\begin{pmatrix}\nx' \\\\\ny'\n\\end{pmatrix}\n=\n"
        "\\begin{pmatrix}\n\\cos(-\\theta) & -\\sin(-\\theta) \\\\\n\\sin(-\\theta) & \\cos(-\\theta)\n\\end{pmatrix}\n"
        "\\begin{pmatrix}\nx \\\\\ny\n\\end{pmatrix}"
    )
    assert maths[2] == "x' = x \\cos(\\theta) + y \\sin(\\theta) \\\\\ny' = -x \\sin(\\theta) + y \\cos(\\theta)"
    assert maths[3] == "x' = 1 \\cdot 0 + 0 \\cdot 1 = 0 \\\\\ny' = -1 \\cdot 1 + 0 \\cdot 0 = -1"
    assert len(maths) == 4


def test_188941__inline_pmatrix_and_a_math_block_inside_a_point() -> None:
    document = doc("188941")
    assert outline(document) == [
        "intro: P P Math P UL(None, None)",
        "### Key Points of the Relationship:: OL('Column Space', 'Null Space', 'Matrix Rank Theorem'{Math P})",
        "### Example: P Math P OL(None, None) P Math P Math P",
    ]
    assert [m.tex for m in blocks_of(document, MathBlock)] == [
        "\\text{rank}(A) + \\text{nullity}(A) = n",
        "\\text{rank}(A) + \\text{dim}(\\text{null}(A)) = n",
        "A = \\begin{pmatrix} 1 & 2 \\\\ 3 & 6 \\end{pmatrix}",
        "\\begin{pmatrix} 1 & 2 \\\\ 0 & 0 \\end{pmatrix}",
        "\\text{nullity}(A) = n - \\text{rank}(A) = 2 - 1 = 1",
    ]


def test_30141__vmatrix_blocks_inside_numbered_points() -> None:
    document = doc("30141")
    assert outline(document) == [
        "intro: P P OL('Set Up the Matrix'{P Math}, 'Calculate the Determinant'{Math P Math}, "
        "'Interpretation'{Math P}) P",
    ]
    first = blocks_of(document, MathBlock)[0]
    assert first.tex == (
        "\\begin{vmatrix}\n\\hat{i} & \\hat{j} & \\hat{k} \\\\\nA_x & A_y & A_z \\\\\nB_x & B_y & B_z\n\\end{vmatrix}"
    )
    assert document.intro[0].text.endswith("denoted by the symbol \\(\\times\\).")


@pytest.mark.parametrize(
    "name, where, fragment",
    [
        ("104659", lambda d: d.sections[0].blocks[2].text, "(where at least one \\(a_i \\neq 0\\)), the vectors"),
        ("135376", lambda d: d.intro[1].points[0].text, "\\[H_1: \\text{At least one } \\beta_j \\neq 0\\]"),
        ("81113", lambda d: d.intro[1].points[3].children[0].points[1].text, "If \\(f(c) \\neq 0\\), determine"),
    ],
)
def test_neq__survives_in_inline_and_display_math(name: str, where, fragment: str) -> None:
    assert fragment in where(doc(name))


def test_135376__display_math_on_its_own_line_stays_in_its_point() -> None:
    document = doc("135376")
    assert outline(document) == [
        "intro: P OL('Formulating Hypotheses', 'Types of Tests'{UL('Individual Coefficient Tests', "
        "'Overall Model Significance', 'Joint Hypothesis Tests')}, 'Interpreting Results', 'Confidence Intervals')",
    ]
    tests = document.intro[1].points[1].children[0].points
    assert tests[0].text.startswith("These tests assess whether each individual coefficient")
    assert "\\[t = \\frac{\\hat{\\beta_j}}{SE(\\hat{\\beta_j})}\\] where \\(\\hat{\\beta_j}\\) is" in tests[0].text


def test_122906__short_values_after_a_term_lose_their_colon() -> None:
    example = doc("122906").sections[1]
    assert [(p.term, p.text) for p in example.blocks[1].points] == [
        ("Sample Mean (\\(\\bar{x}\\))", "100"),
        ("Standard Error (SE)", ""),
        ("Z-score for 95% CI", "1.96"),
        ("Margin of Error (ME)", ""),
        ("Confidence Interval", ""),
    ]


# ---------------------------------------------------------------- HTML as text, non-ASCII, hard breaks


def test_119667__div_as_text_and_a_python_block() -> None:
    document = doc("119667")
    assert outline(document) == [
        "intro: P",
        "### Key Features of Frames in Tkinter:: OL('Container for Widgets', 'Nesting Frames', 'Visual Organization')",
        "### Creating a Frame in Tkinter:: P Code[python] P",
        "### Layout Management:: P",
    ]
    visual = document.sections[0].blocks[0].points[2]
    assert "similar to how `<div>` elements are used in web development." in visual.text
    (code,) = blocks_of(document, CodeBlock)
    lines = code.code.split("\n")
    assert (lines[0], lines[5], lines[-1], len(lines)) == (
        "import tkinter as tk", 'root.title("Frame Example")', "root.mainloop()", 17
    )


def test_170255__operator_symbols_as_labels() -> None:
    document = doc("170255")
    precedence = document.sections[0].blocks[1]
    assert [(p.term, p.text) for p in precedence.points] == [
        ("Parentheses", "`()`"), ("Negation", "`¬`"), ("Conjunction", "`∧`"),
        ("Disjunction", "`∨`"), ("Implication", "`→`"), ("Bi-implication", "`↔`"),
    ]  # fmt: skip
    assert "\\(p \\land ¬q \\lor r\\)" in document.sections[3].blocks[0].text


def test_3608__hard_break_and_bold_terms_ending_in_a_colon() -> None:
    document = doc("3608")
    assert outline(document)[:2] == [
        "intro: P",
        "### Example 1: Coin Tossing: P P OL('Parameters'{UL(None, None, None)}, "
        "'(a) Probability of Exactly 2 Heads'{Math P Math P Math}, "
        "'(b) Probability of At Least 4 Heads'{UL(None{Math}, None{Math}) P Math})",
    ]
    problem = document.sections[0].blocks[0]
    assert problem.text == (
        "**Problem:** If a fair coin is tossed 5 times, find the probability of: (a) Exactly 2 heads  \n"
        "(b) At least 4 heads"
    )
    assert blocks_of(document, MathBlock)[0] == MathBlock("P(X = x) = \\binom{n}{x} p^x q^{n-x}")
