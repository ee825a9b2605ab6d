"""Readers for the labelled corpora that ``annotator train|evaluate LAYER --corpus FORMAT:PATH`` use.

Each reader turns one published layout into a flat list of :class:`Example` (a text, its gold label ids
of ../shared/design/TAXONOMY.md, and the group it must stay with when splitting). Readers know formats,
never where the data lies: PATH is always given. Label names of other schemes are mapped to the
taxonomy here, in one table each, and labels without a counterpart are dropped with one counted
warning per read, never silently.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.gold import UNANIMOUS, GoldRule, gold_of, targets
from annotator.record import Annotation, Record
from annotator.taxonomy import ARTICLE_LEVEL_LAYERS, FRAME, FRAME_LABELS, LAYERS, TECHNIQUE, TECHNIQUE_LABELS

log = logging.getLogger(__name__)

CHECK_WORTHY = "check_worthy"
CHECK_WORTHINESS = "check_worthiness"  # the layer of the check-worthiness head
HEDGE = "hedge"


class CorpusError(ValueError):
    """A corpus spec that cannot be read: unknown format, missing path, or a path not in that format
    (code E014), or corpora that cannot train or score a head: no example for the layer, nothing left to
    train on or to hold out (E015). Raised before any text is embedded."""

    def __init__(self, message: str, code: str = "E014") -> None:
        super().__init__(f"[{code}] {message}")
        self.message, self.code = message, code


@dataclass(frozen=True)
class Example:
    text: str
    labels: frozenset[str]  # taxonomy ids; {"check_worthy"} / {"hedge"} or empty for the binary corpora
    group: str  # the article (document, debate, meme) the text belongs to: split by it, never by sentence
    id: str
    language: str | None = None
    split: str | None = None  # "train" / "dev" / "test" when the corpus says so, else None
    level: str = "sentence"  # "sentence" | "paragraph" | "article"


# ---------------------------------------------------------------------------------------------- helpers


def _norm(name: str) -> str:
    """Compare label names without case or punctuation: 'Name calling/Labeling' == 'Name_Calling-Labeling'."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


# Technique names of other schemes -> taxonomy ids. Names equal to an id up to case and punctuation
# need no entry (PTC 'Name_Calling,Labeling', 'Exaggeration,Minimisation', 'Appeal_to_fear-prejudice',
# 'Flag-Waving'; memes 'Loaded Language', 'Appeal to authority', ...). The renamings follow the
# SemEval-2023 Task 3 guidelines, which gave the old techniques their current names.
# None = no single counterpart: dropped with a counted warning.
_TECHNIQUE_ALIASES: dict[str, str | None] = {
    # SemEval-2020 Task 11 (PTC)
    "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Thought-terminating_Cliches": "Conversation_Killer",
    "Obfuscation,Intentional_Vagueness,Confusion": "Obfuscation-Vagueness-Confusion",  # 18-class PTC
    "Straw_Men": "Straw_Man",  # 18-class PTC
    "Bandwagon": "Appeal_to_Popularity",  # 18-class PTC and memes
    "Reductio_ad_hitlerum": "Guilt_by_Association",  # 18-class PTC and memes
    # Task 11's merged classes say one of two or three techniques holds, not which: expanding them to
    # all would put false gold on every line, so they are dropped (the lines still count, without them).
    "Bandwagon,Reductio_ad_hitlerum": None,
    "Whataboutism,Straw_Men,Red_Herring": None,
    # SemEval-2021 Task 6 (memes)
    "Black-and-white Fallacy/Dictatorship": "False_Dilemma-No_Choice",
    "Thought-terminating cliché": "Conversation_Killer",
    "Smears": "Questioning_the_Reputation",  # 2023: "Questioning the Reputation" took over smears
    "Glittering generalities (Virtue)": "Appeal_to_Values",
    "Presenting Irrelevant Data (Red Herring)": "Red_Herring",
    "Misrepresentation of Someone's Position (Straw Man)": "Straw_Man",
    "Obfuscation, Intentional vagueness, Confusion": "Obfuscation-Vagueness-Confusion",
    "Transfer": None,  # image-only techniques of task 3: no textual counterpart
    "Appeal to (Strong) Emotions": None,
}
_TECHNIQUES: dict[str, str | None] = {_norm(t): t for t in TECHNIQUE_LABELS} | {
    _norm(k): v for k, v in _TECHNIQUE_ALIASES.items()
}
_FRAMES: dict[str, str | None] = {_norm(f): f for f in FRAME_LABELS}


