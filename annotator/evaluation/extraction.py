"""Scores article extraction on the real pages of ../shared/data/pages.

trafilatura pages: a page passes when every `with` snippet is present and no `without` snippet is.
fundus pages: a page passes when every gold paragraph is present. The project's text is scored as the
analysis layers read it (the extracted text less the spans marked as page furniture), beside plain
trafilatura with and without favor_precision on the same pages.

    python -m annotator.evaluation.extraction ../shared/data/pages
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura

from annotator import taxonomy
from annotator.ingest.article import RawArticle
from annotator.ingest.sources import read_single
from annotator.pipeline import Pipeline
from annotator.record import Record

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"',
                         "\u00a0": " ", "\u202f": " "})


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Page:
    name: str
    url: str
    html: bytes
    with_: list[str]
    without: list[str] = field(default_factory=list)
    gold_versions: list[list[str]] = field(default_factory=list)  # fundus: candidate gold paragraph lists


def load_pages(root: Path) -> list[Page]:
    pages = []
    evaldata = json.loads((root / "trafilatura" / "evaldata_subset.json").read_text("utf-8"))
    for url, spec in evaldata.items():
        pages.append(Page(f"trafilatura/{spec['file']}", url,
                          (root / "trafilatura" / spec["file"]).read_bytes(), spec["with"], spec["without"]))
    for meta_file in sorted((root / "fundus").glob("*/meta.info")):
        folder = meta_file.parent
        meta = json.loads(meta_file.read_text("utf-8"))
        for gz in sorted(folder.glob("*.html.gz")):
            publisher = gz.name.split("_")[0]
            gold = json.loads((folder / f"{publisher}.json").read_text("utf-8"))
            versions = [
                [p for section in v["body"].get("sections", []) for p in section.get("paragraphs", [])]
                for v in gold.values()
            ]
            pages.append(Page(f"fundus/{folder.name}/{gz.name}", meta[gz.name]["url"],
                              gzip.decompress(gz.read_bytes()), [], [], versions))
    return pages


def score_page(page: Page, text: str) -> tuple[bool, str]:
    """(passed, what failed) for one page's extracted text."""
    norm = normalise(text)
    if page.gold_versions:
        # The publisher's file holds gold for each parser version; the page's own is the best match.
        best = max(page.gold_versions, key=lambda ps: sum(normalise(p) in norm for p in ps) / max(len(ps), 1))
        missing = [p for p in best if normalise(p) not in norm]
        return not missing, f"{len(missing)}/{len(best)} gold paragraphs missing" if missing else ""
    missing = [w for w in page.with_ if normalise(w) not in norm]
    extra = [w for w in page.without if normalise(w) in norm]
    return not (missing or extra), "; ".join(
        ([f"missing {missing}"] if missing else []) + ([f"unwanted {extra}"] if extra else []))


def annotate_page(page: Page, pipeline: Pipeline) -> Record | None:
    item = read_single(page.html, page.name, page.url, kind="html")
    return pipeline.annotate(item) if isinstance(item, RawArticle) else None


def body_text(record: Record | None) -> str:
    """The text as the analysis layers read it: paragraphs that are not page furniture."""
    if record is None:
        return ""
    furniture = [a.span for a in record.annotations if (a.layer, a.label) in taxonomy.FURNITURE and a.span]
    return "\n".join(record.text[s:e] for s, e in record.segments["paragraphs"]
                     if not any(fs < e and s < fe for fs, fe in furniture))


def trafilatura_text(**options: bool) -> Callable[[Page], str]:
    return lambda page: trafilatura.extract(page.html, url=page.url, **options) or ""


def evaluate(root: Path) -> dict[str, dict[str, Any]]:
    pages = load_pages(root)
    pipeline = Pipeline()
    systems = {
        "annotator": lambda page: body_text(annotate_page(page, pipeline)),
        "trafilatura": trafilatura_text(),
        "trafilatura favor_precision": trafilatura_text(favor_precision=True),
    }
    report: dict[str, dict[str, Any]] = {}
    for name, extract in systems.items():
        failures = {}
        for page in pages:
            ok, why = score_page(page, extract(page))
            if not ok:
                failures[page.name] = why
        by_set = {s: sum(1 for p in pages if p.name.startswith(s) and p.name not in failures)
                  for s in ("trafilatura/", "fundus/")}
        report[name] = {
            "passed": len(pages) - len(failures),
            "pages": len(pages),
            "trafilatura_pages_passed": by_set["trafilatura/"],
            "fundus_pages_passed": by_set["fundus/"],
            "failures": failures,
        }
    return report


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/pages")
    print(json.dumps(evaluate(root), indent=2, ensure_ascii=False))
