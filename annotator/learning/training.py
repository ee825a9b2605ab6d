"""Train and evaluate a layer's head: corpora -> embeddings -> LabelHead -> registry.

Held-out data, for each corpus: its own `test` split when it has one; else its `dev` split when it also
has training examples (SemEval-2023's train + dev folders); else a fifth of its articles (grouped, so no
article has sentences on both sides). Corpora that leave nothing to train on or to hold out are refused
(E015) before any text is embedded. Every figure comes with the trivial baselines on the same
examples: the most frequent labels for every example, every label for every example, and TF-IDF with a
logistic regression trained on the same training examples.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import GroupShuffleSplit

from annotator import taxonomy
from annotator.learning import metrics, tiers
from annotator.learning.corpora import CorpusError, Example, read_corpus
from annotator.learning.encoders import Encoder
from annotator.learning.features import SHOWN, design, feature_name, hidden_labels, shown_scores
from annotator.learning.heads import LabelHead
from annotator.learning.registry import DECISION, MODEL_LABELS, LayerModel, Registry

# What the card says of each corpus format's data; the path names the copy used.
CORPUS_LICENCES = {
    "checkthat": "CheckThat! 2024 Task 1 (CLEF), released by the organisers for research use",
    "claimbuster": "ClaimBuster (Arslan et al. 2020), research use",
    "lines": "CoNLL-2010 WikiWeasel/BioScope, research and evaluation only",
    "semeval2021-memes": "SemEval-2021 Task 6, free for research use",
    "semeval2023": "SemEval-2023 Task 3, under the organisers' licence (not redistributed)",
    "ptc": "SemEval-2020 Task 11 PTC, research use",
    "jsonl": "the project's analysts' answers",
    "labelled": "labelled texts; the project's own (data/, tests/data/) are Apache-2.0, see their SOURCE.md",
    "store": "the project's analysts' answers, read from the review store",
}


@dataclass
class Split:
    train: list[Example]
    held_out: list[Example]
    how: str


_WEIGHT = re.compile(r"\*(\d{1,3})$")


def load_examples(layer: str, specs: list[str]) -> list[Example]:
    """The examples of every corpus. ``FORMAT:PATH*N`` counts a corpus's training examples N times (a few
    hundred news sentences beside 27,000 debate lines); copies keep their group, so no fold and no
    held-out split separates them, and a held-out example counts once (`split`). A corpus whose files
    all say `train` (a teacher's machine labels, SemEval-2023's train folders) stays on the training
    side when another corpus of the mix holds out a part; alone, it gives a fifth of its articles."""
    corpora = []
    for spec in specs:
        weight = _WEIGHT.search(spec)
        read = read_corpus(spec[: weight.start()] if weight else spec, layer)
        times = int(weight.group(1)) if weight else 1
        if weight and times < 1:
            raise CorpusError(f"{spec}: a corpus's weight is 1 or more")
        corpora.append((read, own_splits(read), times))
    held_elsewhere = any(e.split in HELD for _, own, _ in corpora for e in own)
    examples: list[Example] = []
    for read, own, times in corpora:
        kept = read if held_elsewhere and {e.split for e in read} == {"train"} else own
        examples.extend(e for e in kept for _ in range(1 if e.split in HELD else times))
    return examples


HELD_DEV = "dev, held out"  # the split of a dev example that a corpus without a test split holds out
HELD = ("test", HELD_DEV)


def own_splits(examples: list[Example]) -> list[Example]:
    """One corpus's examples with the held-out part it states: its test split; else its dev split when
    the rest trains; else none (split=None: a fifth of its articles will be held out). A corpus read as
    all `train` (SemEval-2023's train folders alone) or all `dev` thus still holds out a part."""
    stated = {e.split for e in examples}
    if "test" in stated:
        return examples
    if "dev" in stated and stated - {"dev"}:
        return [dataclasses.replace(e, split=HELD_DEV) if e.split == "dev" else e for e in examples]
    return [dataclasses.replace(e, split=None) for e in examples]


def split(examples: list[Example], seed: int = 0) -> Split:
    """Each corpus keeps its own test split; the examples of a corpus without one give a fifth of their
    articles (grouped) to the held-out side, so that a mix of corpora is scored on each of them."""
    test = [e for e in examples if e.split in HELD]
    unsplit = [e for e in examples if e.split is None]
    train = [e for e in examples if e.split not in (*HELD, None)]
    if len({e.group for e in unsplit}) >= 2:
        groups = np.array([e.group for e in unsplit])
        train_idx, held_idx = next(GroupShuffleSplit(1, test_size=0.2, random_state=seed)
                                   .split(unsplit, groups=groups))
        train += [unsplit[i] for i in train_idx]
        test += [unsplit[i] for i in held_idx]
    else:
        train += unsplit
    # a weighted corpus's copies of one example count once on the held-out side
    test = list({(e.id, e.text): e for e in test}.values())
    if not train:
        raise CorpusError("no example to train on: every example is on the held-out side (only test data?); "
                          "add a corpus with training examples", "E015")
    if not test:
        raise CorpusError(f"nothing to hold out: {len({e.group for e in examples})} article(s) only, "
                          "and no test split; add articles or a corpus with a test split", "E015")
    how = " and ".join(
        part for part, present in (("the corpus's test split", any(e.split == "test" for e in examples)),
                                   ("the dev split of a corpus without a test split",
                                    any(e.split == HELD_DEV for e in examples)),
                                   ("20% of articles, grouped", any(e.split is None for e in test)))
        if present)
    return Split(train, test, how)


def indicator(examples: list[Example], labels: list[str]) -> np.ndarray:
    index = {label: j for j, label in enumerate(labels)}
    Y = np.zeros((len(examples), len(labels)), dtype=np.int64)
    for i, e in enumerate(examples):
        for label in e.labels:
            if label in index:
                Y[i, index[label]] = 1
    return Y


def check_floor(layer: str, precision_floor: float) -> None:
    if not 0.0 <= precision_floor < 1.0:
        raise ValueError(f"a precision floor is at least 0 and under 1, not {precision_floor}")
    if precision_floor and DECISION.get(layer, "f1") != "f1":
        raise ValueError(f"{layer}'s threshold is chosen by TPR - FPR (its share changes between sources), "
                         "not by F1: a precision floor does not apply")


def fit(layer: str, examples: list[Example], encoder: Encoder, C: float | None = None,
        precision_floor: float = 0.0) -> LayerModel:
    labels = list(MODEL_LABELS[layer])
    check_floor(layer, precision_floor)
    X = design(layer, [e.text for e in examples], [e.language for e in examples], encoder)
    Y = indicator(examples, labels)
    head = LabelHead(C=C, decision=DECISION.get(layer, "f1"), precision_floor=precision_floor).fit(
        X, Y, groups=np.array([e.group for e in examples]))
    # each label's cut and what it does out of fold (nothing scored by a fit that saw it): the card's
    # figures, and what a user reads before hiding a label
    thresholds = {label: {"threshold": round(float(head.thresholds_[j]), 4),
                          "precision": round(float(head.oof_precision_[j]), 4),
                          "recall": round(float(head.oof_recall_[j]), 4),
                          "average_precision": round(float(head.oof_average_precision_[j]), 4),
                          "positives": int(Y[:, j].sum())}
                  for j, label in enumerate(labels)}
    return LayerModel(layer=layer, labels=labels, head=head, encoder=encoder.version,
                      info={"features": feature_name(layer), "tier": tiers.of_encoder(encoder.version),
                            "precision_floor": precision_floor, "thresholds": thresholds})


def score(model: LayerModel, examples: list[Example], encoder: Encoder,
          hidden: frozenset[str] | None = None) -> dict[str, Any]:
    """Per-label figures of what the tagger shows on these examples (the same decision: features.
    shown_scores, the user's hidden labels included), and each label's average precision over the shown
    scores, which says how well the label ranks whatever its threshold."""
    if model.encoder != encoder.version:
        raise ValueError(f"{model.layer} {model.version} was fitted on encoder {model.encoder}, "
                         f"not on {encoder.version}: pass --encoder with that one, or retrain")
    X = design(model.layer, [e.text for e in examples], [e.language for e in examples], encoder)
    hidden = hidden_labels() if hidden is None else hidden
    if model.layer in (taxonomy.TECHNIQUE, taxonomy.FRAME):
        shown = shown_scores(model, X, hidden)
        predicted = (shown >= SHOWN).astype(np.int64)
    else:
        shown = model.predict_proba(X)
        predicted = model.predict(X)
    out = metrics.scores(indicator(examples, model.labels), predicted, model.labels, shown)
    if hidden & set(model.labels):
        out["hidden"] = sorted(hidden & set(model.labels))
    return out


def baselines(layer: str, train: list[Example], held_out: list[Example]) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = list(MODEL_LABELS[layer])
    Y_train, Y_held = indicator(train, labels), indicator(held_out, labels)
    out = {
        "frequency": metrics.scores(Y_held, metrics.frequency_baseline(Y_train, len(held_out)), labels),
        "all_labels": metrics.scores(Y_held, metrics.all_positive_baseline(len(held_out), len(labels)),
                                     labels),
    }
    if train:
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        try:
            X_train = vectorizer.fit_transform([e.text for e in train])
        except ValueError:  # a corpus too small for two texts to share a word: no TF-IDF baseline
            return out
        pred = np.zeros_like(Y_held)
        X_held = vectorizer.transform([e.text for e in held_out])
        for j in range(len(labels)):
            if 0 < Y_train[:, j].sum() < len(train):
                lr = (LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000)
                      .fit(X_train, Y_train[:, j]))
                pred[:, j] = lr.predict(X_held)
        out["tfidf_logreg"] = metrics.scores(Y_held, pred, labels)
    return out


