"""Hostile strings into Streamlit markdown, shown as the characters they are.

Streamlit's markdown knows HTML, links, images, LaTeX (``$``), colour and icon directives (``:red[x]``,
``:material/x:``): a backslash before every ASCII punctuation character turns each of them into a
literal character (CommonMark allows that escape for all of them).
"""

from __future__ import annotations

import re
import string

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")


def md(value: object, *, limit: int | None = None) -> str:
    """``value`` as markdown that renders to exactly its text on one line (clipped to ``limit``)."""
    text = " ".join(str(value).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _PUNCT.sub(r"\\\1", text)