def _map(names: Iterable[str], table: dict[str, str | None], dropped: Counter[str]) -> frozenset[str]:
    out = set()
    for name in (n.strip() for n in names):
        if name and (label := table.get(_norm(name))):
            out.add(label)
        elif name:
            dropped[name] += 1
    return frozenset(out)


def _warn_dropped(fmt: str, dropped: Counter[str]) -> None:
    if dropped:
        detail = ", ".join(f"{name!r} x{n}" for name, n in dropped.most_common())
        log.warning("%s: dropped %d labels without a taxonomy counterpart: %s", fmt, dropped.total(), detail)


def _split_of(file: Path, root: Path) -> str | None:
    """The split a file or folder name states. Only names at or below PATH count (never /tmp/test_x/...).

    'dev-test' is CheckThat's held-out dev-test, and CoNLL-2010's 'eval' is its test set: both are test.
    """
    names = [file.name, *(p for p in file.parent.relative_to(root).parts)] if file != root else [file.name]
    for name in names:
        tokens = set(re.split(r"[^a-z]+", name.lower()))
        if tokens & {"test", "eval", "evaluation"}:
            return "test"
        if tokens & {"dev", "development", "val", "validation"}:
            return "dev"
        if tokens & {"train", "training"}:
            return "train"
    return None


_LANGUAGES = {"english": "en", "arabic": "ar", "spanish": "es", "dutch": "nl", "german": "de", "french": "fr"}
# SemEval-2023 Task 3 folder codes that are not ISO 639-1.
_LANGUAGES |= {"ge": "de", "po": "pl"}


def _language(folder: Path) -> str | None:
    name = folder.name.lower()
    return _LANGUAGES.get(name, name if re.fullmatch(r"[a-z]{2}", name) else None)


def _files(path: Path, *suffixes: str) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and p.name.lower().endswith(suffixes) and not p.name.startswith(".")
    )


def _rows(file: Path) -> Iterator[dict[str, Any]]:
    """Rows of a TSV/CSV with a header, or of a JSON list of objects."""
    if file.suffix.lower() == ".json":
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise CorpusError(f"{file}: expected a JSON list of objects")
        yield from data
        return
    with file.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="," if file.suffix.lower() == ".csv" else "\t")


def _pick(row: dict[str, Any], names: tuple[str, ...], file: Path) -> Any:
    for name in names:
        if name in row:
            return row[name]
    raise CorpusError(f"{file}: no column among {', '.join(names)} (columns: {', '.join(map(str, row))})")


# --------------------------------------------------------------------------------------------- formats


def _resolve(a: Annotation, rule: GoldRule) -> tuple[tuple[int, int] | None, set[str] | None]:
    """The text one target speaks for (its span; None: the whole article) and the labels it holds there
    under ``rule``: none when rejected (a negative), None when it is no gold (unreviewed, or the analysts
    have not settled it): what it says is not known yet, so that text waits.

    The gold is ``annotator.gold``'s, the same as ``train --db`` and the exports read: an adjudicated
    answer decides, else each analyst's latest answer, agreeing as the rule asks. A label an analyst
    made (agent 'analyst:...', or no score) counts as its maker's ``add`` until anyone answers it. A
    correction that moves the label speaks for the words it moved to.
    """
    gold = gold_of(a, rule)
    if not gold.is_gold:
        return a.span, None
    if gold.label is None:
        return a.span, set()
    return (None if gold.start is None or gold.end is None else (gold.start, gold.end)), {gold.label}


