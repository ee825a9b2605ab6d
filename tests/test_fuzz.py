"""Property-based fuzzing (hypothesis) of what reads untrusted input: the readers of `annotate` and
`ingest` (every suffix, gzip, truncated and deeply nested HTML, batch files with broken rows) and the
importers (jsonl, Label Studio, Prodigy, with hostile content). The properties: every input gives a
record or a coded error, never a traceback; an import refused changes nothing in the store.

`make test` runs a short profile; `make fuzz` the long one (HYPOTHESIS_PROFILE=long, README
"Reliability"). The seeds are derandomised in the short profile, so that CI is repeatable.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from annotator.errors import InputError
from annotator.exchange.importer import import_paths
from annotator.ingest.article import Failure, RawArticle
from annotator.ingest.sources import ACCEPTED_SUFFIXES, opened, read_file
from annotator.store import Store

pytestmark = pytest.mark.fuzz

settings.register_profile("short", max_examples=150, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=8000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "short"))

CODE = re.compile(r"^\[E\d{3}\] ")
CODED = re.compile(r": \[E\d{3}\] ")  # an import failure: "FILE:LINE: [E012] ..."
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "cp1251",
             "koi8-r")
SUFFIXES = [s for s in ACCEPTED_SUFFIXES if s != ".gz"] + ["", ".bin", ".TXT"]

# -------------------------------------------------------------------------------------- strategies

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@st.composite
def encoded_text(draw: st.DrawFn) -> bytes:
    encoding = draw(st.sampled_from(ENCODINGS))
    return draw(words).encode(encoding, errors="ignore")


html_tags = st.sampled_from(["div", "p", "article", "span", "script", "style", "table", "td", "a", "h1",
                             "iframe", "svg", "math", "template", "noscript", "b"])


@st.composite
def html(draw: st.DrawFn) -> bytes:
    """Nested (sometimes very deep), truncated, unclosed, with attributes and entities."""
    depth = draw(st.integers(0, 400))
    tags = [draw(html_tags) for _ in range(min(depth, 30))] * (depth // 30 + 1)
    body = draw(words)
    attrs = draw(st.sampled_from(['', ' class="x"', ' onerror="alert(1)"', ' href="javascript:x"',
                                  ' style="&#x26;&amp;&"']))
    page = "".join(f"<{t}{attrs}>" for t in tags[:depth]) + body + "".join(f"</{t}>" for t in tags[:depth])
    page = "<!doctype html><html><head><title>" + draw(words) + "</title></head><body>" + page
    cut = draw(st.integers(0, len(page)))
    return (page[:cut] if draw(st.booleans()) else page).encode(draw(st.sampled_from(ENCODINGS)),
                                                                errors="ignore")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | words,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4), max_leaves=12)


@st.composite
def rows(draw: st.DrawFn) -> bytes:
    """Batch lines: good rows, rows of wrong types, nulls, missing text, broken JSON, huge fields."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["good", "types", "broken", "huge", "value"]))
        if kind == "good":
            lines.append(json.dumps({"text": draw(words), "id": draw(words), "url": draw(words)}))
        elif kind == "types":
            lines.append(json.dumps({"text": draw(json_values), "id": draw(json_values),
                                     "published": draw(json_values)}))
        elif kind == "broken":
            lines.append(draw(words))
        elif kind == "huge":
            lines.append(json.dumps({"text": "x" * draw(st.integers(0, 200_000))}))
        else:
            lines.append(json.dumps(draw(json_values)))
    return "\n".join(lines).encode("utf-8")


@st.composite
def delimited(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from([",", "\t", ";"]))
    header = draw(st.sampled_from(["text", "text,id", "id,title", "", "text\ttitle", '"text']))
    body = "\n".join(sep.join(draw(st.lists(words, max_size=4))) for _ in range(draw(st.integers(0, 5))))
    return (header + "\n" + body).encode(draw(st.sampled_from(ENCODINGS)), errors="ignore")


