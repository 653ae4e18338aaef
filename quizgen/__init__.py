"""quizgen: QuickTakes study documents -> Anki decks and instructor review sets."""

__version__ = "0.1.0"
