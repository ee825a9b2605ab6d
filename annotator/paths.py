"""Where the project's own data, models and caches live.

ANNOTATOR_HOME moves all of them (an installed copy); ANNOTATOR_MODELS moves only the registry of fitted
heads (tests, a team's shared folder), leaving the provisioned encoders and the embedding cache where
`make setup` put them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ROOT = Path(os.environ.get("ANNOTATOR_HOME", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
LEXICONS = DATA / "lexicons"
MODELS = Path(os.environ.get("ANNOTATOR_MODELS", ROOT / "models"))
ENCODERS = ROOT / "models" / "_encoders"
CACHE = ROOT / "models" / "_cache"


def sha256(path: Path) -> str:
    """A file's sha256, read in 1 MiB blocks: the export manifest's and the model registry's checksums."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
