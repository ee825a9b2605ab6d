"""Settings: the packaged defaults (settings.toml beside this file), overridden key by key by the user's
file ($ANNOTATOR_CONFIG, else ~/.config/annotator/settings.toml)."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    values = tomllib.loads((Path(__file__).with_name("settings.toml")).read_text("utf-8"))
    user = Path(os.environ.get("ANNOTATOR_CONFIG", Path.home() / ".config" / "annotator" / "settings.toml"))
    if user.is_file():
        try:
            values = _merge(values, tomllib.loads(user.read_text("utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{user}: not valid TOML ({exc})") from None
    return values
