"""Quiz exports: GIFT read back the way Moodle reads it, Moodle XML, QTI zip, CSV, HTML."""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.cli import cli
from quizgen.export import gift, moodle, qti, quiz_csv, quiz_html
from quizgen.quiz.fields import html as field_html
from quizgen.quiz.items import BLANK, FillIn, Matching, MultipleChoice, QuizVersion, Source, TrueFalse
from quizgen.quiz.sets import QuizOptions, make_quiz_set
from quizgen.quiz.write import QUIZ_FORMATS, write_quiz
from quizgen.sources import read_all

from conftest import FIXTURES

QUIZ_FIXTURES = FIXTURES / "quiz"
SPECIAL = ("pH = 7.35 {normal}", "C++ ~ #include", "a: b")
GRADES = {"100", "0", "50", "33.33333", "25", "20", "10"}


# ---------------------------------------------------------------- a GIFT reader like Moodle's


def _pre(text: str) -> str:
    """Moodle's escapedchar_pre: `\\\\` first, then each escaped control character."""
    text = text.replace("\\\\", "&&092;")
    for esc, holder in (("\\:", "&&058;"), ("\\#", "&&035;"), ("\\=", "&&061;"), ("\\{", "&&123;"),
                        ("\\}", "&&125;"), ("\\~", "&&126;"), ("\\n", "&&010")):
        text = text.replace(esc, holder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for holder, char in (("&&058;", ":"), ("&&035;", "#"), ("&&061;", "="), ("&&123;", "{"),
                         ("&&125;", "}"), ("&&126;", "~"), ("&&010", "\n")):
        text = text.replace(holder, char)
    return text


def _format(text: str) -> tuple[str, str]:
    fmt = "moodle"
    if text.startswith("[") and "]" in text:
        name = text[1:text.index("]")]
        if name in ("html", "moodle", "plain", "markdown"):
            fmt, text = name, text[text.index("]") + 1:]
    return fmt, _post(text).strip()


def read_gift(source: str) -> list[dict]:
    """Questions as Moodle's qformat_gift::readquestion sees them (the parts we use)."""
    blocks, current = [], []
    for line in source.split("\n"):
        if line.strip() == "":
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    questions = []
    for lines in blocks:
        text = "\n".join(" " if ln.strip().startswith("//") else ln for ln in lines).strip()
        text = _pre(text)
        if not text or text.startswith("$CATEGORY:"):
            continue
        q: dict = {"name": None}
        if text.startswith("::"):
            text = text[2:]
            end = text.index("::")
            q["name"], text = _post(text[:end]), text[end + 2:].strip()
        start, finish = text.find("{"), text.find("}")
        assert start >= 0 and finish > start, f"no answer block: {text[:80]}"
        answers = text[start + 1:finish].strip()
        assert text.endswith("}"), "text after the answer block"
        q["format"], q["text"] = _format(text[:start])
        if "####" in answers:
            cut = answers.rindex("####")
            q["general"], answers = _format(answers[cut + 4:])[1], answers[:cut].strip()
        if "~" in answers:
            q["type"], q["answers"] = "multichoice", []
            for part in [a.strip() for a in answers.replace("=", "~=").split("~") if a.strip()]:
                right = part.startswith("=")
                body = part[1:] if right else part
                q["answers"].append((right, _format(body.split("#", 1)[0].strip())[1]))
        elif "=" in answers and "->" in answers:
            q["type"], q["pairs"] = "match", []
            for part in [a.strip() for a in answers.split("=") if a.strip()]:
                left, right = part.split("->", 1)
                q["pairs"].append((_format(left.strip())[1], _post(right).strip()))
        elif answers.split("#", 1)[0].strip() in ("T", "TRUE", "F", "FALSE"):
            bits = answers.split("#", 2)
            q["type"], q["truth"] = "truefalse", bits[0].strip() in ("T", "TRUE")
            q["wrong"], q["right"] = (_format(b.strip())[1] for b in (bits + ["", ""])[1:3])
        else:
            q["type"] = "shortanswer"
            q["answers"] = [_format(a.split("#", 1)[0].strip())[1] for a in answers.split("=") if a.strip()]
        questions.append(q)
    return questions


def _visible(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


# ---------------------------------------------------------------- fixtures


def _special_version() -> QuizVersion:
    source = Source("sp-1", "Q: {x} = ~y #1", ("a: b {c} std::vector",), "Test", "test")
    items = (
        MultipleChoice("mcq-special", f"{SPECIAL[0]} — which? {BLANK}", SPECIAL + ("x = 5 ~ y",), 1,
                       "Because a: b # c {d}.", source),
        TrueFalse("tf-special", f"{SPECIAL[1]} is C++", False, "It is a: b.", source, correction=SPECIAL[0]),
        Matching("match-special", "Match {these}:", ((SPECIAL[0], "alpha = 1"), ("x -> y ~ z", "beta #2"),
                                                   (SPECIAL[2], "gamma: 3")),
                 ("gamma: 3", "alpha = 1", "beta #2"), "Pairs ~ #", source),
        FillIn("fill-special", f"Normal is {BLANK}.", SPECIAL[0], SPECIAL + ("back\\slash", "star*"),
               "Explained = fine", source),
    )
    return QuizVersion("special", "Special {chars}: a=b", 1, 7, items)


@pytest.fixture(scope="module")
def documents():
    return read_all([QUIZ_FIXTURES]).documents


@pytest.fixture(scope="module")
def version(documents) -> QuizVersion:
    return make_quiz_set(documents, QuizOptions(count=30, seed=7, versions=1)).versions[0]


# ---------------------------------------------------------------- GIFT


def test_gift__special_characters__round_trip() -> None:
    v = _special_version()
    mcq, tf, match, fill = read_gift(gift.render_gift(v))
    assert mcq["name"] == gift.question_name(1, v.items[0], v)
    assert mcq["type"] == "multichoice" and mcq["format"] == "html"
    assert _visible(mcq["text"]) == f"{SPECIAL[0]} — which? _____"
    assert [(r, _visible(a)) for r, a in mcq["answers"]] == [(n == 1, o) for n, o in enumerate(v.items[0].options)]
    assert _visible(mcq["general"]) == "Because a: b # c {d}."
    assert tf["type"] == "truefalse" and tf["truth"] is False
    assert _visible(tf["text"]) == f"{SPECIAL[1]} is C++"
    assert SPECIAL[0] in _visible(tf["wrong"]) and SPECIAL[0] in _visible(tf["right"])
    assert match["type"] == "match"
    assert [(_visible(d), t) for d, t in match["pairs"]] == list(v.items[2].pairs)
    assert fill["type"] == "shortanswer"
    assert fill["answers"] == [gift.shortanswer_literal(a) for a in v.items[3].accepted]


def test_gift__no_blank_line_inside_a_question(version) -> None:
    text = gift.render_gift(version)
    for block in text.split("\n\n"):
        if block.startswith("::"):
            assert block.rstrip().endswith("}") and block.count("{") - block.count("\\{") >= 1
    assert len(read_gift(text)) == len(version.items)


def test_gift__fixture_set__types_and_keys_survive(version) -> None:
    moodle_type = {"mcq": "multichoice", "tf": "truefalse", "match": "match", "fill": "shortanswer"}
    for item, q in zip(version.items, read_gift(gift.render_gift(version))):
        assert q["type"] == moodle_type[item.kind]
        if isinstance(item, MultipleChoice):
            assert [r for r, _ in q["answers"]] == [n == item.key for n in range(4)]
            assert [a for _, a in q["answers"]] == [field_html(o) for o in item.options]
        elif isinstance(item, TrueFalse):
            assert q["truth"] is item.truth
        elif isinstance(item, Matching):
            assert [t for _, t in q["pairs"]] == [t for _, t in item.pairs]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=60))
