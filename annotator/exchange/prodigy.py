"""`--format prodigy`: Prodigy's JSONL, one line per analyst's answer (each analyst's latest per label).

A span label is a ``spans`` task (``_view_id: "spans"``, ``spans: [{"start", "end", "label", "text"}]``),
an article-level frame a binary classification task (``_view_id: "classification"``, ``label``).
``answer`` is ``accept`` for an accept, add or correct (the span is then the corrected one) and
``reject`` for a reject. ``_annotator_id`` and ``_session_id`` are the analyst's name,
``_timestamp`` the answer's time (Unix seconds). ``_input_hash`` (from the text) and ``_task_hash``
(from the input hash and the span or label) are stable signed 32-bit integers, as Prodigy's are,
though not computed by Prodigy's own function: ``prodigy db-in --rehash`` recomputes them.

``meta`` carries the article (``article_id``, ``url``, ``title``, ``language``, ``outlet_id``) and the
answer exactly (``layer``, ``target``: the label as suggested with its ``agent`` and ``score``,
``answer``: the stored answer with its time and note), which ``record_of`` reads back as it was.

Lines from elsewhere (no ``meta.answer``) read as: ``accept`` adds each span (or ``label``, or each
option in ``accept``) as the annotator's own label, ``reject`` rejects each (as a suggestion of agent
``prodigy``), ``ignore`` is skipped. The layer is ``meta.layer``, else the one layer that has the label;
the user is ``_annotator_id``, else ``_session_id``; the time ``_timestamp``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from annotator import taxonomy
from annotator.exchange.label_studio import layer_of
from annotator.exchange.select import Selected
from annotator.gold import ANALYST, latest_answers, says
from annotator.record import Annotation, Answer, Record, article_id


class Ignored(Exception):
    """A line the annotator skipped (``"answer": "ignore"``): nothing to import."""


def _hash32(*parts: Any) -> int:
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def write(items: Iterable[Selected], sink: TextIO) -> None:
    """JSON lines, one per answer."""
    for item in items:
        sink.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines(item))


def lines(item: Selected) -> list[dict[str, Any]]:
    record = item.record
    input_hash = _hash32({"text": record.text})
    out = []
    for annotation in record.annotations:
        for answer in latest_answers(annotation.answers):
            label, start, end = says(answer, annotation.label, annotation.start, annotation.end)
            if label is None:  # a reject: the line asks about the label as suggested, answered no
                label, start, end = annotation.label, annotation.start, annotation.end
            line: dict[str, Any] = {"text": record.text}
            if start is None:
                line["label"], line["_view_id"] = label, "classification"
                question: Any = label
            else:
                line["spans"] = [{"start": start, "end": end, "label": label, "text": record.text[start:end]}]
                line["_view_id"] = "spans"
                question = line["spans"]
            line |= {
                "answer": "reject" if answer.verdict == "reject" else "accept",
                "_input_hash": input_hash, "_task_hash": _hash32(input_hash, question),
                "_annotator_id": answer.user, "_session_id": answer.user,
                "_timestamp": int(datetime.fromisoformat(answer.time).timestamp()),
                "meta": {"article_id": record.id, "url": record.url, "title": record.title,
                         "language": record.language,
                         "outlet_id": record.outlet.id if record.outlet else None, "layer": annotation.layer,
                         "target": {"label": annotation.label, "start": annotation.start,
                                    "end": annotation.end, "agent": annotation.agent,
                                    "score": annotation.score, "attributes": annotation.attributes},
                         "answer": answer.to_dict()},
            }
            out.append(line)
    return out


def _span(layer: str | None, label: Any, start: Any, end: Any,
          text: str) -> tuple[str, str, int | None, int | None]:
    if not isinstance(label, str):
        raise TypeError(f"label {label!r} is not a label id")
    layer = layer_of(layer, label)
    if start is None and end is None:
        if layer not in taxonomy.ARTICLE_LEVEL_LAYERS:
            raise ValueError(f"{layer!r} labels need a span")
        return layer, label, None, None
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise ValueError(f"span [{start}, {end}) is not inside the text (0 to {len(text)})")
    if layer in taxonomy.ARTICLE_LEVEL_LAYERS:
        raise ValueError(f"{layer!r} labels hold for the whole article, not a span")
    return layer, label, start, end


def record_of(line: dict[str, Any]) -> Record:
    """One Prodigy line as a record whose annotations carry the answer (``Store.merge``)."""
    if not isinstance(line, dict):
        raise TypeError("a line is a JSON object")
    text = line.get("text")
    if not isinstance(text, str) or not text:
        raise ValueError("the line has no text")
    meta = line.get("meta") or {}
    answer_word = line.get("answer")
    if answer_word == "ignore":
        raise Ignored
    if answer_word not in ("accept", "reject"):
        raise ValueError(f"answer {answer_word!r}: an annotated line's answer is accept, reject or ignore")
    annotations = []
    # written by this project
    if isinstance(meta.get("answer"), dict) and isinstance(meta.get("target"), dict):
        target = meta["target"]
        layer, label, start, end = _span(meta.get("layer"), target.get("label"), target.get("start"),
                                         target.get("end"), text)
        annotations.append(Annotation(layer, label, start, end, None if start is None else text[start:end],
                                      target.get("score"), target.get("agent") or "prodigy",
                                      dict(target.get("attributes") or {}),
                                      [Answer.from_dict(meta["answer"])]))
    else:
        user = str(line.get("_annotator_id") or line.get("_session_id") or "prodigy")
        stamp = line.get("_timestamp")
        time = datetime.fromtimestamp(stamp, UTC).isoformat() if isinstance(stamp, int | float) else ""
        keys = []
        for span in line.get("spans") or []:
            keys.append(_span(span.get("layer") or meta.get("layer"), span.get("label"), span.get("start"),
                              span.get("end"), text))
            if span.get("text") is not None and span["text"] != text[keys[-1][2]:keys[-1][3]]:
                raise ValueError(f"span [{span['start']}, {span['end']}) holds "
                                 f"{text[keys[-1][2]:keys[-1][3]]!r}, not {span['text']!r}")
        if line.get("label") is not None:
            keys.append(_span(meta.get("layer"), line["label"], None, None, text))
        keys += [_span(meta.get("layer"), choice, None, None, text) for choice in line.get("accept") or []]
        for layer, label, start, end in keys:
            span_text = None if start is None else text[start:end]
            if answer_word == "accept":
                annotations.append(Annotation(layer, label, start, end, span_text, None, f"{ANALYST}{user}",
                                              answers=[Answer(user, "add", time)]))
            else:
                annotations.append(Annotation(layer, label, start, end, span_text, line.get("score"),
                                              "prodigy", answers=[Answer(user, "reject", time)]))
    return Record(id=str(meta.get("article_id") or article_id(meta.get("url"), text)), text=text,
                  language=meta.get("language") or "und", url=meta.get("url"), title=meta.get("title"),
                  annotations=annotations)