payloads = st.one_of(st.binary(max_size=2048), encoded_text(), html(), rows(), delimited())


def check(item: object) -> None:
    assert isinstance(item, RawArticle | Failure), item
    if isinstance(item, Failure):
        assert isinstance(item.error, InputError) and CODE.match(str(item.error)), str(item.error)
        event(f"refused {item.error.code}")  # --hypothesis-show-statistics: how often each outcome came
    else:
        assert isinstance(item.text, str)
        event("an article")


# -------------------------------------------------------------------------------------------- readers

@given(suffix=st.sampled_from(SUFFIXES), data=payloads, compress=st.sampled_from(["no", "gzip", "broken"]))
def test_any_input_under_any_name_gives_an_article_or_a_coded_error(suffix, data, compress):
    name = f"input{suffix}"
    if compress != "no":
        data = gzip.compress(data)
        name += ".gz"
        if compress == "broken":
            data = data[: len(data) // 2]
    for item in read_file(name, io.BytesIO(data), max_bytes=1_000_000, unread=True):
        check(opened(item))


# ------------------------------------------------------------------------------------------ importers

@pytest.fixture(scope="module")
def store():
    folder = tempfile.mkdtemp(prefix="fuzz-store-")
    with Store(f"sqlite:///{folder}/store.sqlite") as opened_store:
        yield opened_store


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("articles", "targets", "suggestions", "answers")}


span = st.one_of(st.none(), st.integers(-5, 80))


@st.composite
def hostile_record(draw: st.DrawFn) -> dict:
    text = draw(st.one_of(words, st.just("Le ministre aurait dit que tout va bien."),
                          st.just("x" * 10_000_000) if draw(st.integers(0, 40)) == 0 else words))
    annotations = []
    for _ in range(draw(st.integers(0, 3))):
        start, end = draw(span), draw(span)
        annotations.append({
            "layer": draw(st.sampled_from(["claim", "frame", "technique", "outlet", "bogus", ""])),
            "label": draw(st.sampled_from(["weasel", "Political", "Loaded_Language", "no_such_label", ""])),
            "start": start, "end": end, "text": draw(st.one_of(st.none(), words)),
            "score": draw(st.one_of(st.none(), st.floats(allow_nan=True), words)),
            "agent": draw(st.one_of(st.none(), words)),
            "answers": draw(st.lists(st.fixed_dictionaries({
                "user": st.one_of(words, st.none(), st.integers()),
                "verdict": st.sampled_from(["accept", "reject", "correct", "add", "maybe"]),
                "time": st.one_of(st.none(), words, st.just("2026-12-01T10:00:00+00:00")),
                "label": st.one_of(st.none(), words), "start": span, "end": span}), max_size=3)),
        })
    record = {"schema": "annotator/v1", "id": draw(st.one_of(words, st.just("dup-1"))), "text": text,
              "language": draw(st.one_of(st.none(), st.just("fr"), words)), "annotations": annotations}
    if draw(st.booleans()):
        record.pop(draw(st.sampled_from(["id", "text", "annotations", "schema"])))
    return record


@settings(max_examples=settings.default.max_examples // 3)
@given(units=st.lists(st.one_of(hostile_record(), json_values), min_size=1, max_size=3),
       fmt=st.sampled_from(["jsonl", "label-studio", "prodigy"]))
def test_hostile_imports_are_merged_or_refused_with_a_code_and_a_refusal_changes_nothing(store, units, fmt):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-import-"))
    for n, unit in enumerate(units):
        file = folder / f"unit{n}.jsonl"
        file.write_text(json.dumps(unit) + "\n", encoding="utf-8")
        before = counts(store)
        done = import_paths(store, [str(file)], fmt)
        assert all(CODED.search(failure) for failure in done.failures), done.failures
        if done.failures and not done.units:
            assert counts(store) == before  # a refused unit left nothing behind
            event("import refused")
        else:
            event("imported" if done.units else "ignored")
