"""train -> models list -> promote -> evaluate -> retrain -> rollback, through the command line."""

import json
import os
import subprocess
import sys

import pytest

from annotator.learning.encoders import default_encoder_path

pytestmark = pytest.mark.skipif(not (default_encoder_path() / "config.json").exists(),
                                reason="the encoder is provisioned by `make setup`")

CLAIMS = [
    "Unemployment fell to {n} percent last year.", "We cut taxes for {n} million families.",
    "The deficit grew by {n} billion dollars in {y}.", "Crime rose {n} percent in our cities since {y}.",
    "China holds {n} billion dollars of our debt.", "{n} percent of new jobs went to immigrants in {y}.",
]
OTHER = [
    "Thank you all for being here tonight, number {n}.",
    "I love this country and its people, {n} times over.",
    "Let me finish my answer, please, it is {n} seconds.",
    "Good evening and welcome, everyone, to debate {n}.",
    "I think we can do better, and we will, I promise you {n}.",
    "That is a great question, Bob, question {n}.",
]


def write(folder, name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["Sentence_id\tText\tclass_label"] + [f"{i}\t{t}\t{label}" for i, (t, label) in enumerate(rows)]
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def rows(seed):
    out = []
    for i in range(10):
        n, y = 3 + i + seed, 2000 + i
        out += [(t.format(n=n, y=y), "Yes") for t in CLAIMS] + [(t.format(n=n, y=y), "No") for t in OTHER]
    return out


def cli(*args, env):
    done = subprocess.run([sys.executable, "-m", "annotator", *args], check=False, capture_output=True,
                          text=True, env=env, timeout=600)
    return done.returncode, done.stdout, done.stderr


def test_train_promote_evaluate_rollback(tmp_path):
    corpus = tmp_path / "english"
    write(corpus, "train.tsv", rows(0))
    write(corpus, "test.tsv", rows(40)[:60])
    env = {**os.environ, "ANNOTATOR_MODELS": str(tmp_path / "models")}
    spec = f"checkthat:{corpus}"

    code, out, err = cli("train", "check_worthiness", "--corpus", spec, env=env)
    assert code == 0, err
    first = json.loads(out)
    assert first["held_out"] == "the corpus's test split" and "current" not in first
    assert first["model"]["per_label"]["check_worthy"]["f1"] > 0.9
    assert set(first["baselines"]) == {"frequency", "all_labels", "tfidf_logreg"}
    assert (tmp_path / "models" / "check_worthiness" / first["version"] / "CARD.md").read_text().count(
        "checkthat")

    code, _, err = cli("evaluate", "check_worthiness", "--corpus", spec, env=env)
    assert code == 1 and "no promoted version" in err

    assert cli("models", "promote", "check_worthiness", first["version"], env=env)[0] == 0
    code, out, err = cli("evaluate", "check_worthiness", "--corpus", spec, env=env)
    assert code == 0, err
    scored = json.loads(out)
    assert scored["version"] == first["version"] and scored["examples"] == 60
    assert (scored["model"]["per_label"]["check_worthy"]["f1"]
            == first["model"]["per_label"]["check_worthy"]["f1"])
    assert "tfidf_logreg" in scored["baselines"] and "frequency" in scored["baselines"]

    code, out, err = cli("train", "check_worthiness", "--corpus", spec, env=env)
    second = json.loads(out)
    assert second["current"]["version"] == first["version"]  # old and new on the same held-out data
    assert second["current"]["micro_f1"] == first["model"]["micro_f1"]
    assert cli("models", "promote", "check_worthiness", second["version"], env=env)[0] == 0
    code, out, _ = cli("models", "list", env=env)
    listed = [line.split()[:3] for line in out.splitlines()]
    assert (["*", "check_worthiness", second["version"]] in listed
            and ["check_worthiness", first["version"], "static"] in listed)  # the tier of each version
    code, out, _ = cli("models", "rollback", "check_worthiness", env=env)
    assert code == 0 and first["version"] in out


def test_training_errors_are_one_clear_line(tmp_path):
    env = {**os.environ, "ANNOTATOR_MODELS": str(tmp_path / "models")}
    code, _, err = cli("train", "check_worthiness", "--corpus", f"checkthat:{tmp_path}/none", env=env)
    assert code == 1 and "no such file" in err and "Traceback" not in err
    code, _, err = cli("train", "sentiment", "--corpus", "checkthat:x", env=env)
    assert code == 2 and "layers are" in err


SEMEVAL2023 = os.path.join(os.path.dirname(__file__), "fixtures", "semeval2023")


def test_a_semeval2023_train_folder_alone_trains_and_reports_held_out_articles(tmp_path):
    """SemEval-2023 Task 3's reader marks a train folder's examples `train`: a fifth of its articles is
    held out (the layout of tests/fixtures/semeval2023, hand-written), and the figures are printed."""
    env = {**os.environ, "ANNOTATOR_MODELS": str(tmp_path / "models"), "ANNOTATOR_TIER": "static"}
    code, out, err = cli("train", "technique", "--corpus", f"semeval2023:{SEMEVAL2023}/train_only", env=env)
    assert code == 0, err
    report = json.loads(out)
    assert report["held_out"] == "20% of articles, grouped"
    assert 0 < report["model"]["examples"] < 25 and "micro_f1" in report["model"]
    assert set(report["baselines"]) == {"frequency", "all_labels", "tfidf_logreg"}
    card = (tmp_path / "models" / "technique" / report["version"] / "CARD.md").read_text(encoding="utf-8")
    assert "| Loaded_Language |" in card.split("## Thresholds")[1]  # each label's own cut, with its figures

    # train + dev, no test: the dev articles are the held-out ones
    code, out, err = cli("train", "frame", "--corpus", f"semeval2023:{SEMEVAL2023}/train_dev", env=env)
    assert code == 0, err
    report = json.loads(out)
    assert report["held_out"] == "the dev split of a corpus without a test split"
    assert report["model"]["examples"] == 5  # the 3 English and 2 French dev articles


def test_a_corpus_with_nothing_to_learn_fails_at_once_with_a_code(tmp_path):
    env = {**os.environ, "ANNOTATOR_MODELS": str(tmp_path / "models"), "ANNOTATOR_TIER": "static"}
    (tmp_path / "empty").mkdir()
    code, _, err = cli("train", "technique", "--corpus", f"semeval2023:{tmp_path}/empty", env=env)
    assert code == 1 and "[E015]" in err and "no examples found for layer 'technique'" in err
    assert "Traceback" not in err
    # only test data: nothing to train on, said before any text is embedded
    test_only = tmp_path / "test_only.jsonl"
    test_only.write_text("".join(json.dumps({"id": f"t{i}", "text": f"Paragraph {i}.", "labels": ["Doubt"],
                                             "split": "test"}) + "\n" for i in range(4)), encoding="utf-8")
    code, _, err = cli("train", "technique", "--corpus", f"labelled:{test_only}", env=env)
    assert code == 1 and "[E015]" in err and "no example to train on" in err
    assert not (tmp_path / "models" / "technique").exists()
