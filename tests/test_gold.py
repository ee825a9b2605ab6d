"""One gold rule (annotator/gold.py): the same answers give the same gold, and train the same examples,
through the store (``train --db``, export selection), through an exported jsonl read back as a corpus
(``train --corpus jsonl:``) and re-imported, and through the Label Studio and Prodigy files re-imported.
Real SQLite stores, records built by hand: no model loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import retrain
from annotator.exchange import export, import_paths, select
from annotator.gold import Gold, GoldRule, gold_of, latest_answers, resolve, says, targets
from annotator.learning.corpora import Example, read_corpus, read_jsonl
from annotator.record import Annotation, Answer, Record
from annotator.store import Store
from annotator.store.stats import Said, resolved_label

SENTENCES = [
    "Le ministre aurait dit que la guerre est finie.",  # 0 accepted (alice changed her mind)
    "Selon une source anonyme, les troupes partent.",  # 1 rejected by both: a negative
    "Il semble que la paix soit proche.",  # 2 corrected to another label by both
    "Un porte-parole a confirmé la nouvelle hier soir.",  # 3 corrected to another label and span by both
    "Beaucoup pensent que le pays a gagné la guerre.",  # 4 accepted; alice adds a label on part of it
    "Le général aurait quitté la capitale.",  # 5 adjudicated: rejected, whatever alice says after
    "Des experts estiment que le conflit va durer.",  # 6 two against one: unresolved, or majority gold
    "Selon un témoin, les combats ont cessé.",  # 7 nobody answered
]
TEXT = " ".join(SENTENCES)
SECOND = ["Le gouvernement pourrait renoncer à sa réforme.", "Selon des sources, le vote est reporté."]
TEXT2 = " ".join(SECOND)
QUOTE = "Un porte-parole a confirmé la nouvelle"  # sentence 3's claim, as corrected
ADDED = "le pays a gagné la guerre"  # alice's own label inside sentence 4
MAJORITY = GoldRule("majority")
RULES = [GoldRule(), MAJORITY]


def at(second: int) -> str:
    return f"2026-01-01T00:00:{second:02d}+00:00"


def span(n: int, text: str = TEXT, sentences: list[str] = SENTENCES) -> tuple[int, int]:
    start = text.index(sentences[n])
    return start, start + len(sentences[n])


def part(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def claim(label: str, where: tuple[int, int], score: float, text: str = TEXT) -> Annotation:
    return Annotation("claim", label, *where, text[where[0]:where[1]], score, "claims@test")


def frame(label: str, score: float) -> Annotation:
    return Annotation("frame", label, None, None, None, score, "frames@test")


def stored(store: Store, article: str, layer: str, label: str, where: tuple[int, int] | None = None) -> int:
    start, end = where or (None, None)
    (found,) = [t.id for t in store.article(article).targets
                if (t.layer, t.label, t.start, t.end) == (layer, label, start, end)]
    return found


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Four analysts on two articles: alice, bob and carol answer; dave adjudicates."""
    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}") as opened:
        opened.ingest(Record(id="g1", text=TEXT, language="fr", annotations=[
            claim("reported_conditional", span(0), 0.9), claim("anonymous_source", span(1), 0.6),
            claim("hedge", span(2), 0.7), claim("single_source", span(3), 0.8),
            claim("weasel", span(4), 0.65), claim("reported_conditional", span(5), 0.55),
            claim("hedge", span(6), 0.5),
            claim("anonymous_source", span(7), 0.4), frame("Political", 0.7), frame("Economic", 0.3)]))
        opened.ingest(Record(id="g2", text=TEXT2, language="fr", annotations=[
            claim("hedge", span(0, TEXT2, SECOND), 0.7, TEXT2),
            claim("anonymous_source", span(1, TEXT2, SECOND), 0.6, TEXT2),
            frame("Economic", 0.6), frame("Political", 0.5)]))

        def answer(article: str, layer: str, label: str, where: tuple[int, int] | None, *said: tuple) -> None:
            target = stored(opened, article, layer, label, where)
            for user, verdict, second, *rest in said:
                fields = rest[0] if rest else {}
                opened.answer(target, user, verdict, time=at(second), **fields)

        answer("g1", "claim", "reported_conditional", span(0),
               ("alice", "reject", 1), ("bob", "accept", 2), ("alice", "accept", 3))
        answer("g1", "claim", "anonymous_source", span(1), ("alice", "reject", 4), ("bob", "reject", 5))
        answer("g1", "claim", "hedge", span(2), ("alice", "correct", 6, {"label": "weasel"}),
               ("bob", "correct", 7, {"label": "weasel"}))
        moved = {"label": "anonymous_source", "start": part(QUOTE)[0], "end": part(QUOTE)[1]}
        answer("g1", "claim", "single_source", span(3), ("alice", "correct", 8, moved),
               ("bob", "correct", 9, moved))
        answer("g1", "claim", "weasel", span(4), ("alice", "accept", 10), ("bob", "accept", 11))
        opened.add_label("g1", "alice", "claim", "unattributed_claim", *part(ADDED))
        answer("g1", "claim", "unattributed_claim", part(ADDED), ("bob", "accept", 12))
        answer("g1", "claim", "reported_conditional", span(5), ("alice", "accept", 13), ("bob", "reject", 14),
               ("dave", "reject", 15, {"adjudicated": True}), ("alice", "accept", 16))
        answer("g1", "claim", "hedge", span(6), ("alice", "accept", 17), ("bob", "reject", 18),
               ("carol", "accept", 19))
        answer("g1", "frame", "Political", None, ("alice", "accept", 20), ("bob", "accept", 21))
        answer("g1", "frame", "Economic", None, ("alice", "reject", 22), ("bob", "reject", 23))

        answer("g2", "claim", "hedge", span(0, TEXT2, SECOND), ("alice", "accept", 24),
               ("bob", "correct", 25, {"label": "weasel"}), ("dave", "correct", 26, {"label": "weasel",
                                                                                   "adjudicated": True}))
        # dave adjudicated, then answered again as an analyst: his latest answer replaces his adjudication
        answer("g2", "claim", "anonymous_source", span(1, TEXT2, SECOND), ("alice", "accept", 27),
               ("dave", "reject", 28, {"adjudicated": True}), ("dave", "accept", 29))
        answer("g2", "frame", "Economic", None, ("alice", "accept", 30), ("bob", "reject", 31),
               ("carol", "accept", 32))
        answer("g2", "frame", "Political", None, ("alice", "reject", 33), ("bob", "reject", 34),
               ("carol", "reject", 35))
        yield opened


