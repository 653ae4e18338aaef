"""Card quality and a static preview site: what the decks will hold, checked and shown.

`check_paths` judges every card (`quizgen check`); `write_preview` writes the site
(`quizgen preview`); `subject_flag_counts` gives `quizgen build` the same flag counts.
"""

from __future__ import annotations

from .quality import (
    CardCheck,
    DocumentCheck,
    QualityReport,
    SubjectSummary,
    check_documents,
    check_generated,
    check_paths,
    subject_flag_counts,
)
from .site import write_preview

__all__ = [
    "CardCheck",
    "DocumentCheck",
    "QualityReport",
    "SubjectSummary",
    "check_documents",
    "check_generated",
    "check_paths",
    "subject_flag_counts",
    "write_preview",
]
