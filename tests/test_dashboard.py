"""The dashboard's helpers: highlighting, the selection component's offsets, escaping, the outlet card's
facts, and reading uploads as the CLI reads files."""

from __future__ import annotations

import html
import io
import json

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from annotator import errors
from annotator.dashboard import services
from annotator.dashboard.highlight import LAYER_COLOURS, Span, highlight_html, pieces
from annotator.dashboard.outlet_card import fact_lines
from annotator.dashboard.safe import md
from annotator.dashboard.span_select import component_data, from_utf16, selection_of, strip_span
from annotator.ingest import Failure, RawArticle
from annotator.record import Record
from annotator.store import Store

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** _it_ `code` [link](javascript:alert(1)) ![img](x)",
    "$x^2$ :red[colour] :material/home: \\escaped\\ &amp; &#60;",
    "# heading\n- item\n> quote\n1. one",
]


# --- highlight ---------------------------------------------------------------------------------------

def test_pieces_cut_overlapping_spans_at_every_boundary():
    text = "0123456789"
    outer, inner = Span(1, "claim", "hedge", 2, 8), Span(2, "provenance", "quote", 4, 6)
    got = [(p.start, p.end, [s.id for s in p.spans]) for p in pieces(text, [outer, inner])]
    assert got == [(0, 2, []), (2, 4, [1]), (4, 6, [2, 1]), (6, 8, [1]), (8, 10, [])]  # shortest first
    assert "".join(text[p.start : p.end] for p in pieces(text, [outer, inner])) == text


def test_pieces_clip_spans_past_the_text_and_drop_empty_ones():
    got = [(p.start, p.end, len(p.spans)) for p in pieces("abc", [Span(1, "claim", "hedge", 1, 99),
                                                                 Span(2, "claim", "hedge", 2, 2)])]
    assert got == [(0, 1, 0), (1, 3, 1)]
    assert [(p.start, p.end) for p in pieces("", [Span(1, "claim", "hedge", 0, 3)])] == []


@pytest.mark.parametrize("hostile", HOSTILE)
def test_highlight_html_escapes_text_and_labels(hostile):
    text = f"before {hostile} after"
    start = text.index(hostile)
    out = highlight_html(text, [Span(7, "claim", hostile, start, start + len(hostile))], focus=7)
    assert "<script" not in out and "<img" not in out
    assert html.escape(hostile) in out
    assert LAYER_COLOURS["claim"] in out and "outline" in out


# --- the span-selection component --------------------------------------------------------------------

def test_utf16_offsets_become_python_offsets_after_astral_characters():
    text = "a😀b🎉 selected words"
    start16 = len(text[: text.index("selected")].encode("utf-16-le")) // 2
    assert start16 == text.index("selected") + 2  # two astral characters, two extra code units
    assert from_utf16(text, start16) == text.index("selected")
    assert from_utf16(text, 0) == 0 and from_utf16(text, 2) == 1  # after "a" and half of 😀: rounds down
    assert from_utf16(text, 10_000) == len(text)


def test_the_reported_selection_is_stripped_and_checked():
    text = "x 😀  two words  y"
    start16 = len(text[: text.index("  two")].encode("utf-16-le")) // 2
    end16 = start16 + len("  two words  ")
    selection = selection_of(text, {"start16": start16, "end16": end16, "text": "ignored"})
    assert (selection.start, selection.end, selection.text) == (text.index("two"), text.index("  y"),
                                                                "two words")
    assert selection_of(text, None) is None
    assert selection_of(text, {"start16": "x"}) is None
    assert selection_of(text, {"start16": 1, "end16": 2}) is None  # only a blank
    assert strip_span(" a ", 0, 3) == (1, 2)


def test_component_data_carries_the_text_as_plain_pieces():
    text = "<b>x</b> 😀 selected words"
    picked = (text.index("selected"), len(text))
    data = component_data(text, [Span(3, "claim", "hedge", 0, 8)], focus=3, picked=picked)
    assert "".join(piece[0] for piece in data["pieces"]) == text
    assert [piece[0] for piece in data["pieces"] if piece[2]] == ["selected words"]
    assert data["spans"]["3"][:3] == ["claim", "hedge", LAYER_COLOURS["claim"]]
    assert data["focus"] == 3
    json.dumps(data)  # what the component is sent


# --- escaping ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("hostile", HOSTILE)
def test_md_renders_as_exactly_the_characters(hostile):
    rendered = MarkdownIt("commonmark").renderInline(md(hostile))
    assert html.unescape(rendered) == " ".join(hostile.split())
    assert "<" not in rendered.replace("&lt;", "")


def test_md_clips_long_values():
    assert md("a" * 50, limit=10) == "a" * 9 + "…"


# --- outlet card -------------------------------------------------------------------------------------

