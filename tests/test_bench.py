"""`annotator bench` reports every stage; the figures themselves belong in the README, not in asserts."""

import pytest

from annotator.learning.encoders import default_encoder_path


@pytest.mark.skipif(not (default_encoder_path() / "config.json").exists(), reason="provisioned by `make setup`")
def test_bench_reports_each_stage():
    from annotator.evaluation.bench import run_bench

    report = run_bench(articles=2)
    assert report["articles"] == 2 and report["sentences"] > 0
    assert {"ingest (decode + trafilatura)", "spaCy parse alone", "encoder alone, every body sentence"} <= set(
        report["stages"])
    assert report["full_pipeline (ingest + annotate)"]["articles_per_s"] > 0
    assert report["peak_memory_mb"] > 0
