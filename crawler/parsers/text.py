"""Visible text of a page, one line per block, for claim extraction (footer included)."""

from __future__ import annotations

import re

from lxml import etree
from parsel import Selector

# Text nodes a visitor sees, plus image alt text (accreditation logos often say it only there).
_VISIBLE = etree.XPath(
    "//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template or ancestor::head)] | //img/@alt"
)
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "option",
        "button",
        "label",
        "summary",
        "details",
        "img",
    ]
)
_SPACES = re.compile(r"[^\S\n]+")


def page_text(page: str | bytes | Selector) -> str:
    """Text as lines: blocks (paragraphs, cells, list items...) start a new line, inline
    elements (<b>, <a>, <span>) do not, and runs of whitespace become one space."""
    selector = page if isinstance(page, Selector) else _selector(page)
    root = selector.root
    if not isinstance(root, etree._Element):
        return ""
    pieces: list[str] = []
    for node in _VISIBLE(root):
        if _starts_block(node):
            pieces.append("\n")
        pieces.append(str(node))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _selector(page: str | bytes) -> Selector:
    if isinstance(page, bytes):
        return Selector(body=page, type="html")
    return Selector(text=page, type="html")


def _starts_block(node) -> bool:
    """A text node starts a line when it opens a block or follows a closed one."""
    if node.is_attribute:
        return True
    element = node.getparent()
    return element is not None and isinstance(element.tag, str) and element.tag in _BLOCKS
