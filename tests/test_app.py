"""The review dashboard's page logic, driven with Streamlit's AppTest (no browser): the sign-in gate, the
queue's order and filters, answers written to the store, hostile text kept as text.

The real-browser tests (mouse selection, keyboard shortcuts, no script running) are in tests/browser/.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from annotator import taxonomy
from annotator.dashboard.pages.article import label_walk
from annotator.dashboard.safe import md
from annotator.ingest import ACCEPTED_SUFFIXES
from annotator.record import Annotation, Record
from annotator.store import Store
from annotator.store.accounts import SignInError

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    """A fresh store, the one the page opens ($ANNOTATOR_DB)."""
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("ANNOTATOR_DB", str(path))
    with Store(str(path)) as opened:
        yield opened


def calm_record() -> Record:
    """A French article the model is sure about: it sorts after the hostile one (scores near 0.5)."""
    text = "Le ministre a annoncé le budget. Selon le Kremlin, tout va bien."
    cue = text.index("Selon le Kremlin")
    return Record(id="calm-1", title="Un article calme", language="fr", text=text, annotations=[
        Annotation("claim", "single_source", cue, len(text), text[cue:], 0.97, "claims@test",
                   {"cue": "Selon"}),
    ])


PASSWORD = "a long enough password"


def account(name: str, role: str = "admin") -> None:
    """An account in the page's store ($ANNOTATOR_DB), made once."""
    with Store(os.environ["ANNOTATOR_DB"]) as opened:
        if opened.accounts.get(name) is None:
            opened.accounts.add(name, PASSWORD, role)


