"""Decode the literal two-character "\\n" that QuickTakes stores in folded answers.

The same text holds LaTeX (`$\\nabla f$`, `$a \\neq b$`, `\\( \\nu \\)`), code
(`printf("a\\n")`) and Windows paths (`C:\\MinGW\\bin`), so a blind replace corrupts it.
One left-to-right pass tracks where we are (prose, inline math, display math, inline
code, fenced code) and decides each "\\n" from that place:

- prose: a newline, unless it begins an unmistakable TeX command (`\\nabla`, `\\neq`);
- math: a newline, unless it begins a TeX command (`\\nu`, `\\neq`, `\\not`, ...).
  Display math written as a block (`$$\\n...\\n$$`) starts with a newline even when the
  next letters spell a command: `$$\\nu(t) = K_p e(t)\\n$$` is `u(t)` on its own line;
- inline code: kept (`\\n` there is an escape sequence);
- fenced code: a newline, unless inside a string on the current line: `"a\nb"`, and
  `'\n'` / `'a\nb'` when the single quote closes later on that line (`'\n'.join(x)`,
  `c == '\n'`; never after a word or bracket: `don't`, MATLAB's `A'`, `[1 2]'`).
  Triple quotes open docstrings, whose lines are lines.
"""

from __future__ import annotations

import re

# TeX commands that begin with "n"; "\n" followed by exactly one of these (as a whole
# letter run) inside math is TeX, not a line break.
_MATH_N_COMMANDS = frozenset(
    """nabla natural ne nearrow neg negthickspace negthinspace neq newcommand newline
    nexists ngeq ngeqslant ngtr ni nleftarrow nLeftarrow nleftrightarrow nLeftrightarrow
    nleq nleqslant nless nmid nobreak noindent nolimits nonumber nonscript norm normalsize
    not notin nparallel nprec npreceq nrightarrow nRightarrow nshortmid nsim nsubset
    nsubseteq nsucc nsucceq nsupset nsupseteq ntriangleleft ntriangleright nu nvdash
    nvDash nwarrow napprox ncong""".split()
)
# Outside math only commands whose tail cannot start an English line ("\nabla", never
# "\nexists": "exists ..." may well begin a line).
_PROSE_N_COMMANDS = frozenset(
    """nabla neq notin nleq ngeq nsubseteq nsupseteq nparallel nrightarrow nRightarrow
    nleftarrow nLeftarrow nLeftrightarrow nleftrightarrow""".split()
)
_LETTERS = re.compile(r"[A-Za-z]+")
_PARAGRAPH_BREAK = "\\n\\n"
_SPECIAL = re.compile(r"[\\`$]")  # the only characters the pass must look at
_PROSE_COMMAND = re.compile(r"\\(?:" + "|".join(sorted(_PROSE_N_COMMANDS)) + r")(?![A-Za-z])")


def decode_newlines(raw: str) -> str:
    """Turn literal "\\n" into newlines where they are line breaks, and only there."""
    if "\\n" not in raw:
        return raw
    lines = _prose_lines(raw)
    if lines is not None:
        return "\n".join(lines)
    return _Decoder(raw).run()


def _prose_lines(raw: str) -> list[str] | None:
    """The text between the "\\n"s when each is a line break: no code or math can open
    (no backtick, `$`, or backslash but those of "\\n") and none spells a prose TeX
    command (most answers); else None. Found by a `find` per backslash (a dozen in an
    answer), where `replace` scanned the whole answer twice, and twice more to check."""
    if "`" in raw or "$" in raw or _PROSE_COMMAND.search(raw) is not None:
        return None
    lines: list[str] = []
    start = 0
    at = raw.find("\\")
    while at != -1:
        if raw[at + 1 : at + 2] != "n":
            return None
        lines.append(raw[start:at])
        start = at + 2
        at = raw.find("\\", start)
    lines.append(raw[start:])
    return lines


