"""`--format label-studio`: Label Studio tasks (a JSON list), and the labeling config to create the project.

One task per article:

- ``data``: ``text`` (every offset points into it: code points, as Label Studio counts them), and
  ``article_id``, ``title``, ``url``, ``language``, ``published``, ``outlet_id``, ``outlet_name``
  for the data manager's columns. ``meta.annotator`` keeps what Label Studio does not show: the article
  id, the outlet's profile, and each label's suggestion (model, score, attributes; ``analyst:<user>``
  for a label an analyst added).
- ``predictions``: one, holding every model suggestion, so that Label Studio pre-annotates the task
  with all of them; ``model_version`` is the suggestions' agents joined with ``+``
  (``claims@2026-11-25.1+frames@2026-11-25.1``), ``score`` their mean score.
- ``annotations``: one per analyst, ``completed_by: {"email": ...}`` (the user name when it is an
  address, else ``<user>@annotator.invalid``: create those users in Label Studio, or let it import
  unknown e-mails, to keep who answered), holding what the analyst's latest answers say: an accepted,
  added or corrected label is in ``result``, a rejected one is not (Label Studio's meaning: the analyst
  deleted the pre-annotated region). ``ground_truth`` marks an adjudicator's annotation; the extra
  key ``answers`` holds the answers themselves (verdict, time, note, target), which this project reads
  back exactly; Label Studio drops it when it re-imports the task.

Result items: a span label is ``{"type": "labels", "from_name": LAYER, "to_name": "text", "value":
{"start", "end", "text", "labels": [LABEL]}}`` with ``from_name`` the layer id (``claim``, ``technique``,
``provenance``, ``structure``); the article-level frames are one ``{"type": "choices", "from_name":
"frame", "value": {"choices": [...]}}``. A region's ``id`` is derived from the label and span, the same
in the prediction and in every annotation, so a region whose label or span an analyst changed keeps it;
a note is the region's ``meta.text``. ``label_config(layers)`` writes the matching ``<View>``.

Reading tasks back (``record_of``) takes either form: with ``answers`` the answers exactly; without
(a task edited in Label Studio and exported from it), each annotation's regions against the task's
single prediction: a predicted region kept is an ``accept``, kept under its id with another label or
span a ``correct``, a new region an ``add``, a predicted region the analyst deleted a ``reject``
(rejections are read only when the task has exactly one prediction: the one the analyst saw). Its time
is the annotation's ``updated_at``. Cancelled annotations are no answers; result types other than
``labels`` and ``choices`` are not labels of this project and are left aside.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from statistics import fmean
from typing import Any
from xml.sax.saxutils import quoteattr

from annotator import taxonomy
from annotator.exchange.select import Selected
from annotator.record import SCHEMA, Annotation, Answer, Outlet, Record, article_id
from annotator.store.store import ANALYST

TO_NAME = "text"
NO_MAIL = "@annotator.invalid"
Key = tuple[str, str, int | None, int | None]  # layer, label, start, end


def region_id(layer: str, label: str, start: int | None, end: int | None) -> str:
    return hashlib.sha1(f"{layer}\x1f{label}\x1f{start}\x1f{end}".encode()).hexdigest()[:10]


def label_config(layers: tuple[str, ...] | list[str] = ()) -> str:
    """The labeling config for tasks of these layers (all when none): a ``Labels`` control per span
    layer and a multiple ``Choices`` for frames, all on the one ``Text`` named ``text``."""
    lines = ["<View>", "  <Style>.htx-text { white-space: pre-wrap; }</Style>",
             f'  <Text name="{TO_NAME}" value="$text"/>']
    for layer in layers or tuple(taxonomy.LAYERS):
        labels = taxonomy.LAYERS[layer]
        if layer in taxonomy.ARTICLE_LEVEL_LAYERS:
            lines.append(f'  <Header value={quoteattr(layer.capitalize() + "s")}/>')
            lines.append(f'  <Choices name={quoteattr(layer)} toName="{TO_NAME}" choice="multiple" showInline="true">')
            lines += [f"    <Choice value={quoteattr(label)}/>" for label in labels]
            lines.append("  </Choices>")
        else:
            lines.append(f'  <Labels name={quoteattr(layer)} toName="{TO_NAME}" choice="multiple">')
            lines += [f"    <Label value={quoteattr(label)}/>" for label in labels]
            lines.append("  </Labels>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def _email(user: str) -> str:
    return user if "@" in user else user.replace(" ", ".") + NO_MAIL


def _user(completed_by: Any) -> str:
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("email") or completed_by.get("username") or completed_by.get("id")
    if isinstance(completed_by, int):
        return f"label-studio:{completed_by}"
    if isinstance(completed_by, str) and completed_by.strip():
        return completed_by.removesuffix(NO_MAIL)
    return "label-studio"


def _results(held: list[tuple[Annotation, str, int | None, int | None, str | None]], text: str,
             scored: bool) -> list[dict[str, Any]]:
    """Result items for (annotation, label, start, end, note): regions, then one choices item per
    article-level layer."""
    out: list[dict[str, Any]] = []
    choices: dict[str, list[tuple[str, float | None]]] = {}
    for annotation, label, start, end, note in held:
        if annotation.start is None:
            choices.setdefault(annotation.layer, []).append((label, annotation.score))
            continue
        item: dict[str, Any] = {
            "id": region_id(annotation.layer, annotation.label, annotation.start, annotation.end),
            "from_name": annotation.layer, "to_name": TO_NAME, "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}
        if scored and annotation.score is not None:
            item["score"] = annotation.score
        if note:
            item["meta"] = {"text": [note]}
        out.append(item)
    for layer, chosen in choices.items():
        item = {"id": layer, "from_name": layer, "to_name": TO_NAME, "type": "choices",
                "value": {"choices": [label for label, _ in chosen]}}
        scores = [s for _, s in chosen if s is not None]
        if scored and scores:
            item["score"] = fmean(scores)
        out.append(item)
    return out


def task(item: Selected) -> dict[str, Any]:
    record = item.record
    suggested = [a for a in record.annotations if a.agent and not a.agent.startswith(ANALYST)]
    task_: dict[str, Any] = {
        "data": {"text": record.text, "article_id": record.id, "title": record.title, "url": record.url,
                 "language": record.language, "published": record.published,
                 "outlet_id": record.outlet.id if record.outlet else None,
                 "outlet_name": record.outlet.name if record.outlet else None},
        "meta": {"annotator": {
            "schema": SCHEMA, "article_id": record.id,
            "outlet": record.outlet.to_dict() if record.outlet else None,
            "suggestions": [{"id": region_id(a.layer, a.label, a.start, a.end), "layer": a.layer, "label": a.label,
                             "start": a.start, "end": a.end, "agent": a.agent, "score": a.score,
                             "attributes": a.attributes} for a in record.annotations if a.agent]}},
        "predictions": [],
        "annotations": [],
    }
    if suggested:
        scores = [a.score for a in suggested if a.score is not None]
        task_["predictions"].append({
            "model_version": "+".join(sorted({a.agent for a in suggested})),
            "score": fmean(scores) if scores else None,
            "result": _results([(a, a.label, a.start, a.end, None) for a in suggested], record.text, scored=True)})

    by_user: dict[str, list[tuple[Annotation, Answer]]] = {}
    for annotation in record.annotations:
        for answer in annotation.answers:
            by_user.setdefault(answer.user, []).append((annotation, answer))
    for user, said in by_user.items():
        held = []
        for annotation, answer in said:
            if answer.verdict == "reject":
                continue
            label, start, end = annotation.label, annotation.start, annotation.end
            if answer.verdict == "correct":
                label = answer.label or label
                if answer.start is not None:
                    start, end = answer.start, answer.end
            held.append((annotation, label, start, end, answer.note))
        times = sorted(answer.time for _, answer in said)
        task_["annotations"].append({
            "completed_by": {"email": _email(user)},
            "result": _results(held, record.text, scored=False),
            "was_cancelled": False,
            "ground_truth": any(answer.extra.get("adjudicated") for _, answer in said),
            "created_at": times[0], "updated_at": times[-1],
            "answers": [{"target": {"layer": a.layer, "label": a.label, "start": a.start, "end": a.end},
                         **answer.to_dict()} for a, answer in said],
        })
    return task_


# ------------------------------------------------------------------------------------------- reading

LAYER_OF = {label: layer for layer, labels in taxonomy.LAYERS.items() for label in labels}


def layer_of(name: str | None, label: str) -> str:
    """The layer of ``label``: the control's name when it is a layer holding that label, else the one
    layer whose labels include it."""
    if name in taxonomy.LAYERS and label in taxonomy.LAYERS[name]:
        return name
    if label not in LAYER_OF:
        raise ValueError(f"unknown label {label!r} (not in the taxonomy)")
    return LAYER_OF[label]


def _keys(item: dict[str, Any], text: str) -> Iterator[tuple[Key, str | None]]:
    """(label key, region id) for each label a result item holds; nothing for other result types."""
    value = item.get("value") or {}
    name = item.get("from_name")
    if item.get("type") == "labels":
        start, end = value.get("start"), value.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValueError(f"region [{start}, {end}) is not a span of the text (0 to {len(text)})")
        if value.get("text") is not None and value["text"] != text[start:end]:
            raise ValueError(f"region [{start}, {end}) holds {text[start:end]!r}, not {value['text']!r}")
        for label in value.get("labels") or []:
            layer = layer_of(name, label)
            if layer in taxonomy.ARTICLE_LEVEL_LAYERS:
                raise ValueError(f"{layer!r} labels hold for the whole article, not a span")
            yield (layer, label, start, end), item.get("id")
    elif item.get("type") == "choices":
        for label in value.get("choices") or []:
            layer = layer_of(name, label)
            if layer not in taxonomy.ARTICLE_LEVEL_LAYERS:
                raise ValueError(f"{layer!r} labels need a span, not a choice")
            yield (layer, label, None, None), None


def _time(value: Any) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"time {value!r} is not ISO-8601") from None


def record_of(task_: dict[str, Any]) -> Record:
    """A Label Studio task as a record whose annotations carry the analysts' answers (``Store.merge``)."""
    if not isinstance(task_, dict):
        raise TypeError("a task is a JSON object")
    data = task_.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str) or not text:
        raise ValueError("the task has no data.text (the article text)")
    ours = (task_.get("meta") or {}).get("annotator") or {}
    suggestions = {(s.get("layer"), s.get("label"), s.get("start"), s.get("end")): s
                   for s in ours.get("suggestions") or [] if isinstance(s, dict)}
    labels: dict[Key, Annotation] = {}

    def label(key: Key, agent: str, score: float | None = None, attributes: dict | None = None) -> Annotation:
        if key not in labels:
            layer, name, start, end = key
            labels[key] = Annotation(layer, name, start, end, None if start is None else text[start:end], score,
                                     agent, dict(attributes or {}))
        return labels[key]

    predictions = [p for p in task_.get("predictions") or [] if isinstance(p, dict)]
    predicted: dict[Key, str | None] = {}
    for prediction in predictions:
        for item in prediction.get("result") or []:
            for key, rid in _keys(item, text):
                known = suggestions.get(key) or {}
                label(key, known.get("agent") or prediction.get("model_version") or "label-studio",
                      known.get("score", item.get("score", prediction.get("score"))), known.get("attributes"))
                predicted[key] = rid

    for annotation in task_.get("annotations") or []:
        if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
            continue
        if isinstance(annotation.get("answers"), list):  # written by this project: the answers themselves
            for said in annotation["answers"]:
                said = dict(said)
                target = said.pop("target")
                answer = Answer.from_dict(said)
                key = (target["layer"], target["label"], target["start"], target["end"])
                known = suggestions.get(key) or {}
                agent = known.get("agent") or (f"{ANALYST}{answer.user}" if answer.verdict == "add" else "label-studio")
                label(key, agent, known.get("score"), known.get("attributes")).answers.append(answer)
            continue
        user, time = _user(annotation.get("completed_by")), _time(annotation.get("updated_at")
                                                                  or annotation.get("created_at"))
        held = [(key, rid, ((item.get("meta") or {}).get("text") or [None])[0])
                for item in annotation.get("result") or [] for key, rid in _keys(item, text)]
        matched: set[Key] = set()
        later = []
        for key, rid, note in held:  # kept as predicted
            if key in predicted and key not in matched:
                matched.add(key)
                labels[key].answers.append(Answer(user, "accept", time, note=note))
            else:
                later.append((key, rid, note))
        by_region = {rid: key for key, rid in predicted.items() if rid and key not in matched}
        for key, rid, note in later:
            was = by_region.pop(rid, None) if rid else None
            if was is not None and was[0] == key[0] and was not in matched:  # the same region, changed
                matched.add(was)
                labels[was].answers.append(Answer(user, "correct", time, label=key[1] if key[1] != was[1] else None,
                                                  start=key[2] if key[2:] != was[2:] else None,
                                                  end=key[3] if key[2:] != was[2:] else None, note=note))
            else:
                label(key, f"{ANALYST}{user}").answers.append(Answer(user, "add", time, note=note))
        if len(predictions) == 1:  # the analyst saw these pre-annotated and deleted them
            for key in predicted.keys() - matched:
                labels[key].answers.append(Answer(user, "reject", time))

    outlet = ours.get("outlet")
    return Record(id=str(data.get("article_id") or ours.get("article_id") or article_id(data.get("url"), text)),
                  text=text, language=data.get("language") or "und", url=data.get("url"), title=data.get("title"),
                  published=data.get("published"), outlet=Outlet.from_dict(outlet) if outlet else None,
                  annotations=list(labels.values()))
