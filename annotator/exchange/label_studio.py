"""`--format label-studio`: Label Studio tasks (a JSON list), and the labeling config to create the project.

One task per article:

- ``data``: ``text`` (every offset points into it: code points, as Label Studio counts them), and
  ``article_id``, ``title``, ``url``, ``language``, ``published``, ``outlet_id``, ``outlet_name``
  for the data manager's columns. ``meta.annotator`` keeps what Label Studio does not show: the article
  id, the outlet's profile, each label's suggestion (model, score, attributes; ``analyst:<user>``
  for a label an analyst added), and ``analysts``: by e-mail, each analyst's user name and the answers
  their annotation holds (as in ``answers`` below). Label Studio keeps a task's ``meta`` and ``data``
  when it exports the task again, so this is how an annotation read back is compared with what it held.
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

Reading tasks back (``record_of``) takes three forms:

- with ``answers`` (this project's file as written): the answers exactly;
- without, an annotation whose analyst ``meta.annotator.analysts`` names (this project's task, exported
  again by Label Studio, edited or not): only what differs from what it held at export is new. A label
  held as exported is the exported answer itself, with its own time (so importing it again, or into the
  store it came from, adds nothing); a held region relabelled or resized is a ``correct``, a held label
  deleted a ``reject``, a label rejected at export and still not held the exported ``reject``; a label
  the analyst had not answered reads as below, without rejects: what they never held they did not reject;
- any other annotation (a task from elsewhere, an annotator the export did not hold): its regions
  against the predictions: a predicted region kept is an ``accept``, kept under its id with another label
  or span a ``correct``, a new region an ``add``; a predicted label missing is a ``reject`` only when
  the annotation started from that prediction: its ``parent_prediction``, or the task's only prediction
  when the annotation keeps one of its region ids (Label Studio copies them into the annotation it
  pre-fills).

A new answer's time is the annotation's ``updated_at``. Cancelled annotations are no answers; result
types other than ``labels`` and ``choices`` are not labels of this project and are left aside.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from statistics import fmean
from typing import Any, TextIO
from xml.sax.saxutils import quoteattr

from annotator import taxonomy
from annotator.exchange.select import Selected
from annotator.gold import ANALYST, latest_by_user, says
from annotator.record import SCHEMA, Annotation, Answer, Outlet, Record, article_id

TO_NAME = "text"
NO_MAIL = "@annotator.invalid"
Key = tuple[str, str, int | None, int | None]  # layer, label, start, end


def region_id(layer: str, label: str, start: int | None, end: int | None) -> str:
    return hashlib.sha1(f"{layer}\x1f{label}\x1f{start}\x1f{end}".encode()).hexdigest()[:10]


def label_config(layers: tuple[str, ...] | list[str] = (), outlets: tuple[str, ...] | list[str] = ()) -> str:
    """The labeling config for tasks of these layers (all when none): a ``Labels`` control per span
    layer and a multiple ``Choices`` for frames, all on the one ``Text`` named ``text``; with
    ``outlets`` (the outlet ids the tasks hold: the registry's thousands would not do as choices), a
    single ``Choices`` named ``outlet`` for the publishing outlet."""
    lines = ["<View>", "  <Style>.htx-text { white-space: pre-wrap; }</Style>",
             f'  <Text name="{TO_NAME}" value="$text"/>']
    for layer in layers or (*taxonomy.LAYERS, taxonomy.OUTLET):
        if layer == taxonomy.OUTLET:
            if outlets:
                lines.append('  <Header value="Publishing outlet"/>')
                lines.append(f'  <Choices name="{taxonomy.OUTLET}" toName="{TO_NAME}" choice="single" '
                             'showInline="true">')
                lines += [f"    <Choice value={quoteattr(outlet_id)}/>" for outlet_id in outlets]
                lines.append("  </Choices>")
            continue
        labels = taxonomy.LAYERS[layer]
        if layer in taxonomy.ARTICLE_LEVEL_LAYERS:
            lines.append(f'  <Header value={quoteattr(layer.capitalize() + "s")}/>')
            lines.append(f'  <Choices name={quoteattr(layer)} toName="{TO_NAME}" choice="multiple" '
                         'showInline="true">')
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


def write(items: Iterable[Selected], sink: TextIO) -> None:
    """The tasks as one JSON list, a task a line (Label Studio imports a list)."""
    sink.write("[")
    for n, item in enumerate(items):
        sink.write(",\n" if n else "\n")
        sink.write(json.dumps(task(item), ensure_ascii=False))
    sink.write("\n]\n")


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
            "suggestions": [{"id": region_id(a.layer, a.label, a.start, a.end), "layer": a.layer,
                             "label": a.label, "start": a.start, "end": a.end, "agent": a.agent,
                             "score": a.score, "attributes": a.attributes}
                            for a in record.annotations if a.agent]}},
        "predictions": [],
        "annotations": [],
    }
    if suggested:
        scores = [a.score for a in suggested if a.score is not None]
        task_["predictions"].append({
            "model_version": "+".join(sorted({a.agent for a in suggested})),
            "score": fmean(scores) if scores else None,
            "result": _results([(a, a.label, a.start, a.end, None) for a in suggested], record.text,
                               scored=True)})

    by_user: dict[str, list[tuple[Annotation, Answer]]] = {}
    for annotation in record.annotations:
        for answer in annotation.answers:
            by_user.setdefault(answer.user, []).append((annotation, answer))
    # an analyst's annotation holds what their latest answer on each label says
    latest = {id(a) for annotation in record.annotations for a in latest_by_user(annotation.answers).values()}
    analysts: dict[str, dict[str, Any]] = {}
    for user, said in by_user.items():
        held = []
        for annotation, answer in said:
            if id(answer) not in latest:
                continue
            label, start, end = says(answer, annotation.label, annotation.start, annotation.end)
            if label is not None:  # a rejected label is not in the annotation
                held.append((annotation, label, start, end, answer.note))
        times = sorted(answer.time for _, answer in said)
        answers = [{"target": {"layer": a.layer, "label": a.label, "start": a.start, "end": a.end},
                    **answer.to_dict()} for a, answer in said]
        task_["annotations"].append({
            "completed_by": {"email": _email(user)},
            "result": _results(held, record.text, scored=False),
            "was_cancelled": False,
            "ground_truth": any(answer.extra.get("adjudicated") for _, answer in said),
            "created_at": times[0], "updated_at": times[-1],
            "answers": answers,
        })
        analysts[_email(user)] = {"user": user, "answers": answers}
    if analysts:  # what each analyst's annotation held at export: Label Studio keeps the task's meta
        task_["meta"]["annotator"]["analysts"] = analysts
    return task_


# ------------------------------------------------------------------------------------------- reading

LAYER_OF = {label: layer for layer, labels in taxonomy.LAYERS.items() for label in labels}


def layer_of(name: str | None, label: str) -> str:
    """The layer of ``label``: the control's name when it is a layer holding that label, else the one
    layer whose labels include it."""
    if name in taxonomy.LAYERS and label in taxonomy.LAYERS[name]:
        return name
    if name == taxonomy.OUTLET:  # the outlet's labels are registry ids, an open set: the control names it
        taxonomy.check_label(name, label)
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


Held = tuple[Key, str | None, str | None]  # a label an annotation holds: its key, region id, note


def _held(annotation: dict[str, Any], text: str) -> list[Held]:
    return [(key, rid, ((item.get("meta") or {}).get("text") or [None])[0])
            for item in annotation.get("result") or [] for key, rid in _keys(item, text)]


def _ids(result: Any) -> set[str]:
    return {item["id"] for item in result or [] if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _exported(analysts: Any, completed_by: Any) -> dict[str, Any] | None:
    """What this annotation's analyst held when this project exported the task (``meta.annotator.analysts``,
    by e-mail), or None: an annotator the export did not hold, or a task from elsewhere."""
    if not isinstance(analysts, dict):
        return None
    email = completed_by.get("email") if isinstance(completed_by, dict) else completed_by
    for name in (email, _email(_user(completed_by))):
        state = analysts.get(name) if isinstance(name, str) else None
        if isinstance(state, dict) and isinstance(state.get("answers"), list):
            return state
    return None


def _target(said: dict[str, Any]) -> Key:
    target = said["target"]
    return target["layer"], target["label"], target["start"], target["end"]


def _as_held(target: Key, said: dict[str, Any]) -> Key | None:
    """The label and span an exported answer held the target as; None for a reject (not held)."""
    if said.get("verdict") == "reject":
        return None
    if said.get("verdict") != "correct":
        return target
    moved = said.get("start") is not None
    return (target[0], said.get("label") or target[1], said["start"] if moved else target[2],
            said.get("end") if moved else target[3])


class _Reader:
    """The labels of one task, each with the answers read so far."""

    def __init__(self, text: str, suggestions: dict[Any, dict[str, Any]]) -> None:
        self.text = text
        self.suggestions = suggestions
        self.labels: dict[Key, Annotation] = {}

    def label(self, key: Key, agent: str, score: float | None = None,
              attributes: dict[str, Any] | None = None) -> Annotation:
        if key not in self.labels:
            layer, name, start, end = key
            self.labels[key] = Annotation(layer, name, start, end,
                                          None if start is None else self.text[start:end],
                                          score, agent, dict(attributes or {}))
        return self.labels[key]

    def known(self, key: Key, agent: str) -> Annotation:
        """The label, created with its suggestion from ``meta.annotator`` when known, else with ``agent``."""
        known = self.suggestions.get(key) or {}
        return self.label(key, known.get("agent") or agent, known.get("score"), known.get("attributes"))

    def exact(self, said: dict[str, Any]) -> None:
        """An answer as this project wrote it (``target`` and the answer's fields)."""
        said = dict(said)
        key = _target(said)
        said.pop("target")
        answer = Answer.from_dict(said)
        self.known(key, f"{ANALYST}{answer.user}" if answer.verdict == "add"
                   else "label-studio").answers.append(answer)

    def changed(self, target: Key, now: Key, user: str, time: str, note: str | None) -> None:
        """``user`` holds ``target`` as ``now``: an ``accept`` when that is the target itself, else a
        ``correct``."""
        if now == target:
            answer = Answer(user, "accept", time, note=note)
        else:
            moved = now[2:] != target[2:]
            answer = Answer(user, "correct", time, label=now[1] if now[1] != target[1] else None,
                            start=now[2] if moved else None, end=now[3] if moved else None, note=note)
        self.known(target, "label-studio").answers.append(answer)

    def regions(self, user: str, held: list[Held], predicted: dict[Key, str | None], time: str) -> set[Key]:
        """Answers for labels read against the predictions alone: a predicted label kept is an ``accept``,
        a predicted region kept under its id with another label or span a ``correct``, anything else an
        ``add``. Returns the predicted labels so answered."""
        matched: set[Key] = set()
        later = []
        for key, rid, note in held:  # kept as predicted
            if key in predicted and key not in matched:
                matched.add(key)
                self.labels[key].answers.append(Answer(user, "accept", time, note=note))
            else:
                later.append((key, rid, note))
        by_region = {rid: key for key, rid in predicted.items() if rid and key not in matched}
        for key, rid, note in later:
            was = by_region.pop(rid, None) if rid else None
            if was is not None and was[0] == key[0] and was not in matched:  # the same region, changed
                matched.add(was)
                self.changed(was, key, user, time, note)
            else:
                self.label(key, f"{ANALYST}{user}").answers.append(Answer(user, "add", time, note=note))
        return matched

    def since_export(self, user: str, exported: list[dict[str, Any]], held: list[Held],
                     predicted: dict[Key, str | None], time: str) -> None:
        """An annotation this project exported, as Label Studio gives it back: only what differs from
        what it held at export is a new answer (at ``time``). A label held as exported is the exported
        answer itself, with its own time; one relabelled or resized a ``correct``; one deleted a
        ``reject``; a label still not held, the exported reject. What the analyst did not answer at export
        reads against the predictions (``regions``), never as a reject."""
        entries = [(_target(said), said) for said in exported if isinstance(said, dict)]
        entries = [(target, _as_held(target, said), said) for target, said in entries]
        free = list(range(len(entries)))
        by_id = {region_id(*target): i for i, (target, _, _) in enumerate(entries) if target[2] is not None}

        def find(key: Key, rid: str | None) -> int | None:
            i = by_id.get(rid) if rid else None
            if i is not None and i in free and entries[i][0][0] == key[0]:
                return i
            i = next((j for j in free if entries[j][1] == key), None)  # a choice, a region without its id
            if i is not None:
                return i
            return next((j for j in free if entries[j][0] == key), None)  # e.g. rejected, now held again

        later = []
        for key, rid, note in held:
            i = find(key, rid)
            if i is None:
                later.append((key, rid, note))
                continue
            free.remove(i)
            target, was, said = entries[i]
            if key == was and note == said.get("note"):
                self.exact(said)  # unchanged: the same answer, not a new one
            else:
                self.changed(target, key, user, time, note)
        for i in free:
            target, was, said = entries[i]
            if was is None:
                self.exact(said)  # rejected at export, still not held
            else:  # held at export, deleted since
                self.known(target, "label-studio").answers.append(Answer(user, "reject", time))
        answered = {target for target, _, _ in entries}
        self.regions(user, later, {k: v for k, v in predicted.items() if k not in answered}, time)


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
    reader = _Reader(text, suggestions)

    predictions = [p for p in task_.get("predictions") or [] if isinstance(p, dict)]
    predicted: dict[Key, str | None] = {}
    shown: list[tuple[dict[str, Any], set[Key]]] = []  # each prediction with its labels
    for prediction in predictions:
        keys: set[Key] = set()
        for item in prediction.get("result") or []:
            for key, rid in _keys(item, text):
                known = suggestions.get(key) or {}
                reader.label(key, known.get("agent") or prediction.get("model_version") or "label-studio",
                             known.get("score", item.get("score", prediction.get("score"))),
                             known.get("attributes"))
                predicted[key] = rid
                keys.add(key)
        shown.append((prediction, keys))

    for annotation in task_.get("annotations") or []:
        if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
            continue
        if isinstance(annotation.get("answers"), list):  # written by this project: the answers themselves
            for said in annotation["answers"]:
                reader.exact(said)
            continue
        time = _time(annotation.get("updated_at") or annotation.get("created_at"))
        held = _held(annotation, text)
        state = _exported(ours.get("analysts"), annotation.get("completed_by"))
        if state is not None:  # exported by this project, edited (or not) in Label Studio
            user = (state.get("user") if isinstance(state.get("user"), str)
                    else _user(annotation.get("completed_by")))
            reader.since_export(user, state["answers"], held, predicted, time)
            continue
        user = _user(annotation.get("completed_by"))
        matched = reader.regions(user, held, predicted, time)
        for key in sorted(_seen(annotation, shown) - matched, key=str):  # pre-annotated, then deleted
            reader.labels[key].answers.append(Answer(user, "reject", time))

    outlet = ours.get("outlet")
    return Record(id=str(data.get("article_id") or ours.get("article_id")
                         or article_id(data.get("url"), text)),
                  text=text, language=data.get("language") or "und", url=data.get("url"),
                  title=data.get("title"), published=data.get("published"),
                  outlet=Outlet.from_dict(outlet) if outlet else None,
                  annotations=list(reader.labels.values()))


def _seen(annotation: dict[str, Any], shown: list[tuple[dict[str, Any], set[Key]]]) -> set[Key]:
    """The predicted labels an annotation from elsewhere started from (pre-annotated): those of its
    ``parent_prediction``, or, without one, of the task's only prediction when the annotation keeps one
    of its regions by id (Label Studio copies a prediction's region ids into the annotation it seeds).
    Nothing otherwise: an annotator who never had a label did not reject it."""
    parent = annotation.get("parent_prediction")
    if isinstance(parent, dict):
        parent = parent.get("id")
    if parent is not None:
        for prediction, keys in shown:
            if prediction.get("id") == parent:
                return keys
    if len(shown) == 1 and (parent is not None
                            or _ids(annotation.get("result")) & _ids(shown[0][0].get("result"))):
        return shown[0][1]
    return set()
