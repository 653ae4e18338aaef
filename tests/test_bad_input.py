"""The bad-input catalogue: each rejected file gets one exact `path:line: message`, and
the other files of the same run still parse.

Text cases are files in tests/fixtures/bad/ (one per edge case, named for it); binary
ones (Latin-1, NUL bytes, BOM, CRLF, raw control characters) are written by the tests.
"""

from __future__ import annotations

import dataclasses
import os
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import CONTENT, FIXTURES

from quizgen.commands.lint import command as lint
from quizgen.errors import DocumentError, QuizgenError
from quizgen.model import PointList, Problem
from quizgen.parse.document import read_document
from quizgen.sources import read_all
from quizgen.parse import frontmatter

BAD = FIXTURES / "bad"
GOOD = CONTENT / "170601.md"
SEED_BYTES = GOOD.read_bytes()

HINT_FRONT = "\n  hint: QuickTakes documents begin with '---', the YAML fields, then '---'"
HINT_TAG = "\n  hint: front matter holds plain text, numbers, lists and mappings only"
HINT_ANSWER = "\n  hint: write the answer in an `answer:` field or as markdown below the front matter"
HINT_UTF8 = "\n  hint: save the file as UTF-8 and run quizgen again"
HINT_BINARY = "\n  hint: quizgen reads UTF-8 markdown files"
HINT_TWICE = "\n  hint: keep one of them: merge their text, or rename the other"

# file -> (line, message, hint): str(error) is exactly "path:line: message" + hint
REJECTED = {
    "no-front-matter.md": (1, "no YAML front matter: the file must start with a '---' line", HINT_FRONT),
    "unclosed-front-matter.md": (1, "front matter is never closed: no second '---' line", ""),
    "yaml-syntax-error.md": (6, "YAML syntax error: mapping values are not allowed in this context", ""),
    "alias-bomb.md": (3, "YAML anchors and aliases are not allowed", ""),
    "python-tag.md": (5, "YAML tag !!python/object/apply:os.system is not allowed", HINT_TAG),
    "front-matter-list.md": (2, "front matter must be a mapping of fields, got a list", ""),
    "question-missing.md": (6, "`question` is missing", ""),  # the closing '---': add it there
    "question-empty.md": (3, "`question` is empty", ""),
    "question-list.md": (3, "`question` must be text, got a list", ""),
    "question-number.md": (3, "`question` must be text, got a number", ""),
    "answer-empty.md": (5, "`answer` is empty", ""),
    "answer-list.md": (5, "`answer` must be text, got a list", ""),
    "answer-number.md": (5, "`answer` must be text, got a number", ""),
    "answer-missing-empty-body.md": (6, "`answer` is missing", HINT_ANSWER),
    "subject-number.md": (7, "`subject` must be text, got a number", ""),
    "id-list.md": (2, "`id` must be text or a number, got a list", ""),
    "answer-twice.md": (6, "`answer` is given twice (also on line 4); YAML would keep only the last", HINT_TWICE),
}


def expected(path: Path, line: int | None, message: str, hint: str = "") -> str:
    where = f"{path}:{line}" if line is not None else str(path)
    return f"{where}: {message}{hint}"


def rejection(path: Path) -> QuizgenError:
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    return caught.value


def assert_others_still_parse(bad: Path, line: int | None, message: str, hint: str) -> None:
    """read_all over [good, bad, good copy]: both good files parse, the bad one is one Problem."""
    other = bad.parent / "zz-good.md"
    other.write_bytes(SEED_BYTES)
    try:
        result = read_all([GOOD, bad, other])
    finally:
        other.unlink()
    hint_text = f" (hint: {hint.removeprefix(chr(10) + '  hint: ')})" if hint else ""
    assert [d.path for d in result.documents] == [str(GOOD), str(other)]
    assert result.problems == (Problem(str(bad), message + hint_text, line),)


