"""The cache's head blob names every DocHead field, in order, as `dataclasses.asdict` does."""

from __future__ import annotations

from dataclasses import asdict

from quizgen.work import DocHead, head_fields


def test_head_fields__are_the_dataclass_fields_in_order() -> None:
    head = DocHead("id", "title", "subject", "key", "path.md", None, "digest")
    assert list(head_fields(head).items()) == list(asdict(head).items())
