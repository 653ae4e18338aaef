"""The one mistune configuration quizgen uses, with TeX math as first-class tokens.

mistune's own math plugin rejects `$ x $` (spaces inside, common in the corpus) and
knows nothing of `\\( .. \\)` / `\\[ .. \\]`, which its escape rule then eats. Ours
registers all four delimiters ahead of `escape`, so TeX reaches the model untouched.
Both the parser (AST) and the HTML renderer build on `make_markdown`.
"""

from __future__ import annotations

from typing import Any, Match

import mistune

from .common_blocks import parse_common
from .line_search import LineStartSearch
from .simple_inline import is_simple, simple_tokens

INLINE_MATH_PATTERN = (
    r"\$\$(?P<qm_dollar_display>(?:[^$\\]|\\.)+?)\$\$"
    r"|\\\((?P<qm_paren>[\s\S]+?)\\\)"
    r"|\\\[(?P<qm_bracket>[\s\S]+?)\\\]"
    r"|\$(?!\$)(?P<qm_dollar>(?:[^$\\\n]|\\.)+?)\$(?!\d)"
)
BLOCK_MATH_PATTERN = (  # one leading ^ for both forms: see LineStartSearch
    r"^ {0,3}(?:\$\$[ \t]*\n(?P<qm_block_dollar>[\s\S]*?)\n[ \t]*\$\$[ \t]*(?:\n|$)"
    r"|\\\[[ \t]*\n(?P<qm_block_bracket>[\s\S]*?)\n[ \t]*\\\][ \t]*(?:\n|$))"
)
_INLINE_GROUPS = ("qm_dollar_display", "qm_paren", "qm_bracket", "qm_dollar")


def _parse_inline_math(inline: Any, m: Match[str], state: Any) -> int | None:
    for group in _INLINE_GROUPS:
        tex = m.group(group)
        if tex is None:
            continue
        if group == "qm_dollar" and not looks_like_tex(tex):
            return None  # "$5 and $10" is money, not math
        display = group in ("qm_dollar_display", "qm_bracket")
        state.append_token({"type": "inline_math", "raw": tex.strip(), "attrs": {"display": display}})
        return m.end()
    return None


def _parse_block_math(block: Any, m: Match[str], state: Any) -> int:
    tex = m.group("qm_block_dollar")
    if tex is None:
        tex = m.group("qm_block_bracket")
    state.append_token({"type": "block_math", "raw": tex.strip()})
    return m.end()


def looks_like_tex(tex: str) -> bool:
    """Tell `$ q $` and `$x^2$` from prices such as `$5 and $10`."""
    if not tex.strip():
        return False
    return not (tex[0].isdigit() and tex[-1].isspace())


def _math_plugin(md: mistune.Markdown) -> None:
    md.block.register("block_math", BLOCK_MATH_PATTERN, _parse_block_math, before="list")
    md.block.insert_rule(md.block.list_rules, "block_math", before="list")
    md.block.insert_rule(md.block.block_quote_rules, "block_math", before="list")
    md.inline.register("inline_math", INLINE_MATH_PATTERN, _parse_inline_math, before="escape")


class _BlockParser(mistune.BlockParser):
    def compile_sc(self, rules: Any = None) -> Any:
        pattern = super().compile_sc(rules)
        names = self.rules if rules is None else rules
        if all(self.specification[name].startswith(("^", "(^")) for name in names):
            return LineStartSearch(pattern)
        return pattern  # a rule that may match mid-line (a plugin's): search as mistune does


class _InlineParser(mistune.InlineParser):
    """mistune's inline parser, with plain text (most of it) tokenised directly."""

    def __call__(self, s: str, env: Any) -> list[dict[str, Any]]:
        if is_simple(s):
            return simple_tokens(s)
        return super().__call__(s, env)


def make_markdown(renderer: Any = None) -> mistune.Markdown:
    """A fresh mistune parser with quizgen's plugins; renderer None gives the AST."""
    plugins = [mistune.plugins.import_plugin(name) for name in ("table", "strikethrough")]
    return mistune.Markdown(renderer=renderer, block=_BlockParser(), inline=_InlineParser(),
                            plugins=[*plugins, _math_plugin])


_AST = make_markdown(None)


def parse_ast(text: str) -> list[dict[str, Any]]:
    """Parse markdown once into mistune's token list: the common subset directly."""
    tokens = parse_common(text, _AST.inline, _parse_mistune)
    return _parse_mistune(text) if tokens is None else tokens


def _parse_mistune(text: str) -> list[dict[str, Any]]:
    tokens = _AST(text)
    assert isinstance(tokens, list)
    return tokens
