"""Lesson text: Markdown rendered to HTML that is safe to put in a page.

Raw HTML in the source is not passed through (markdown-it's ``html`` option is
off, so ``<script>`` is shown as text), and links may only be http(s), mailto or
site-relative: markdown-it's own link validation refuses ``javascript:``,
``vbscript:``, ``file:`` and ``data:`` (except images) URLs.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)


def render_markdown(source: str) -> str:
    """HTML for ``source``; never contains raw HTML from the source."""
    return _MD.render(source or "")
