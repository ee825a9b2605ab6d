"""TF-IDF features of a whole article: word 1–2-grams and character 3–5-grams, with numpy alone.

What tells one outlet's pages from another's is house style: the same furniture lines, sign-offs,
section names, datelines and turns of phrase in article after article. Exact n-grams catch those from
a handful of examples, where a sentence encoder (which reads meaning, and only the first 512 tokens)
does not. The vocabulary keeps the n-grams seen in at least ``min_df`` training articles, so the
one-off content of a single story is left out and what recurs stays.

Training and prediction use this one class, so the features cannot drift apart; prediction needs
numpy only (no scikit-learn in `annotate`). Saved as ``features.json`` (vocabulary and settings) and
``features.safetensors`` (the idf weights) in a model's registry folder.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

FILE_JSON = "features.json"
FILE_ARRAYS = "features.safetensors"
KIND = "tfidf-words1-2+chars3-5"

_WORD = re.compile(r"\w+")


def grams(text: str, char_sizes: tuple[int, ...] = (3, 4, 5)) -> Counter[str]:
    """The n-grams of ``text`` with their counts: ``w word``, ``w word word`` and ``c chars`` (lower case,
    white space folded to single spaces, so a line break and a space read the same)."""
    folded = " ".join(text.casefold().split())
    words = _WORD.findall(folded)
    out: Counter[str] = Counter(f"w {w}" for w in words)
    out.update(f"w {a} {b}" for a, b in itertools.pairwise(words))
    for n in char_sizes:
        out.update(f"c {folded[i:i + n]}" for i in range(len(folded) - n + 1))
    return out


class TextFeatures:
    """Sublinear TF × smoothed IDF over a fixed vocabulary; the word and character blocks are each
    L2-normalised and weighted equally, so thousands of character n-grams do not drown the words."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray,
                 char_sizes: tuple[int, ...] = (3, 4, 5)) -> None:
        self.vocabulary = list(vocabulary)
        self.index = {gram: j for j, gram in enumerate(self.vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.char_sizes = tuple(char_sizes)
        self.is_word = np.array([g.startswith("w ") for g in self.vocabulary], dtype=bool)

    @classmethod
    def fit(cls, texts: Iterable[str], min_df: int = 2, max_features: int = 40000,
            char_sizes: tuple[int, ...] = (3, 4, 5)) -> TextFeatures:
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            df.update(grams(text, char_sizes).keys())
            n += 1
        kept = [(count, gram) for gram, count in df.items() if count >= min_df]
        kept.sort(key=lambda item: (-item[0], item[1]))  # the most widespread first, ties by name: stable
        vocabulary = sorted(gram for _, gram in kept[:max_features])
        idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in vocabulary])
        return cls(vocabulary, idf, char_sizes)

    def __len__(self) -> int:
        return len(self.vocabulary)

    def rows(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The features as CSR parts (data, indices, indptr): ``scipy.sparse.csr_matrix`` takes them."""
        data: list[float] = []
        indices: list[int] = []
        indptr = [0]
        for text in texts:
            found = [(self.index[g], c) for g, c in grams(text, self.char_sizes).items() if g in self.index]
            found.sort()
            cols = np.array([j for j, _ in found], dtype=np.int64)
            values = (np.array([1.0 + math.log(c) for _, c in found]) * self.idf[cols] if found
                      else np.zeros(0))
            if found:
                words = self.is_word[cols]
                for block in (words, ~words):
                    norm = float(np.linalg.norm(values[block]))
                    if norm:
                        values[block] /= norm * math.sqrt(2)
            data.extend(values.tolist())
            indices.extend(cols.tolist())
            indptr.append(len(indices))
        return (np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64),
                np.array(indptr, dtype=np.int64))

    def dense(self, texts: list[str]) -> np.ndarray:
        data, indices, indptr = self.rows(texts)
        X = np.zeros((len(texts), len(self)))
        for i in range(len(texts)):
            X[i, indices[indptr[i]:indptr[i + 1]]] = data[indptr[i]:indptr[i + 1]]
        return X

    def describe(self) -> dict[str, Any]:
        return {"kind": KIND, "char_sizes": list(self.char_sizes), "size": len(self)}

    def save(self, folder: Path) -> None:
        from safetensors.numpy import save_file

        (folder / FILE_JSON).write_text(json.dumps({**self.describe(), "vocabulary": self.vocabulary},
                                                   ensure_ascii=False) + "\n", "utf-8")
        save_file({"idf": np.ascontiguousarray(self.idf)}, str(folder / FILE_ARRAYS))

    @classmethod
    def load(cls, folder: Path) -> TextFeatures:
        from safetensors import safe_open

        meta = json.loads((folder / FILE_JSON).read_text("utf-8"))
        if meta.get("kind") != KIND:
            raise ValueError(f"{folder / FILE_JSON}: features of kind {meta.get('kind')!r}, not {KIND!r}")
        with safe_open(str(folder / FILE_ARRAYS), "np") as handle:
            idf = handle.get_tensor("idf")
        return cls(meta["vocabulary"], idf, tuple(meta["char_sizes"]))

    @staticmethod
    def present(folder: Path) -> bool:
        return (folder / FILE_JSON).exists() and (folder / FILE_ARRAYS).exists()
