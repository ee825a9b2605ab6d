import io
import json

import pandas as pd

from annotator.ingest import Failure, RawArticle, iter_inputs

GOOD = "Le gouvernement a présenté mardi son projet de budget pour l'année prochaine."


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, RawArticle)], [i for i in items if isinstance(i, Failure)]


def test_jsonl_with_broken_rows_reports_each_and_keeps_the_rest(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": GOOD, "url": "https://www.lemonde.fr/x", "language": "FR"}),
        '{"id": "b", "text": "unterminated',
        json.dumps({"id": "c", "title": "no text"}),
        "",
        json.dumps([1, 2]),
        json.dumps({"id": 7, "text": GOOD, "published": "", "title": None}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good, bad = split(iter_inputs([str(path)]))
    assert [(a.id, a.language, a.url) for a in good] == [("a", "fr", "https://www.lemonde.fr/x"),
                                                         ("7", None, None)]
    assert good[1].published is None and good[1].title is None  # empty and null mean not given
    assert [(f.source.rsplit(":", 1)[1], f.error.code) for f in bad] == [("2", "E005"), ("3", "E005"),
                                                                         ("5", "E005")]
    assert "invalid JSON" in str(bad[0]) and "no 'text' field" in str(bad[1])


def test_csv_in_cp1252_with_a_shifted_row(tmp_path):
    path = tmp_path / "export.csv"
    content = f'id,text,url\n1,"{GOOD}",\n2,"a, b",c,d\n3,"Réforme : l’œuvre à 20 €",https://x.fr/a\n'
    path.write_bytes(content.encode("cp1252"))
    good, bad = split(iter_inputs([str(path)]))
    assert [a.id for a in good] == ["1", "3"]
    assert good[1].text == "Réforme : l’œuvre à 20 €"
    assert len(bad) == 1 and bad[0].source.endswith(":3") and "fields" in str(bad[0])


def test_parquet_rows(tmp_path):
    path = tmp_path / "batch.parquet"
    pd.DataFrame({"id": ["x", "y"], "text": [GOOD, None], "language": ["fr", None]}).to_parquet(path)
    good, bad = split(iter_inputs([str(path)]))
    assert [(a.id, a.language) for a in good] == [("x", "fr")]
    assert len(bad) == 1 and "row 2" in bad[0].source


def test_folder_stdin_and_missing_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.html").write_text(f"<html><head><title>T</title></head><body><article><p>{GOOD}</p>"
                                     f"<p>{GOOD}</p></article></body></html>", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    good, bad = split(iter_inputs([str(tmp_path), "-", str(tmp_path / "nope.txt")],
                                  stdin=io.BytesIO(GOOD.encode("utf-16"))))
    assert [(a.meta["format"], a.source.endswith("a.txt")) for a in good] == [("html", False), ("text", True),
                                                                              ("text", False)]
    assert good[2].source == "<stdin>" and good[2].meta["encoding"].startswith("utf-16")
    assert all(a.text.startswith("Le gouvernement") for a in good)
    assert [f.error.code for f in bad] == ["E008"]


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.html"
    path.write_bytes(b"<html><body>" + b"<p>x</p>" * 200_000 + b"</body></html>")
    _, bad = split(iter_inputs([str(path)], max_bytes=1_000_000))
    assert bad[0].error.code == "E003" and "--max-bytes" in str(bad[0])