def _jsonl_lines(path: Path) -> Iterator[tuple[Path, str | None, int, str]]:
    """(file, its split, line number, line) of every non-blank line of the .jsonl files under path."""
    for file in _files(path, ".jsonl"):
        split = _split_of(file, path)
        with file.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle, 1):
                if line.strip():
                    yield file, split, n, line


def read_jsonl(path: Path, layer: str | None, rule: GoldRule = UNANIMOUS) -> list[Example]:
    """the project's annotator/v1 export: .jsonl files, one record per line"""
    out: list[Example] = []
    for file, split, n, line in _jsonl_lines(path):
        try:
            record = Record.from_dict(json.loads(line))
        except (ValueError, TypeError, KeyError) as e:
            raise CorpusError(f"{file}, line {n}: not an annotator/v1 record ({e})") from e
        # span (None: the article) -> the labels that hold there; None while a label on it is not settled,
        # as train --db waits (annotator/retrain.py): a text is an example once all its labels are gold
        units: dict[tuple[int, int] | None, set[str] | None] = {}
        for a in targets(record.annotations):  # an add naming another label or span: a target of its own
            if layer and a.layer != layer:
                continue
            span, labels = _resolve(a, rule)
            key = None if a.layer in ARTICLE_LEVEL_LAYERS else span
            if labels is None:
                units[key] = None
            elif (held := units.setdefault(key, set())) is not None:
                held.update(labels)
        common = {"group": record.id, "language": record.language, "split": split}
        article = units.pop(None, None)
        if article is not None:
            out.append(
                Example(record.text, frozenset(article), id=record.id, level="article", **common)
            )
        spans: dict[tuple[int, int], set[str]] = {
            key: labels for key, labels in units.items() if key is not None and labels is not None}
        level = "paragraph" if layer == TECHNIQUE else "sentence"
        for (start, end), labels in sorted(spans.items()):
            text = record.text[start:end]
            out.append(
                Example(
                    text, frozenset(labels), id=f"{record.id}:{start}-{end}", level=level, **common
                )
            )
    return out


def _checkworthy(file: Path, root: Path, language: str | None) -> Iterator[Example]:
    """Rows of a check-worthiness table (CheckThat!, ClaimBuster): {"check_worthy"} for the positive class.

    Positive: 'Yes' (CheckThat), 1 (ClaimBuster two-class CFS vs NCS, CheckThat 2019/2020), or 'CFS'
    (three-class ClaimBuster: check-worthy factual sentence; unimportant UFS and non-factual NFS are no).
    """
    split = _split_of(file, root)
    for n, row in enumerate(_rows(file), 1):
        text = str(_pick(row, ("Text", "tweet_text", "text", "sentence"), file))
        verdict = str(_pick(row, ("class_label", "check_worthiness", "claim_worthiness", "label"), file))
        labels = (
            frozenset({CHECK_WORTHY})
            if verdict.strip().lower() in {"yes", "1", "true", "cfs"}
            else frozenset()
        )
        sid = next(
            (str(row[k]) for k in ("Sentence_id", "sentence_id", "tweet_id") if row.get(k) not in (None, "")),
            None,
        )
        if "file_name" in row:  # CheckThat! 2019: one debate per file_name, lines numbered in it
            ident, group = f"{row['file_name']}:{row.get('line_number', n)}", str(row["file_name"])
        elif sid is not None:
            # No debate or article id is published with these sentences and tweets, so each is its
            # own group (debate neighbours may fall on both sides of a split made here).
            ident = group = sid
        else:  # CheckThat! 2020 task 5 debate lines: no id at all; blocks of lines keep neighbours together
            ident, group = f"{file.stem}:{n}", f"{file.stem}:{(n - 1) // _BLOCK}"
        yield Example(text, labels, group=group, id=ident, language=language, split=split)