def seed_with(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- the catalogue, file by file


def test_catalogue__every_bad_fixture_is_listed() -> None:
    assert sorted(p.name for p in BAD.glob("*.md")) == sorted(REJECTED)


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_bad_file__rejected_with_its_exact_message(name: str) -> None:
    line, message, hint = REJECTED[name]
    path = BAD / name
    error = rejection(path)
    assert str(error) == expected(path, line, message, hint)
    assert (error.path, error.line, error.message) == (str(path), line, message)


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_bad_file__other_files_in_the_same_run_still_parse(name: str, tmp_path: Path) -> None:
    bad = tmp_path / name
    bad.write_bytes((BAD / name).read_bytes())
    assert_others_still_parse(bad, *REJECTED[name])


# ---------------------------------------------------------------- YAML hazards


def test_alias_bomb__rejected_before_anything_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_construct(*args: object, **kwargs: object) -> None:
        raise AssertionError("construction reached: the alias bomb was not refused first")

    # composing the nodes is linear (an alias is the anchored node itself); building the
    # Python values is where 9**9 copies would be made, so that must never start
    monkeypatch.setattr(yaml, "load", no_construct)
    monkeypatch.setattr(frontmatter._Loader, "construct_document", no_construct)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = rejection(BAD / "alias-bomb.md")
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.message == "YAML anchors and aliases are not allowed"
    assert seconds < 2.0
    assert peak < 5_000_000  # bytes: 9**9 "lol"s would need gigabytes


def test_alias__a_single_harmless_alias_is_refused_too(tmp_path: Path) -> None:
    path = seed_with(tmp_path, "alias.md", b"---\nq: &q What is it?\nquestion: *q\nanswer: A thing.\n---\n")
    assert str(rejection(path)) == f"{path}:2: YAML anchors and aliases are not allowed"


def test_python_tag__never_executed(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command) or 0)
    rejection(BAD / "python-tag.md")
    assert calls == []
    assert "pwned" not in capfd.readouterr().out


