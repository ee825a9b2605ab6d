from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.record import Record

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "rt-fr_2019-09-05_poutine-missiles-hypersoniques.txt"


def shared(*parts: str) -> Path:
    """A path under ../shared, or skip: the suite must pass on a machine that has only the project."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not present beside the project")
    return path


def assert_offsets(record: Record) -> None:
    """The contract: every span points into the record's text."""
    for a in record.annotations:
        if a.start is not None:
            assert record.text[a.start : a.end] == a.text, (a.layer, a.label, a.start, a.end)
    for kind, spans in record.segments.items():
        for start, end in spans:
            assert 0 <= start < end <= len(record.text), (kind, start, end)
            assert record.text[start:end] == record.text[start:end].strip(), (kind, start, end)


@contextmanager
def user_settings(folder: Path, toml: str) -> Iterator[None]:
    """A user's settings file (``toml``, written in ``folder``) in force inside the block: $ANNOTATOR_CONFIG
    set, and the cached settings read again on the way in and on the way out."""
    from annotator.settings import settings

    config = folder / "settings.toml"
    config.write_text(toml, encoding="utf-8")
    before = os.environ.get("ANNOTATOR_CONFIG")
    os.environ["ANNOTATOR_CONFIG"] = str(config)
    settings.cache_clear()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ANNOTATOR_CONFIG", None)
        else:
            os.environ["ANNOTATOR_CONFIG"] = before
        settings.cache_clear()


@pytest.fixture(scope="session")
def pipeline_of_tier():
    return _pipeline_of_tier


def _pipeline_of_tier(tier: str):
    """The whole pipeline with the heads of ``tier`` loaded now, so that the tier stays bound to it
    whatever $ANNOTATOR_TIER says later (tests that hold figures measured with one tier)."""
    from annotator.learning.tiers import in_tier
    from annotator.pipeline import Pipeline

    with in_tier(tier):
        pipeline = Pipeline()
        for tagger in pipeline.taggers:
            for load in ("load_scorer", "_load"):
                if hasattr(tagger, load):
                    getattr(tagger, load)()
                    break
    return pipeline


@pytest.fixture(scope="session")
def pipeline():
    from annotator.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def page_records() -> dict[str, Record | None]:
    """The 51 real pages of ../shared/data/pages annotated once (a minute on 2 cores): the extraction
    tests and the review loop's test share them. None for a page that could not be read.

    Every layer runs, by its rules and cues, without the encoder heads (check-worthiness, frames,
    techniques): neither the extraction tests nor the review loop read what the heads add, and embedding
    every sentence of 51 pages on this CPU costs five minutes of the suite. The heads are tested on the
    seed (tests/test_framing.py, tests/test_claims.py) and on held-out data (tests/test_claims_eval.py)."""
    from annotator.evaluation.extraction import annotate_page, load_pages
    from annotator.outlets.registry import default_registry
    from annotator.pipeline import Pipeline, default_taggers

    rules = Pipeline(taggers=default_taggers(default_registry(), heads=False))
    return {page.name: annotate_page(page, rules) for page in load_pages(shared("data", "pages"))}


@pytest.fixture(scope="session")
def seed_record(pipeline):
    from annotator.ingest import iter_inputs

    (raw,) = list(iter_inputs([str(SEED)]))
    record = pipeline.annotate(raw)
    assert_offsets(record)
    return record


HOSTILE_TEXT = (
    "Astral characters first: 😀 and 🎉 before anything else.\n"
    "<script>alert(1)</script> and <img src=x onerror=alert(1)> sit in the body.\n"
    "The selected words come after the astral characters.\n"
    "Le bilan serait de 20 morts, selon une source proche du dossier."
)


@pytest.fixture(scope="session")
def hostile_record() -> Record:
    """An article whose title, text, labels and outlet profile try to run script in the dashboard."""
    from annotator.record import Annotation, Outlet

    text = HOSTILE_TEXT
    def span(part: str) -> tuple[int, int]:
        start = text.index(part)
        return start, start + len(part)

    claim = span("Le bilan serait de 20 morts")
    script = span("<script>alert(1)</script>")
    return Record(
        id="hostile-1",
        title="<script>alert(2)</script> **not bold** [link](javascript:alert(3))",
        url="javascript:alert(4)",
        language="en",
        text=text,
        outlet=Outlet(id="evil", name="<img src=x onerror=alert(5)>", country="FR", owner="<b>owner</b>",
                      state_affiliation="private", score=0.9, method="url",
                      profile={"owner": {"value": "<b>owner</b>", "source": "<img src=x onerror=alert(6)>"}}),
        annotations=[
            Annotation("claim", "reported_conditional", *claim, text[claim[0] : claim[1]], 0.55,
                       "claims@test", {"cue": "<i>serait</i>"}),
            Annotation("technique", "Loaded_Language", *script, text[script[0] : script[1]], 0.5,
                       "techniques@test", {"cue": "<script>alert(7)</script>"}),
        ],
    )