def read_checkthat(path: Path, layer: str | None) -> list[Example]:
    """CheckThat! 2024 task 1 .tsv files (Sentence_id|tweet_id, Text|tweet_text, class_label Yes/No)"""
    return [ex for f in _files(path, ".tsv") for ex in _checkworthy(f, path, _language(f.parent))]


def read_claimbuster(path: Path, layer: str | None) -> list[Example]:
    """ClaimBuster JSON/TSV (sentence_id, text, label) and the CheckThat! 2019/2020 CSV/TSV beside it"""
    # kfold_25ncs.json holds the same sentences as train.json + test.json: read files that state a split
    # first and keep the first copy of an id, so the k-fold set only adds the sentences the others lack.
    files = sorted(_files(path, ".json", ".tsv", ".csv"), key=lambda f: (_split_of(f, path) is None, f))
    seen: set[str] = set()
    out = []
    for file in files:
        for ex in _checkworthy(file, path, "en"):
            if ex.id not in seen:
                seen.add(ex.id)
                out.append(ex)
    return out


_BLOCK = 20  # lines per group when a corpus keeps no document ids


def read_lines(path: Path, layer: str | None) -> list[Example]:
    """one sentence per line, one .txt file per label (e.g. train_wikiweasel_uncertain_sentences.txt)"""
    out = []
    for file in _files(path, ".txt"):
        labels = _label_of_file(file, layer)
        split = _split_of(file, path)
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                # No document ids survive in these files; consecutive lines mostly come from one document,
                # so blocks of lines are the groups (a document's lines in the other label's file can't
                # be reunited with it).
                group = f"{file.stem}:{(n - 1) // _BLOCK}"
                out.append(Example(line.strip(), labels, group=group, id=f"{file.stem}:{n}", split=split))
    return out


def _label_of_file(file: Path, layer: str | None) -> frozenset[str]:
    """The rule: a file whose name contains a taxonomy label id (as whole '_'-separated words) gives that
    label; otherwise 'uncertain'/'hedge'/'speculative' files give "hedge" and 'certain' ones no label."""
    stem = "_" + re.sub(r"[^a-z0-9]+", "_", file.stem.lower()) + "_"
    ids = [*(LAYERS.get(layer, ()) if layer else (i for ls in LAYERS.values() for i in ls)), CHECK_WORTHY]
    for label in ids:
        if f"_{_norm(label)}_" in stem:
            return frozenset({label})
    words = set(stem.split("_"))
    if words & {"uncertain", "hedge", "hedged", "speculative", "uncertainty"}:
        return frozenset({HEDGE})
    if words & {"certain", "nonspeculative", "negative"}:
        return frozenset()
    raise CorpusError(f"{file}: cannot tell the label from the file name (no label id, no certain/uncertain)")


def read_semeval2021_memes(path: Path, layer: str | None) -> list[Example]:
    """SemEval-2021 task 6: JSON lists of {id, text, labels} ({split}_set_task{1,2}.txt)"""

    # Task 1 and 2 files hold the same memes (2 adds spans): task 1 first, one Example per (split, id).
    def order(f: Path) -> tuple[str, Path]:
        return (re.sub(r".*task", "", f.stem), f)

    out, seen, dropped = [], set(), Counter[str]()
    for file in sorted(_files(path, ".txt", ".json"), key=order):
        try:
            memes = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue  # techniques_list_*.txt and other notes beside the data
        if not isinstance(memes, list):
            continue
        split = _split_of(file, path)
        for meme in memes:
            if (split, meme["id"]) in seen:
                continue
            seen.add((split, meme["id"]))
            names = [lab["technique"] if isinstance(lab, dict) else lab for lab in meme.get("labels", [])]
            labels = _map(names, _TECHNIQUES, dropped)
            ident = str(meme["id"])
            out.append(
                Example(
                    meme["text"], labels, group=ident, id=ident, language="en", split=split, level="paragraph"
                )
            )
    _warn_dropped("semeval2021-memes", dropped)
    return out


