"""Training and scoring the outlet classifier (``annotator.outlets.classifier``) from the outlets that
analysts confirmed in the review store.

Examples: an article counts once its outlet labels are settled under the gold rule
(``annotator.gold``) and exactly one outlet holds (an accept or add keeps the suggested outlet, a
correct names another). Suggestions nobody answered keep it out, except the classifier's own guesses
and where an analyst named the outlet (added it, or corrected to it): the articles the model gets wrong
are the ones training needs most. An article whose only outlet was rejected says who did not publish it,
not who did: it is left out. Each article is one example, so every split is grouped by article.

What is learnt: the outlets with at least ``MIN_ARTICLES`` confirmed articles in the training split.
The articles of the other outlets stay in as examples of "none of these": they teach the model to
abstain, and on the held-out side they measure whether it does.

Held out: one article in five of each outlet (none of an outlet with fewer than five), so every
outlet with enough articles is scored. The confidence threshold is chosen on out-of-fold
probabilities of the training split (each fold's model never saw the articles it scores), as the
lowest at which the outlets given were right at least ``TARGET_PRECISION`` of the time, and never
under 0.5; the held-out figures then say what that threshold does on articles no part of training saw.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator import taxonomy
from annotator.gold import UNANIMOUS, GoldRule, resolve
from annotator.learning import metrics, tiers
from annotator.learning.registry import LayerModel, Registry
from annotator.learning.text_features import KIND, TextFeatures
from annotator.outlets.classifier import OutletClassifier

LAYER = taxonomy.OUTLET
MIN_ARTICLES = 3  # an outlet with fewer confirmed training articles is not learnt
TARGET_PRECISION = 0.9
FLOOR = 0.5  # a calibrated probability under one half never names an outlet
HELD_OUT = 5  # one article in HELD_OUT of each outlet is held out
Cs = (1.0, 10.0, 100.0)  # TF-IDF rows are L2-normalised: weaker regularisation than for embeddings


@dataclass(frozen=True)
class Confirmed:
    article_id: str
    text: str
    outlet_id: str
    name: str | None = None  # the outlet's name as the article's record has it, where it is that outlet


def confirmed(records: Any, rule: GoldRule = UNANIMOUS) -> list[Confirmed]:
    """The articles whose publishing outlet the analysts settled, with that outlet (see the module)."""
    out = []
    for record in records:
        held: set[str] = set()
        settled, unanswered, named_by_analyst = True, 0, False
        for annotation in record.annotations:
            if annotation.layer != LAYER:
                continue
            if not annotation.answers:
                if annotation.attributes.get("withdrawn") or "+outlet@" in (annotation.agent or ""):
                    continue  # a suggestion taken back, or the classifier's own guess, that nobody answered
                unanswered += 1
                continue
            gold = resolve(annotation.label, None, None, annotation.answers, rule)
            if not gold.is_gold:
                settled = False
                break
            if gold.label is not None:
                held.add(gold.label)
                named_by_analyst |= any(a.verdict in ("add", "correct") for a in annotation.answers)
        # an outlet an analyst named (added, or corrected to) settles the article over suggestions nobody
        # answered; otherwise every suggestion must be answered
        if settled and len(held) == 1 and (unanswered == 0 or named_by_analyst):
            outlet_id = held.pop()
            name = record.outlet.name if record.outlet is not None and record.outlet.id == outlet_id else None
            out.append(Confirmed(record.id, record.text, outlet_id, name))
    return out


def split(examples: list[Confirmed], seed: int = 0) -> tuple[list[Confirmed], list[Confirmed]]:
    """(training, held out): one article in ``HELD_OUT`` of each outlet held out, chosen at random with
    a fixed seed."""
    rng = np.random.default_rng(seed)
    by_outlet: dict[str, list[Confirmed]] = {}
    for e in sorted(examples, key=lambda e: e.article_id):
        by_outlet.setdefault(e.outlet_id, []).append(e)
    train, held = [], []
    for outlet_id in sorted(by_outlet):
        items = by_outlet[outlet_id]
        order = rng.permutation(len(items))
        n_held = len(items) // HELD_OUT
        held += [items[i] for i in order[:n_held]]
        train += [items[i] for i in order[n_held:]]
    return train, held


def confidence_threshold(confidence: np.ndarray, right: np.ndarray, target: float = TARGET_PRECISION,
                         floor: float = FLOOR) -> float:
    """The lowest confidence at which the predictions at or above it are right at least ``target`` of
    the time (so the most articles get an outlet at that precision); 1.0 (never) when no cut gets there."""
    order = np.argsort(-confidence, kind="stable")
    ranked = confidence[order]
    precision = np.cumsum(right[order]) / np.arange(1, len(order) + 1)
    # a cut keeps every prediction of its confidence: only the last of a run of equal ones is a cut
    ends = np.append(ranked[1:] < ranked[:-1], True)
    # only cuts at or above the floor: raising a lower cut to the floor afterwards would keep none of the
    # precision it was chosen for
    ok = np.flatnonzero((precision >= target) & ends & (ranked >= floor))
    if not len(ok):
        return 1.0
    return float(ranked[ok[-1]])


def _matrix(features: TextFeatures, texts: list[str]) -> Any:
    from scipy import sparse

    data, indices, indptr = features.rows(texts)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(texts), len(features)))


def _indicator(examples: list[Confirmed], labels: list[str]) -> np.ndarray:
    index = {label: j for j, label in enumerate(labels)}
    Y = np.zeros((len(examples), len(labels)), dtype=np.int64)
    for i, e in enumerate(examples):
        if e.outlet_id in index:
            Y[i, index[e.outlet_id]] = 1
    return Y


def fit(train: list[Confirmed]) -> LayerModel:
    """The outlet model of these training articles: features, head, threshold (not yet saved)."""
    from annotator.learning.heads import LabelHead

    counts = Counter(e.outlet_id for e in train)
    labels = sorted(o for o, n in counts.items() if n >= MIN_ARTICLES)
    if len(labels) < 2:
        raise ValueError(f"confirmed outlets: {dict(counts) or 'none'}; the outlet model needs at least two "
                         f"outlets with {MIN_ARTICLES} confirmed articles each (after one in {HELD_OUT} is "
                         "held out): confirm more articles' outlets first")
    texts = [e.text for e in train]
    features = TextFeatures.fit(texts)
    X = _matrix(features, texts)
    Y = _indicator(train, labels)
    groups = np.array([e.article_id for e in train])
    folds = min(5, len(train))
    head = LabelHead(Cs=Cs, folds=folds, solver="liblinear", keep_oof=True).fit(X, Y, groups=groups)

    # The threshold, from probabilities of models that did not see the article they score: the
    # out-of-fold scores at the chosen C, through the head's own calibration (fitted on those scores,
    # as every LabelHead threshold is). Not saved with the head: one row per training article.
    P = head.oof_proba_
    del head.oof_proba_
    truth = np.where(Y.any(1), Y.argmax(1), -1)
    threshold = confidence_threshold(P.max(1), P.argmax(1) == truth)
    head.thresholds_ = np.full(len(labels), threshold)  # the saved arrays carry it: one for every outlet

    names = {e.outlet_id: e.name for e in train if e.name and e.outlet_id in labels}
    info = {"features": features.describe(), "tier": tiers.ANY, "threshold": round(threshold, 4),
            "target_precision": TARGET_PRECISION,
            "names": dict(sorted(names.items())),
            "label_counts": {label: counts[label] for label in labels},
            "not_learnt": dict(sorted((o, n) for o, n in counts.items() if o not in labels)),
            "trained_on": sorted(e.article_id for e in train),
            "oof": {"coverage": round(float((P.max(1) >= threshold).mean()), 4),
                    "auc": round(float(head.oof_auc_), 4), "C": head.C_}}
    return LayerModel(layer=LAYER, labels=labels, head=head, encoder=KIND, info=info, features=features)


def _figures(labels: list[str], examples: list[Confirmed], predicted: list[str | None]) -> dict[str, Any]:
    Y = _indicator(examples, labels)
    index = {label: j for j, label in enumerate(labels)}
    P = np.zeros_like(Y)
    for i, outlet_id in enumerate(predicted):
        if outlet_id in index:
            P[i, index[outlet_id]] = 1
    report = metrics.scores(Y, P, labels)
    n = len(examples)
    given = [(e, p) for e, p in zip(examples, predicted, strict=True) if p is not None]
    known = [(e, p) for e, p in zip(examples, predicted, strict=True) if e.outlet_id in index]
    unknown = [(e, p) for e, p in zip(examples, predicted, strict=True) if e.outlet_id not in index]
    report.update({
        # share of the articles given an outlet; of those, the share given the right one
        "coverage": round(len(given) / n, 4) if n else None,  # None: nothing held out, nothing measured
        "accuracy_on_covered": (round(sum(e.outlet_id == p for e, p in given) / len(given), 4) if given
                                else None),
        # articles of learnt outlets given the right outlet; articles of other outlets given none
        "recall_learnt": round(sum(e.outlet_id == p for e, p in known) / len(known), 4) if known else None,
        "abstained_on_other_outlets": (round(sum(p is None for _, p in unknown) / len(unknown), 4) if unknown
                                       else None),
        "articles_of_other_outlets": len(unknown),
    })
    return report


def score(classifier: OutletClassifier, examples: list[Confirmed]) -> dict[str, Any]:
    predicted = [outlet_id for outlet_id, _ in classifier.predict([e.text for e in examples])]
    return _figures(classifier.labels, examples, predicted)


def majority_baseline(labels: list[str], label_counts: dict[str, int],
                      examples: list[Confirmed]) -> dict[str, Any]:
    """The most frequent outlet of the training articles given to every article, never abstaining."""
    majority = max(labels, key=lambda label: (label_counts.get(label, 0), label))
    return {"outlet": majority, **_figures(labels, examples, [majority] * len(examples))}


def card(model: LayerModel, report: dict[str, Any]) -> str:
    figures = report["model"]
    rows = "\n".join(f"| {label} | {v['precision']} | {v['recall']} | {v['f1']} | {v['support']} |"
                     for label, v in figures["per_label"].items())
    if not report["examples"]["held_out"]:
        rows = (f"| (none held out: an outlet needs {HELD_OUT} confirmed articles before one of them is held "
                "out, so these figures measure nothing yet) | | | | |")
    base = report["baselines"]["majority"]
    info = model.info
    return f"""# outlet {model.version}

