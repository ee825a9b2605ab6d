"""HTML pages to article text and metadata, through trafilatura.

What the outlet layer needs from the page itself (canonical URL, og:site_name, og:url) is read from the
page head directly, so it is kept even where trafilatura's own metadata would merge or drop it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from annotator import errors

_HTML_HINT = re.compile(rb"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|p[\s>]|div[\s>])",
                        re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_HINT.search(data[:4096]))


@dataclass
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    site_name: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def load_date_parser() -> None:
    """Load what trafilatura's date search loads at the first page that needs its fallback parser
    (dateparser's language data: 1.5 s), for a caller that warms a process before timing it."""
    from htmldate.extractors import get_external_parser

    get_external_parser().get_date_data("12 mars 2019")


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Main text and metadata of one page. Raises InputError when the page holds no article text."""
    try:
        tree = load_html(html)
    except ValueError:  # a str with an XML encoding declaration: let lxml read the bytes
        tree = load_html(html.encode("utf-8"))
    if tree is None:
        raise errors.no_text_extracted()
    head = _head_metadata(tree)
    # Comments are readers' words, not the outlet's: they stay out of the article text.
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        raise errors.no_text_extracted()
    meta: dict[str, Any] = {k: v for k, v in head.items() if v}
    if doc is not None:
        for key in ("hostname", "description", "categories", "tags", "image", "pagetype"):
            value = getattr(doc, key, None)
            if value:
                meta[key] = value
    return Extracted(
        text=text,
        title=(doc.title if doc is not None else None) or head.get("og_title"),
        author=doc.author if doc is not None else None,
        published=(doc.date if doc is not None else None) or head.get("published_time"),
        site_name=head.get("og_site_name") or (doc.sitename if doc is not None else None),
        url=url or head.get("canonical_url") or head.get("og_url") or (doc.url if doc is not None else None),
        meta=meta,
    )


def _head_metadata(tree: HtmlElement) -> dict[str, str | None]:
    def meta(*names: str) -> str | None:
        for name in names:
            for attr in ("property", "name", "itemprop"):
                for node in tree.xpath(f'//meta[@{attr}="{name}"]'):
                    content = (node.get("content") or "").strip()
                    if content:
                        return content
        return None

    canonical = next(
        (
            (node.get("href") or "").strip()
            for node in tree.xpath(
                '//link[@href][contains(concat(" ", normalize-space(@rel), " "), " canonical ")]'
            )
            if (node.get("href") or "").strip()
        ),
        None,
    )
    html_lang = tree.xpath("string(/html/@lang)").strip() or None
    return {
        "canonical_url": canonical,
        "og_site_name": meta("og:site_name"),
        "og_url": meta("og:url"),
        "og_title": meta("og:title"),
        "published_time": meta("article:published_time", "datePublished", "date", "dc.date"),
        "html_lang": html_lang,
    }