def read_ptc(path: Path, layer: str | None) -> list[Example]:
    """SemEval-2020 task 11 PTC: article<ID>.txt with ID<TAB>TECHNIQUE<TAB>start<TAB>end label files"""
    _only(layer, TECHNIQUE)
    spans: dict[str, list[tuple[str, int, int]]] = {}
    for file in _files(path, ".labels", ".labels.tsv"):
        for line in file.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) == 4:  # 3 fields: span-identification (SI) files, without techniques
                spans.setdefault(fields[0], []).append((fields[1], int(fields[2]), int(fields[3])))
            elif len(fields) == 3:
                continue
        # An article's own label file, even empty, says it was annotated: it has no techniques.
        if m := re.match(r"article(\d+)\.", file.name):
            spans.setdefault(m.group(1), [])
    out, dropped = [], Counter[str]()
    for file in _files(path, ".txt"):
        m = re.fullmatch(r"article(\d+)\.txt", file.name)
        if not m or m.group(1) not in spans:  # unlabelled (test) articles would give false negatives
            continue
        # newline="": the offsets count characters of the file as it is, \r included
        with file.open(encoding="utf-8", newline="") as handle:
            article, text, start = m.group(1), handle.read(), 0
        split = _split_of(file, path)
        for n, line in enumerate(text.split("\n"), 1):
            end = start + len(line)
            if line.strip():
                names = [t for t, s, e in spans[article] if s < end and e > start]  # overlaps the line
                out.append(
                    Example(
                        line.strip(),
                        _map(names, _TECHNIQUES, dropped),
                        group=article,
                        id=f"{article}:{n}",
                        language="en",
                        split=split,
                    )
                )
            start = end + 1
    _warn_dropped("ptc", dropped)
    return out


def _only(layer: str | None, *layers: str) -> None:
    if layer is not None and layer not in layers:
        raise CorpusError(f"has labels for layer {' and '.join(layers)} only, not {layer!r}")


def read_semeval2023(path: Path, layer: str | None) -> list[Example]:
    """SemEval-2023 task 3: <lang>/{train,dev,test}-labels-subtask-{2,3}.txt + *-articles-subtask-{2,3}/"""
    _only(layer, FRAME, TECHNIQUE)
    subtasks = {"2": FRAME, "3": TECHNIQUE}
    langs = (
        [path]
        if any(path.glob("*-labels-subtask-*.txt"))
        else sorted(p for p in path.iterdir() if p.is_dir())
    )
    out, dropped, missing = [], Counter[str](), 0
    texts: dict[Path, str] = {}

    def read(article: Path) -> str:  # subtask 3 has one label line per article line: read each file once
        if article not in texts:
            texts[article] = article.read_text(encoding="utf-8")
        return texts[article]

    for folder in langs:
        for labels_file in sorted(folder.glob("*-labels-subtask-[23].txt")):
            split, _, subtask = labels_file.stem.rpartition("-labels-subtask-")
            if layer not in (None, subtasks[subtask]):
                continue
            # Articles are the same in both subtasks' folders; use whichever is there.
            dirs = [
                folder / f"{split}-articles-subtask-{s}" for s in (subtask, "3" if subtask == "2" else "2")
            ]
            common = {"language": _language(folder), "split": _split_of(labels_file, path)}
            for line in labels_file.read_text(encoding="utf-8").splitlines():
                fields = line.split("\t")
                if not fields[0].strip():
                    continue
                article = next(
                    (d / f"article{fields[0]}.txt" for d in dirs if (d / f"article{fields[0]}.txt").exists()),
                    None,
                )
                if article is None:
                    missing += 1
                    continue
                if subtask == "2":  # ID<TAB>frame,frame
                    labels = _map(fields[1].split(",") if len(fields) > 1 else [], _FRAMES, dropped)
                    text = read(article)
                    out.append(
                        Example(text, labels, group=fields[0], id=fields[0], level="article", **common)
                    )
                else:  # ID<TAB>LINE<TAB>tech,tech ; LINE is 1-based over the article file's lines
                    names = fields[2].split(",") if len(fields) > 2 else []
                    text = read(article).splitlines()[int(fields[1]) - 1]
                    out.append(
                        Example(
                            text,
                            _map(names, _TECHNIQUES, dropped),
                            group=fields[0],
                            id=f"{fields[0]}:{fields[1]}",
                            level="paragraph",
                            **common,
                        )
                    )
    if missing:
        log.warning("semeval2023: %d labelled articles have no article file beside the labels", missing)
    _warn_dropped("semeval2023", dropped)
    return out