def card(model: LayerModel, specs: list[str], counts: dict[str, int], report: dict[str, Any]) -> str:
    rows = "\n".join(f"| {label} | {v['precision']} | {v['recall']} | {v['f1']} | "
                     f"{v.get('average_precision', '')} | {v['support']} |"
                     for label, v in report["model"]["per_label"].items() if v["support"])
    cuts = model.info.get("thresholds") or {}
    cut_rows = "\n".join(f"| {label} | {c['threshold']} | {c['precision']} | {c['recall']} | "
                         f"{c['average_precision']} | {c['positives']} |"
                         for label, c in cuts.items() if c["positives"])
    floor = model.info.get("precision_floor") or 0.0
    unreachable = [label for label, c in cuts.items() if c["positives"] and c["threshold"] >= 1.0]
    rule = ("maximises its out-of-fold F1" if model.head.decision == "f1"
            else "maximises TPR - FPR out of fold")
    hiding = ("No label is hidden by the model; a user hides one with `[framing] hidden` in the settings."
              if model.layer in (taxonomy.TECHNIQUE, taxonomy.FRAME) else "")
    unreachable_note = (f" No cut reached the precision floor for: {', '.join(unreachable)} (the head never "
                        "shows them; a technique's cue words still can)." if unreachable else "")
    corpora = "\n".join(f"- `{spec}`: {CORPUS_LICENCES.get(spec.split(':', 1)[0], 'unknown licence')}"
                        for spec in specs)
    return f"""# {model.layer} {model.version}

- Date: {dt.date.today().isoformat()}
- Encoder: `{model.encoder}` (frozen; mean pooling; `query: ` prefix for e5)
- Head: `annotator.learning.heads.LabelHead` (logistic regression per label, C={model.head.C_} chosen by \
out-of-fold
  ROC AUC {model.head.oof_auc_:.3f}, Platt-calibrated on out-of-fold scores, one threshold per label from
  the same scores, decision rule `{model.head.decision}`), saved with skops
- Labels: {', '.join(model.labels)}
- Examples: {counts['train']} for training, {counts['held_out']} held out ({report['held_out']})

## Training data
{corpora}

## Held-out figures (what the tagger shows)
micro-F1 {report['model']['micro_f1']}, macro-F1 {report['model']['macro_f1']}; baselines: frequency
{report['baselines']['frequency']['micro_f1']}, every label {report['baselines']['all_labels']['micro_f1']},
TF-IDF + logistic regression {report['baselines'].get('tfidf_logreg', {}).get('micro_f1', 'n/a')} (micro-F1).

| label | precision | recall | F1 | average precision | support |
|---|---|---|---|---|---|
{rows}

## Thresholds (chosen out of fold on the training examples{f", precision floor {floor}" if floor else ""})

Each label is shown from its own threshold, which {rule}{" among the cuts that reach the precision floor"
if floor else ""}. Figures out of fold: precision and recall at the threshold, average precision over all
cuts.

| label | threshold | precision | recall | average precision | positives |
|---|---|---|---|---|---|
{cut_rows}

{hiding}{unreachable_note}
"""


