"""Where the project's own data and models live. ANNOTATOR_HOME moves both (tests, installed copies)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("ANNOTATOR_HOME", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
LEXICONS = DATA / "lexicons"
MODELS = ROOT / "models"