def test_gift__escape__moodle_undoes_it(text: str) -> None:
    escaped = gift.escape(text)
    assert "\n" not in escaped
    assert not re.search(r"(?<!\\)(?:\\\\)*[~=#{}:]", escaped.replace("\\\\", "")), escaped
    assert _post(_pre(escaped)) == text


# ---------------------------------------------------------------- Moodle XML


def _moodle_questions(data: bytes) -> list[ET.Element]:
    root = ET.fromstring(data)
    assert root.tag == "quiz"
    for text in root.iter("text"):
        assert len(text) == 0, "HTML must be character data, never child elements"
    return [q for q in root.findall("question") if q.get("type") != "category"]


def test_moodle__fixture_set__required_elements(version) -> None:
    questions = _moodle_questions(moodle.render_moodle(version))
    assert len(questions) == len(version.items)
    for q, item in zip(questions, version.items):
        assert q.findtext("name/text")
        assert q.find("questiontext").get("format") == "html" and q.findtext("questiontext/text")
        fractions = [a.get("fraction") for a in q.findall("answer")]
        assert set(fractions) <= GRADES
        if item.kind == "mcq":
            assert q.get("type") == "multichoice" and fractions.count("100") == 1 and len(fractions) == 4
            assert q.findtext("single") == "true"
        elif item.kind == "tf":
            assert q.get("type") == "truefalse"
            assert sorted(a.findtext("text") for a in q.findall("answer")) == ["false", "true"]
            right = [a.findtext("text") for a in q.findall("answer") if a.get("fraction") == "100"]
            assert right == [str(item.truth).lower()]
        elif item.kind == "match":
            assert q.get("type") == "matching" and len(q.findall("subquestion")) >= 3
        else:
            assert q.get("type") == "shortanswer" and "100" in fractions


