"""A transformers sentence encoder with an embedding cache.

Which encoder: the `encoder` argument (--encoder), else $ANNOTATOR_ENCODER, else the `encoder.model`
setting, else the multilingual-e5-small folder that `make setup` provisions under models/_encoders/. A
local folder loads with no network; a hub id loads through the usual transformers cache (and needs the
hub, which these machines do not reach).

The cache keys each vector by (encoder version, text hash), so re-annotating and retraining never embed
the same text twice. The encoder version is a hash of the model's config and weights file, so a changed
model never reads a stale vector.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from pathlib import Path

import numpy as np

from annotator import paths
from annotator.settings import settings

DEFAULT_NAME = "multilingual-e5-small"


def fast_dtype() -> str:
    """bfloat16 where the CPU computes it natively (AVX-512 BF16 or AMX): twice the sentences per second,
    with embeddings at cosine >= 0.996 of float32's; float32 elsewhere, where bfloat16 would be emulated."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "float32"
    return "bfloat16" if ("avx512_bf16" in flags or "amx_bf16" in flags) else "float32"


def default_encoder_path() -> Path:
    return paths.ENCODERS / DEFAULT_NAME


def _version_of(location: str) -> str:
    folder = Path(location)
    digest = hashlib.sha256()
    if folder.is_dir():
        for name in ("config.json", "tokenizer.json", "model.safetensors"):
            file = folder / name
            if file.exists():
                stat = file.stat()
                digest.update(f"{name}:{stat.st_size}".encode())
                with file.open("rb") as handle:  # head of the file: enough to tell two weight files apart
                    digest.update(handle.read(1 << 20))
        label = folder.name
    else:
        digest.update(location.encode())
        label = location.replace("/", "--")
    return f"{label}@{digest.hexdigest()[:12]}"


def _load_lean(folder: Path, dtype: object) -> object | None:
    """Build the model empty and fill it one tensor at a time in the working precision.

    from_pretrained holds the float32 weights and their cast copy at once (~1 GB at peak for e5-small);
    this peaks at the cast weights plus one tensor. None where the folder holds something unexpected, and
    the caller falls back to from_pretrained.
    """
    import torch
    from transformers import AutoConfig, AutoModel

    config = AutoConfig.from_pretrained(folder, local_files_only=True)
    with torch.device("meta"):
        model = AutoModel.from_config(config, dtype=dtype)
    state = _read_safetensors(folder / "model.safetensors", dtype)
    if state is None:
        return None
    result = model.load_state_dict(state, assign=True, strict=False)
    if result.missing_keys or result.unexpected_keys:
        return None
    # Non-persistent buffers are not in the file: rebuild the two a BERT-style embedding layer has.
    for owner_name, owner in model.named_modules():
        for name, buffer in list(owner.named_buffers(recurse=False)):
            if not buffer.is_meta:
                continue
            if name == "position_ids":
                owner.register_buffer(name, torch.arange(buffer.shape[-1]).expand(buffer.shape),
                                      persistent=False)
            elif name == "token_type_ids":
                owner.register_buffer(name, torch.zeros(buffer.shape, dtype=torch.long), persistent=False)
            else:
                return None
    return model.eval()