def train(layer: str, specs: list[str], encoder: Encoder, registry: Registry, *,
          extra: list[Example] | None = None, extra_source: str | None = None,
          precision_floor: float = 0.0) -> dict[str, Any]:
    """Fit a new version, score it and the promoted one on the same held-out data, save it unpromoted.

    ``extra``: examples from elsewhere than a corpus file (the store's gold, ``extra_source`` names it);
    their held-out part is also scored on its own (``report["gold"]``), old and new side by side.
    """
    started = time.perf_counter()
    check_floor(layer, precision_floor)
    examples = load_examples(layer, specs) + list(extra or [])
    if extra_source:
        specs = [*specs, extra_source]
    parts = split(examples)
    if len({e.group for e in parts.train}) < 2:
        raise CorpusError("one article only on the training side: the head's thresholds are chosen out of "
                          "fold, by article; add articles", "E015")
    try:
        model = fit(layer, parts.train, encoder, precision_floor=precision_floor)
        report: dict[str, Any] = {"layer": layer, "held_out": parts.how,
                                  "model": score(model, parts.held_out, encoder, frozenset()),
                                  "baselines": baselines(layer, parts.train, parts.held_out)}
    except ValueError as exc:  # after the long part: say that it is not lost
        cache = getattr(getattr(encoder, "cache", None), "path", None)
        kept = (f"the {len(examples)} texts' embeddings are kept in {cache}, so running again embeds "
                "none of them twice" if cache else "no embedding cache (the static tier needs none)")
        raise ValueError(f"training {layer} failed after embedding: {exc}; {kept}") from exc
    extra_ids = {e.id for e in extra or []}
    gold_held = [e for e in parts.held_out if e.id in extra_ids]
    if gold_held:
        report["gold"] = {"examples": len(gold_held), "articles": len({e.group for e in gold_held}),
                          "model": score(model, gold_held, encoder, frozenset())}
    current = registry.promoted(layer)
    if current:
        try:
            old = registry.load(layer, current)
            report["current"] = {"version": current, **score(old, parts.held_out, encoder, frozenset())}
            if gold_held:
                report["gold"]["current"] = {"version": current,
                                             **score(old, gold_held, encoder, frozenset())}
        except ValueError as exc:
            report["current"] = {"version": current, "error": str(exc)}
    report["seconds"] = round(time.perf_counter() - started, 1)
    model.info = {**model.info, "corpora": specs,
                  "trained": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  "examples": len(parts.train),
                  # how often each label held in training: evaluate's frequency baseline on another corpus
                  "label_counts": dict(zip(model.labels, indicator(parts.train, model.labels).sum(0).tolist(),
                                           strict=True))}
    counts = {"train": len(parts.train), "held_out": len(parts.held_out)}
    model.version = report["version"] = registry.next_version(layer)
    registry.save(model, report, card(model, specs, counts, report))
    return report


