"""Publisher identification on the real pages of ../shared/data/pages.

The right publisher of a page is the site it was taken from (its URL's host). Scored twice: with the
URL given, as `annotator annotate page.html --url URL` does, and without it, from what the page itself
says (canonical URL, og:site_name, self-references in the text).

    python -m annotator.evaluation.outlet_pages ../shared/data/pages
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from annotator.evaluation.extraction import load_pages
from annotator.ingest.article import RawArticle
from annotator.ingest.sources import read_single
from annotator.outlets.registry import host_of
from annotator.pipeline import Pipeline


def _right(outlet_domains: list[str], host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in outlet_domains)


def evaluate(root: Path, pipeline: Pipeline | None = None) -> dict[str, Any]:
    if pipeline is None:
        # The outlet is identified from the address, the page's metadata and the furniture and provenance
        # layers: the claim and framing layers would only add minutes of embedding over 100 page runs.
        from annotator.taggers.page_furniture import PageFurnitureTagger
        from annotator.taggers.provenance import ProvenanceTagger

        pipeline = Pipeline(taggers=[])
        pipeline.taggers = [PageFurnitureTagger(), ProvenanceTagger(pipeline.outlets)]
    report: dict[str, Any] = {}
    pages = [p for p in load_pages(root) if host_of(p.url)]
    for mode in ("with_url", "without_url"):
        right, wrong, none, registered, rows = 0, 0, 0, 0, {}
        for page in pages:
            host = host_of(page.url) or ""
            item = read_single(page.html, page.name, page.url if mode == "with_url" else None, kind="html")
            if not isinstance(item, RawArticle):
                continue
            if mode == "without_url":
                item.url = None  # what the page says of itself only
            outlet = pipeline.annotate(item).outlet
            if outlet is None:
                none += 1
                rows[page.name] = f"no outlet (host {host})"
            elif _right(outlet.profile.get("domains") or [], host):
                right += 1
                registered += outlet.profile.get("registered", True)
            else:
                wrong += 1
                rows[page.name] = f"{outlet.id} via {outlet.method} (host {host})"
        report[mode] = {"pages": len(pages), "right": right, "right_with_profile": registered, "wrong": wrong,
                        "no_outlet": none,
                        "accuracy": round(right / len(pages), 3),
                        "precision": round(right / (right + wrong), 3) if right + wrong else None,
                        "misses": rows}
    return report


if __name__ == "__main__":
    print(json.dumps(evaluate(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/pages")), indent=2))
