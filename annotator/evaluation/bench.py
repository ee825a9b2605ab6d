"""`annotator bench`: throughput and peak memory of the default pipeline, stage by stage.

The corpus is built from the real pages of ../shared/data/pages when present (else from seeds/),
repeated up to the number of articles asked for. The encoder runs without its cache, so the figure is
the cost of embedding, not of a cache hit.

With ``jobs`` > 1 the annotate stage runs through annotator/parallel.py's worker processes (started,
with their models loaded and one article annotated, before the clock starts); its seconds by step are
then summed over the workers (so they add up to more than the stage's wall-clock seconds), and the
memory while annotating is the largest worker's peak plus this process's. `summary` flattens a report
into the one-line JSON of `annotator bench --json`.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from annotator import cues, paths, taxonomy
from annotator.ingest.article import RawArticle
from annotator.ingest.sources import read_single
from annotator.learning import tiers


def _corpus(pages: Path | None) -> list[tuple[str, bytes, str | None]]:
    folder = pages or paths.ROOT.parent / "shared" / "data" / "pages"
    if folder.exists():
        from annotator.evaluation.extraction import load_pages

        return [(p.name, p.html, p.url) for p in load_pages(folder)]
    return [(str(f), f.read_bytes(), None) for f in sorted((paths.ROOT / "seeds").iterdir()) if f.is_file()]


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else float("inf")


def bench_pipeline() -> Any:
    """The default pipeline with the embedding cache off, so that embedding is what is timed."""
    from annotator.pipeline import Pipeline
    from annotator.taggers.claims import ClaimTagger

    pipeline = Pipeline()
    for tagger in pipeline.taggers:
        if isinstance(tagger, ClaimTagger):
            tagger.load_scorer(cache=False)  # the encoder the taggers share: framing's too
    return pipeline


def _one_per_language(raws: list[Any]) -> list[int]:
    """The index of the first article of each language in the batch: read and annotated before the clock
    starts, so that each language's spaCy pipeline (and trafilatura's date parser) is loaded, as it is
    once a batch, outside the timed run."""
    from annotator.nlp import detect_language

    firsts: dict[str, int] = {}
    for i, raw in enumerate(raws):
        firsts.setdefault(raw.language or detect_language(raw.text)[0], i)
    return list(firsts.values())


def _body_paragraphs(record: Any) -> list[tuple[int, int]]:
    """The paragraphs the pipeline parsed: those that are not page furniture."""
    from annotator.document import Document

    document = Document(text=record.text, language=record.language,
                        paragraphs=[(s, e) for s, e in record.segments["paragraphs"]],
                        furniture=sorted(a.span for a in record.annotations
                                         if (a.layer, a.label) in taxonomy.FURNITURE and a.span))
    return document.body_paragraphs()


def run_bench(articles: int = 50, pages: Path | None = None, encoder: str | None = None, *,
              jobs: int = 1) -> dict[str, Any]:
    from trafilatura.meta import reset_caches as trafilatura_caches

    from annotator.ingest.article import Unread
    from annotator.learning.encoders import Encoder, annotation_encoder
    from annotator.learning.registry import Registry, RegistryError
    from annotator.nlp import parse, spacy_pipeline
    from annotator.parallel import Stats, Workers, peak_mb, warm

    sources = _corpus(pages)
    batch = [sources[i % len(sources)] for i in range(articles)]
    kind = "html" if batch and batch[0][1].lstrip()[:1] == b"<" else None

    # Read once outside the clock to find each language's first page: the warm-up both runs get
    read = [read_single(data, name, url, kind=kind) for name, data, url in batch]
    pages = [i for i, item in enumerate(read) if isinstance(item, RawArticle)]
    warmup = [Unread(*batch[pages[i]], kind) for i in _one_per_language([read[i] for i in pages])]
    trafilatura_caches()  # what that read cached (dates, lines) is not there for the timed one

    worker_peaks: list[int] = []
    if jobs <= 1:
        pipeline = bench_pipeline()
        warm(pipeline, warmup)  # spaCy, lingua, the encoder, the date parser loaded: paid once a batch
        pipeline.timings.clear()
        started = time.perf_counter()
        raws = [item for name, data, url in batch
                if isinstance(item := read_single(data, name, url, kind=kind), RawArticle)]
        ingest = time.perf_counter() - started
        started = time.perf_counter()
        records = [pipeline.annotate(raw) for raw in raws]
        annotate = time.perf_counter() - started
        by_step = dict(pipeline.timings)
    else:
        # The pages go to the workers as they come from disk, undecoded, as `annotate --jobs` sends them:
        # decoding and trafilatura run there too, and the annotate stage's wall clock includes them.
        stats = Stats()
        with Workers(jobs, bench_pipeline, warmup=warmup) as workers:
            workers.ready()  # every worker loaded and warm, outside the clock
            started = time.perf_counter()
            done = list(workers.annotate((Unread(name, data, url, kind) for name, data, url in batch), stats))
            annotate = time.perf_counter() - started
        records = [r for _, r in done if not isinstance(r, str)]
        by_step, worker_peaks = stats.timings, sorted(stats.peak_mb.values(), reverse=True)
        ingest, raws = 0.0, [read[i] for i in pages]  # read in the workers, within annotate's wall clock
    own_peak = peak_mb()  # this process while annotating, before it loads spaCy and the encoder below
    sentences = [r.text[s:e] for r in records for s, e in r.segments["sentences"]]
    languages = [r.language for r in records for _ in r.segments["sentences"]]

    # spaCy alone on the same paragraphs (the body, as the pipeline parses it), with pipelines of its
    # own, loaded and given the same warm-up articles as the pipeline's outside the clock, so that
    # neither run reads caches (lemmas, tokens) the other filled
    nlps = {language: spacy_pipeline.__wrapped__(language) for language in {r.language for r in records}}
    for record in (records[i] for i in _one_per_language(records)):
        parse(record.text, _body_paragraphs(record), record.language, nlps[record.language])
    started = time.perf_counter()
    for record in records:
        parse(record.text, _body_paragraphs(record), record.language, nlps[record.language])
    spacy_alone = time.perf_counter() - started

    # The encoder of the tier, on every body sentence, cache off (or the one --encoder names).
    enc = Encoder(encoder, cache=False) if encoder else annotation_encoder()
    saved_cache, enc.cache = enc.cache, None
    enc.encode(sentences[:8])  # load the weights outside the clock
    started = time.perf_counter()
    vectors = enc.encode(sentences)
    encode = time.perf_counter() - started
    enc.cache = saved_cache

    # The promoted heads read the vectors of the tier's encoder, which may not be the one timed above.
    tier_encoder = annotation_encoder()
    head_vectors = vectors if tier_encoder.version == enc.version else tier_encoder.encode(sentences)
    heads: dict[str, Any] = {}
    registry = Registry()
    for layer in registry.layers():
        try:
            model = registry.load(layer)
        except RegistryError:
            continue
        started = time.perf_counter()
        extra = cues.features(layer, sentences, languages)  # the framing heads read cue scores too
        model.predict_proba(head_vectors if extra is None else np.hstack([head_vectors, extra]))
        heads[layer] = round(time.perf_counter() - started, 4)

    total = ingest + annotate
    return {
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "tier": tiers.current(),
        "jobs": max(1, jobs),
        "articles": len(records),
        "failed_inputs": len(batch) - len(records),
        "sentences": len(sentences),
        "corpus": "../shared/data/pages" if kind == "html" else "seeds/",
        "stages": {
            "ingest (decode + trafilatura)": {"seconds": round(ingest, 2),
                                              "articles_per_s": _rate(len(raws), ingest)}
            if jobs <= 1 else {"seconds": 0.0, "note": "in the workers: by_step's read, within annotate"},
            "annotate (every layer, the encoder for check-worthiness included)" if jobs <= 1 else
            "annotate (read, decoded and extracted in the workers, then every layer)": {
                "seconds": round(annotate, 2), "articles_per_s": _rate(len(records), annotate),
                "sentences_per_s": _rate(len(sentences), annotate),
                "by_step" if jobs <= 1 else "by_step, summed over the workers": {
                    k: round(v, 2) for k, v in by_step.items()}},
            "spaCy parse alone": {"seconds": round(spacy_alone, 2),
                                  "sentences_per_s": _rate(len(sentences), spacy_alone)},
            "encoder alone, every body sentence": {"seconds": round(encode, 2),
                                                   "sentences_per_s": _rate(len(sentences), encode),
                        "encoder": enc.version},
            "heads": heads or "no promoted head",
        },
        "full_pipeline (ingest + annotate)": {"seconds": round(total, 2),
                                              "articles_per_s": _rate(len(records), total),
                                              "sentences_per_s": _rate(len(sentences), total)},
        "peak_memory_mb": peak_mb(),  # this process, the whole bench (spaCy and the encoder alone included)
        "peak_memory_mb_annotating": {
            "this process": own_peak, "workers": worker_peaks,
            "total (the largest worker's + this process's)" if worker_peaks else "total (this process)":
                own_peak + (worker_peaks[0] if worker_peaks else 0)},
    }


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """`run_bench`'s report as the flat object of `annotator bench --json`: seconds per stage, the full
    pipeline's rates (ingest + annotate), spaCy's parse alone, peak MB while annotating."""
    stages = report["stages"]
    annotate = next(v for k, v in stages.items() if k.startswith("annotate"))
    spacy = stages["spaCy parse alone"]
    full = report["full_pipeline (ingest + annotate)"]
    memory = report["peak_memory_mb_annotating"]
    return {
        "articles": report["articles"],
        "sentences": report["sentences"],
        "tier": report["tier"],
        "jobs": report["jobs"],
        "seconds": {
            "ingest": stages["ingest (decode + trafilatura)"]["seconds"],
            "annotate": annotate["seconds"],
            "spacy_parse_alone": spacy["seconds"],
            "encoder_alone": stages["encoder alone, every body sentence"]["seconds"],
            "full_pipeline": full["seconds"],
        },
        # per step of the pipeline; with jobs > 1 summed over the workers (more than the wall clock)
        "annotate_seconds_by_step": next(v for k, v in annotate.items() if k.startswith("by_step")),
        "articles_per_s": full["articles_per_s"],
        "sentences_per_s": full["sentences_per_s"],
        "annotate_articles_per_s": annotate["articles_per_s"],
        "annotate_sentences_per_s": annotate["sentences_per_s"],
        "spacy_parse_alone_seconds": spacy["seconds"],
        "spacy_parse_alone_sentences_per_s": spacy["sentences_per_s"],
        "peak_mb": next(v for k, v in memory.items() if k.startswith("total")),
        "peak_mb_process": memory["this process"],
        "peak_mb_workers": memory["workers"],
        "peak_mb_whole_bench": report["peak_memory_mb"],
        "failed_inputs": report["failed_inputs"],
        "corpus": report["corpus"],
        "machine": report["machine"],
        "encoder_alone": stages["encoder alone, every body sentence"]["encoder"],
    }


def run_retrain_bench(corrections: int = 200, layer: str = taxonomy.CLAIM, pages: Path | None = None,
                      encoder: str | None = None) -> dict[str, Any]:
    """Seconds to retrain ``layer`` from a store holding ``corrections`` analysts' answers, plus the
    corpora its current version was trained on: the time an analyst waits after pressing Train.

    The store is a temporary one holding the corpus's articles as the claim layer annotates them; one
    simulated analyst answers the first ``corrections`` suggestions (accepting two in three, rejecting
    the rest). Training runs twice: the first run may embed the base corpora (a cold cache, once per
    machine), the second is the retrain an analyst repeats, with every earlier text cached and only
    the new answers' texts embedded.
    """
    import shutil
    import tempfile

    from annotator import retrain
    from annotator.learning.encoders import Encoder
    from annotator.learning.registry import Registry
    from annotator.pipeline import Pipeline
    from annotator.store import Store
    from annotator.taggers.claims import ClaimTagger
    from annotator.taggers.page_furniture import PageFurnitureTagger
    from annotator.taggers.provenance import ProvenanceTagger

    source, _ = retrain.SOURCES[layer]
    pipeline = Pipeline(taggers=[])
    pipeline.taggers = [PageFurnitureTagger(), ProvenanceTagger(pipeline.outlets),
                        ClaimTagger(check_worthiness=False)]
    kind = None
    with tempfile.TemporaryDirectory() as tmp:
        models = Path(tmp) / "models"
        registry = Registry(models)
        for version in Registry().versions(layer):  # the base corpora: those of the project's versions
            shutil.copytree(Registry().root / layer / version, models / layer / version)
        with Store(str(Path(tmp) / "store.sqlite")) as store:
            answered = 0
            for name, data, url in _corpus(pages):
                kind = kind or ("html" if data.lstrip()[:1] == b"<" else None)
                item = read_single(data, name, url, kind=kind)
                if not isinstance(item, RawArticle):
                    continue
                record = pipeline.annotate(item)
                store.ingest(record)
                for target in store.article(record.id).targets:
                    if target.layer == source and answered < corrections:
                        store.answer(target.id, "bench", "reject" if answered % 3 == 2 else "accept")
                        answered += 1
                if answered >= corrections:
                    break
            enc = Encoder(encoder)
            runs = []
            for _ in range(2):
                started = time.perf_counter()
                report = retrain.train_from_store(layer, store, enc, registry)
                runs.append(round(time.perf_counter() - started, 1))
            info = registry.load(layer, report["version"]).info
    return {"layer": layer, "corrections": answered, "trained_on": info.get("corpora", []),
            "examples": info.get("examples"), "seconds_first_run": runs[0], "seconds_retrain": runs[1],
            "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores"}


__all__ = ["bench_pipeline", "run_bench", "run_retrain_bench", "summary"]