def test_moodle__special_characters__escaped_html_reads_back() -> None:
    v = _special_version()
    data = moodle.render_moodle(v)
    assert b"<![CDATA[" not in data and b"&lt;p&gt;" in data  # HTML as escaped character data
    mcq, tf, match, fill = _moodle_questions(data)
    assert _visible(mcq.findtext("questiontext/text")) == f"{SPECIAL[0]} — which? _____"
    assert [_visible(a.findtext("text")) for a in mcq.findall("answer")] == list(v.items[0].options)
    assert [s.findtext("answer/text") for s in match.findall("subquestion")] == [t for _, t in v.items[2].pairs]
    assert [a.findtext("text") for a in fill.findall("answer")] == [gift.shortanswer_literal(a) for a in v.items[3].accepted]


# ---------------------------------------------------------------- QTI


def _qti(data: bytes) -> tuple[ET.Element, list[ET.Element]]:
    ns = {"q": qti.QTI_NS, "m": qti.CP_NS}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert "imsmanifest.xml" in names
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        resources = manifest.findall("m:resources/m:resource[@type='imsqti_xmlv1p2']", ns)
        assert len(resources) == 1
        href = resources[0].find("m:file", ns).get("href")
        assert href in names
        for member in names:
            ET.fromstring(archive.read(member))  # every XML well-formed
        root = ET.fromstring(archive.read(href))
    assessment = root.find("q:assessment", ns)
    assert assessment is not None and assessment.get("ident")
    return assessment, assessment.findall(".//q:item", ns)


def _meta(item: ET.Element) -> dict[str, str]:
    ns = {"q": qti.QTI_NS}
    return {f.findtext("q:fieldlabel", namespaces=ns): f.findtext("q:fieldentry", namespaces=ns)
            for f in item.findall("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", ns)}


def test_qti__fixture_set__manifest_items_and_scores(version) -> None:
    ns = {"q": qti.QTI_NS}
    _, items = _qti(qti.render_qti(version))
    assert len(items) == len(version.items)
    assert len({i.get("ident") for i in items}) == len(items)
    for element, item in zip(items, version.items):
        meta = _meta(element)
        assert meta["question_type"] == qti.QUESTION_TYPES[item.kind]
        assert float(meta["points_possible"]) > 0
        for mattext in element.iter(f"{{{qti.QTI_NS}}}mattext"):
            assert len(mattext) == 0 and mattext.get("texttype") == "text/html"
        conds = [c for c in element.findall("q:resprocessing/q:respcondition", ns)
                 if c.find("q:setvar", ns) is not None]
        scores = [float(c.findtext("q:setvar", namespaces=ns)) for c in conds]
        if item.kind in ("mcq", "tf"):
            labels = element.findall(".//q:response_label", ns)
            assert len(labels) == (4 if item.kind == "mcq" else 2)
            right = [c.findtext("q:conditionvar/q:varequal", namespaces=ns) for c, s in zip(conds, scores) if s == 100]
            assert len(right) == 1 and right[0] in {lab.get("ident") for lab in labels}
        elif item.kind == "match":
            assert abs(sum(scores) - 100) <= 0.1 and len(scores) == len(item.pairs)
        else:
            values = [v.text for v in element.findall(".//q:varequal", ns)]
            assert values == list(item.accepted) and scores == [100.0]


def test_qti__special_characters__text_survives() -> None:
    _, items = _qti(qti.render_qti(_special_version()))
    ns = {"q": qti.QTI_NS}
    stem = items[0].find("q:presentation/q:material/q:mattext", ns).text
    assert _visible(stem) == f"{SPECIAL[0]} — which? _____"


