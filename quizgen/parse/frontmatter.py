"""Split a QuickTakes file into YAML front matter and body, and load the YAML safely.

Only safe loaders are ever used (`CSafeLoader`, 16x faster, when libyaml is present).
Aliases are refused outright: QuickTakes never uses them, and an alias bomb
("billion laughs") would otherwise blow up whatever walks the data later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import DocumentError
from .line_search import LineStartSearch
from .simple_yaml import read_simple_mapping

try:
    _SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _SafeLoader = yaml.SafeLoader


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first_line: int) -> None:
        super().__init__(key)
        self.key, self.line, self.first_line = key, line, first_line


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a key given twice in one mapping: YAML keeps the last
    value, so a second `answer:` would silently drop the first one's text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line
                if key_node.value in seen:
                    raise _DuplicateKey(key_node.value, line, seen[key_node.value])
                seen[key_node.value] = line
        return super().construct_mapping(node, deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Text (nearly every value) is its node's own value: no constructor lookup for it.
        What the safe constructor does for a str node, short of caching it for aliases."""
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value
        return super().construct_object(node, deep)

_CLOSING = LineStartSearch(re.compile(r"^---[ \t]*$|^\.\.\.[ \t]*$", re.MULTILINE))
_UNKNOWN_TAG = re.compile(r"constructor for the tag '([^']+)'")
_STANDARD_TAGS = "tag:yaml.org,2002:"  # written `!!name` in a file
_STR_TAG = _STANDARD_TAGS + "str"
_ALIAS_START = re.compile(r"[*&]\S")
_MAYBE_ALIAS = re.compile(r"[\s\[{,:-]" + _ALIAS_START.pattern)  # a line start follows "\n", a space


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    body: str
    body_line: int  # 1-based line where the body starts


def split_front_matter(text: str, path: str) -> FrontMatter:
    """`text` must already be str with "\\n" line ends."""
    if not text.startswith("---"):
        raise DocumentError(
            "no YAML front matter: the file must start with a '---' line",
            path=path,
            line=1,
            hint="QuickTakes documents begin with '---', the YAML fields, then '---'",
        )
    first_break = text.find("\n")
    if first_break == -1 or text[:first_break].strip() != "---":
        raise DocumentError("the first line must be exactly '---'", path=path, line=1)
    closing = _CLOSING.search(text, first_break + 1)
    if closing is None:
        raise DocumentError("front matter is never closed: no second '---' line", path=path, line=1)
    yaml_text = text[first_break + 1 : closing.start()]
    body_start = text.find("\n", closing.end())
    body = "" if body_start == -1 else text[body_start + 1 :]
    body_line = text.count("\n", 0, closing.end()) + 2
    return FrontMatter(load_yaml(yaml_text, path), body, body_line)


def load_yaml(yaml_text: str, path: str) -> dict[str, Any]:
    """Load front matter YAML; errors carry the file line (front matter starts on line 2)."""
    simple = read_simple_mapping(yaml_text, plain_scalar)
    if simple is not None:  # the common shape, read directly: what the loader would make
        return simple
    return load_yaml_fully(yaml_text, path)


def load_yaml_fully(yaml_text: str, path: str) -> dict[str, Any]:
    """`load_yaml` by the safe loader alone, whatever the text (and the reference the
    direct reader is tested against)."""
    maybe_alias = may_alias(yaml_text)
    loader = _Loader(yaml_text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            if maybe_alias:  # the anchor, not what it broke, is the error to report
                _refuse_aliases(yaml_text, path)
            raise
        if maybe_alias and node is not None and _may_hold_anchor(node, yaml_text):
            _refuse_aliases(yaml_text, path)
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        tag = _UNKNOWN_TAG.search(problem)
        if tag:  # `!!python/object/apply:os.system [...]`: refused, never constructed
            raise DocumentError(
                f"YAML tag {tag.group(1).replace(_STANDARD_TAGS, '!!')} is not allowed", path=path, line=line,
                hint="front matter holds plain text, numbers, lists and mappings only",
            ) from None
        raise DocumentError(f"YAML syntax error: {problem}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"YAML error: {exc}", path=path) from None
    except _DuplicateKey as duplicate:  # front matter starts on line 2
        raise DocumentError(
            f"`{duplicate.key}` is given twice (also on line {duplicate.first_line + 2}); YAML would keep only the last",
            path=path, line=duplicate.line + 2, hint="keep one of them: merge their text, or rename the other",
        ) from None
    finally:
        loader.dispose()
    if data is None:
        raise DocumentError("front matter is empty", path=path, line=2)
    if not isinstance(data, dict):
        kind = {list: "a list", str: "text", int: "a number", float: "a number"}.get(type(data), type(data).__name__)
        raise DocumentError(f"front matter must be a mapping of fields, got {kind}", path=path, line=2)
    return data


# What the loader constructs for a plain scalar of each implicit tag (SafeConstructor's own).
_PLAIN_TAGS = frozenset(_STANDARD_TAGS + name for name in ("str", "int", "float", "bool", "null", "timestamp"))
_PLAIN_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def plain_scalar(value: str) -> Any:
    """The value the loader makes of the plain scalar `value`: its tag by the loader's
    implicit resolvers (`BaseResolver.resolve`, first character then wildcard), then the
    loader's constructor for that tag. Raises for any other tag (`<<`, `=`)."""
    resolvers = _Loader.yaml_implicit_resolvers
    if value and value[0] not in resolvers and None not in resolvers:
        return value  # no resolver for its first character: text (most keys and values)
    tag = _STR_TAG
    for candidate, regexp in resolvers.get(value[0] if value else "", []) + resolvers.get(None, []):
        if regexp.match(value):
            tag = candidate
            break
    if tag == _STR_TAG:
        return value
    if tag not in _PLAIN_TAGS:
        raise ValueError(f"plain scalar of tag {tag}")
    return _Loader.yaml_constructors[tag](_PLAIN_CONSTRUCTOR, yaml.ScalarNode(tag, value))


def may_alias(yaml_text: str) -> bool:
    """A cheap first look: could an anchor or alias token start anywhere (`**bold**` in an
    answer, mostly, so the nodes are looked at next)?"""
    return _MAYBE_ALIAS.search(yaml_text) is not None or _ALIAS_START.match(yaml_text) is not None


def _may_hold_anchor(root: yaml.Node, yaml_text: str) -> bool:
    """True when a node starts with `&` or `!`: an anchor, or a tag an anchor may follow.

    libyaml marks a node where its anchor or tag is written (counting characters), and an
    alias is the anchored node itself, so nodes that all start otherwise have neither. A
    walk over the composed nodes costs a tenth of scanning the tokens again in Python.
    """
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        start = node.start_mark.index
        if yaml_text[start : start + 1] in ("&", "!"):
            return True
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _refuse_aliases(yaml_text: str, path: str) -> None:
    try:
        for token in yaml.scan(yaml_text, Loader=_Loader):
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                line = token.start_mark.line + 2
                raise DocumentError("YAML anchors and aliases are not allowed", path=path, line=line)
    except yaml.MarkedYAMLError:
        return  # load_yaml reports the syntax error with its line
