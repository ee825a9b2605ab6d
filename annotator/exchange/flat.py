"""`--format csv` and `--format parquet`: one row per (label, answer), for pandas and spreadsheets.

A label that nobody answered has one row with the answer columns empty; a label with three answers has
three rows, the label's columns repeated. Every answer is there (the whole log, time order), so
grouping by ``article_id, layer, label, start, end`` gives a label with all its answers. Columns:

- ``article_id`` ``url`` ``title`` ``outlet_id`` ``outlet_name`` ``language`` ``published``: the article
- ``layer`` ``label`` ``start`` ``end`` ``text``: the label as the model (or the analyst who added it) put
  it; ``start``/``end`` empty for an article-level label (frames); ``text`` is ``article[start:end]``
- ``attributes``: the suggestion's attributes (cue, attributed_to, speaker, ...) as a JSON object
- ``agent`` ``score``: the latest suggestion: the model and its version (``claims@2026-11-25.1``), or
  ``analyst:<user>`` with no score for a label an analyst added
- ``gold_status``: ``adjudicated``, ``agreed`` (both gold), ``unresolved`` or ``unreviewed``, under the
  manifest's gold rule
- ``gold_holds``: for a gold label: true when the label holds, false when the analysts rejected it (a
  negative example); empty otherwise
- ``gold_label`` ``gold_start`` ``gold_end``: what the gold says the label is: the model's label and span,
  or a correction's
- ``user`` ``verdict``: one analyst's answer: ``accept``, ``reject``, ``correct`` or ``add``
- ``answer_label`` ``answer_start`` ``answer_end`` ``answer_text``: what a ``correct`` changed (the new
  label and/or span and its text); empty for the other verdicts
- ``time`` ``note`` ``adjudicated``: when (UTC), the analyst's note, and whether the answer is an
  adjudicator's

CSV: UTF-8, a header row, empty cells for nothing, times ISO-8601, ``attributes`` JSON. Cells hold the
text as it is, hostile pages included: a spreadsheet that runs formulas should import the file as text
(Excel: Data > From Text/CSV) rather than open it.
Parquet: the same columns typed (integers nullable, ``score`` float, ``time`` a UTC timestamp,
``gold_holds`` and ``adjudicated`` booleans).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from annotator.exchange.select import Selected

COLUMNS = ("article_id", "url", "title", "outlet_id", "outlet_name", "language", "published",
           "layer", "label", "start", "end", "text", "attributes", "agent", "score",
           "gold_status", "gold_holds", "gold_label", "gold_start", "gold_end",
           "user", "verdict", "answer_label", "answer_start", "answer_end", "answer_text", "time", "note",
           "adjudicated")


def rows(items: Iterable[Selected]) -> Iterator[dict[str, Any]]:
    for item in items:
        record = item.record
        article = {"article_id": record.id, "url": record.url, "title": record.title,
                   "outlet_id": record.outlet.id if record.outlet else None,
                   "outlet_name": record.outlet.name if record.outlet else None,
                   "language": record.language, "published": record.published}
        for annotation, gold in zip(record.annotations, item.gold, strict=True):
            label = {**article, "layer": annotation.layer, "label": annotation.label,
                     "start": annotation.start, "end": annotation.end, "text": annotation.text,
                     "attributes": json.dumps(annotation.attributes, ensure_ascii=False, sort_keys=True),
                     "agent": annotation.agent or None, "score": annotation.score, "gold_status": gold.status,
                     "gold_holds": (gold.label is not None) if gold.is_gold else None,
                     "gold_label": gold.label, "gold_start": gold.start, "gold_end": gold.end}
            if not annotation.answers:
                yield {**label, **dict.fromkeys(COLUMNS[COLUMNS.index("user"):])}
            for answer in annotation.answers:
                span_text = None if answer.start is None else record.text[answer.start:answer.end]
                yield {**label, "user": answer.user, "verdict": answer.verdict, "answer_label": answer.label,
                       "answer_start": answer.start, "answer_end": answer.end, "answer_text": span_text,
                       "time": answer.time, "note": answer.note,
                       "adjudicated": bool(answer.extra.get("adjudicated"))}


def write_csv(items: Iterable[Selected], sink: TextIO) -> None:
    writer = csv.DictWriter(sink, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(items):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


def arrow_schema():
    import pyarrow as pa

    types = {"start": pa.int64(), "end": pa.int64(), "score": pa.float64(), "gold_holds": pa.bool_(),
             "gold_start": pa.int64(), "gold_end": pa.int64(), "answer_start": pa.int64(),
             "answer_end": pa.int64(), "time": pa.timestamp("us", tz="UTC"), "adjudicated": pa.bool_()}
    return pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])


def write_parquet(items: Iterable[Selected], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(
        [{**row, "time": datetime.fromisoformat(row["time"]) if row["time"] else None}
         for row in rows(items)], schema=arrow_schema())
    pq.write_table(table, path)