- Date: {dt.date.today().isoformat()}
- What it does: names the publishing outlet of an article with no address and no self-reference
  (step 3 of `annotator.outlets.identify`), or abstains.
- Features: TF-IDF of the whole text, furniture lines included: word 1–2-grams and character 3–5-grams
  seen in at least 2 training articles ({info['features']['size']} kept), sublinear TF, each block
  L2-normalised (`annotator.learning.text_features`, numpy only at prediction)
- Head: `annotator.learning.heads.LabelHead`, one logistic regression per outlet, C={model.head.C_} chosen by
  out-of-fold ROC AUC {info['oof']['auc']}, Platt-calibrated on out-of-fold scores; saved with skops and
  safetensors
- Threshold: {info['threshold']}, the lowest calibrated probability at which the training articles'
  out-of-fold predictions were right at least {int(TARGET_PRECISION * 100)} % of the time (never under
  {FLOOR}); below it the model gives no outlet
- Outlets learnt ({len(model.labels)}, at least {MIN_ARTICLES} confirmed training articles each):
  {', '.join(f'{k} ({v})' for k, v in info['label_counts'].items())}
- Not learnt (too few confirmed articles; kept as examples of other outlets):
  {', '.join(f'{k} ({v})' for k, v in info['not_learnt'].items()) or 'none'}
