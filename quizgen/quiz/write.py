"""Write every version of a set in every format, atomically, into one folder per set."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable, Sequence

from ..errors import QuizgenError
from ..export import gift, moodle, qti, quiz_csv, quiz_html
from ..export.files import write_bytes_atomic
from .items import QuizVersion

# name -> (version -> {file name: bytes}). Each exporter module is a sibling of the others.
QUIZ_FORMATS: dict[str, Callable[[QuizVersion], dict[str, bytes]]] = {
    "html": quiz_html.files,
    "gift": gift.files,
    "moodle": moodle.files,
    "qti": qti.files,
    "csv": quiz_csv.files,
}


def write_quiz(versions: Sequence[QuizVersion], formats: Sequence[str], out_dir: Path,
               paper: str = "a4") -> tuple[Path, ...]:
    """`out_dir/<set-name>/<set-name>-v1.gift` and friends; returns the paths written.
    `paper` ("a4" or "letter") sizes the printable sheets."""
    if not versions:
        return ()
    folder = out_dir / versions[0].set_name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QuizgenError(f"cannot create {folder}: {error.strerror}", path=folder) from error
    written: dict[str, Path] = {}
    for version in versions:
        for fmt in formats:
            exporter = partial(quiz_html.files, paper=paper) if fmt == "html" else QUIZ_FORMATS[fmt]
            for name, data in exporter(version).items():
                if name in written or Path(name).name != name:
                    raise QuizgenError(f"internal: output {name!r} would be written twice or outside {folder}")
                written[name] = write_bytes_atomic(folder / name, data)
    return tuple(written.values())
