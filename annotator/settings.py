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
        out[key] = (_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict)
                    else value)
    return out


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    values = tomllib.loads((Path(__file__).with_name("settings.toml")).read_text("utf-8"))
    user = Path(os.environ.get("ANNOTATOR_CONFIG", Path.home() / ".config" / "annotator" / "settings.toml"))
    if user.is_file():
        try:
            own = tomllib.loads(user.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{user}: not valid TOML ({exc})") from None
        values = _merge(values, _renamed(own))
    return values


# Keys that moved: (old section, old key) -> (new section, new key). A user's file keeps working.
RENAMED = {("claims", "encoder"): ("annotation", "encoder")}


def _renamed(own: dict[str, Any]) -> dict[str, Any]:
    out = {section: dict(keys) if isinstance(keys, dict) else keys for section, keys in own.items()}
    for (section, key), (new_section, new_key) in RENAMED.items():
        old = out.get(section)
        if isinstance(old, dict) and key in old:
            value = old.pop(key)
            out.setdefault(new_section, {}).setdefault(new_key, value)  # the new name wins when both are set
            if not old:
                del out[section]
    return out
