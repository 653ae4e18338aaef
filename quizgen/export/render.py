"""Markdown -> sanitised HTML, the one way any text reaches a card, page or quiz.

Our own mistune renderer with `escape=True` (raw HTML in a document stays text), math
emitted as `\\(..\\)` / `\\[..\\]` for MathJax, code blocks highlighted by pygments, then
nh3 removes anything executable that slipped through. Braces become entities so text
like `{{c1::x}}` or `}}` in a document can never act as Anki template or cloze syntax;
quizgen's own deletions travel as private-use marks and become `{{cN::..}}` last.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

import mistune
from mistune.util import escape as mistune_escape
import nh3
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from ..model import CLOZE_CLOSE, CLOZE_MARK, CLOZE_MID, CLOZE_OPEN, CodeBlock, MathBlock, Paragraph, PointList, Table
from ..model import Block, Point, Quote
from ..parse.markdown import make_markdown
from ..parse.simple_inline import code_text, is_simple, markup_parts
from ..text import escape_markdown

ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "span": {"class"},
    "div": {"class"},
    "pre": {"class"},
    "code": {"class"},
    "td": {"style"},
    "th": {"style"},
}
_CODE_FORMATTER = HtmlFormatter(cssclass="highlight", nowrap=False)


class _Renderer(mistune.HTMLRenderer):
    def __init__(self) -> None:
        super().__init__(escape=True)

    def inline_math(self, text: str, display: bool = False) -> str:
        tex = html.escape(text, quote=False)
        return f"\\[{tex}\\]" if display else f"\\({tex}\\)"

    def block_math(self, text: str) -> str:
        return f'<div class="math">\\[{html.escape(text, quote=False)}\\]</div>\n'

    def block_code(self, code: str, info: str | None = None) -> str:
        return highlight_code(code, (info or "").split()[0] if info and info.split() else "")

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return text  # the alt text: cards never fetch remote images


_MARKDOWN = make_markdown(_Renderer())


def highlight_code(code: str, language: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return highlight(code, lexer, _CODE_FORMATTER)


def code_css() -> str:
    """The pygments stylesheet for `.highlight` blocks, light then `.nightMode` dark."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".nightMode .highlight")
    return light + "\n" + dark


