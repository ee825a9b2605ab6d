"""Sentence-level figures of the claim layer.

    python -m annotator.evaluation.claims tests/data/claims_fr.jsonl fr      # hand-labelled sentences
    python -m annotator.evaluation.claims --weasel ../shared/data/claims/conll2010_wikiweasel_bioscope

Hand-labelled sets are JSON Lines of {"text", "labels"}; each sentence is annotated alone and its
predicted labels are the claim labels of every annotation on it. Reported beside the frequency baseline
(the most frequent label set for every sentence, from the same file) and the every-label baseline.
The weasel figure is the CoNLL-2010 task: a Wikipedia sentence is uncertain when the layer finds a
hedge, a weasel or hearsay in it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from annotator import taxonomy
from annotator.ingest.article import RawArticle
from annotator.learning import metrics
from annotator.pipeline import Pipeline
from annotator.taggers.claims import ClaimTagger
from annotator.taggers.page_furniture import PageFurnitureTagger
from annotator.taggers.provenance import ProvenanceTagger

UNCERTAIN = ("hedge", "weasel", "reported_conditional")


def _pipeline(check_worthiness: bool) -> Pipeline:
    pipeline = Pipeline(taggers=[])
    pipeline.taggers = [PageFurnitureTagger(), ProvenanceTagger(pipeline.outlets),
                        ClaimTagger(check_worthiness)]
    return pipeline


def predict(texts: list[str], language: str, pipeline: Pipeline) -> list[set[str]]:
    out = []
    for i, text in enumerate(texts):
        record = pipeline.annotate(RawArticle(source=f"sentence {i}", text=text, language=language))
        out.append({a.label for a in record.annotations if a.layer == taxonomy.CLAIM})
    return out


def evaluate_file(path: Path, language: str, labels: tuple[str, ...] = taxonomy.CLAIM_LABELS,
                  pipeline: Pipeline | None = None) -> dict[str, Any]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    labels = tuple(label for label in labels if any(label in r["labels"] for r in rows))
    pipeline = pipeline or _pipeline("unattributed_claim" in labels)
    gold = np.array([[int(label in r["labels"]) for label in labels] for r in rows])
    pred_sets = predict([r["text"] for r in rows], language, pipeline)
    pred = np.array([[int(label in p) for label in labels] for p in pred_sets])
    errors = [{"text": r["text"], "gold": sorted(r["labels"]), "predicted": sorted(p & set(labels))}
              for r, p in zip(rows, pred_sets, strict=True) if set(r["labels"]) != p & set(labels)]
    return {
        "file": str(path), "language": language, "sentences": len(rows),
        "model": metrics.scores(gold, pred, list(labels)),
        "baselines": {"frequency": metrics.scores(
                          gold, metrics.frequency_baseline(gold, len(rows)), list(labels)),
                      "all_labels": metrics.scores(
                          gold, metrics.all_positive_baseline(len(rows), len(labels)), list(labels))},
        "errors": errors,
    }


def evaluate_weasel(folder: Path, limit: int | None = None) -> dict[str, Any]:
    """Uncertainty detection on the WikiWeasel evaluation set (CoNLL-2010 task 1, Wikipedia)."""
    from annotator.learning.corpora import read_corpus

    examples = [e for e in read_corpus(f"lines:{folder}", taxonomy.CLAIM)
                if e.split == "test" and "wiki" in e.id.lower()][:limit]
    pipeline = _pipeline(check_worthiness=False)
    pred_sets = predict([e.text for e in examples], "en", pipeline)
    gold = np.array([[int("hedge" in e.labels)] for e in examples])
    pred = np.array([[int(bool(p & set(UNCERTAIN)))] for p in pred_sets])
    return {"sentences": len(examples), "model": metrics.scores(gold, pred, ["uncertain"]),
            "baselines": {"all_uncertain": metrics.scores(gold, np.ones_like(gold), ["uncertain"])}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("language", nargs="?", default="fr")
    parser.add_argument("--weasel", action="store_true",
                        help="PATH is the conll2010_wikiweasel_bioscope folder")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    report = (evaluate_weasel(args.path, args.limit) if args.weasel
              else evaluate_file(args.path, args.language))
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
