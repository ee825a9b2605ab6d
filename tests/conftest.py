from __future__ import annotations

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


@pytest.fixture(scope="session")
def pipeline():
    from annotator.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def seed_record(pipeline):
    from annotator.ingest import iter_inputs

    (raw,) = list(iter_inputs([str(SEED)]))
    record = pipeline.annotate(raw)
    assert_offsets(record)
    return record