def sanitize(fragment: str) -> str:
    """Remove scripts, handlers, `javascript:` links; keep structure and classes."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_DOUBLE_BRACE = re.compile(r"(&#12[35];)(?=&#12[35];)")
_TEX = re.compile(r"(\\\(.*?\\\)|\\\[.*?\\\])", re.DOTALL)  # MathJax reads braces there as TeX


def neutralize_braces(fragment: str) -> str:
    """`{`, `}` and `::` as entities: shown as text, never parsed as Anki syntax. Two
    braces in a row also get a zero-width space between them, so even the visible text
    never holds `{{` or `}}` (what a typed `{{c1::x}}` looks like stays the same)."""
    entities = fragment.replace("{", "&#123;").replace("}", "&#125;").replace("::", ":&#58;")
    if "&#12" not in entities:  # no brace entity, so no pair to split: most fields
        return entities
    parts = _TEX.split(entities)  # odd parts are TeX: left exactly as written
    return "".join(p if i % 2 else _DOUBLE_BRACE.sub(r"\1&#8203;", p) for i, p in enumerate(parts))


def finish_cloze(fragment: str) -> str:
    """quizgen's deletion marks -> Anki's `{{cN::...}}`. The marks are private-use
    characters the parser removes from input, so when they pair up, three plain
    replaces do what the pattern does (200,000 notes on a big build)."""
    if CLOZE_OPEN not in fragment:
        return fragment
    opens = fragment.count(CLOZE_OPEN)
    if opens == fragment.count(CLOZE_MID) == fragment.count(CLOZE_CLOSE) == len(CLOZE_MARK.findall(fragment)):
        return fragment.replace(CLOZE_OPEN, "{{c").replace(CLOZE_MID, "::").replace(CLOZE_CLOSE, "}}")
    return CLOZE_MARK.sub(_anki_cloze, fragment)


def _anki_cloze(mark: re.Match[str]) -> str:
    """A function, not a lambda: compiled, a lambda's closure is built on every call of
    `finish_cloze`, whichever way it goes."""
    return "{{c" + mark.group(1) + "::" + mark.group(2) + "}}"


def render_markdown(markdown: str, inline: bool = False, marks: bool = False) -> str:
    """Markdown (with optional cloze marks) -> safe HTML for one field.

    `marks=True` leaves quizgen's cloze marks in place (see `finish_cloze`) so deletions
    can be renumbered on the rendered text before they become `{{cN::..}}`.
    """
    out = _render_marked(markdown, inline)
    return out if marks else finish_cloze(out)


def _render_simple(markdown: str) -> str:
    """What mistune and nh3 make of simple inline text (see parse.simple_inline), without
    parsing it. Written out, not mistune's renderer: that one writes `"` as `&quot;`,
    which only the sanitiser turns back. Simple text holds no `&`, `<` or `>` outside
    code spans, so only code needs escaping, and text without markup is its own HTML."""
    if "*" not in markdown and "`" not in markdown:
        return markdown  # what simple_tokens makes of it: one text token, escaped as itself
    parts = markup_parts(markdown)  # text, then (bold, code, text) per piece of markup: as simple_tokens
    out = [parts[0] or ""]
    for index in range(1, len(parts), 3):
        bold, code, text = parts[index : index + 3]
        if bold is not None:
            out.append(f"<strong>{bold}</strong>")
        elif code is not None:  # one of the two always is
            out.append(f"<code>{mistune_escape(code_text(code), quote=False)}</code>")
        if text:
            out.append(text)
    return "".join(out)


@lru_cache(maxsize=8192)
def _render_marked(markdown: str, inline: bool) -> str:
    markdown = markdown.strip()
    if inline and is_simple(markdown):
        return neutralize_braces(_render_simple(markdown))
    rendered = _MARKDOWN(markdown)
    assert isinstance(rendered, str)
    out = rendered.strip()
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return neutralize_braces(sanitize(out))


def render_inline(markdown: str, marks: bool = False) -> str:
    """`render_markdown(markdown, inline=True, marks=marks)`, one call less (every field)."""
    out = _render_marked(markdown, True)
    return out if marks else finish_cloze(out)


class FieldRenderer:
    """Renders each distinct markdown string once per build (contexts and sources repeat).
    Here, not in anki.py, so it is compiled: `notes.render_card` asks it for every field."""

    def __init__(self, site_url: str | None = None) -> None:
        self.site_url = site_url
        self._marked: dict[str, str] = {}  # render_inline(markdown, marks=True), by markdown
        self._finished: dict[str, str] = {}  # marks=False: two dicts, no key tuple per field
        self._sources: dict[tuple[str, str | None], str] = {}

    def inline(self, markdown: str, marks: bool = False) -> str:
        done = self._marked if marks else self._finished
        out = done.get(markdown)
        if out is None:
            out = done[markdown] = render_inline(markdown, marks)
        return out

    def source(self, title: str, url: str | None) -> str:
        """The document title, a link only when the url is (or can be made) absolute."""
        cache_key = (title, url)
        out = self._sources.get(cache_key)
        if out is None:
            href = absolute_url(url, self.site_url)
            text = _BLOCK_START.sub(_escape_block_start, escape_markdown(title), count=1)
            link = "[" + text + "](<" + quote(href, safe=_HREF_SAFE) + ">)" if href else text
            out = self._sources[cache_key] = self.inline(link)
        return out


_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([#>+\-=|])")
# Kept as they are in a link target; anything else (`<`, `>`, `"`, spaces, backslashes,
# braces, non-ASCII) is percent-encoded, so no url can end the markdown link early and
# leave its `[title](<...>)` on the card as raw text.
_HREF_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def _escape_block_start(match: re.Match[str]) -> str:
    """A title that would start a list, heading or quote stays text: its marker escaped."""
    return match.group(0)[:-1] + "\\" + match.group(0)[-1]


def absolute_url(url: str | None, site_url: str | None) -> str | None:
    """`url` when it is http(s) already, else joined to `site_url` when one is given."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if parts.scheme or not site_url:
        return None  # "javascript:", "mailto:" or relative without a base: plain text
    joined = site_url.rstrip("/") + "/" + url.lstrip("/")
    base = urlsplit(joined)
    return joined if base.scheme in ("http", "https") and base.netloc else None


def block_markdown(block: Block, indent: str = "") -> str:
    """A model block written back as markdown (for rendering a point's children)."""
    if isinstance(block, Paragraph):
        return indent + block.text
    if isinstance(block, CodeBlock):
        fence = "````" if "```" in block.code else "```"
        body = "\n".join(indent + line for line in block.code.split("\n"))
        return f"{indent}{fence}{block.language}\n{body}\n{indent}{fence}"
    if isinstance(block, MathBlock):
        return f"{indent}$$\n{block.tex}\n{indent}$$"
    if isinstance(block, Table):
        return table_markdown(block, indent)
    if isinstance(block, PointList):
        return "\n".join(point_markdown(p, block.ordered, n, indent) for n, p in enumerate(block.points, block.start))
    if isinstance(block, Quote):
        return "\n".join(indent + "> " + line for b in block.blocks for line in block_markdown(b).split("\n"))
    return ""


def point_markdown(point: Point, ordered: bool, number: int, indent: str = "") -> str:
    marker = f"{number}. " if ordered else "- "
    lead = f"**{point.term}**: {point.text}" if point.term else point.text
    child_indent = indent + " " * len(marker)
    lines = [indent + marker + lead]
    lines += ["\n" + block_markdown(child, child_indent) for child in point.children]
    return "\n".join(lines)


def table_markdown(table: Table, indent: str = "") -> str:
    def row(cells: tuple[str, ...]) -> str:
        return indent + "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    width = max([len(table.header)] + [len(r) for r in table.rows])
    header = table.header or ("",) * width
    lines = [row(header), indent + "|" + "---|" * len(header)]
    lines += [row(r) for r in table.rows]
    return "\n".join(lines)


def render_blocks(blocks: tuple[Block, ...]) -> str:
    return render_markdown("\n\n".join(block_markdown(b) for b in blocks))