def test_fact_lines_give_every_fact_with_its_source():
    profile = {
        "kind": "outlet",
        "aliases": ["X"],
        "owner": {"value": "ANO TV-Novosti", "source": "Council Regulation (EU) 2022/350"},
        "country": {"value": "RU", "source": "Wikipedia"},
        "state_affiliation": {"value": "state_controlled", "typology": "SC", "source": "State Media Monitor"},
        "legal_status": [{"measure": "EU broadcast ban", "act": "Reg. 2022/350", "date": "2022-03-01",
                          "source": "EUR-Lex", "verified": False}],
        "ratings": [{"rater": "Lin et al. 2023", "value": 0.2, "scale": "0-1", "source": "PNAS Nexus"}],
        "new_fact": {"value": "shown too", "source": "somewhere"},
        "controller": {"value": "a sale announced", "source": "press (NEEDS VERIFICATION)",
                       "verified": False},
    }
    lines = fact_lines(profile)
    assert ("controller", "a sale announced (NOT VERIFIED)", "press (NEEDS VERIFICATION)") in lines
    assert lines[0][0] == "country" and lines[0][1].endswith("(RU)") and lines[0][2] == "Wikipedia"
    assert ("owner", "ANO TV-Novosti", "Council Regulation (EU) 2022/350") in lines
    assert ("state affiliation", "state-controlled (typology SC)", "State Media Monitor") in lines
    assert ("legal status", "EU broadcast ban, Reg. 2022/350, since 2022-03-01, NOT VERIFIED",
            "EUR-Lex") in lines
    assert ("rating: Lin et al. 2023", "0.2 (0-1)", "PNAS Nexus") in lines
    assert ("new_fact", "shown too", "somewhere") in lines
    assert not [line for line in lines if line[0] in ("kind", "aliases")]


# --- ingest ------------------------------------------------------------------------------------------

def test_uploads_are_read_as_the_cli_reads_files():
    (txt,) = services.items_from_upload("folder/article.txt", b"Un texte.\n")
    assert isinstance(txt, RawArticle) and txt.text == "Un texte." and txt.source == "article.txt"

    page = b"<html><head><title>T</title></head><body><article><p>" + b"Un paragraphe assez long. " * 20 + \
        b"</p></article></body></html>"
    (htm,) = services.items_from_upload("page.html", page)
    assert isinstance(htm, RawArticle) and "Un paragraphe" in htm.text and htm.meta["format"] == "html"

    lines = b'{"text": "Premier.", "id": "a1", "language": "fr"}\n{"title": "no text"}\n'
    first, bad = services.items_from_upload("batch.jsonl", lines)
    assert (first.id, first.text, first.language) == ("a1", "Premier.", "fr")
    assert isinstance(bad, Failure) and "text" in str(bad)

    (row,) = services.items_from_upload("batch.csv", b"id,text\nc1,Une ligne.\n")
    assert (row.id, row.text) == ("c1", "Une ligne.")

    buffer = io.BytesIO()
    pd.DataFrame({"text": ["Parquet."], "url": ["https://example.org/a"]}).to_parquet(buffer)
    (parquet,) = services.items_from_upload("batch.parquet", buffer.getvalue())
    assert (parquet.text, parquet.url) == ("Parquet.", "https://example.org/a")

    (too_big,) = services.items_from_upload("big.txt", b"x" * (services.DEFAULT_MAX_BYTES + 1))
    assert isinstance(too_big, Failure)


def test_pasted_text_keeps_what_the_analyst_gave():
    item = services.item_from_paste("  Un texte collé.  ", url="https://example.org/x", title="T",
                                    language="fr")
    assert (item.text, item.url, item.title, item.language, item.source) == (
        "Un texte collé.", "https://example.org/x", "T", "fr", "<pasted>")


class _Pipeline:
    """Stands in for the models: one claim-free record per article; an article saying 'boom' breaks it."""

    def annotate(self, raw: RawArticle) -> Record:
        if "boom" in raw.text:
            raise RuntimeError("boom")
        return Record(id=raw.id or "p1", text=raw.text, language="fr", title=raw.title)


def test_annotate_and_store_keeps_going_past_a_broken_article(tmp_path):
    items = [RawArticle(source="a", text="Un.", id="a"), RawArticle(source="b", text="boom", id="b"),
             Failure("c", errors.unreadable("no such file")),
             RawArticle(source="d", text="Deux.\nSuite.", id="d")]
    with Store(str(tmp_path / "s.sqlite")) as store:
        report = services.annotate_and_store(items, into=store, pipeline=_Pipeline())
        assert report.stored == [("a", "Un."), ("d", "Deux.")]
        assert [f.split(":")[0] for f in report.failures] == ["b", "c"]
        assert "[E900]" in report.failures[0]
        assert {row.article_id for row in store.queue()} == {"a", "d"}
