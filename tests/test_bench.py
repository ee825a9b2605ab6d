"""`annotator bench` reports every stage; the figures themselves belong in the README, not in asserts."""

import json

import pytest

from annotator.learning.encoders import default_encoder_path

provisioned = pytest.mark.skipif(not (default_encoder_path() / "config.json").exists(),
                                 reason="provisioned by `make setup`")


@provisioned
def test_bench_reports_each_stage():
    from annotator.evaluation.bench import run_bench

    report = run_bench(articles=2)
    assert report["articles"] == 2 and report["sentences"] > 0
    assert {"ingest (decode + trafilatura)", "spaCy parse alone",
            "encoder alone, every body sentence"} <= set(report["stages"])
    assert report["full_pipeline (ingest + annotate)"]["articles_per_s"] > 0
    assert report["peak_memory_mb"] > 0 and report["jobs"] == 1


@pytest.mark.slow  # two worker processes load every model
@provisioned
def test_bench_json_is_one_object_and_runs_the_workers(tmp_path):
    from tests.test_cli import run

    code, out, err, _ = run("bench", "--json", "--articles", "3", "--jobs", "2", cwd=tmp_path)
    assert code == 0, err
    (line,) = out.splitlines()
    report = json.loads(line)
    assert {"articles", "sentences", "seconds", "articles_per_s", "sentences_per_s",
            "spacy_parse_alone_seconds", "peak_mb", "tier", "jobs"} <= set(report)
    assert report["articles"] == 3 and report["jobs"] == 2 and report["tier"] in ("static", "accurate")
    assert {"ingest", "annotate", "spacy_parse_alone"} <= set(report["seconds"])
    assert report["annotate_seconds_by_step"]["spacy"] > 0  # summed from the workers
    assert len(report["peak_mb_workers"]) == 2
    assert report["peak_mb"] == report["peak_mb_workers"][0] + report["peak_mb_process"]
