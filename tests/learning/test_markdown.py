"""Lesson Markdown never lets raw HTML or script links through."""

from __future__ import annotations

from learning.markdown import render_markdown


def test_markdown_renders_structure() -> None:
    html = render_markdown("# Section 7\n\n**Terrorism** is defined in *s. 6*.\n\n- one\n- two")
    assert "<h1>Section 7</h1>" in html
    assert "<strong>Terrorism</strong>" in html and "<li>two</li>" in html


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_script_links_are_not_links() -> None:
    html = render_markdown("[click](javascript:alert(1)) [ok](https://pakistancode.gov.pk/)")
    assert 'href="javascript' not in html
    assert 'href="https://pakistancode.gov.pk/"' in html