def read_labelled(path: Path, layer: str | None) -> list[Example]:
    """.jsonl files of labelled texts: {"id", "text", "labels": [taxonomy ids], optional "language",
    "level", "group", "split"} (the project's hand-labelled framing examples in data/framing), and for
    check_worthiness a boolean "check_worthy" beside the claim labels (the news sentences of data/claims)"""
    valid = set(LAYERS[layer]) if layer in LAYERS else None
    known = set().union(*LAYERS.values())
    out: list[Example] = []
    for file, split, n, line in _jsonl_lines(path):
        row = json.loads(line)
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "labels" not in row:
            raise CorpusError(f"{file}, line {n}: expected an object with \"text\" and \"labels\"")
        labels = set(row["labels"])
        if layer == CHECK_WORTHINESS and isinstance(row.get("check_worthy"), bool):
            # a claim set that also says whether each sentence is worth checking (data/claims/news)
            labels = {CHECK_WORTHY} if row["check_worthy"] else set()
        elif valid is not None:
            unknown = labels - known
            if unknown:
                raise CorpusError(f"{file}, line {n}: unknown label ids {sorted(unknown)}")
            labels &= valid
            # a file of another layer's labels (frames read for techniques) says nothing here
            if row["labels"] and not labels:
                continue
        ident = str(row.get("id") or f"{file.stem}:{n}")
        out.append(Example(row["text"], frozenset(labels), group=str(row.get("group") or ident), id=ident,
                           language=row.get("language"), split=row.get("split") or split,
                           level=row.get("level") or "paragraph"))
    return out


FORMATS: dict[str, Callable[[Path, str | None], list[Example]]] = {
    "jsonl": read_jsonl,
    "labelled": read_labelled,
    "checkthat": read_checkthat,
    "claimbuster": read_claimbuster,
    "lines": read_lines,
    "semeval2021-memes": read_semeval2021_memes,
    "ptc": read_ptc,
    "semeval2023": read_semeval2023,
}


def read_corpus(spec: str, layer: str | None = None) -> list[Example]:
    """spec is 'FORMAT:PATH'. Raises CorpusError naming the format, the path and what is wrong."""
    fmt, sep, raw = spec.partition(":")
    if not sep or fmt not in FORMATS:
        raise CorpusError(
            f"{spec!r}: unknown corpus format {fmt!r}; expected FORMAT:PATH, formats: {', '.join(FORMATS)}"
        )
    path = Path(raw).expanduser()
    if not path.exists():
        raise CorpusError(f"{fmt}:{path}: no such file or folder")
    reader = FORMATS[fmt]
    try:
        examples = reader(path, layer)
    except CorpusError as e:
        raise CorpusError(f"{fmt}:{path}: {e.message}", e.code) from e
    except (OSError, UnicodeDecodeError, ValueError, KeyError, IndexError) as e:
        raise CorpusError(f"{fmt}:{path}: not readable as {reader.__doc__} ({type(e).__name__}: {e})") from e
    if not examples:
        for_layer = f" for layer {layer!r}" if layer else ""
        raise CorpusError(f"{fmt}:{path}: no examples found{for_layer}; expected {reader.__doc__}", "E015")
    return examples
