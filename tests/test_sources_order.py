"""Documents are built in Path's own order (deck order and note ids follow it); the
sort key that makes it fast must give exactly that order."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from quizgen.sources import _path_order, find_documents

_NAME = st.text(alphabet="ab-_.0Zé ", min_size=1, max_size=6).filter(lambda s: s.strip(".") == s and s.strip() == s)


@given(st.lists(st.lists(_NAME, min_size=1, max_size=3), min_size=2, max_size=25))
def test_path_order__is_paths_own_order(names: list[list[str]]) -> None:
    paths = [Path("/root", *parts).with_suffix(".md") for parts in names]
    assert sorted(paths, key=_path_order) == sorted(paths)


def test_find_documents__lists_nested_files_in_paths_order(tmp_path: Path) -> None:
    for name in ("a-c.md", "a/b.md", "a/a.md", "B.md", "a.b/x.md", ".hidden/y.md", "a/.z.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found, problems = find_documents([tmp_path])
    assert not problems
    assert found == sorted(found) and {p.relative_to(tmp_path).as_posix() for p in found} == {
        "a-c.md", "a/b.md", "a/a.md", "B.md", "a.b/x.md"}