- Training data: the analysts' confirmed outlets in the review store ({report['gold_rule']}),
  {report['examples']['train']} articles; {report['examples']['held_out']} held out ({report['held_out']})

## Held-out figures
Coverage {figures['coverage']} (share of held-out articles given an outlet), right on
{figures['accuracy_on_covered']} of those; articles of learnt outlets named right: {figures['recall_learnt']};
micro-F1 {figures['micro_f1']}, macro-F1 {figures['macro_f1']}. Majority baseline (`{base['outlet']}` for
every article): micro-F1 {base['micro_f1']}, macro-F1 {base['macro_f1']}, right on
{base['accuracy_on_covered']} of the articles.

| outlet | precision | recall | F1 | support |
|---|---|---|---|---|
{rows}

With few confirmed articles per outlet these figures rest on very few held-out articles: read the
support column before trusting them.
"""


def train_from_store(store: Any, registry: Registry, *, rule: GoldRule = UNANIMOUS) -> dict[str, Any]:
    """A new (unpromoted) version of the outlet classifier from the store's confirmed outlets; its
    held-out figures beside the majority baseline and the promoted version's."""
    started = time.perf_counter()
    examples = confirmed(store.records(), rule)
    if not examples:
        raise ValueError(f"no confirmed outlets in the store yet: confirm (or correct) the publishing outlet "
                         f"of some articles first (gold rule {rule.agreement}, at least {rule.min_answers} "
                         "analyst(s))")
    train, held = split(examples)
    model = fit(train)
    classifier = OutletClassifier(model)
    report: dict[str, Any] = {
        "layer": LAYER, "gold_rule": f"{rule.agreement}, min {rule.min_answers}",
        **({} if held else {"note": f"no held-out articles: no outlet has {HELD_OUT} confirmed articles yet, "
                                    "so the figures below measure nothing"}),
        "held_out": f"one article in {HELD_OUT} of each outlet, grouped by article",
        "examples": {"train": len(train), "held_out": len(held)},
        "threshold": model.info["threshold"], "outlets": model.labels, "not_learnt": model.info["not_learnt"],
        "model": score(classifier, held), "baselines": {"majority": majority_baseline(
            model.labels, model.info["label_counts"], held)}}
    current = registry.promoted(LAYER)
    if current:
        try:
            model_now = registry.load(LAYER, current)
            # the same held-out articles for both, less those the current version trained on (articles added
            # since can move one of them into this split's held-out side)
            seen = set(model_now.info.get("trained_on") or [])
            same = [e for e in held if e.article_id not in seen]
            report["current"] = {"version": current, "examples": len(same),
                                 **score(OutletClassifier(model_now), same)}
            if len(same) < len(held):
                report["model_on_the_same_articles"] = score(classifier, same)
        except (ValueError, KeyError) as exc:
            report["current"] = {"version": current, "error": str(exc)}
    report["seconds"] = round(time.perf_counter() - started, 1)
    model.info = {**model.info,
                  "corpora": [f"store: the analysts' confirmed outlets ({report['gold_rule']})"],
                  "trained": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "examples": len(train)}
    model.version = report["version"] = registry.next_version(LAYER)
    registry.save(model, report, card(model, report))
    return report


def evaluate_store(store: Any, registry: Registry, version: str | None = None, *,
                   rule: GoldRule = UNANIMOUS) -> dict[str, Any]:
    """Score a registered version on the store's confirmed articles it was not trained on, beside the
    majority baseline of its own training outlets."""
    model = registry.load(LAYER, version)
    classifier = OutletClassifier(model)
    seen = set(model.info.get("trained_on") or [])
    examples = [e for e in confirmed(store.records(), rule) if e.article_id not in seen]
    if not examples:
        raise ValueError(f"outlet {model.version}: every confirmed article in the store was used to train "
                         "it; confirm the outlets of more articles to evaluate it")
    return {"layer": LAYER, "version": model.version,
            "gold_rule": f"{rule.agreement}, min {rule.min_answers}",
            "scored_on": "the store's confirmed articles this version was not trained on",
            "examples": len(examples), "threshold": classifier.threshold,
            "model": score(classifier, examples),
            "baselines": {"majority": majority_baseline(model.labels, model.info.get("label_counts") or {},
                                                        examples)}}
