"""Closing the loop: train a layer from the analysts' answers in the store, and refresh the store's
suggestions once a new version is promoted.

Gold comes from ``annotator.gold`` under a stated rule. A text becomes a training example only
when every label the models suggested on it is settled (gold): a sentence whose `hedge` was rejected
but whose `single_source` nobody answered yet says nothing certain about `single_source`, so it waits.
The examples keep their article as their group: the held-out split never separates an article's
sentences. Training reuses the embedding cache, so only texts never embedded before cost encoder time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from annotator import taxonomy
from annotator.document import Document
from annotator.gold import UNANIMOUS, GoldRule, gold_of, targets
from annotator.ingest.article import RawArticle
from annotator.learning.corpora import CHECK_WORTHY, Example
from annotator.outlets import identify
from annotator.record import Record

log = logging.getLogger(__name__)

# The head's out-of-fold calibration splits by article, five ways, and a fifth of the articles is held out.
MIN_ARTICLES = 8

# Which stored labels each trainable layer learns from, renamed where the model's label differs.
SOURCES: dict[str, tuple[str, dict[str, str] | None]] = {
    "claim": (taxonomy.CLAIM, None),
    "check_worthiness": (taxonomy.CLAIM, {"unattributed_claim": CHECK_WORTHY}),
    "technique": (taxonomy.TECHNIQUE, None),
    "frame": (taxonomy.FRAME, None),
}


def _body_paragraphs(record: Record) -> list[tuple[int, int]]:
    """The record's paragraphs that are not page furniture: ``Document.body_paragraphs``, what the
    framing tagger read when it annotated the record."""
    furniture = sorted(a.span for a in record.annotations
                       if (a.layer, a.label) in taxonomy.FURNITURE and a.span)
    paragraphs = [tuple(p) for p in record.segments.get("paragraphs") or [(0, len(record.text))]]
    return Document(text=record.text, language=record.language, paragraphs=paragraphs,  # type: ignore[arg-type]
                    furniture=furniture).body_paragraphs()


def _unit(layer: str, paragraphs: list[tuple[int, int]], start: int | None,
          end: int | None) -> tuple[int, int] | None:
    """The text a label of ``layer`` at [start, end) trains on: its paragraph for techniques (the head
    reads paragraphs), else its own span."""
    if start is None or end is None:
        return None
    if layer == "technique":
        return next(((s, e) for s, e in paragraphs if s <= start < e), None)
    return start, end


def gold_examples(records: Iterable[Record], layer: str, rule: GoldRule = UNANIMOUS) -> list[Example]:
    """The store's settled labels of ``layer`` as training examples (see the module's docstring)."""
    if layer not in SOURCES:
        raise ValueError(f"no trainable layer {layer!r}; layers are {', '.join(SOURCES)}")
    source, rename = SOURCES[layer]
    out: list[Example] = []
    for record in records:
        # (start, end) -> labels that hold there; None marks a unit with an unsettled suggestion
        units: dict[tuple[int, int] | None, set[str] | None] = {}

        paragraphs = _body_paragraphs(record)
        for annotation in targets(record.annotations):
            if annotation.layer != source or (rename is not None and annotation.label not in rename):
                continue
            gold = gold_of(annotation, rule)
            key = None if layer == "frame" else _unit(layer, paragraphs, annotation.start, annotation.end)
            if key is None and layer != "frame":
                continue
            if not gold.is_gold:
                units[key] = None
                continue
            label = (None if gold.label is None
                     else rename.get(gold.label, gold.label) if rename else gold.label)
            moved = (layer in ("claim", "check_worthiness") and gold.start is not None
                     and (gold.start, gold.end) != (annotation.start, annotation.end))
            if moved:
                # The analysts moved the label to other words: those words are its example. The sentence
                # it was suggested on is no negative (it may well hold the corrected words).
                key = (gold.start, gold.end)
            holds = units.setdefault(key, set())
            if label is not None and holds is not None:
                holds.add(label)
        common = {"group": record.id, "language": record.language}
        for key, labels in units.items():
            if labels is None:
                continue
            if key is None:
                body = "\n".join(record.text[s:e] for s, e in paragraphs)
                out.append(Example(body, frozenset(labels), id=record.id, level="article", **common))
            else:
                start, end = key
                level = "paragraph" if layer == "technique" else "sentence"
                out.append(Example(record.text[start:end], frozenset(labels), id=f"{record.id}:{start}-{end}",
                                   level=level, **common))
    return out


def base_corpora(layer: str, registry: Any) -> list[str]:
    """The corpora the layer's promoted version (else its newest) was trained on, those still present."""
    from pathlib import Path

    version = registry.promoted(layer) or (registry.versions(layer) or [None])[-1]
    if version is None:
        return []
    specs = registry.load(layer, version).info.get("corpora") or []
    kept = []
    for spec in specs:
        fmt, _, path = spec.partition(":")
        if fmt == "store":
            continue  # the store's gold is read fresh each time
        if Path(re.sub(r"\*\d+$", "", path)).expanduser().exists():  # FORMAT:PATH*N: a weighted corpus
            kept.append(spec)
        else:
            log.warning("%s: base corpus %s is not here; training without it", layer, spec)
    return kept


