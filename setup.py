"""Compiles quizgen's per-document hot path with mypyc when a wheel is built.

A regular install (`pip install .`) gets C extensions for the modules listed in
COMPILED: the same source, type-checked and compiled, about a third less CPU per
document. An editable install (`pip install -e .`) stays pure Python, so an edited
.py file takes effect at once, never shadowed by a stale extension.
QUIZGEN_COMPILE=1 or =0 forces either way. If compiling fails (no C compiler, an
unsupported Python), the install falls back to pure Python with a warning: the
package behaves the same, only slower.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# Pure functions and frozen dataclasses that run once per document or per card: parsing,
# card generation, rendering. Not here: modules that subclass C types (parse/frontmatter.py
# subclasses libyaml's loader), the build's plumbing (pipeline, cache, state, work: their
# objects cross processes), whatever runs once per build, and packages' __init__ (compiled,
# it is no package to setuptools' editable finder). A frozen dataclass of these modules
# that is pickled needs a `__reduce__` returning `model.by_fields(self)`.
COMPILED = [
    "quizgen/model.py",
    "quizgen/text.py",
    "quizgen/text_numbers.py",
    "quizgen/cards/base.py",
    "quizgen/cards/cloze.py",
    "quizgen/cards/context.py",
    "quizgen/cards/facts.py",
    "quizgen/cards/formula.py",
    "quizgen/cards/generate.py",
    "quizgen/cards/gist.py",
    "quizgen/cards/keys.py",
    "quizgen/cards/list_cloze.py",
    "quizgen/cards/qa.py",
    "quizgen/cards/rules.py",
    "quizgen/parse/answer.py",
    "quizgen/parse/common_blocks.py",
    "quizgen/parse/escapes.py",
    "quizgen/parse/pipe_table.py",
    "quizgen/parse/simple_inline.py",
    "quizgen/parse/simple_yaml.py",
    "quizgen/export/ids.py",
    "quizgen/export/notes.py",
    "quizgen/export/render.py",
    "quizgen/export/tags.py",
    "quizgen/card_blob.py",
]


def wants_compiled() -> bool:
    forced = os.environ.get("QUIZGEN_COMPILE")
    if forced is not None:
        return forced not in ("", "0", "false", "no")
    commands = sys.argv[1:]
    if not commands or commands[0] in ("egg_info", "dist_info", "sdist"):  # metadata only: nothing to compile
        return False
    return "editable_wheel" not in commands and "develop" not in commands


class OptionalBuildExt(build_ext):
    """Builds the extensions, or warns and removes any it made, leaving pure Python in
    charge: a module's stub without the shared library it loads would not import."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # any compiler failure means "stay pure"
            for output in self.get_outputs():
                if os.path.exists(output):
                    os.remove(output)
            print(f"warning: quizgen's compiled speed-ups were not built ({error}); "
                  "installing pure Python, which behaves the same, more slowly", file=sys.stderr)


def extensions() -> list:
    if not wants_compiled():
        return []
    try:
        from mypyc.build import mypycify

        # one shared library, inside the package (a hashed top-level name by default), so
        # an in-place build imports from any working directory
        return mypycify(COMPILED, opt_level="3", group_name="quizgen._compiled")
    except (ImportError, SystemExit, Exception) as error:  # no mypyc, or the code did not type-check
        print(f"warning: quizgen's compiled speed-ups are off ({error!r}); installing pure Python", file=sys.stderr)
        return []


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
