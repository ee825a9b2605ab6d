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
