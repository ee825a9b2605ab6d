"""The static tier: one vector per token, distilled once from multilingual-e5-small with model2vec.

A sentence's vector is the weighted mean of its tokens' vectors: no transformer runs while annotating, so
embedding costs a lookup per token (over 10,000 sentences/s on 2 cores against 30-110 for the
transformer here). model2vec's `distill` runs each vocabulary piece through the transformer once, alone,
then reduces the vectors with PCA and weights them by the piece's rank (SIF).

What the distillation keeps: the pieces in `data/encoders/static-vocabulary.txt` (44k of e5-small's
250k: every piece seen when tokenising news in the project's languages, every single character, and the
best-ranked Latin and Cyrillic pieces; how it was made is in that folder's SOURCE.md). A word whose
pieces were dropped is split into the kept ones. Distilling the full vocabulary takes about 30 minutes
and 3 GB on 2 cores; this one takes a few minutes in `make setup`.

The version of the static model is a hash of what it was made from (the source encoder's version, the
kept pieces and the distillation settings), not of its weights, so that a machine that distils it again
with other float rounding still uses the heads trained on it.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from annotator import paths
from annotator.learning.encoders.encoder import CachedEncoder, _version_of, default_encoder_path

NAME = "multilingual-e5-small-static"
VOCABULARY = paths.DATA / "encoders" / "static-vocabulary.txt"
PCA_DIMS = 256
RECIPE = "model2vec==0.10.0 distill_from_model pca_dims=256 sif_coefficient=1e-4 float16"


def default_static_path() -> Path:
    return paths.ENCODERS / NAME


def recipe_version(source: Path, vocabulary: Path = VOCABULARY) -> str:
    digest = hashlib.sha256()
    digest.update(_version_of(str(source.resolve())).encode())
    digest.update(vocabulary.read_bytes())
    digest.update(RECIPE.encode())
    return f"{NAME}@{digest.hexdigest()[:12]}"


class StaticEncoder(CachedEncoder):
    """model2vec's StaticModel over the distilled folder. No cache: a lookup in the SQLite cache costs
    more than embedding the text again."""

    def __init__(self, folder: str | Path | None = None, *, threads: int | None = None) -> None:
        folder = Path(folder or default_static_path())
        made = folder / "annotator.json"
        if not made.exists():
            raise FileNotFoundError(f"no static encoder at {folder}: run `make setup` (it distils one from "
                                    f"{default_encoder_path().name} in a few minutes)")
        super().__init__(json.loads(made.read_text("utf-8"))["version"], False, threads)
        self.location = str(folder)
        self._model = None

    def _load(self) -> None:
        from model2vec import StaticModel

        self._model = StaticModel.from_pretrained(self.location)

    @property
    def dim(self) -> int:
        if self._model is None:
            self._load()
        return int(self._model.dim)  # type: ignore[union-attr]

    def _embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._model is None:
                self._load()
            # no "query: " prefix: for token vectors it moves nothing useful (measured: CheckThat F1
            # 0.751 without, 0.745 with)
            vectors = self._model.encode(texts, show_progress_bar=False)  # type: ignore[union-attr]
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


def distil(out: Path, source: Path | None = None, vocabulary: Path = VOCABULARY) -> dict[str, object]:
    """Distil the static model from the transformers folder into ``out``, keeping ``vocabulary``'s
    pieces. Needs torch, transformers and skeletoken (installed by `make setup`); never at run time."""
    import torch
    from model2vec.distill import distill_from_model
    from skeletoken import TokenizerModel
    from skeletoken.external.transformers import reshape_embeddings
    from transformers import AutoModel, AutoTokenizer

    source = source or default_encoder_path()
    started = time.perf_counter()
    torch.manual_seed(0)
    model = AutoModel.from_pretrained(source, dtype=torch.float32, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
    wanted = set(vocabulary.read_text("utf-8").splitlines())
    pieces = TokenizerModel.from_transformers_tokenizer(tokenizer)
    dropped = [t for t in pieces.sorted_vocabulary
               if t not in wanted and t not in tokenizer.all_special_tokens]
    pieces = pieces.remove_tokens_from_vocabulary(dropped)
    model = reshape_embeddings(model, pieces)
    print(f"distilling {len(wanted):,} pieces of {source.name} (a few minutes on 2 cores)...",
          file=sys.stderr)
    static = distill_from_model(model=model, tokenizer=pieces.to_transformers(), pca_dims=PCA_DIMS)
    out.mkdir(parents=True, exist_ok=True)
    static.save_pretrained(str(out))
    info = {"version": recipe_version(source, vocabulary), "source": _version_of(str(source.resolve())),
            "pieces": int(static.embedding.shape[0]), "dim": int(static.embedding.shape[1]), "recipe": RECIPE,
            "seconds": round(time.perf_counter() - started, 1)}
    (out / "annotator.json").write_text(json.dumps(info, indent=2) + "\n", "utf-8")
    return info


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default_static_path()
    print(json.dumps(distil(target), indent=2))
