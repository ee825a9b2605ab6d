"""`--format hf`: a folder that Hugging Face ``datasets.load_dataset(FOLDER)`` loads, one row per article.

    FOLDER/README.md            the dataset card; its YAML front matter names the data files (configs)
    FOLDER/data/train.parquet   the rows
    FOLDER/manifest.json        the export's manifest

Columns: ``id``, ``url``, ``title``, ``language``, ``published``, ``outlet_id``, ``outlet_name``,
``text``, and ``labels``, a list of the article's labels, each ``layer``, ``label``, ``start``, ``end``
(null for frames), ``text``, ``agent``, ``score``, ``attributes`` (a JSON object as text, its keys
differ by layer), ``gold_status``, ``gold_holds``, ``gold_label``, ``gold_start``, ``gold_end`` (as in
the csv export) and ``answers``: ``user``, ``verdict``, ``label``, ``start``, ``end``, ``time`` (UTC),
``note``, ``adjudicated``. One ``train`` split: how to split is the user's to choose (by outlet, by
time), the card says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.exchange.select import Selected

DATA = "data/train.parquet"


def schema():
    import pyarrow as pa

    answer = pa.struct([("user", pa.string()), ("verdict", pa.string()), ("label", pa.string()),
                        ("start", pa.int64()), ("end", pa.int64()), ("time", pa.timestamp("us", tz="UTC")),
                        ("note", pa.string()), ("adjudicated", pa.bool_())])
    label = pa.struct([("layer", pa.string()), ("label", pa.string()), ("start", pa.int64()),
                       ("end", pa.int64()), ("text", pa.string()), ("agent", pa.string()),
                       ("score", pa.float64()), ("attributes", pa.string()), ("gold_status", pa.string()),
                       ("gold_holds", pa.bool_()), ("gold_label", pa.string()), ("gold_start", pa.int64()),
                       ("gold_end", pa.int64()), ("answers", pa.list_(answer))])
    return pa.schema([("id", pa.string()), ("url", pa.string()), ("title", pa.string()),
                      ("language", pa.string()), ("published", pa.string()), ("outlet_id", pa.string()),
                      ("outlet_name", pa.string()), ("text", pa.string()), ("labels", pa.list_(label))])


def row(item: Selected) -> dict[str, Any]:
    record = item.record
    labels = []
    for annotation, gold in zip(record.annotations, item.gold, strict=True):
        labels.append({
            "layer": annotation.layer, "label": annotation.label, "start": annotation.start,
            "end": annotation.end, "text": annotation.text, "agent": annotation.agent or None,
            "score": annotation.score,
            "attributes": json.dumps(annotation.attributes, ensure_ascii=False, sort_keys=True),
            "gold_status": gold.status, "gold_holds": (gold.label is not None) if gold.is_gold else None,
            "gold_label": gold.label, "gold_start": gold.start, "gold_end": gold.end,
            "answers": [{"user": a.user, "verdict": a.verdict, "label": a.label, "start": a.start,
                         "end": a.end, "time": datetime.fromisoformat(a.time), "note": a.note,
                         "adjudicated": bool(a.extra.get("adjudicated"))} for a in annotation.answers]})
    return {"id": record.id, "url": record.url, "title": record.title, "language": record.language,
            "published": record.published, "outlet_id": record.outlet.id if record.outlet else None,
            "outlet_name": record.outlet.name if record.outlet else None, "text": record.text,
            "labels": labels}


def write_data(items: Iterable[Selected], path: Path) -> list[str]:
    """Write the rows; the languages seen, for the card."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [row(item) for item in items]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema()), path)
    return sorted({r["language"] for r in rows})


def card(languages: list[str], manifest: dict[str, Any]) -> str:
    """The dataset card: YAML front matter that ``load_dataset`` reads, then what the data is."""
    counts = manifest["counts"]
    rule = manifest["gold_rule"]
    front = ["---", "configs:", "- config_name: default", "  data_files:", "  - split: train",
             f"    path: {DATA}"]
    if languages:
        front += ["language:", *[f"- {json.dumps(language)}" for language in languages]]
    front += ["tags:", "- annotator", "- media-bias", "- provenance", "---", ""]
    body = f"""# annotator export

News articles with the labels of the `annotator` models and the answers of the analysts who reviewed
them (schema `{manifest["schema"]}`, made {manifest["created"]} by annotator {manifest["tool"]["version"]}).

- {counts["articles"]} articles, {counts["labels"]} labels, {counts["answers"]} answers.
- Gold rule: {rule["agreement"]}, at least {rule["min_answers"]} analyst(s); an adjudicator's answer decides
  first. Per gold status: {", ".join(f"{k} {v}" for k, v in counts["per_gold_status"].items())}.
- Filters: {json.dumps(manifest["filters"], ensure_ascii=False)}.

One row per article: `text`, and `labels` with each label's span (`start`/`end`, code-point offsets
into `text`; null for article-level frames), the model's suggestion (`agent`, `score`), the gold
(`gold_status`: adjudicated and agreed are gold; `gold_holds` false marks a negative) and every
answer. The data has one `train` split; split it yourself (by outlet or by time) so that test
articles are unlike the training ones. `manifest.json` holds the sha256 of the data file.

```python
from datasets import load_dataset
rows = load_dataset("path/to/this/folder")["train"]
```
"""
    return "\n".join(front) + body
