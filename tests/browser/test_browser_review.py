"""The review dashboard in a real browser: an analyst's session end to end, and hostile article text."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from annotator import taxonomy
from annotator.dashboard.pages.article import label_walk
from annotator.store import Store
from tests.browser.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "dashboard.png"
TIMEOUT_MS = 20_000

# Finds `words` in the component's text (across highlight boundaries), scrolls them into view and
# returns where their first line starts and their last line ends, once the layout has stopped moving
# (an expander opening above pushes the text down). Only the coordinates come from script: the
# selection itself is made with the mouse.
_LOCATE = """async (words) => {
  const root = document.querySelector('[data-testid="annotator-article-text"]');
  const at = root.textContent.indexOf(words);
  if (at < 0) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0, node, started = false;
  while ((node = walker.nextNode())) {
    const len = node.data.length;
    if (!started && at < seen + len) { range.setStart(node, at - seen); started = true; }
    if (started && at + words.length <= seen + len) { range.setEnd(node, at + words.length - seen); break; }
    seen += len;
  }
  const measure = () => {
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
    const first = rects[0], last = rects[rects.length - 1];
    return {x0: first.left, y0: first.top + first.height / 2, x1: last.right, y1: last.top + last.height / 2};
  };
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  let box = null;
  for (let i = 0; i < 200; i++) {
    range.startContainer.parentElement.scrollIntoView({block: "center"});
    await frame();
    const now = measure();
    if (box && JSON.stringify(now) === JSON.stringify(box)) return now;
    box = now;
  }
  return box;
}"""


def select_with_mouse(page: Page, words: str, start: int) -> None:
    """Drag the mouse over `words` (at Python offset `start`) in the article text, as an analyst would,
    and wait for the page to report that selection."""
    reported = page.get_by_text(f"Selected, characters {start}–{start + len(words)}")
    for attempt in range(5):
        settle(page)
        # a drag that starts inside the text an earlier attempt selected would move that text, not select
        page.evaluate("() => window.getSelection().removeAllRanges()")
        box = page.evaluate(_LOCATE, words)
        assert box is not None, f"{words!r} is not in the article text"
        page.mouse.move(box["x0"] + 1, box["y0"])
        page.mouse.down()
        page.mouse.move((box["x0"] + box["x1"]) / 2, (box["y0"] + box["y1"]) / 2, steps=4)
        page.mouse.move(box["x1"] - 1, box["y1"], steps=4)
        page.mouse.up()
        try:
            # A drag that raced a redraw of the text selects nothing, or other words: drag again.
            expect(reported).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            if attempt == 4:
                raise


def settle(page: Page) -> None:
    """Wait until the script run that the last action started has drawn everything: a widget taken
    while the page is still being redrawn may be replaced under the mouse."""
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(1)


def sign_in(page: Page, url: str, name: str, password: str = PASSWORD) -> None:
    page.goto(url)
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if password == PASSWORD:
        expect(page.get_by_text(f"Signed in as {name}")).to_be_visible()


def choose(page: Page, label: str, option: str) -> None:
    """Pick `option` in the selectbox labelled `label`: open its list, type to filter it, click the option."""
    box = page.get_by_role("combobox", name=label, exact=True)
    if box.input_value() == option:
        return
    # Right after a rerun the list sometimes ignores the first click (well under a second): click again.
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        box.click()
        try:
            expect(box).to_have_attribute("aria-expanded", "true", timeout=1_000)
            break
        except AssertionError:
            if time.monotonic() > deadline:
                raise
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    settle(page)


def test_an_analyst_accepts_rejects_changes_and_adds_labels(page: Page, dashboard, seed_record, tmp_path):
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, dashboard.url, "alice")
    page.get_by_role("button", name=re.compile("^Vladimir Poutine a proposé")).first.click()
    text_box = page.get_by_test_id("annotator-article-text")
    expect(text_box).to_contain_text("Lors du forum économique de Vladivostok")

    with Store(dashboard.db) as store:
        targets = label_walk(store.article(seed_record.id).targets)  # the outlet has its own panel
    first, second, third = targets[:3]
    n = len(targets)

    expect(page.get_by_text(f"label 1 of {n}")).to_be_visible()
    page.keyboard.press("a")  # the Accept shortcut; the focus moves on to the next label
    expect(page.get_by_text(f"label 2 of {n}")).to_be_visible()
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text(f"label 3 of {n}")).to_be_visible()
    settle(page)

    new_label = next(label for label in taxonomy.LAYERS[third.layer] if label != third.label)
    page.get_by_text("Change the label").click()
    choose(page, "New label", new_label)
    page.get_by_role("button", name="Change label").click()
    expect(page.get_by_text(f"Your answer: corrected to {new_label}")).to_be_visible()

    words = "forum économique de Vladivostok"
    start = seed_record.text.index(words)
    select_with_mouse(page, words, start)
    settle(page)
    choose(page, "Layer", "claim")
    choose(page, "Label", "weasel")
    page.get_by_role("button", name="Add label").click()
    expect(page.get_by_text("Added claim: weasel.")).to_be_visible()
    expect(page.locator(".annotator-select .hl.focus").first).to_have_text(words)
    settle(page)
    position = re.compile(r"label (\d+) of")
    at = int(position.search(page.get_by_text(position).inner_text()).group(1))
    page.keyboard.press("n")  # the Next and Previous shortcuts
    expect(page.get_by_text(f"label {at + 1} of {n + 1}")).to_be_visible()
    settle(page)
    page.keyboard.press("p")
    expect(page.get_by_text(f"label {at} of {n + 1}")).to_be_visible()
    settle(page)

    page.get_by_test_id("stMain").evaluate("main => main.scrollTo(0, 0)")
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot))
    SCREENSHOT.parent.mkdir(exist_ok=True)
    shutil.copyfile(shot, SCREENSHOT)
    assert SCREENSHOT.stat().st_size < 500_000

    with Store(dashboard.db) as store:
        view = store.article(seed_record.id)
    by_id = {t.id: t for t in view.targets}
    said = {t.id: [(a.user, a.verdict, a.label) for a in t.answers] for t in view.targets}
    assert said[first.id] == [("alice", "accept", None)]
    assert said[second.id] == [("alice", "reject", None)]
    assert said[third.id] == [("alice", "correct", new_label)]
    (added,) = [t for t in view.targets if t.agent == "analyst:alice"]
    assert (added.layer, added.label, added.start, added.end) == ("claim", "weasel", start,
                                                                  start + len(words))
    assert by_id[added.id].text == words
    assert said[added.id] == [("alice", "add", None)]


def test_hostile_article_text_shows_as_text_and_runs_nothing(page: Page, dashboard, hostile_record):
    page.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, dashboard.url, "bob")
    title = "<script>alert(2)</script> **not bold** [link](javascript:alert(3))"
    page.get_by_role("button", name=title).click()

    text_box = page.get_by_test_id("annotator-article-text")
    expect(text_box).to_contain_text("<script>alert(1)</script> and <img src=x onerror=alert(1)> "
                                     "sit in the body.")
    expect(page.get_by_text(title, exact=True)).to_be_visible()  # the heading, literally
    page.get_by_text("Publishing outlet:").click()
    expect(page.get_by_text("source: <img src=x onerror=alert(6)>")).to_be_visible()
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("b", has_text="owner").count() == 0

    # Selecting after two astral characters (two UTF-16 units each) still stores Python offsets.
    words = "selected words"
    start = hostile_record.text.index(words)
    select_with_mouse(page, words, start)
    page.get_by_role("button", name="Add label").click()
    expect(page.get_by_text("Added claim: reported_conditional.")).to_be_visible()
    with Store(dashboard.db) as store:
        (added,) = [t for t in store.article(hostile_record.id).targets if t.agent == "analyst:bob"]
    assert (added.start, added.end, added.text) == (start, start + len(words), words)
    assert dialogs == []


def test_only_the_right_password_signs_in_and_each_role_sees_its_pages(page: Page, dashboard):
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, dashboard.url, "alice", "not her password")
    expect(page.get_by_text("wrong name or password")).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Vladimir Poutine a proposé"))).to_have_count(0)

    sign_in(page, dashboard.url, "alice")  # an analyst: no Models, Audit or Accounts page
    pages = page.get_by_test_id("stSidebar").get_by_role("radiogroup")
    expect(pages).to_contain_text("Queue")
    for hidden in ("Models", "Audit", "Accounts"):
        expect(pages.get_by_text(hidden, exact=True)).to_have_count(0)
    page.get_by_role("button", name=re.compile("^Vladimir Poutine a proposé")).first.click()
    expect(page.get_by_test_id("annotator-article-text")).to_contain_text("Vladivostok")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    page.go_back()  # the article's address: the sign-in form, no article
    settle(page)
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    expect(page.get_by_test_id("annotator-article-text")).to_have_count(0)

    sign_in(page, dashboard.url, "root")  # an admin sees every page
    for shown in ("Models", "Audit", "Accounts"):
        expect(pages.get_by_text(shown, exact=True)).to_have_count(1)
    with Store(dashboard.db) as store:
        failed = store.audit.events(action="sign_in_failed", subject="alice")
    assert failed and "not her password" not in str([e.detail for e in failed])


def test_a_reviewer_adjudicates_a_disagreement_and_the_export_follows(page: Page, dashboard, hostile_record,
                                                                     tmp_path):
    import csv

    from annotator.exchange import export

    page.set_default_timeout(TIMEOUT_MS)
    with Store(dashboard.db) as store:
        target = store.article(hostile_record.id).targets[-1]
        store.answer(target.id, "alice", "accept")
        store.answer(target.id, "bob", "reject")
    sign_in(page, dashboard.url, "rita")
    page.get_by_test_id("stSidebar").get_by_text("Adjudicate", exact=True).click()
    decide = page.locator(f".st-key-adj_{target.id}_None_None_None button")
    expect(decide).to_contain_text("Does not hold (bob)")
    decide.click()
    expect(page.get_by_text("Decided: the adjudicated answer now settles this label.")).to_be_visible()
    with Store(dashboard.db) as store:
        last = store.article(hostile_record.id).targets[-1].answers[-1]
        assert (last.user, last.verdict, last.extra.get("adjudicated")) == ("rita", "reject", True)
        export(store, "csv", tmp_path / "labels.csv")
    with (tmp_path / "labels.csv").open(encoding="utf-8") as rows:
        start = "" if target.start is None else str(target.start)
        mine = [r for r in csv.DictReader(rows)
                if (r["article_id"], r["layer"], r["label"], r["start"])
                == (hostile_record.id, target.layer, target.label, start)]
    assert mine and {(r["gold_status"], r["gold_holds"]) for r in mine} == {("adjudicated", "False")}