class _Decoder:
    def __init__(self, raw: str) -> None:
        self.s = raw
        self.n = len(raw)
        self.out: list[str] = []
        self.math_close: str | None = None  # "$", "$$", "\\)", "\\]"
        self.math_start = 0  # index just after the math opener
        self.block_display = False  # display math written "$$\n ... \n$$"
        self.code_ticks = 0  # inside an inline code span of this many backticks
        self.fence: str | None = None  # inside a fenced block opened by this run

    # -- helpers -------------------------------------------------------------
    def at_line_start(self) -> bool:
        """True when only spaces were written since the last newline (or ever)."""
        for chunk in reversed(self.out):
            stripped = chunk.rstrip(" \t")
            if stripped:
                return stripped.endswith("\n")
            if "\n" in chunk:
                return True
        return True

    def current_line(self) -> str:
        text = "".join(self.out[-200:])
        return text.rsplit("\n", 1)[-1]

    def find_close(self, start: int, closer: str) -> int:
        """Index of `closer` after `start`, or -1 if a paragraph break comes first."""
        end = self.s.find(closer, start)
        brk = self.s.find(_PARAGRAPH_BREAK, start)
        if end == -1 or (closer not in ("$$", "\\]") and brk != -1 and brk < end):
            return -1
        return end

    # -- the pass --------------------------------------------------------------
    def run(self) -> str:
        s, i = self.s, 0
        while i < self.n:
            match = _SPECIAL.search(s, i)
            if match is None:
                self.out.append(s[i:])
                break
            if match.start() > i:  # copy plain text in one piece
                self.out.append(s[i : match.start()])
                i = match.start()
            c = s[i]
            if c == "\\":
                i = self.backslash(i)
            elif self.fence is not None:
                i = self.in_fence(i)
            elif c == "`":
                i = self.backticks(i)
            elif c == "$" and not self.code_ticks:
                i = self.dollar(i)
            else:
                self.out.append(c)
                i += 1
        return "".join(self.out)

    def backslash(self, i: int) -> int:
        s = self.s
        nxt = s[i + 1] if i + 1 < self.n else ""
        in_code = self.fence is not None or self.code_ticks > 0
        if in_code and nxt != "n":  # no escapes in code: "`C:\`" ends at its backtick
            self.out.append("\\")
            return i + 1
        if nxt == "\\" or nxt == "$" or nxt == "`":
            self.out.append(s[i : i + 2])  # an escaped pair is never a "\n"
            return i + 2
        if nxt == "n":
            if self.keep_literal(i):
                self.out.append("\\n")
            else:
                self.out.append("\n")
            return i + 2
        if self.fence is None and not self.code_ticks:
            if self.math_close is None and nxt in "([":
                closer = "\\)" if nxt == "(" else "\\]"
                if self.find_close(i + 2, closer) != -1:
                    self.open_math(closer, i + 2)
            elif self.math_close == "\\" + nxt:
                self.math_close = None
        self.out.append(s[i : i + 2])
        return i + 2

    def keep_literal(self, i: int) -> bool:
        """Decide one "\\n" at index i (the backslash)."""
        if self.code_ticks:
            return True
        if self.fence is not None:
            return _in_code_string(self.current_line(), self.s, i + 2)
        match = _LETTERS.match(self.s, i + 1)
        letters = match.group(0) if match else ""
        if self.math_close is None:
            return letters in _PROSE_N_COMMANDS
        if letters not in _MATH_N_COMMANDS:
            return False
        opens_block = self.block_display and not self.s[self.math_start : i].strip()
        return not opens_block

    def open_math(self, closer: str, start: int) -> None:
        self.math_close = closer
        self.math_start = start
        self.block_display = False
        if closer in ("$$", "\\]"):
            end = self.s.find(closer, start)
            self.block_display = self.s[start:end].rstrip(" \t").endswith("\\n")

    def dollar(self, i: int) -> int:
        s = self.s
        double = s.startswith("$$", i)
        token = "$$" if double else "$"
        if self.math_close == token:
            self.math_close = None
        elif self.math_close is None:
            start = i + len(token)
            end = self.find_close(start, token)
            if end != -1 and (double or _looks_like_math(s, start, end)):
                self.open_math(token, start)
        self.out.append(token)
        return i + len(token)

    def backticks(self, i: int) -> int:
        s = self.s
        j = i
        while j < self.n and s[j] == "`":
            j += 1
        run = s[i:j]
        if self.code_ticks:
            if len(run) == self.code_ticks:
                self.code_ticks = 0
        elif len(run) >= 3 and self.at_line_start() and self.math_close is None:
            self.fence = run
        elif self.math_close is None and self.find_close(j, run) != -1:
            self.code_ticks = len(run)
        self.out.append(run)
        return j

    def in_fence(self, i: int) -> int:
        s = self.s
        if s[i] == "`" and self.at_line_start() and s.startswith(self.fence or "", i):
            j = i
            while j < self.n and s[j] == "`":
                j += 1
            self.fence = None
            self.out.append(s[i:j])
            return j
        self.out.append(s[i])
        return i + 1


def _looks_like_math(s: str, start: int, end: int) -> bool:
    """Tell `$ x^2 $` from prices like `$5 and $10`."""
    content = s[start:end]
    if not content.strip():
        return False
    after = s[end + 1 : end + 2]
    if content[0].isdigit() and (content[-1].isspace() or after.isdigit()):
        return False
    return True


# A single quote right after one of these is an apostrophe or a transpose, not a string.
_NOT_BEFORE_STRING = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_)]}.'\"")
_STRING_PREFIX = re.compile(r"(?:^|[^\w])[rRbBfFuU]{1,2}$")


def _in_code_string(line: str, s: str, after: int) -> bool:
    """Is a "\\n" written after `line` (its code line so far) inside a string literal?"""
    quote = _open_quote(line)
    if quote == "'":  # apostrophes and transposes are not strings: the quote must close
        end = s.find("\\n", after)
        return "'" in s[after : end if end != -1 else len(s)]
    return quote is not None


def _open_quote(line: str) -> str | None:
    """The quote of a string still open at the end of `line`, else None."""
    quote: str | None = None
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if quote is not None:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = None
        elif line.startswith('"""', i) or line.startswith("'''", i):
            i += 3  # a docstring's lines are real lines: never hold a "\\n" for it
            continue
        elif c == '"':
            quote = c
        elif c == "'" and (i == 0 or line[i - 1] not in _NOT_BEFORE_STRING or _STRING_PREFIX.search(line, 0, i)):
            quote = c
        i += 1
    return quote

