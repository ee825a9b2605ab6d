"""Corpus readers: each format on a tiny corpus written here, then (slow, skipped without ../shared)
on the real copies beside the project."""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

import pytest

from annotator.learning.corpora import FORMATS, CorpusError, Example, read_corpus

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def shared(*parts: str) -> Path:
    """A folder under ../shared, or skip: the suite must pass with only the project present."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not present beside the project")
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def by_id(examples: list[Example]) -> dict[str, Example]:
    return {e.id: e for e in examples}


# ------------------------------------------------------------------------------------------------ jsonl


def ann(layer, label, start, end, text, score=0.9, agent="model:x", answers=()):
    return {
        "layer": layer,
        "label": label,
        "start": start,
        "end": end,
        "text": text,
        "score": score,
        "agent": agent,
        "attributes": {},
        "answers": [{"user": "u", "time": "2024-01-01T00:00:00", **a} for a in answers],
    }


def test_jsonl_resolves_analyst_answers(tmp_path):
    text = "Il aurait dit non. Selon X, tout va bien. Beaucoup pensent que oui."
    record = {
        "schema": "annotator/v1",
        "id": "r1",
        "text": text,
        "language": "fr",
        "annotations": [
            ann("claim", "reported_conditional", 0, 18, text[0:18], answers=[{"verdict": "accept"}]),
            ann(
                "claim",
                "weasel",
                19,
                41,
                text[19:41],
                answers=[{"verdict": "correct", "label": "single_source"}],
            ),
            ann("claim", "hedge", 42, 67, text[42:67], answers=[{"verdict": "reject"}]),
            ann("claim", "hedge", 3, 18, text[3:18]),  # unreviewed model suggestion: not gold
            ann("claim", "weasel", 42, 67, text[42:67], score=None, agent="analyst:bob"),
            ann(
                "claim",
                "hedge",
                19,
                41,
                text[19:41],
                answers=[{"verdict": "reject"}, {"verdict": "add", "label": "unattributed_claim"}],
            ),
            ann("frame", "Political", None, None, None, answers=[{"verdict": "accept"}]),
            ann("frame", "Economic", None, None, None,
                answers=[{"verdict": "reject"}, {"verdict": "add", "label": "Morality"}]),
        ],
    }
    write(tmp_path / "export-train.jsonl", json.dumps(record) + "\n\n")
    claims = by_id(read_corpus(f"jsonl:{tmp_path}", "claim"))
    assert {k: (e.text, e.labels) for k, e in claims.items()} == {
        "r1:0-18": (text[0:18], {"reported_conditional"}),
        "r1:19-41": (text[19:41], {"single_source", "unattributed_claim"}),
        "r1:42-67": (text[42:67], {"weasel"}),  # rejected hedge, analyst's own weasel
    }
    assert {(e.group, e.language, e.split) for e in claims.values()} == {("r1", "fr", "train")}
    (frames,) = read_corpus(f"jsonl:{tmp_path}/export-train.jsonl", "frame")
    assert (frames.text, frames.labels, frames.level) == (text, {"Political", "Morality"}, "article")


def test_jsonl_rejects_other_records(tmp_path):
    write(tmp_path / "x.jsonl", '{"schema": "other/v2"}\n')
    with pytest.raises(CorpusError, match=r"jsonl:.*x\.jsonl, line 1"):
        read_corpus(f"jsonl:{tmp_path}")


# ------------------------------------------------------------------------------------------- checkthat


def test_checkthat(tmp_path):
    en = 'Sentence_id\tText\tclass_label\n1\tWe lost 700,000 jobs.\tYes\n2\t"He said ""hi""."\tNo\n'
    write(tmp_path / "english" / "train.tsv", en)
    write(tmp_path / "english" / "dev-test.tsv", en.replace("1\t", "3\t", 1).replace("2\t", "4\t", 1))
    write(
        tmp_path / "arabic" / "dev.tsv", "tweet_id\ttweet_url\ttweet_text\tclass_label\n9\thttp://t\tنص\tNo\n"
    )
    examples = by_id(read_corpus(f"checkthat:{tmp_path}"))
    assert examples["1"] == Example(
        "We lost 700,000 jobs.", frozenset({"check_worthy"}), "1", "1", "en", "train"
    )
    assert examples["2"].text == 'He said "hi".' and examples["2"].labels == frozenset()
    assert (examples["3"].split, examples["9"].language, examples["9"].split) == ("test", "ar", "dev")
    (one,) = [e for e in read_corpus(f"checkthat:{tmp_path}/arabic/dev.tsv")]
    assert (one.id, one.group, one.language) == ("9", "9", "ar")


def test_checkthat_wrong_columns(tmp_path):
    write(tmp_path / "train.tsv", "a\tb\n1\t2\n")
    with pytest.raises(CorpusError, match=r"checkthat:.*no column among"):
        read_corpus(f"checkthat:{tmp_path}")


# ----------------------------------------------------------------------------------------- claimbuster


def test_claimbuster(tmp_path):
    rows = [
        {"sentence_id": 5, "label": 1, "text": "Taxes rose 5%."},
        {"sentence_id": 6, "label": 0, "text": "Hi."},
    ]
    write(tmp_path / "two_class" / "train.json", json.dumps(rows))
    # the k-fold set repeats train sentences: only its new ones are added
    write(
        tmp_path / "two_class" / "kfold_25ncs.json",
        json.dumps([*rows, {"sentence_id": 7, "label": 1, "text": "X"}]),
    )
    write(tmp_path / "three" / "crowd.json", json.dumps([{"sentence_id": 8, "label": -1, "text": "Y"}]))
    csv = ('line_number,speaker,text,label,file_name\n1,A,"Good evening, all.",0,d1.tsv\n'
           '2,B,Jobs fell.,1,d1.tsv\n')
    write(tmp_path / "clef19" / "CT19-T1-Training.csv", csv)
    write(tmp_path / "clef20" / "task5" / "test-gold.tsv", "text\tlabel\nThanks.\t0\n")
    examples = by_id(read_corpus(f"claimbuster:{tmp_path}"))
    assert len(examples) == 7
    assert (examples["5"].labels, examples["5"].split, examples["6"].labels) == (
        {"check_worthy"},
        "train",
        set(),
    )
    assert (examples["7"].split, examples["7"].labels, examples["8"].labels) == (
        None,
        {"check_worthy"},
        set(),
    )
    debate = examples["d1.tsv:2"]
    assert (debate.text, debate.group, debate.labels, debate.split) == (
        "Jobs fell.",
        "d1.tsv",
        {"check_worthy"},
        "train",
    )
    assert (examples["test-gold:1"].split, examples["test-gold:1"].group) == ("test", "test-gold:0")


# ----------------------------------------------------------------------------------------------- lines


def test_lines(tmp_path):
    write(tmp_path / "Wiki" / "train_wiki_uncertain_sentences.txt", "Some say it works.\n\nIt may rain.\n")
    write(tmp_path / "Wiki" / "eval_wiki_certain_sentences.txt", "It rained.\n")
    write(tmp_path / "more" / "dev_weasel.txt", "Many believe so.\n")
    examples = by_id(read_corpus(f"lines:{tmp_path}", "claim"))
    assert {k: (e.text, e.labels, e.split) for k, e in examples.items()} == {
        "train_wiki_uncertain_sentences:1": ("Some say it works.", {"hedge"}, "train"),
        "train_wiki_uncertain_sentences:3": ("It may rain.", {"hedge"}, "train"),
        "eval_wiki_certain_sentences:1": ("It rained.", set(), "test"),
        "dev_weasel:1": ("Many believe so.", {"weasel"}, "dev"),
    }
    assert examples["train_wiki_uncertain_sentences:3"].group == "train_wiki_uncertain_sentences:0"
    write(tmp_path / "notes.txt", "?\n")
    with pytest.raises(CorpusError, match="cannot tell the label"):
        read_corpus(f"lines:{tmp_path}")


# ----------------------------------------------------------------------------------- semeval2021-memes


def test_semeval2021_memes(tmp_path, caplog):
    memes = [
        {
            "id": "1",
            "text": "ONLY TWO\n\nGENDERS",
            "labels": ["Black-and-white Fallacy/Dictatorship", "Smears"],
        },
        {"id": "2", "text": "Nice day", "labels": []},
    ]
    write(tmp_path / "data" / "training_set_task1.txt", json.dumps(memes))
    spans = [{"id": "1", "text": "x", "labels": [{"technique": "Loaded Language", "start": 0, "end": 1}]}]
    write(tmp_path / "data" / "training_set_task2.txt", json.dumps(spans))  # same memes: ignored
    task3 = [{"id": "3", "text": "Be brave", "labels": ["Transfer", "Glittering generalities (Virtue)"]}]
    write(tmp_path / "data" / "test_set_task3.txt", json.dumps(task3))
    write(tmp_path / "techniques_list_task1-2.txt", "Loaded Language\n")
    with caplog.at_level(logging.WARNING):
        examples = by_id(read_corpus(f"semeval2021-memes:{tmp_path}"))
    assert examples["1"].labels == {"False_Dilemma-No_Choice", "Questioning_the_Reputation"}
    assert (examples["1"].split, examples["1"].level, examples["1"].group) == ("train", "paragraph", "1")
    assert examples["2"].labels == set() and examples["3"].labels == {"Appeal_to_Values"}
    assert examples["3"].split == "test" and "'Transfer' x1" in caplog.text


# ------------------------------------------------------------------------------------------------- ptc


def test_ptc(tmp_path, caplog):
    text = "Title here\n\nThey are traitors and liars.\nWhat about them?\n"
    write(tmp_path / "train-articles" / "article111.txt", text)
    labels = [
        ("Name_Calling,Labeling", text.index("traitors"), text.index("traitors") + 8),
        ("Whataboutism,Straw_Men,Red_Herring", text.index("What"), text.index("What") + 10),
        ("Flag-Waving", text.index("liars"), text.index("What") + 4),  # crosses two lines
    ]
    write(
        tmp_path / "train-labels-task2-technique-classification" / "article111.task2-TC.labels",
        "".join(f"111\t{t}\t{s}\t{e}\n" for t, s, e in labels),
    )
    write(tmp_path / "train-articles" / "article222.txt", "Unlabelled test article.\n")
    with caplog.at_level(logging.WARNING):
        examples = by_id(read_corpus(f"ptc:{tmp_path}", "technique"))
    assert {k: (e.text, e.labels) for k, e in examples.items()} == {
        "111:1": ("Title here", set()),
        "111:3": ("They are traitors and liars.", {"Name_Calling-Labeling", "Flag_Waving"}),
        "111:4": ("What about them?", {"Flag_Waving"}),
    }
    assert {(e.group, e.split) for e in examples.values()} == {("111", "train")}
    assert "'Whataboutism,Straw_Men,Red_Herring' x1" in caplog.text
    with pytest.raises(CorpusError, match="technique only"):
        read_corpus(f"ptc:{tmp_path}", "claim")


# ------------------------------------------------------------------------------------------ semeval2023


def test_semeval2023(tmp_path):
    en = tmp_path / "en"
    write(en / "train-articles-subtask-2" / "article7.txt", "Title\n\nTaxes are theft.\nBuy now!\n")
    write(en / "train-labels-subtask-2.txt", "7\tEconomic,Political\n")
    write(
        en / "train-labels-subtask-3.txt",
        "7\t1\t\n7\t3\tLoaded_Language,Name_Calling-Labeling\n7\t4\tSlogans\n",
    )
    write(tmp_path / "ge" / "dev-articles-subtask-3" / "article8.txt", "Titel\nSteuern!\n")
    write(tmp_path / "ge" / "dev-labels-subtask-3.txt", "8\t2\tSlogans\n")
    (frame,) = read_corpus(f"semeval2023:{tmp_path}", "frame")
    assert (frame.labels, frame.level, frame.split, frame.language) == (
        {"Economic", "Political"},
        "article",
        "train",
        "en",
    )
    assert frame.text.startswith("Title")
    lines = by_id(read_corpus(f"semeval2023:{tmp_path}", "technique"))
    assert {k: (e.text, e.labels, e.group, e.split, e.language) for k, e in lines.items()} == {
        "7:1": ("Title", set(), "7", "train", "en"),
        "7:3": ("Taxes are theft.", {"Loaded_Language", "Name_Calling-Labeling"}, "7", "train", "en"),
        "7:4": ("Buy now!", {"Slogans"}, "7", "train", "en"),
        "8:2": ("Steuern!", {"Slogans"}, "8", "dev", "de"),
    }
    assert len(read_corpus(f"semeval2023:{en}")) == 4  # a single language folder, both layers


# -------------------------------------------------------------------------------------------- errors


def test_errors(tmp_path):
    with pytest.raises(CorpusError, match=r"unknown corpus format 'conll'.*jsonl"):
        read_corpus(f"conll:{tmp_path}")
    with pytest.raises(CorpusError, match="unknown corpus format"):
        read_corpus(str(tmp_path))  # no FORMAT: at all (no colon before the path)
    with pytest.raises(CorpusError, match=r"checkthat:.*nowhere: no such file"):
        read_corpus(f"checkthat:{tmp_path}/nowhere")
    write(tmp_path / "empty" / "readme.md", "nothing here")
    for fmt in FORMATS:
        with pytest.raises(CorpusError, match=rf"{fmt}:.*empty: no examples found"):
            read_corpus(f"{fmt}:{tmp_path}/empty", "technique" if fmt in ("ptc", "semeval2023") else None)
    assert issubclass(CorpusError, ValueError)


# ------------------------------------------------------------------------------- the real copies (slow)


def counts(examples: list[Example]) -> dict[str | None, tuple[int, int]]:
    n, pos = Counter(e.split for e in examples), Counter(e.split for e in examples if e.labels)
    return {split: (n[split], pos[split]) for split in n}


@pytest.mark.slow
def test_real_checkthat():
    path = shared("data", "claims", "checkthat2024_task1_cw", "english")
    assert counts(read_corpus(f"checkthat:{path}")) == {
        "train": (22501, 5413),
        "dev": (1032, 238),
        "test": (318, 108),
    }


@pytest.mark.slow
def test_real_claimbuster():
    path = shared("data", "claims", "claimbuster", "two_class")
    got = counts(read_corpus(f"claimbuster:{path}"))
    assert got["train"] == (7976, 1994) and got["test"] == (702, 351)
    assert 3000 < got[None][0] < 5000  # 2020 debate + the k-fold sentences not in train/test


@pytest.mark.slow
def test_real_wikiweasel():
    path = shared("data", "claims", "conll2010_wikiweasel_bioscope", "WikiWeasel")
    examples = read_corpus(f"lines:{path}", "claim")
    # 20 blank lines in the certain train file are skipped
    assert counts(examples) == {"train": (7343, 2131), "test": (7288, 2234)}
    assert {label for e in examples for label in e.labels} == {"hedge"}


@pytest.mark.slow
def test_real_semeval2021_memes():
    path = shared("data", "framing", "semeval2021_task6")
    examples = read_corpus(f"semeval2021-memes:{path}", "technique")
    assert counts(examples) == {"train": (688, 545), "dev": (63, 48), "test": (200, 159)}
    assert len({label for e in examples for label in e.labels}) >= 18


def test_labelled_texts_keep_the_layer_asked_for(tmp_path):
    from annotator.learning.corpora import CorpusError, read_corpus

    file = tmp_path / "framing.jsonl"
    rows = [{"id": "a", "text": "Le soi-disant plan.", "labels": ["Doubt"], "language": "fr"},
            {"id": "b", "text": "Le Parlement a voté.", "labels": [], "language": "fr"},
            {"id": "c", "text": "Budget et armée.", "labels": ["Economic"], "level": "article"}]
    file.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    techniques = read_corpus(f"labelled:{file}", "technique")
    # the frame-labelled article says nothing of techniques; the unlabelled paragraph is a negative
    assert [(e.id, set(e.labels)) for e in techniques] == [("a", {"Doubt"}), ("b", set())]
    assert [e.id for e in read_corpus(f"labelled:{file}", "frame")] == ["b", "c"]
    file.write_text(json.dumps({"text": "x", "labels": ["Not_A_Label"]}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown label ids"):
        read_corpus(f"labelled:{file}", "technique")


def test_news_sentences_say_whether_each_is_worth_checking_and_weigh_as_asked(tmp_path):
    from annotator.learning.training import load_examples

    folder = tmp_path / "news"
    folder.mkdir()
    rows = [{"id": "fr-n1", "group": "fr-a1", "language": "fr", "text": "Le bilan est de 14 morts.",
             "labels": ["unattributed_claim"], "check_worthy": True},
            {"id": "fr-n2", "group": "fr-a1", "language": "fr", "text": "Le match aura lieu samedi.",
             "labels": [], "check_worthy": False}]
    for part in ("train", "test"):
        (folder / f"{part}_fr.jsonl").write_text(
            "".join(json.dumps({**r, "id": f"{part}-{r['id']}"}) + "\n" for r in rows), encoding="utf-8")
    examples = read_corpus(f"labelled:{folder}", "check_worthiness")
    assert sorted((e.id, sorted(e.labels), e.split, e.group) for e in examples) == [
        ("test-fr-n1", ["check_worthy"], "test", "fr-a1"), ("test-fr-n2", [], "test", "fr-a1"),
        ("train-fr-n1", ["check_worthy"], "train", "fr-a1"), ("train-fr-n2", [], "train", "fr-a1")]
    # the claim layer reads the same file's claim labels
    assert {e.id: sorted(e.labels) for e in read_corpus(f"labelled:{folder}", "claim")}["train-fr-n1"] == [
        "unattributed_claim"]
    weighted = load_examples("check_worthiness", [f"labelled:{folder}*3"])
    assert Counter(e.split for e in weighted) == {"train": 6, "test": 2}  # held-out examples count once


def test_an_unsplit_corpus_is_weighted_by_article_and_its_held_out_part_counts_once(tmp_path):
    from annotator.learning.training import load_examples, split

    file = tmp_path / "unsplit.jsonl"
    rows = [{"id": f"s{i}", "group": f"a{i // 2}", "text": f"Le bilan est de {i} morts.", "labels": [],
             "check_worthy": bool(i % 2)} for i in range(20)]
    file.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    parts = split(load_examples("check_worthiness", [f"labelled:{file}*3"]))
    train_groups, held_groups = {e.group for e in parts.train}, {e.group for e in parts.held_out}
    assert train_groups and held_groups and not train_groups & held_groups  # copies never cross sides
    assert len(parts.held_out) == len({e.id for e in parts.held_out}) == 2 * len(held_groups)
    assert len(parts.train) == 3 * 2 * len(train_groups)
    with pytest.raises(CorpusError, match="1 or more"):
        load_examples("check_worthiness", [f"labelled:{file}*0"])


def test_a_train_only_corpus_trains_beside_a_corpus_that_holds_out(tmp_path):
    """A teacher's machine labels (all `train`) are never scored as gold beside a corpus with a test
    split; alone, such a corpus holds out a fifth of its articles."""
    from annotator.learning.training import load_examples, split

    gold, teacher = tmp_path / "gold", tmp_path / "teacher_train.jsonl"
    gold.mkdir()
    for part in ("train", "test"):
        (gold / f"{part}.jsonl").write_text("".join(
            json.dumps({"id": f"{part}{i}", "text": f"{part} text {i}", "labels": [],
                        "check_worthy": i % 2 == 0}) + "\n" for i in range(10)), encoding="utf-8")
    teacher.write_text("".join(json.dumps({"id": f"t{i}", "text": f"teacher {i}", "labels": [],
                                           "check_worthy": i % 2 == 0}) + "\n" for i in range(20)),
                       encoding="utf-8")
    mixed = split(load_examples("check_worthiness", [f"labelled:{gold}", f"labelled:{teacher}"]))
    assert {e.id for e in mixed.held_out} == {f"test{i}" for i in range(10)}
    alone = split(load_examples("check_worthiness", [f"labelled:{teacher}"]))
    assert alone.held_out and alone.how == "20% of articles, grouped"
