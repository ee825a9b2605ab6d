"""Where the project's own data, models and caches live.

ANNOTATOR_HOME moves all of them (an installed copy); ANNOTATOR_MODELS moves only the registry of fitted
heads (tests, a team's shared folder), leaving the provisioned encoders and the embedding cache where
`make setup` put them.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("ANNOTATOR_HOME", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
LEXICONS = DATA / "lexicons"
MODELS = Path(os.environ.get("ANNOTATOR_MODELS", ROOT / "models"))
ENCODERS = ROOT / "models" / "_encoders"
CACHE = ROOT / "models" / "_cache"