# --- what the gold is -------------------------------------------------------------------------------

G2 = (span(0, TEXT2, SECOND), span(1, TEXT2, SECOND))


def expected_gold(rule: GoldRule) -> dict[tuple, Gold]:
    """(article, layer, label, start, end) -> the gold, worked out by hand."""
    majority = rule.agreement == "majority"
    return {
        ("g1", "claim", "reported_conditional", *span(0)): Gold("agreed", "reported_conditional", *span(0),
                                                                2),
        ("g1", "claim", "anonymous_source", *span(1)): Gold("agreed", None, None, None, 2),  # a negative
        ("g1", "claim", "hedge", *span(2)): Gold("agreed", "weasel", *span(2), 2),
        ("g1", "claim", "single_source", *span(3)): Gold("agreed", "anonymous_source", *part(QUOTE), 2),
        ("g1", "claim", "weasel", *span(4)): Gold("agreed", "weasel", *span(4), 2),
        ("g1", "claim", "unattributed_claim", *part(ADDED)): Gold("agreed", "unattributed_claim",
                                                                  *part(ADDED), 2),
        ("g1", "claim", "reported_conditional", *span(5)): Gold("adjudicated", None, None, None, 3),
        ("g1", "claim", "hedge", *span(6)): (Gold("agreed", "hedge", *span(6), 3) if majority
                                             else Gold("unresolved", n_answers=3)),
        ("g1", "claim", "anonymous_source", *span(7)): Gold("unreviewed"),
        ("g1", "frame", "Political", None, None): Gold("agreed", "Political", n_answers=2),
        ("g1", "frame", "Economic", None, None): Gold("agreed", n_answers=2),
        ("g2", "claim", "hedge", *G2[0]): Gold("adjudicated", "weasel", *G2[0], 3),
        ("g2", "claim", "anonymous_source", *G2[1]): Gold("agreed", "anonymous_source", *G2[1], 2),
        ("g2", "frame", "Economic", None, None): (Gold("agreed", "Economic", n_answers=3) if majority
                                                  else Gold("unresolved", n_answers=3)),
        ("g2", "frame", "Political", None, None): Gold("agreed", n_answers=3),
    }


