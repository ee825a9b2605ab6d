"""Article text cut into highlighted pieces, one colour per layer.

Article text is hostile data. The pieces are plain strings: the span-selection component puts them in
the page with ``textContent``, and ``highlight_html`` escapes every piece of text and attribute it emits.
Spans may overlap (a claim inside a quote, two labels on one sentence): the text is cut at every span
boundary, and each piece knows every span that covers it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from annotator import taxonomy

# One colour per layer, light enough to read black text on; the same in the legend and the component.
LAYER_COLOURS: dict[str, str] = {
    taxonomy.CLAIM: "#ffd6d6",
    taxonomy.TECHNIQUE: "#fff0b3",
    taxonomy.PROVENANCE: "#cdeefa",
    taxonomy.STRUCTURE: "#e6e6e6",
    taxonomy.FRAME: "#ead9ff",
}
# When spans overlap, the piece takes the colour of the shortest one, or of the layer that tells the
# analyst most when the lengths tie.
LAYER_ORDER = (taxonomy.CLAIM, taxonomy.TECHNIQUE, taxonomy.PROVENANCE, taxonomy.FRAME, taxonomy.STRUCTURE)


@dataclass(frozen=True)
class Span:
    id: int
    layer: str
    label: str
    start: int
    end: int
    detail: str = ""  # for the tooltip: score, cue


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    spans: tuple[Span, ...]  # those covering [start, end), the shortest first

    @property
    def top(self) -> Span | None:
        return self.spans[0] if self.spans else None


def _rank(span: Span) -> tuple[int, int, int]:
    layer = LAYER_ORDER.index(span.layer) if span.layer in LAYER_ORDER else len(LAYER_ORDER)
    return (span.end - span.start, layer, span.id)


def pieces(text: str, spans: Iterable[Span]) -> list[Piece]:
    """Cut ``text`` at every span boundary; spans outside the text are clipped, empty ones dropped."""
    n = len(text)
    kept = [s for s in spans if 0 <= s.start < s.end and s.start < n]
    cuts = sorted({0, n, *(s.start for s in kept), *(min(s.end, n) for s in kept)})
    out: list[Piece] = []
    for start, end in pairwise(cuts):  # distinct and sorted: never empty
        covering = tuple(sorted((s for s in kept if s.start <= start and end <= s.end), key=_rank))
        out.append(Piece(start, end, covering))
    return out


def span_title(spans: Sequence[Span]) -> str:
    """The tooltip of a piece: every label covering it."""
    return "\n".join(f"{s.layer}: {s.label}" + (f" ({s.detail})" if s.detail else "") for s in spans)


def highlight_html(text: str, spans: Iterable[Span], *, focus: int | None = None) -> str:
    """The text as escaped HTML, each span's pieces in its layer's colour, the focused span outlined."""
    parts = ['<div class="annotator-text" style="white-space: pre-wrap; line-height: 1.6">']
    for piece in pieces(text, spans):
        chunk = html.escape(text[piece.start : piece.end])
        top = piece.top
        if top is None:
            parts.append(chunk)
            continue
        style = f"background: {LAYER_COLOURS.get(top.layer, '#eeeeee')}; border-radius: 2px"
        if focus is not None and any(s.id == focus for s in piece.spans):
            style += "; outline: 2px solid #d33; font-weight: 600"
        parts.append(
            f'<mark style="{style}" data-layer="{html.escape(top.layer)}" '
            f'title="{html.escape(span_title(piece.spans))}">{chunk}</mark>'
        )
    parts.append("</div>")
    return "".join(parts)


def legend_html() -> str:
    return " ".join(
        f'<mark style="background: {colour}; padding: 0 .4em; border-radius: 2px">{html.escape(layer)}</mark>'
        for layer, colour in LAYER_COLOURS.items()
    )
