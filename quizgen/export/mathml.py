"""TeX -> MathML for pages that must print offline (no MathJax, no network).

latex2mathml writes what it is given into <mtext> unescaped (`\\text{<script>}` comes out as
a real tag) and passes unknown macros through, so its output is parsed, checked against a
MathML allow-list and serialised again; anything doubtful falls back to the TeX as text.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert

MATHML = "http://www.w3.org/1998/Math/MathML"
ALLOWED = frozenset(
    """math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mstyle merror
    mpadded mphantom menclose munder mover munderover mtable mtr mtd mlabeledtr semantics
    annotation""".split()
)
ALLOWED_ATTRIBUTES = frozenset(
    """display mathvariant stretchy fence separator lspace rspace form accent accentunder
    movablelimits largeop symmetric minsize maxsize columnalign rowalign columnspacing
    rowspacing columnlines rowlines frame width height depth linethickness notation
    displaystyle scriptlevel encoding""".split()
)
# Rendered HTML carries math as \( .. \) and \[ .. \] with the TeX HTML-escaped.
_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_SKIP = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.DOTALL | re.IGNORECASE)


def tex_to_mathml(tex: str, *, display: bool = False) -> str | None:
    """MathML for `tex`, or None when it cannot be converted cleanly."""
    try:
        raw = convert(tex, display="block" if display else "inline")
        root = ET.fromstring(raw)
    except Exception:  # latex2mathml raises many types (StopIteration, KeyError, ...)
        return None
    for node in root.iter():
        name = node.tag.rsplit("}", 1)[-1]
        if name not in ALLOWED or any(a not in ALLOWED_ATTRIBUTES for a in node.attrib):
            return None
        if name not in ("mtext", "ms", "annotation") and "\\" in (node.text or ""):
            return None  # an unknown macro passed through as text
    for node in root.iter():
        node.tag = node.tag.rsplit("}", 1)[-1]
    _space_functions(root)
    root.set("xmlns", MATHML)
    return ET.tostring(root, encoding="unicode", short_empty_elements=False)


def _space_functions(root: ET.Element) -> None:
    """A thin space after `log`, `sin`...: TeX sets one, MathML Core does not ("logn")."""
    for parent in list(root.iter()):
        children = list(parent)
        for n, child in enumerate(children[:-1]):
            text = child.text or ""
            if child.tag == "mi" and len(text) > 1 and text.isalpha() and children[n + 1].tag != "mo":
                parent.insert(list(parent).index(child) + 1, ET.Element("mspace", width="0.1667em"))


def math_to_mathml(fragment: str) -> str:
    """Replace the \\( \\) and \\[ \\] spans of sanitised HTML with MathML (code left alone)."""
    pieces = _SKIP.split(fragment)
    for n in range(0, len(pieces), 2):
        pieces[n] = _MATH.sub(_replace, pieces[n])
    return "".join(pieces)


def _replace(match: re.Match[str]) -> str:
    display = match.group(2) is not None
    escaped = match.group(1) if not display else match.group(2)
    mathml = tex_to_mathml(html.unescape(escaped), display=display)
    if mathml is None:
        return f'<code class="tex">{escaped}</code>'  # still escaped: safe as it stands
    return mathml