def expected_examples(layer: str, rule: GoldRule) -> dict[str, frozenset[str]]:
    """Example id -> its labels, worked out by hand."""
    majority = rule.agreement == "majority"
    if layer == "frame":  # an article's frames train once every frame suggested on it is settled
        return {"g1": frozenset({"Political"})} | ({"g2": frozenset({"Economic"})} if majority else {})
    ids = {f"g1:{s}-{e}": labels for (s, e), labels in [
        (span(0), {"reported_conditional"}), (span(1), set()), (span(2), {"weasel"}),
        (part(QUOTE), {"anonymous_source"}),  # the corrected words; sentence 3 itself is no negative
        (span(4), {"weasel"}), (part(ADDED), {"unattributed_claim"}), (span(5), set())]}
    if majority:
        ids[f"g1:{span(6)[0]}-{span(6)[1]}"] = {"hedge"}
    ids |= {f"g2:{G2[0][0]}-{G2[0][1]}": {"weasel"}, f"g2:{G2[1][0]}-{G2[1][1]}": {"anonymous_source"}}
    return {k: frozenset(v) for k, v in ids.items()}


def gold_by_target(store: Store, rule: GoldRule) -> dict[tuple, Gold]:
    """Through the export's selection: the gold each label carries in every export and its manifest."""
    return {(item.record.id, a.layer, a.label, a.start, a.end): gold
            for item in select(store, rule=rule)
            for a, gold in zip(item.record.annotations, item.gold, strict=True)}


def trained(store: Store, rule: GoldRule) -> dict[str, set[Example]]:
    """Through ``train --db``: the examples each layer learns from."""
    return {layer: set(retrain.gold_examples(store.records(), layer, rule)) for layer in ("claim", "frame")}


def labels_of(examples: set[Example]) -> dict[str, frozenset[str]]:
    return {e.id: e.labels for e in examples}


def test_the_store_gives_the_gold_worked_out_by_hand(store):
    for rule in RULES:
        assert gold_by_target(store, rule) == expected_gold(rule), rule
        examples = trained(store, rule)
        for layer in ("claim", "frame"):
            assert labels_of(examples[layer]) == expected_examples(layer, rule), (rule, layer)
        by_id = {e.id: e for e in examples["claim"]}
        moved = by_id[f"g1:{part(QUOTE)[0]}-{part(QUOTE)[1]}"]
        assert (moved.text, moved.group, moved.language, moved.level) == (QUOTE, "g1", "fr", "sentence")
    (article,) = [e for e in trained(store, GoldRule())["frame"]]
    assert (article.text, article.level) == (TEXT, "article")


def test_the_same_gold_through_jsonl_label_studio_and_prodigy(store, tmp_path):
    jsonl = tmp_path / "labels.jsonl"
    export(store, "jsonl", jsonl)
    for rule in RULES:
        gold, examples = gold_by_target(store, rule), trained(store, rule)
        assert gold == expected_gold(rule)

        # train --corpus jsonl:FILE reads the same examples (unanimous is its rule, as train --db's)
        for layer in ("claim", "frame"):
            read = set(read_jsonl(jsonl, layer, rule))
            if rule == GoldRule():
                assert set(read_corpus(f"jsonl:{jsonl}", layer)) == read
            assert read == examples[layer], (rule, layer)

    for fmt in ("jsonl", "label-studio", "prodigy"):
        out = tmp_path / f"export.{fmt}"
        export(store, fmt, out)
        with Store(f"sqlite:///{tmp_path / (fmt + '.sqlite')}") as other:
            result = import_paths(other, [str(out)], fmt)
            assert result.failures == [], fmt
            for rule in RULES:
                back = gold_by_target(other, rule)
                want = gold_by_target(store, rule)
                if fmt == "prodigy":  # one line per answer: a label nobody answered does not travel
                    assert set(want) - set(back) == {("g1", "claim", "anonymous_source", *span(7))}
                    want = {k: g for k, g in want.items() if g.status != "unreviewed"}
                assert back == want, (fmt, rule)
                assert trained(other, rule) == trained(store, rule), (fmt, rule)


