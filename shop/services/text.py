"""Rich text written by staff: Markdown rendered to sanitized HTML."""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "a", "code",
    "hr",
}  # fmt: skip


def render_markdown(source: str) -> Markup:
    """Render Markdown to HTML that is safe to put on a page."""
    html = _markdown.render(source or "")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return Markup(clean)  # noqa: S704 - sanitized by nh3 just above


def plain_excerpt(source: str, limit: int = 155) -> str:
    """Return a one-line plain-text excerpt, e.g. for a meta description."""
    text = html.unescape(nh3.clean(_markdown.render(source or ""), tags=set()))
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