def app(user: str | None = "alice", role: str = "admin", **state) -> AppTest:
    """The page as ``user`` sees it, signed in with ``role`` (admin: every page)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        account(user, role)
        at.session_state["user"] = user
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def open_article(article_id: str, user: str = "alice", role: str = "analyst") -> AppTest:
    at = app(user, role, page="Article", article_id=article_id)
    assert not at.exception, at.exception
    return at


def targets_of(store: Store, article_id: str):
    """The labels the page walks through (the outlet's has a panel of its own)."""
    return label_walk(store.article(article_id).targets)


# --- sign-in -----------------------------------------------------------------------------------------

def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign_in_name").set_value(name)
    at.text_input(key="sign_in_password").set_value(password)
    return at.button[0].click().run()


def test_sign_in_comes_before_any_page(store, hostile_record):
    store.ingest(hostile_record)
    account("alice smith", "analyst")
    at = app(user=None)
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    password_box = at.text_input(key="sign_in_password").proto
    assert password_box.type == password_box.PASSWORD  # no echo
    assert not at.sidebar.radio  # no page until the analyst signs in
    assert not [b for b in at.button if (b.key or "").startswith("open_")]

    at.button[0].click().run()  # nothing typed
    assert at.error and "name and your password" in at.error[0].value
    sign_in(at, "alice smith", "not the password")
    assert at.error and "wrong name or password" in at.error[0].value
    assert "user" not in at.session_state and not at.sidebar.radio  # the queue is not shown

    sign_in(at, "  alice   smith ", PASSWORD)
    assert at.session_state["user"] == "alice smith"
    assert at.sidebar.radio[0].value == "Queue"
    assert at.sidebar.radio[0].options == ["Queue", "Article", "Ingest", "Overview", "Export"]  # analyst
    assert any("alice smith" in m.value for m in at.sidebar.markdown)
    assert at.session_state["sign_in_password"] == ""  # the password is not kept in the session

    at.sidebar.button[0].click().run()  # sign out
    assert "user" not in at.session_state and [t.label for t in at.text_input] == ["Name", "Password"]
    actions = [(e.actor, e.action) for e in store.audit.events(subject="alice smith")][::-1][1:]  # after add
    # the failed attempt is the form's, not alice's: whoever typed it is not known to be her
    assert actions == [("(sign-in form)", "sign_in_failed"), ("alice smith", "sign_in"),
                       ("alice smith", "sign_out")]


def test_pages_follow_the_role_and_a_page_refuses_a_role_below_its_own(store):
    at = app("rita", role="reviewer")
    assert "Audit" in at.sidebar.radio[0].options and "Models" not in at.sidebar.radio[0].options
    at = app("alice", role="analyst", page="Models")  # asked for by hand: back to the queue
    assert at.sidebar.radio[0].value == "Queue" and not at.exception
    at = app("root", role="admin")
    assert {"Models", "Audit", "Accounts"} <= set(at.sidebar.radio[0].options)


def test_a_session_ends_after_the_idle_time_and_when_the_account_is_disabled(store):
    import time

    at = app("alice", role="analyst")
    at.session_state["seen_at"] = time.time() - 31 * 60  # [dashboard] idle_minutes = 30
    at.run()
    assert "user" not in at.session_state and "without activity" in at.info[0].value
    at = app("alice", role="analyst")
    store.accounts.disable("alice")
    at.run()
    assert "user" not in at.session_state and "no longer sign in" in at.info[0].value


def test_an_admin_manages_accounts_on_the_accounts_page(store):
    at = app("root", role="admin", page="Accounts")
    assert not at.exception
    at.text_input(key="acc_new_name").set_value("bob")
    at.selectbox(key="acc_new_role").set_value("reviewer")
    at.text_input(key="acc_new_password").set_value("bob's long password")
    at.button[0].click().run()
    assert not at.exception and store.accounts.get("bob").role == "reviewer"
    for attempt in range(3):
        with pytest.raises(SignInError):
            store.accounts.sign_in("bob", f"wrong {attempt}")
    assert store.accounts.get("bob").failures == 3
    at.selectbox(key="acc_pick").set_value("bob").run()
    at.button(key="acc_unlock").click().run()
    assert not store.accounts.get("bob").locked and store.accounts.get("bob").failures == 0
    assert store.audit.events(action="account_unlock")[0].actor == "root"


# --- queue -------------------------------------------------------------------------------------------

def queue_keys(at: AppTest) -> list[str]:
    return [b.key.removeprefix("open_") for b in at.button
            if (b.key or "").startswith("open_") and b.key != "open_next"]


def test_queue_puts_the_least_confident_article_first_and_filters(store, hostile_record):
    store.ingest(calm_record())
    store.ingest(hostile_record)
    at = app()
    assert not at.exception
    assert queue_keys(at) == ["hostile-1", "calm-1"]  # scores 0.5/0.55 before 0.97
    assert "0 done · 2 left" in at.get("progress")[0].proto.text

    at.selectbox(key="q_language").set_value("fr").run()
    assert queue_keys(at) == ["calm-1"]
    at.selectbox(key="q_language").set_value("all")
    at.selectbox(key="q_outlet").set_value("evil").run()
    assert queue_keys(at) == ["hostile-1"]
    at.selectbox(key="q_outlet").set_value("all")
    at.selectbox(key="q_layer").set_value("technique").run()
    assert queue_keys(at) == ["hostile-1"]
    at.selectbox(key="q_layer").set_value("claim").run()
    at.selectbox(key="q_label_claim").set_value("single_source").run()
    assert queue_keys(at) == ["calm-1"]
    at.selectbox(key="q_label_claim").set_value("all")
    at.selectbox(key="q_layer").set_value("all")

    (target,) = store.article("calm-1").targets
    store.answer(target.id, "alice", "accept")
    at.selectbox(key="q_status").set_value("done").run()
    assert queue_keys(at) == ["calm-1"]
    assert "1 done · 1 left" in at.get("progress")[0].proto.text
    at.selectbox(key="q_status").set_value("todo").run()
    assert queue_keys(at) == ["hostile-1"]

    at.button(key="open_next").click().run()  # the next article not done yet
    assert at.session_state["page"] == "Article" and at.session_state["article_id"] == "hostile-1"


def test_queue_says_what_to_do_when_the_store_is_empty(store):
    at = app()
    assert not at.exception
    assert "ingest" in at.info[0].value.lower()


def test_queue_names_an_untitled_article_by_its_first_line(store, seed_record):
    store.ingest(seed_record)
    at = app()
    (button,) = [b for b in at.button if b.key == f"open_{seed_record.id}"]
    assert button.label == md(seed_record.text.split("\n", 1)[0], limit=120)
    button.click().run()
    assert at.session_state["article_id"] == seed_record.id and not at.exception


def test_a_link_opens_its_article_after_sign_in(store, hostile_record):
    store.ingest(hostile_record)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["article"] = "hostile-1"
    at.run()
    account("carol", "analyst")
    sign_in(at, "carol", PASSWORD)
    assert at.session_state["page"] == "Article" and at.session_state["article_id"] == "hostile-1"
    assert at.subheader[0].value == md(hostile_record.title, limit=200)


# --- answering ---------------------------------------------------------------------------------------

def test_answer_buttons_write_to_the_store(store, hostile_record):
    store.ingest(hostile_record)
    first, second = targets_of(store, "hostile-1")
    at = open_article("hostile-1")
    assert at.session_state["focus"] == first.id

    at.text_input(key=f"note_{first.id}").set_value("sure")
    at.button(key="accept").click().run()
    answer = store.current(first.id, "alice")
    assert (answer.verdict, answer.note) == ("accept", "sure")
    assert at.session_state["focus"] == second.id  # on to the next label

    at.button(key="reject").click().run()
    assert store.current(second.id, "alice").verdict == "reject"

    at.button(key="prev").click().run()
    assert at.session_state["focus"] == first.id
    new_label = next(label for label in taxonomy.LAYERS[first.layer] if label != first.label)
    at.selectbox(key=f"label_{first.id}").set_value(new_label)
    at.button(key="change_label").click().run()
    answer = store.current(first.id, "alice")
    assert (answer.verdict, answer.label) == ("correct", new_label)

    at.number_input(key=f"start_{first.id}").set_value(first.start + 3)
    at.button(key="save_span").click().run()
    answer = store.current(first.id, "alice")
    assert (answer.verdict, answer.label, answer.start, answer.end) == ("correct", new_label, first.start + 3,
                                                                       first.end)
    assert not at.exception and not at.error

    # a label the model missed, on the span selected in the text
    words = "selected words"
    start = hostile_record.text.index(words)
    at.session_state["picked"] = (start, start + len(words))
    at.run()
    at.selectbox(key="add_layer").set_value("provenance").run()
    at.selectbox(key="add_label_provenance").set_value("quote")
    at.button(key="add").click().run()
    added = [t for t in store.article("hostile-1").targets if t.agent == "analyst:alice"]
    assert [(t.layer, t.label, t.start, t.end, t.text) for t in added] == [
        ("provenance", "quote", start, start + len(words), words)]
    assert [a.verdict for a in added[0].answers] == ["add"]
    assert at.session_state["focus"] == added[0].id and "picked" not in at.session_state

    at.selectbox(key="add_frame").set_value("Political")
    at.button(key="add_frame_button").click().run()
    frames = [t for t in store.article("hostile-1").targets if t.layer == "frame"]
    assert [(t.label, t.start, t.end) for t in frames] == [("Political", None, None)]
    assert not at.exception


def test_a_refused_answer_is_said_not_raised(store, hostile_record):
    store.ingest(hostile_record)
    first, _ = targets_of(store, "hostile-1")
    at = open_article("hostile-1")
    at.button(key="change_label").click().run()  # the same label again: no change
    assert not at.exception
    assert "correct" in at.error[0].value
    assert store.current(first.id, "alice") is None


def test_two_analysts_in_two_sessions_answer_the_same_label_and_both_answers_stay(store, hostile_record):
    store.ingest(hostile_record)
    first, _ = targets_of(store, "hostile-1")
    alice, bob = open_article("hostile-1", "alice"), open_article("hostile-1", "bob")
    alice.button(key="accept").click()
    bob.button(key="reject").click()
    alice.run()
    bob.run()  # bob's page was drawn before alice answered: his answer goes in beside hers
    assert [(a.user, a.verdict) for a in targets_of(store, "hostile-1")[0].answers] in (
        [("alice", "accept"), ("bob", "reject")], [("bob", "reject"), ("alice", "accept")])
    assert (store.current(first.id, "alice").verdict == "accept"
            and store.current(first.id, "bob").verdict == "reject")
    alice.button(key="prev").click().run()  # back on the label both answered: she sees bob's answer too
    assert any("Your answer: **accepted** · also answered by bob" in m.value for m in alice.markdown)


def test_the_page_shows_who_answered_what(store, hostile_record):
    store.ingest(hostile_record)
    first, _ = targets_of(store, "hostile-1")
    store.answer(first.id, "bob", "reject")
    store.answer(first.id, "alice", "accept")
    at = open_article("hostile-1")
    assert any("Your answer: **accepted** · also answered by bob" in m.value for m in at.markdown)
    at = open_article("hostile-1", "rita", "reviewer")  # a reviewer sees what each one answered
    said = [m.value for m in at.markdown if m.value.startswith("Your answer")]
    assert "Your answer: **not answered** · alice: accept, bob: reject" in said, said


def test_the_outlet_panel_confirms_corrects_and_names_the_publisher(store, hostile_record):
    store.ingest(hostile_record)
    (outlet,) = [t for t in store.article("hostile-1").targets if t.layer == taxonomy.OUTLET]
    assert (outlet.label, outlet.agent.split("@")[0]) == ("evil", "outlets")
    at = open_article("hostile-1")
    shown = [m.value for m in at.markdown if "Who published it?" in m.value]
    assert shown == [f"**Who published it?** Suggested: {md('<img src=x onerror=alert(5)>')} (evil)"]
    at.button(key=f"outlet_accept_{outlet.id}").click().run()
    assert store.current(outlet.id, "alice").verdict == "accept"

    at.text_input(key=f"outlet_{outlet.id}_query").set_value("lemonde.fr").run()  # a domain finds its outlet
    assert at.selectbox(key=f"outlet_{outlet.id}_pick").options == ["Le Monde · FR (lemonde)"]
    at.button(key=f"outlet_{outlet.id}_button").click().run()
    answer = store.current(outlet.id, "alice")
    assert (answer.verdict, answer.label) == ("correct", "lemonde")
    assert not at.exception and not at.error
    # not in the walk
    assert [t.id for t in targets_of(store, "hostile-1")] == [t.id for t in store.article("hostile-1").targets
                                                              if t.layer != taxonomy.OUTLET]

    # an article with no outlet: the analyst names it, as a label of their own
    store.ingest(calm_record())
    at = open_article("calm-1")
    assert any("No outlet was identified" in m.value for m in at.markdown)
    at.text_input(key="outlet_new_query").set_value("RT en français").run()
    at.button(key="outlet_new_button").click().run()
    (named,) = [t for t in store.article("calm-1").targets if t.layer == taxonomy.OUTLET]
    assert (named.label, named.agent, [a.verdict for a in named.answers]) == ("rt-fr", "analyst:alice",
                                                                              ["add"])
    assert not at.exception and not at.error


# --- hostile text ------------------------------------------------------------------------------------

def test_hostile_text_reaches_the_page_only_as_text(store, hostile_record):
    store.ingest(hostile_record)
    at = open_article("hostile-1")
    raw_html = [m.value for m in at.markdown if m.proto.allow_html]
    assert raw_html  # the legend and the layer badge: our own markup
    for value in raw_html:
        assert "<script" not in value and "<img" not in value and "alert" not in value

    # everything hostile went through md(): escaped markdown that renders as the characters
    assert at.subheader[0].value == md(hostile_record.title, limit=200)
    assert "javascript\\:alert\\(4\\)" in at.caption[0].value
    shown = "\n".join(m.value for m in [*at.markdown, *at.caption] if not m.proto.allow_html)
    rendered = MarkdownIt("commonmark").render(shown)  # Streamlit's markdown is CommonMark
    for tag in ("<script", "<img", "<b>", "<i>", "<a "):
        assert tag not in rendered
    assert "&lt;img src=x onerror=alert(5)&gt;" in rendered  # the outlet's name, as characters
    assert md("<img src=x onerror=alert(6)>") in shown  # a source in the outlet card
    assert md("<script>alert(7)</script>") in shown or md("<i>serait</i>") in shown  # a cue

    # the text goes to the component as data, and its script only ever sets textContent
    (component,) = [e for e in at.main if type(e).__name__ == "UnknownElement" and e.proto.component_name]
    data = json.loads(component.proto.json)
    assert "".join(piece[0] for piece in data["pieces"]) == hostile_record.text
    assert "innerHTML" not in component.proto.js_content and "textContent" in component.proto.js_content


def test_the_outlet_card_shows_each_fact_with_its_source(store, seed_record):
    store.ingest(seed_record)
    at = open_article(seed_record.id)
    card = "\n".join(m.value for m in at.expander[0].markdown)
    assert at.expander[0].label.startswith("Publishing outlet: RT en français")
    assert "EU broadcast ban" in at.expander[0].label
    for fact in ("owner", "country", "state affiliation", "legal status", "controller"):
        assert f"**{fact}**" in card
    assert md("ANO TV-Novosti") in card and md("Council Regulation (EU) 2022/350") in card
    assert md("State Media Monitor (MJRC)") in card


# --- the other pages ---------------------------------------------------------------------------------

def test_overview_charts_labels_and_agreement(store, hostile_record):
    store.ingest(hostile_record)
    store.ingest(calm_record())
    for target in store.article("hostile-1").targets + store.article("calm-1").targets:
        store.answer(target.id, "alice", "accept")
        store.answer(target.id, "bob", "reject" if target.layer == "technique" else "accept")
    at = app(page="Overview")
    assert not at.exception
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    tables = at.dataframe
    assert len(tables) == 2  # totals per label, then agreement
    agreement = tables[1].value
    assert set(agreement.columns) >= {"layer", "label", "user_a", "user_b", "n", "kappa"}
    for by in ("outlet", "language", "label"):
        at.radio(key="ov_by").set_value(by).run()
        assert not at.exception


def test_overview_and_article_pages_without_data(store):
    at = app(page="Overview")
    assert not at.exception and at.info
    at = app(page="Article")
    assert not at.exception and "queue" in at.info[0].value


@pytest.mark.slow
def test_pasted_text_is_annotated_and_stored(store):
    at = app(page="Ingest")
    at.text_area(key="ingest_text").set_value(
        "Le bilan serait de 20 morts, selon une source proche du dossier. <script>alert(1)</script>")
    at.text_input(key="ingest_title").set_value("Collé").run()
    at.button(key="ingest_paste").click().run()
    assert not at.exception
    assert "Stored 1 article" in at.success[0].value
    (row,) = store.queue()
    view = store.article(row.article_id)
    assert view.title == "Collé" and view.language == "fr"
    assert any(t.label == "reported_conditional" for t in view.targets)
    at.button(key=f"ingested_{row.article_id}").click().run()
    assert at.session_state["page"] == "Article" and at.session_state["article_id"] == row.article_id


@pytest.mark.slow
def test_uploaded_files_of_every_kind_ingest_reads_are_annotated_and_stored(store):
    """The upload box takes what `annotator ingest` takes (.tsv, .ndjson, .xhtml, .jsonl.gz among them) and
    reads them with its code: the articles are stored, a broken row is one clear error."""
    text = "Le bilan serait de 20 morts, selon une source proche du dossier."
    page = (f"<html xmlns='http://www.w3.org/1999/xhtml'><head><title>Page</title></head><body><article>"
            f"<p>{text}</p><p>Le gouvernement a présenté mardi son projet de budget.</p>"
            "</article></body></html>")
    rows = json.dumps({"id": "gz-1", "text": text}) + "\n" + '{"id": "gz-2", "title": "no text"}\n'
    at = app(page="Ingest")
    uploader = at.file_uploader(key="ingest_files")
    assert set(uploader.allowed_type) == set(ACCEPTED_SUFFIXES)
    uploader.set_value([("rows.tsv", f"id\ttext\ntsv-1\t{text}\n".encode(), "text/tab-separated-values"),
                        ("rows.ndjson", (json.dumps({"id": "nd-1", "text": text}) + "\n").encode(),
                         "application/x-ndjson"),
                        ("page.xhtml", page.encode(), "application/xhtml+xml"),
                        ("rows.jsonl.gz", gzip.compress(rows.encode()), "application/gzip")]).run()
    at.button(key="ingest_upload").click().run()
    assert not at.exception
    assert "Stored 4 article(s)" in at.success[0].value
    (error,) = at.error  # shown as text: markdown's characters escaped
    assert error.value.replace("\\", "") == "rows.jsonl.gz:2: [E005] bad row: no 'text' field"
    stored = {row.article_id: store.article(row.article_id) for row in store.queue()}
    assert {"tsv-1", "nd-1", "gz-1"} <= set(stored) and len(stored) == 4
    (xhtml,) = [view for key, view in stored.items() if key not in ("tsv-1", "nd-1", "gz-1")]
    assert xhtml.title == "Page"
    assert any(t.label == "reported_conditional" for t in stored["gz-1"].targets)


def test_a_reviewer_adjudicates_a_disagreement_and_the_gold_follows(store, tmp_path):
    from annotator.exchange import export
    from annotator.gold import resolve

    store.ingest(calm_record())
    (target,) = store.article("calm-1").targets
    store.answer(target.id, "alice", "accept")
    store.answer(target.id, "bob", "reject")
    assert "Adjudicate" not in app("alice", role="analyst").sidebar.radio[0].options

    at = app("rita", role="reviewer", page="Adjudicate")
    assert not at.exception
    assert any("alice" in str(df.value) and "bob" in str(df.value) for df in at.dataframe)  # side by side
    (holds,) = [b for b in at.button if b.label.startswith("Holds as suggested")]
    (rejects,) = [b for b in at.button if b.label.startswith("Does not hold")]
    assert "alice" in holds.label and "bob" in rejects.label
    rejects.click().run()
    assert not at.exception and "No disagreement" in at.info[0].value
    answers = store.article("calm-1").targets[0].answers
    assert answers[-1].user == "rita" and answers[-1].extra.get("adjudicated") is True
    gold = resolve(target.label, target.start, target.end, answers)
    assert (gold.status, gold.label) == ("adjudicated", None)
    import csv

    export(store, "csv", tmp_path / "labels.csv")
    with (tmp_path / "labels.csv").open(encoding="utf-8") as rows:
        exported = [r for r in csv.DictReader(rows) if r["layer"] == "claim"]  # a row per answer
    assert exported and {(r["gold_status"], r["gold_holds"]) for r in exported} == {("adjudicated", "False")}


def test_blind_answers_hide_the_others_until_the_analyst_has_answered(store, tmp_path):
    from annotator.dashboard import session
    from annotator.store.accounts import Account
    from tests.conftest import user_settings

    store.ingest(calm_record())
    (target,) = store.article("calm-1").targets
    store.answer(target.id, "alice", "accept")
    bob, rita = Account("bob", "analyst"), Account("rita", "reviewer")
    with user_settings(tmp_path, "[review]\nanalysts_per_article = 2\n"):
        assert session.others_on(store.article("calm-1").targets[0], bob) == ""  # blind before answering
        assert session.others_on(store.article("calm-1").targets[0], rita) == " · alice: accept"
        store.answer(target.id, "bob", "reject")
        assert "alice" in session.others_on(store.article("calm-1").targets[0], bob)
    assert "alice" in session.others_on(store.article("calm-1").targets[0], Account("carol", "analyst"))


def test_the_article_page_shows_the_analysts_own_history_of_a_label(store, hostile_record):
    store.ingest(hostile_record)
    first, _ = targets_of(store, "hostile-1")
    store.answer(first.id, "alice", "accept")
    store.answer(first.id, "alice", "reject")
    at = open_article("hostile-1")
    (history,) = [c.value for c in at.caption if c.value.startswith("Your history")]
    assert "accepted" in history and "rejected" in history and history.index("accepted") < history.index(
        "rejected")


def test_a_stale_admin_page_changes_no_account(store):
    """An admin's page left open past the idle time (or whose account was disabled meanwhile): its
    buttons change nothing, and nothing is done in anyone else's name."""
    import time

    account("eve", "analyst")
    at = app("root", role="admin", page="Accounts")
    at.selectbox(key="acc_pick").set_value("eve").run()
    at.selectbox(key="acc_role").set_value("admin").run()
    at.session_state["seen_at"] = time.time() - 31 * 60
    at.button(key="acc_set_role").click().run()
    assert store.accounts.get("eve").role == "analyst"
    assert not store.audit.events(action="account_role")