# --- the pieces -------------------------------------------------------------------------------------

def test_each_analysts_latest_answer_counts_and_an_adjudicators_too():
    alice_no, bob, alice_yes = Answer("alice", "reject", at(1)), Answer("bob", "accept", at(2)), Answer(
        "alice", "accept", at(3))
    assert latest_answers([alice_no, bob, alice_yes]) == [bob, alice_yes]
    assert resolve("hedge", 0, 5, [alice_no, bob, alice_yes]) == Gold("agreed", "hedge", 0, 5, 2)
    ruled = Answer("dave", "reject", at(4), extra={"adjudicated": True})
    assert resolve("hedge", 0, 5, [bob, ruled, Answer("alice", "accept", at(5))]).status == "adjudicated"
    # dave's later answer replaces his ruling, as Label Studio and Prodigy files (latest answers) keep it
    assert (resolve("hedge", 0, 5, [bob, ruled, Answer("dave", "accept", at(5))])
            == Gold("agreed", "hedge", 0, 5, 2))


def test_what_one_answer_says():
    assert says(Answer("a", "accept", at(1)), "hedge", 0, 5) == ("hedge", 0, 5)
    assert says(Answer("a", "add", at(1)), "hedge", 0, 5) == ("hedge", 0, 5)
    assert says(Answer("a", "reject", at(1)), "hedge", 0, 5) == (None, None, None)
    assert says(Answer("a", "correct", at(1), label="weasel"), "hedge", 0, 5) == ("weasel", 0, 5)
    assert says(Answer("a", "correct", at(1), start=2, end=5), "hedge", 0, 5) == ("hedge", 2, 5)


def test_a_label_made_by_hand_is_its_makers_add_until_anyone_answers_it():
    own = Annotation("claim", "weasel", 0, 5, "Il se", None, "analyst:bob")
    assert gold_of(own) == Gold("agreed", "weasel", 0, 5, 1)
    assert gold_of(own, GoldRule("unanimous", 2)).status == "unresolved"  # bob alone is one analyst
    own.answers = [Answer("alice", "reject", at(1))]
    assert gold_of(own) == Gold("agreed", None, None, None, 1)
    suggested = Annotation("claim", "weasel", 0, 5, "Il se", 0.5, "claims@test")
    assert gold_of(suggested) == Gold("unreviewed")


def test_an_add_naming_another_label_or_span_is_a_target_of_its_own_as_in_the_store():
    hedge = Annotation("claim", "hedge", 0, 10, "0123456789", 0.5, "claims@test", answers=[
        Answer("u", "add", at(1), label="weasel"), Answer("u", "add", at(2), label="hedge", start=2, end=4),
        Answer("v", "accept", at(3))])
    weasel = Annotation("claim", "weasel", 0, 10, "0123456789", 0.4, "claims@test",
                        answers=[Answer("v", "reject", at(0))])
    out = targets([hedge, weasel])
    assert [(a.label, a.start, a.end, a.agent, [(x.user, x.verdict) for x in a.answers]) for a in out] == [
        ("hedge", 0, 10, "claims@test", [("v", "accept")]),
        ("weasel", 0, 10, "claims@test", [("v", "reject"), ("u", "add")]),  # onto that target, in time order
        ("hedge", 2, 4, "analyst:u", [("u", "add")])]
    assert len(hedge.answers) == 3 and len(weasel.answers) == 1  # the annotations given are not changed
    assert [gold_of(a).status for a in out] == ["agreed", "unresolved", "agreed"]


def test_the_dashboards_current_label_follows_the_gold():
    assert resolved_label("hedge", []) == "hedge"  # the model's suggestion stands until answered
    assert resolved_label("hedge", [Said("a", "correct", "weasel", False)]) == "weasel"
    assert resolved_label("hedge", [Said("a", "accept", None, False),
                                    Said("b", "reject", None, False)]) is None
    assert resolved_label("hedge", [Said("a", "accept", None, False), Said("b", "reject", None, False)],
                          MAJORITY) is None  # a tie
    assert resolved_label("hedge", [Said("a", "accept", None, False),
                                    Said("b", "reject", None, True)]) is None
