"""Errors the user can fix. A leaf module: imports nothing from quizgen."""

from __future__ import annotations

from pathlib import Path


class QuizgenError(Exception):
    """Bad input the user can fix. Shown as `path:line: message`."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    @property
    def where(self) -> str:
        return ":".join(str(x) for x in (self.path, self.line) if x is not None)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return text + (f"\n  hint: {self.hint}" if self.hint else "")

    def __reduce__(self):  # keep keyword-only fields when crossing process boundaries
        return (_rebuild, (type(self), self.message, self.path, self.line, self.hint))


def _rebuild(cls: type, message: str, path: str | None, line: int | None, hint: str | None):
    return cls(message, path=path, line=line, hint=hint)


class DocumentError(QuizgenError):
    """A document could not be read or parsed; that one file is rejected."""


class UsageError(QuizgenError):
    """The command line asked for something impossible (exit code 2)."""