def evaluate(layer: str, specs: list[str], encoder: Encoder, registry: Registry,
             version: str | None = None) -> dict[str, Any]:
    """Score a registered version on the corpus's test split (else its dev split, when it has training
    examples too; else on all of it), beside the baselines: what the taggers show, label by label."""
    model = registry.load(layer, version)
    # each example once: a weighted spec (as a model's own corpora list it) scores its copies once
    examples = list({(e.id, e.text, e.split): e for e in load_examples(layer, specs)}.values())
    test = [e for e in examples if e.split in HELD] or examples
    rest = [e for e in examples if e.split not in HELD] if len(test) < len(examples) else []
    report = {"layer": layer, "version": model.version, "examples": len(test),
              "scored_on": "the corpus's held-out split" if rest else "the whole corpus",
              "model": score(model, test, encoder)}
    Y_test = indicator(test, model.labels)
    if rest:
        report["baselines"] = baselines(layer, rest, test)
    else:
        report["baselines"] = {
            "all_labels": metrics.scores(Y_test, metrics.all_positive_baseline(len(test), len(model.labels)),
                                         model.labels)}
        counts = model.info.get("label_counts")
        if counts and len(model.labels) > 1:
            # the most frequent training labels given to every example, as many as the mean per example
            # in the test data (the labels of the model's own training data, not of the test)
            freq = np.array([[counts.get(label, 0) for label in model.labels]])
            k = max(1, round(float(Y_test.sum(1).mean())))
            pred = np.zeros_like(Y_test)
            pred[:, np.argsort(-freq[0])[:k]] = 1
            report["baselines"]["frequency"] = metrics.scores(Y_test, pred, model.labels)
    return report
