"""quizgen: QuickTakes study documents -> Anki decks and instructor review sets."""

__version__ = "0.1.0"


def compiled() -> bool:
    """True when the per-document hot path runs as mypyc C extensions (setup.py): a
    regular install; an editable one runs the same code as pure Python."""
    from .cards import generate

    return not (generate.__file__ or "").endswith(".py")