# ---------------------------------------------------------------- CSV


def test_csv__one_row_per_item(version) -> None:
    text = quiz_csv.files(version)[f"{version.file_stem}.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(quiz_csv.COLUMNS)
    assert len(rows) == len(version.items)
    for row, item in zip(rows, version.items):
        assert row["id"] == item.id and row["type"] == item.kind and row["answer"] and row["stem"]
        assert row["source_doc"] == item.source.doc_id and row["explanation"]
        if isinstance(item, FillIn):
            assert row["stem"].count("_____") == 1 and item.answer not in row["stem"]


# ---------------------------------------------------------------- HTML


def test_html__sanitised_math_offline_key_separate() -> None:
    source = Source("d", "<b>Doc</b>", ("S",))
    evil = MultipleChoice("mcq-x", r"<script>alert(1)</script> \(\text{<script>x</script>}\) and \(x^{2}\) " + BLANK,
                          ("<img src=x onerror=alert(1)>", "b", "c", "d"), 0, "Because <script>y</script>.", source)
    v = QuizVersion("x", "T <script>", 1, 7, (evil,))
    student = quiz_html.render_sheet(v, key=False)
    key = quiz_html.render_sheet(v, key=True)
    for page in (student, key):
        assert "<script" not in page.lower() and "<img" not in page
        assert not re.search(r"<[^>]*\son\w+=", page), "no event handler attributes"
        assert "<math" in page and "http://" not in page.replace("http://www.w3.org/1998/Math/MathML", "")
        assert "break-inside: avoid" in page and "@page" in page
    assert "Because" in key and "Because" not in student
    assert "Name:" in student and 'class="correct"' not in student


# ---------------------------------------------------------------- determinism and writing


@pytest.mark.parametrize("fmt", sorted(QUIZ_FORMATS))
def test_export__same_seed__byte_identical(documents, fmt: str) -> None:
    def files(seed: int) -> dict[str, bytes]:
        qs = make_quiz_set(documents, QuizOptions(count=30, seed=seed, versions=2))
        return {n: d for v in qs.versions for n, d in QUIZ_FORMATS[fmt](v).items()}

    first, again, other = files(7), files(7), files(8)
    assert first == again
    assert len(first) >= 2
    assert list(first.values()) != list(other.values())
    by_version = {n: d for n, d in first.items()}
    v1 = [d for n, d in sorted(by_version.items()) if "-v1" in n]
    v2 = [d for n, d in sorted(by_version.items()) if "-v2" in n]
    assert v1 != v2, "versions are shuffles of each other, not copies"


def test_write_quiz__atomic_files_in_one_folder(documents, tmp_path: Path) -> None:
    qs = make_quiz_set(documents, QuizOptions(count=12, seed=3, versions=2))
    paths = write_quiz(qs.versions, tuple(QUIZ_FORMATS), tmp_path)
    folder = tmp_path / qs.name
    assert {p.parent for p in paths} == {folder}
    assert {p.name for p in paths} == {p.name for p in folder.iterdir()}, "no temp files left behind"
    assert f"{qs.name}-v1.gift" in {p.name for p in paths} and f"{qs.name}-v2-qti.zip" in {p.name for p in paths}
    before = {p.name: p.read_bytes() for p in paths}
    write_quiz(qs.versions, tuple(QUIZ_FORMATS), tmp_path)
    assert before == {p.name: p.read_bytes() for p in folder.iterdir()}


# ---------------------------------------------------------------- CLI


def test_cli_quiz__writes_and_lists_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["quiz", str(QUIZ_FIXTURES), "-n", "12", "--versions", "1",
                                      "--format", "gift,csv", "--seed", "5", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    listed = [Path(line) for line in result.stdout.splitlines()]
    assert [p.name for p in listed] == ["quiz-s5-v1.gift", "quiz-s5-v1.csv"]
    assert all(p.is_file() for p in listed)


def test_cli_quiz__unknown_type__usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["quiz", str(QUIZ_FIXTURES), "--types", "mcq,essay", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown type essay; choose from mcq,tf,match,fill" in result.output


def test_cli_quiz__no_matching_documents__exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["quiz", str(QUIZ_FIXTURES), "--subject", "astrology", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "quizgen quiz: no documents match the filters" in result.output
    assert not any(tmp_path.iterdir())


def test_cli_quiz__help_has_example() -> None:
    result = CliRunner().invoke(cli, ["quiz", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "--versions" in result.output
