"""Instructor review sets: quiz items built from documents, chosen, shuffled into versions."""
