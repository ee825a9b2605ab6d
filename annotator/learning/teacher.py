"""A head of the accurate tier teaches its static twin the languages its corpus lacks.

The check-worthiness corpus is English (CheckThat!). Through the transformer, a head trained on it
transfers to French, German or Spanish, because the transformer maps languages to one space; static
token vectors do not (measured on the French held-out claims: the static head found 31% of the
unattributed claims, the accurate one 73%). So the accurate head labels news sentences in the other
languages, and the static head learns from those labels beside the English gold: distillation of the
head, not of the encoder.

    python -m annotator.learning.teacher check_worthiness ../shared/data/pages -o teacher_train.tsv
    annotator train check_worthiness --tier static --corpus checkthat:CHECKTHAT \\
        --corpus checkthat:teacher_train.tsv

The file is in CheckThat!'s format (Sentence_id, Text, class_label), so the same reader takes it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

from annotator import nlp


def sentences_of(paths: list[str], skip: str = "en") -> list[str]:
    """The body sentences of the articles under ``paths``, in every language but ``skip``."""
    from annotator.ingest import Failure, iter_inputs

    out: list[str] = []
    for item in iter_inputs(paths):
        if isinstance(item, Failure):
            continue
        language = item.language or nlp.detect_language(item.text)[0]
        if language == skip:
            continue
        spans = nlp.paragraphs(item.text)
        for start, end in nlp.sentences(nlp.parse(item.text, spans, language)):
            sentence = item.text[start:end]
            if 20 <= len(sentence) <= 400:
                out.append(sentence)
    return list(dict.fromkeys(out))


def label(layer: str, texts: list[str]) -> list[bool]:
    """The promoted accurate-tier head's decisions on ``texts``."""
    from annotator.learning import tiers
    from annotator.learning.encoders import Encoder
    from annotator.learning.registry import Registry

    registry = Registry()
    version = registry.promoted(layer, tiers.ACCURATE)
    if version is None:
        raise SystemExit(f"no promoted accurate-tier version of {layer}: nothing to learn from")
    model = registry.load(layer, version)
    return [bool(p) for p in model.predict(Encoder().encode(texts))[:, 0]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m annotator.learning.teacher", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("layer", choices=["check_worthiness"])
    parser.add_argument("paths", nargs="+", help="articles: files or folders, as `annotator annotate` reads")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="a .tsv file whose name says its split")
    args = parser.parse_args(argv)
    texts = sentences_of(args.paths)
    decisions = label(args.layer, texts)
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["Sentence_id", "Text", "class_label"])
        for text, yes in zip(texts, decisions, strict=True):
            writer.writerow([hashlib.sha256(text.encode()).hexdigest()[:16], text, "Yes" if yes else "No"])
    print(f"{len(texts)} sentences, {sum(decisions)} check-worthy -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
