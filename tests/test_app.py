"""The placeholder dashboard page: it lists what `make run` annotated, and shows article text as text."""

import json
import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run_in(folder: Path) -> AppTest:
    """The page as `make run` starts it, from the project folder (here: a test's folder)."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        return AppTest.from_file(APP, default_timeout=60).run()
    finally:
        os.chdir(here)


def test_placeholder_lists_the_annotated_seed(tmp_path, seed_record):
    (tmp_path / "var").mkdir()
    record = seed_record.to_dict()
    record["text"] = "<script>alert(1)</script>\n" + record["text"]
    record["annotations"] = []
    (tmp_path / "var" / "seeds.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    at = run_in(tmp_path)
    assert not at.exception
    assert "RT en français" in at.expander[0].label
    assert any("<script>alert(1)</script>" in t.value for t in at.text)  # shown as text, not HTML


def test_placeholder_says_what_to_do_with_no_articles(tmp_path):
    at = run_in(tmp_path)
    assert not at.exception and "make run" in at.info[0].value