@pytest.mark.parametrize(
    "value, tag",
    [
        ('!!python/object/apply:subprocess.check_output [["id"]]', "!!python/object/apply:subprocess.check_output"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!custom text", "!custom"),
    ],
)
def test_yaml_tags__only_plain_data_is_accepted(tmp_path: Path, value: str, tag: str) -> None:
    path = seed_with(tmp_path, "tag.md", f"---\nquestion: Why?\nanswer: {value}\n---\n".encode())
    assert str(rejection(path)) == f"{path}:3: YAML tag {tag} is not allowed{HINT_TAG}"


# ---------------------------------------------------------------- encodings and bytes


def test_latin1__names_the_byte_offset_and_line(tmp_path: Path) -> None:
    data = "---\nid: 990320\nquestion: >-\n    Caf\xe9 or tea?\nanswer: Tea.\n---\n".encode("latin-1")
    path = seed_with(tmp_path, "latin1.md", data)
    assert data.index(b"\xe9") == 35
    assert str(rejection(path)) == f"{path}:4: not UTF-8 (byte 0xe9 at offset 35){HINT_UTF8}"
    assert_others_still_parse(path, 4, "not UTF-8 (byte 0xe9 at offset 35)", HINT_UTF8)


def test_binary__nul_bytes_mean_not_a_text_file(tmp_path: Path) -> None:
    path = seed_with(tmp_path, "image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert str(rejection(path)) == f"{path}:3: not a text file (contains NUL bytes){HINT_BINARY}"  # first NUL
    assert_others_still_parse(path, 3, "not a text file (contains NUL bytes)", HINT_BINARY)


@pytest.mark.parametrize(
    "name, data",
    [
        ("bom.md", b"\xef\xbb\xbf" + SEED_BYTES),
        ("crlf.md", SEED_BYTES.replace(b"\n", b"\r\n")),
        ("bom-crlf.md", b"\xef\xbb\xbf" + SEED_BYTES.replace(b"\n", b"\r\n")),
        ("cr.md", SEED_BYTES.replace(b"\n", b"\r")),
    ],
)
def test_bom_and_crlf__accepted_and_parse_identical_to_lf(tmp_path: Path, name: str, data: bytes) -> None:
    assert b"\r" not in SEED_BYTES and not SEED_BYTES.startswith(b"\xef\xbb\xbf")
    lf = read_document(GOOD)
    other = read_document(seed_with(tmp_path, name, data))
    assert dataclasses.replace(other, path=lf.path) == lf


def test_crlf__yaml_error_lines_are_the_same_as_with_lf(tmp_path: Path) -> None:
    data = (BAD / "yaml-syntax-error.md").read_bytes().replace(b"\n", b"\r\n")
    path = seed_with(tmp_path, "crlf-bad.md", data)
    assert str(rejection(path)) == f"{path}:6: YAML syntax error: mapping values are not allowed in this context"


def test_control_characters__removed_from_every_field(tmp_path: Path) -> None:
    controls = "\x01\x07\x0b\x0c\x1b\x1f\x7f\x80\x9b\ufffe"
    data = (
        "---\n"
        f"id: 9903{controls}21\n"
        f"question: >-\n    What{controls} is{controls} this?\n"
        f"answer: >-\n    Field{controls}separator.\\n\\n- **Te\x1frm**: te\x1fxt\n"
        f"subject: Nurs{controls}ing\n"
        'title: "Escaped \\x1f and \\x07 too"\n'
        "---\n"
    ).encode()
    document = read_document(seed_with(tmp_path, "controls.md", data))
    assert (document.id, document.question, document.subject, document.title) == (
        "990321", "What is this?", "Nursing", "Escaped and too"
    )
    assert document.answer == "Fieldseparator.\n\n- **Term**: text"
    (points,) = document.intro[1:]
    assert isinstance(points, PointList) and (points.points[0].term, points.points[0].text) == ("Term", "text")


def test_control_characters__yaml_line_breaks_count_as_spaces_so_lines_stay_right(tmp_path: Path) -> None:
    data = "---\nid: 990322\nquestion: What\u2028is\x85this?\nsubject: Nursing: Adult\n---\n".encode()
    path = seed_with(tmp_path, "breaks.md", data)
    assert str(rejection(path)) == f"{path}:4: YAML syntax error: mapping values are not allowed in this context"


# ---------------------------------------------------------------- answer in the body


def test_answer_absent__markdown_body_is_the_answer(tmp_path: Path) -> None:
    data = b"---\nid: 990323\nquestion: Where?\n---\n\nHere, in the **body**.\n\n### Part\n\n- **Term**: text\n"
    document = read_document(seed_with(tmp_path, "body.md", data))
    assert document.answer == "Here, in the **body**.\n\n### Part\n\n- **Term**: text"
    assert [s.heading for s in document.sections] == ["Part"]


@pytest.mark.parametrize("body", ["", "\n", "&nbsp;\n", "\n&nbsp;\n\n&#160;\n  \n"])
def test_answer_absent__blank_or_nbsp_body_is_rejected(tmp_path: Path, body: str) -> None:
    path = seed_with(tmp_path, "blank.md", f"---\nid: 990324\nquestion: Where?\n---\n{body}".encode())
    assert str(rejection(path)) == f"{path}:4: `answer` is missing{HINT_ANSWER}"


@pytest.mark.parametrize(
    "fields, line, message",
    [
        ('question: Why?\nanswer: "\\\\n\\\\n"', 3, "`answer` is empty"),  # only literal "\n"s
        ("question: Why?\nanswer: '&nbsp;'", 3, "`answer` is empty"),
        ('question: "\\x1f"\nanswer: Because.', 2, "`question` is empty"),
        ("question: '\\n'\nanswer: Because.", 2, "`question` is empty"),
    ],
)
def test_blank_once_decoded__rejected_as_empty(tmp_path: Path, fields: str, line: int, message: str) -> None:
    path = seed_with(tmp_path, "blank.md", f"---\n{fields}\n---\n".encode())
    assert str(rejection(path)) == f"{path}:{line}: {message}"


# ---------------------------------------------------------------- size


def test_huge_document__3000_points_parse_in_bounded_time(tmp_path: Path) -> None:
    points = "\\n".join(
        f"{n}. **Term {n}**: Point {n} has $x_{{{n}}}$, `code {n}` and a [link](https://example.org/{n})."
        for n in range(1, 3001)
    )
    data = f"---\nid: 990325\nquestion: How big?\nanswer: >-\n    Intro.\\n\\n### Many\\n\\n{points}\n---\n"
    path = seed_with(tmp_path, "huge.md", data.encode())
    started = time.perf_counter()
    document = read_document(path)
    seconds = time.perf_counter() - started
    print(f"3000-point document ({len(data) // 1024} KiB) parsed in {seconds:.2f} s")
    (many,) = document.sections[0].blocks
    assert isinstance(many, PointList) and len(many.points) == 3000
    assert (many.points[-1].term, many.points[-1].text) == (
        "Term 3000",
        "Point 3000 has \\(x_{3000}\\), `code 3000` and a [link](<https://example.org/3000>).",
    )
    assert seconds < 30  # generous: about 1 s on a laptop


# ---------------------------------------------------------------- ids and subjects


def write_doc(folder: Path, name: str, *, id_: str, subject: str, answer: str = "An answer.") -> Path:
    text = yaml.safe_dump({"id": id_, "question": f"Question of {name}?", "answer": answer, "subject": subject})
    path = folder / name
    path.write_text(f"---\n{text}---\n", encoding="utf-8")
    return path


def test_same_id__both_files_parse_and_lint_warns(tmp_path: Path) -> None:
    first = write_doc(tmp_path, "a.md", id_="990330", subject="Nursing", answer="First.")
    second = write_doc(tmp_path, "b.md", id_="990330", subject="Nursing", answer="Second.")
    result = read_all([tmp_path])
    assert [(d.id, d.path) for d in result.documents] == [("990330", str(first)), ("990330", str(second))]
    assert result.problems == ()
    run = CliRunner().invoke(lint, [str(tmp_path)], catch_exceptions=False)
    assert run.exit_code == 0
    assert run.stderr == (
        f"{second}: warning: document id '990330' is also used by {first}\n"
        "2 files: 2 documents parsed, 0 rejected\n"
    )
    assert CliRunner().invoke(lint, ["--strict", str(tmp_path)]).exit_code == 1


def test_same_id__an_exact_copy_is_no_warning(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.md", id_="990331", subject="Nursing")
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "a.md").write_bytes((tmp_path / "a.md").read_bytes())
    run = CliRunner().invoke(lint, ["--strict", str(tmp_path)], catch_exceptions=False)
    assert (run.exit_code, run.stderr) == (0, "2 files: 2 documents parsed, 0 rejected\n")


@pytest.mark.parametrize("written", ['""', '"   "', "null", None])
def test_id__blank_or_absent_falls_back_to_the_file_name(tmp_path: Path, written: str | None) -> None:
    line = f"id: {written}\n" if written is not None else ""
    path = seed_with(tmp_path, "990333.md", f"---\n{line}question: Which?\nanswer: This.\n---\n".encode())
    assert read_document(path).id == "990333"


@pytest.mark.parametrize("written, id_", [("170601", "170601"), ("'00170601'", "00170601"), ("2024-05-01", "2024-05-01")])
def test_id__numbers_and_dates_become_text(tmp_path: Path, written: str, id_: str) -> None:
    path = seed_with(tmp_path, "x.md", f"---\nid: {written}\nquestion: Which?\nanswer: This.\n---\n".encode())
    assert read_document(path).id == id_


@pytest.mark.parametrize(
    "written, subject, key",
    [
        ("Nursing/Adult Health", "Nursing/Adult Health", "nursing/adult health"),
        ("../../etc/passwd", "../../etc/passwd", "../../etc/passwd"),
        ("..", "..", ".."),
        ("Biology: Cells", "Biology: Cells", "biology: cells"),
        ("Computer Science   ", "Computer Science", "computer science"),
        ("  computer   science", "computer science", "computer science"),
        ("COMPUTER SCIENCE", "COMPUTER SCIENCE", "computer science"),
        ("Stra\u00dfe", "Stra\u00dfe", "strasse"),  # casefold, not lower
        ("", "General", "general"),
    ],
)
def test_subject__kept_as_written_and_keyed_by_case_and_spacing(
    tmp_path: Path, written: str, subject: str, key: str
) -> None:
    document = read_document(write_doc(tmp_path, "s.md", id_="990332", subject=written))
    assert (document.subject, document.subject_key) == (subject, key)


def test_subject__case_variants_share_one_key(tmp_path: Path) -> None:
    for n, written in enumerate(["Computer Science", "computer science", "Computer  science "]):
        write_doc(tmp_path, f"{n}.md", id_=f"99034{n}", subject=written)
    documents = read_all([tmp_path]).documents
    assert {d.subject_key for d in documents} == {"computer science"}
    assert [d.subject for d in documents] == ["Computer Science", "computer science", "Computer science"]


# ---------------------------------------------------------------- lint on a mixed folder


def test_lint__good_and_bad_files_exit_1_with_each_problem_and_a_summary(tmp_path: Path) -> None:
    for name in ("yaml-syntax-error.md", "question-list.md", "python-tag.md"):
        (tmp_path / name).write_bytes((BAD / name).read_bytes())
    (tmp_path / "good.md").write_bytes(SEED_BYTES)
    (tmp_path / "latin1.md").write_bytes(b"---\nquestion: caf\xe9\nanswer: tea\n---\n")
    run = CliRunner().invoke(lint, [str(tmp_path)], catch_exceptions=False)
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        f"{tmp_path / 'latin1.md'}:2: not UTF-8 (byte 0xe9 at offset 17) (hint: save the file as UTF-8 and run quizgen again)",
        f"{tmp_path / 'python-tag.md'}:5: YAML tag !!python/object/apply:os.system is not allowed "
        "(hint: front matter holds plain text, numbers, lists and mappings only)",
        f"{tmp_path / 'question-list.md'}:3: `question` must be text, got a list",
        f"{tmp_path / 'yaml-syntax-error.md'}:6: YAML syntax error: mapping values are not allowed in this context",
        "5 files: 1 documents parsed, 4 rejected",
    ]


def test_lint__all_good_exits_0(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_bytes(SEED_BYTES)
    run = CliRunner().invoke(lint, [str(tmp_path)], catch_exceptions=False)
    assert (run.exit_code, run.stdout, run.stderr) == (0, "", "1 files: 1 documents parsed, 0 rejected\n")


def test_lint__missing_path_is_reported_and_exits_1(tmp_path: Path) -> None:
    run = CliRunner().invoke(lint, [str(tmp_path / "nope")], catch_exceptions=False)
    assert run.exit_code == 1
    assert run.stderr == f"{tmp_path / 'nope'}: no such file or folder\n0 files: 0 documents parsed, 1 rejected\n"


def test_lint__unknown_option_is_a_usage_error_exit_2() -> None:
    run = CliRunner().invoke(lint, ["--bogus", "content"])
    assert run.exit_code == 2
    assert "Error: No such option '--bogus'" in run.stderr


def test_duplicate_key__inside_a_nested_mapping_too(tmp_path: Path) -> None:
    path = seed_with(tmp_path, "seo-twice.md", b"---\nquestion: Q?\nanswer: A.\nseo:\n  page_keywords: a\n"
                                               b"  page_keywords: b\n---\n")
    assert str(rejection(path)) == (f"{path}:6: `page_keywords` is given twice (also on line 5); "
                                    f"YAML would keep only the last{HINT_TWICE}")