def train_from_store(layer: str, store: Any, encoder: Any, registry: Any, *, rule: GoldRule = UNANIMOUS,
                     corpora: list[str] | None = None, base: bool = True,
                     precision_floor: float | None = None) -> dict[str, Any]:
    """A new (unpromoted) version of ``layer`` from the store's gold plus its base corpora and
    ``corpora``; its figures beside the promoted version's on the same held-out data, the gold part
    of it reported apart. ``precision_floor``: each label's, for its threshold (default: the promoted
    version's, so that a retrain shows labels as sparingly as the version it may replace)."""
    from annotator.learning import training

    if layer == taxonomy.OUTLET:
        # the publishing outlet learns from the analysts' confirmed outlets alone, over n-grams, not
        # embeddings
        from annotator.outlets import training as outlet_training

        if corpora:
            raise ValueError("the outlet layer learns from the store's confirmed outlets only: no --corpus")
        return outlet_training.train_from_store(store, registry, rule=rule)
    gold = gold_examples(store.records(), layer, rule)
    if not gold:
        raise ValueError(f"no settled {layer} labels in the store yet: answer some first (gold rule "
                         f"{rule.agreement}, at least {rule.min_answers} analyst(s))")
    specs = (base_corpora(layer, registry) if base else []) + list(corpora or [])
    articles = len({e.group for e in gold})
    if not specs and articles < MIN_ARTICLES:
        raise ValueError(f"settled {layer} labels on {articles} article(s) only: answer labels on at least "
                         f"{MIN_ARTICLES} articles, or train with a corpus beside them")
    if precision_floor is None:
        promoted = registry.promoted(layer)
        precision_floor = (float(registry.load(layer, promoted).info.get("precision_floor") or 0.0)
                           if promoted else 0.0)
    return training.train(layer, specs, encoder, registry, extra=gold,
                          extra_source=f"store: the analysts' gold ({rule.agreement}, "
                                       f"min {rule.min_answers})", precision_floor=precision_floor)


def refresh(store: Any, pipeline: Any, article_ids: Iterable[str] | None = None,
            progress: Callable[[int, int], None] | None = None, *, by: str | None = None) -> dict[str, int]:
    """Annotate the stored articles again with the pipeline as it is now (after a promotion), adding
    the new versions' suggestions beside the old, and a withdrawal (score 0) where a model no longer
    suggests a label it did before; answers stay as they are. The queue then sorts by the new
    suggestions' uncertainty. ``by``: who asked for it (the audit trail's actor of each ingest; default
    the command line's operator)."""
    ids = list(article_ids) if article_ids is not None else [row.article_id for row in store.queue()]
    counts = {"articles": 0, "added": 0, "updated": 0, "withdrawn": 0, "failed": 0}
    agents: dict[tuple[str, str], str] = {}
    for tagger in getattr(pipeline, "taggers", []):
        agents.update(tagger.current_agents())
    # the identifier ran too: an outlet it no longer names (a classifier demoted, or now abstaining) is
    # withdrawn like any other label
    agents.setdefault((identify.NAME, taxonomy.OUTLET), f"{identify.NAME}@{identify.VERSION}")
    for n, article_id in enumerate(ids, 1):
        record = store.record(article_id)
        raw = RawArticle(source=f"store:{article_id}", text=record.text, id=record.id, url=record.url,
                         title=record.title, published=record.published, language=record.language,
                         meta=dict(record.meta))
        try:
            fresh = pipeline.annotate(raw)
            # what the store knew beyond the text (an imported article's own fields, an outlet that came
            # with it and the local registry does not know) is not lost to the refresh
            fresh.extra = {**record.extra, **fresh.extra}
            # (a guess of the outlet classifier is not kept: the model in use now decides, or abstains)
            if fresh.outlet is None and record.outlet is not None and record.outlet.method != "model":
                fresh.outlet = record.outlet
            result = store.ingest(fresh, by=by)
            counts["withdrawn"] += store.withdraw(fresh, agents)
        except Exception:  # one article that fails must not stop the refresh of the rest
            log.exception("refresh of %s failed", article_id)
            counts["failed"] += 1
        else:
            counts["articles"] += 1
            counts["added"] += result.added
            counts["updated"] += result.updated
        if progress:
            progress(n, len(ids))
    return counts
