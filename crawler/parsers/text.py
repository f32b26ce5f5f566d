"""Visible text of a page, one line per block, for claim extraction (footer included)."""

from __future__ import annotations

import re

from lxml import etree
from parsel import Selector

_HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})
_BLOCKS = frozenset(
    re.findall(
        r"\w+",
        "address article aside blockquote br dd div dl dt fieldset figcaption figure footer "
        "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot "
        "th thead tr ul option button label summary details img",
    )
)


# The same walk as `_visible_pieces`, in libxslt: C speed, half the time per page (the
# speed target of benchmarks/bench_crawl.py). html_text 0.7.1 is not used: measured in one
# run on the same parsed pages, it took 14.9 ms against this walk's 2.1 ms on the ~1 MB
# Udemy sample page (7.0x) and 0.48 against 0.08 ms over the 46 HTML fixture pages (6.0x),
# its cleaner copying the tree before its own walk. It also drops image alt text (12 alt
# texts on the sample page), and the claims read from its text differ on 5 of 46 pages.
_VISIBLE_TEXT = etree.XSLT(
    etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="{"|".join(sorted(_HIDDEN))}"/>
<xsl:template match="{"|".join(sorted(_BLOCKS - {"img"}))}"><xsl:text>&#10;</xsl:text>
<xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="img"><xsl:text>&#10;</xsl:text><xsl:value-of select="@alt"/>
<xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
</xsl:stylesheet>"""
    )
)


def page_text(page: str | bytes | Selector) -> str:
    """Text as lines: blocks (paragraphs, cells, list items...) are lines of their own,
    inline elements (<b>, <a>, <span>) are not, runs of whitespace become one space, and
    image alt text counts (accreditation logos often say it only there)."""
    selector = page if isinstance(page, Selector) else _selector(page)
    root = selector.root
    if not isinstance(root, etree._Element):
        return ""
    try:
        text = str(_VISIBLE_TEXT(root))
    except etree.XSLTApplyError:  # libxslt's recursion limit on a pathologically deep page
        text = "".join(_visible_pieces(root))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)  # str.split: 4x faster than a regex


def _visible_pieces(root: etree._Element) -> list[str]:
    """One walk over the tree (about 10x faster than an XPath with ancestor tests)."""
    pieces: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag in _HIDDEN:
                walker.skip_subtree()
                continue
            if tag in _BLOCKS:
                pieces.append("\n")
            if tag == "img" and element.get("alt"):
                pieces.append(element.get("alt") + "\n")
            if element.text:
                pieces.append(element.text)
            continue
        if event == "end" and tag in _BLOCKS:
            pieces.append("\n")
        if element.tail:
            pieces.append(element.tail)
    return pieces


def _selector(page: str | bytes) -> Selector:
    if isinstance(page, bytes):
        return Selector(body=page, type="html")
    return Selector(text=page, type="html")