def _read_safetensors(file: Path, dtype: object) -> dict[str, object] | None:
    """A float32 safetensors file read with plain reads, in row blocks, cast as it goes.

    safetensors' own loader maps the file, and every mapped page counts in the process's memory until
    the map closes: 470 MB on top of the model for e5-small. None for files holding other dtypes.
    """
    import torch

    out: dict[str, object] = {}
    with file.open("rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(size))
        base = 8 + size
        for name, spec in header.items():
            if name == "__metadata__":
                continue
            if spec["dtype"] != "F32":
                return None
            shape, (begin, end) = spec["shape"], spec["data_offsets"]
            tensor = torch.empty(shape, dtype=dtype)  # type: ignore[call-overload]
            flat = tensor.view(-1)
            handle.seek(base + begin)
            step = 4 << 20  # 4 M values, 16 MB, per read
            for start in range(0, (end - begin) // 4, step):
                chunk = np.frombuffer(handle.read(min(step, (end - begin) // 4 - start) * 4), dtype="<f4")
                flat[start : start + len(chunk)] = torch.from_numpy(chunk.copy())
            out[name] = tensor
    return out


class EmbeddingCache:
    """SQLite key-value store of vectors: one file, safe for several processes (WAL)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, data BLOB)")
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                rows = self._db.execute(
                    f"SELECT key, data FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
                found.update({k: np.frombuffer(d, dtype=np.float32) for k, d in rows})
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(k, v.shape[0], v.astype(np.float32).tobytes()) for k, v in items.items()],
            )

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]


class CachedEncoder:
    """What every encoder shares: a version, the cache keyed by (version, text hash), and `encode`,
    which embeds (with `_embed`) only the texts the cache lacks."""

    def __init__(self, version: str, cache: Path | None | bool, threads: int | None) -> None:
        self.version = version
        cache_path = paths.CACHE / "embeddings.sqlite" if cache is True else cache or None
        self.cache = EmbeddingCache(cache_path) if cache_path else None
        self.threads = threads or len(os.sched_getaffinity(0))
        self.embedded = 0  # texts actually run through the model (not found in the cache)
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        raise NotImplementedError

    def _embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def key(self, text: str) -> str:
        return f"{self.version}:{hashlib.sha256(text.encode()).hexdigest()}"

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised mean-pooled embeddings, one row per text, from the cache where possible."""
        keys = [self.key(t) for t in texts]
        cached = self.cache.get_many(list(set(keys))) if self.cache is not None else {}
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in cached))
        # In chunks, each cached as soon as it is done: an interrupted run over a large corpus keeps
        # what it embedded.
        for start in range(0, len(missing), 2048):
            chunk = missing[start : start + 2048]
            new = {self.key(t): v for t, v in zip(chunk, self._embed(chunk), strict=True)}
            if self.cache is not None:
                self.cache.put_many(new)
            cached.update(new)
        self.embedded += len(missing)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([cached[k] for k in keys]).astype(np.float32)


class Encoder(CachedEncoder):
    def __init__(
        self,
        encoder: str | Path | None = None,
        *,
        cache: Path | None | bool = True,
        batch_size: int | None = None,
        threads: int | None = None,
        prefix: str | None = None,
        dtype: str | None = None,
    ) -> None:
        config = settings()["encoder"]
        location = str(encoder or os.environ.get("ANNOTATOR_ENCODER") or config["model"]
                       or default_encoder_path())
        if Path(location).exists():
            location = str(Path(location).resolve())
        elif "/" not in location or location.startswith((".", "/")):
            raise FileNotFoundError(
                f"no encoder at {location}: run `make setup` to provision {DEFAULT_NAME}, or point "
                "--encoder / $ANNOTATOR_ENCODER to a transformers folder or hub id"
            )
        super().__init__(_version_of(location), cache, threads)
        self.location = location
        # e5 models were trained with these prefixes; "query: " is the one for classification features.
        self.prefix = prefix if prefix is not None else ("query: " if "e5" in location.lower() else "")
        self.batch_size = batch_size or int(config["batch_size"])
        # news sentences and paragraphs fit; attention cost grows with the square of length
        self.max_tokens = int(config["max_tokens"])
        # Precision is not part of the version: float32 and bfloat16 vectors of one model agree to
        # cosine >= 0.996, so heads and cached vectors are shared between machines of either kind.
        dtype = dtype or config["dtype"]
        self.dtype = fast_dtype() if dtype == "auto" else dtype
        self._model = None
        self._tokenizer = None

    def _load(self) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a bar per load is noise on a batch command's stderr
        torch.set_num_threads(self.threads)
        local = Path(self.location).is_dir()
        self._tokenizer = AutoTokenizer.from_pretrained(self.location, local_files_only=local)
        dtype = getattr(torch, self.dtype)
        weights = Path(self.location) / "model.safetensors"
        self._model = (_load_lean(Path(self.location), dtype) if local and weights.exists() else None) or \
            AutoModel.from_pretrained(self.location, local_files_only=local, dtype=dtype).eval()

    @property
    def dim(self) -> int:
        if self._model is None:
            self._load()
        return int(self._model.config.hidden_size)  # type: ignore[union-attr]

    def _embed(self, texts: list[str]) -> np.ndarray:
        import torch

        with self._lock:
            if self._model is None:
                self._load()
            model, tokenizer = self._model, self._tokenizer
            # Batches of similar length waste little on padding.
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            out = np.zeros((len(texts), model.config.hidden_size), dtype=np.float32)  # type: ignore[union-attr]
            with torch.inference_mode():
                for start in range(0, len(order), self.batch_size):
                    idx = order[start : start + self.batch_size]
                    batch = tokenizer(  # type: ignore[misc]
                        [self.prefix + texts[i] for i in idx], padding=True, truncation=True,
                        max_length=self.max_tokens, return_tensors="pt",
                    )
                    hidden = model(**batch).last_hidden_state.float()  # type: ignore[misc]  # pool in float32
                    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                    pooled = torch.nn.functional.normalize(pooled, dim=-1)
                    out[idx] = pooled.numpy()
            return out
