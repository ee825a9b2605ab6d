"""The language modules of the claim layer, found by name: ``claims/xx.py`` serves documents whose
language is ``xx`` (its ISO 639-1 code, or 639-3 where there is none). Nothing to register."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache, lru_cache

from annotator.taggers.claims.language import Language

_PACKAGE = __name__.rsplit(".", 1)[0]
_CODE = re.compile(r"[a-z]{2,3}")  # a module named so is a language; the shared modules have longer names


@lru_cache(maxsize=1)
def codes() -> tuple[str, ...]:
    """The codes of the languages that have a module."""
    folders = importlib.import_module(_PACKAGE).__path__
    return tuple(sorted({m.name for m in pkgutil.iter_modules(folders) if _CODE.fullmatch(m.name)}))


@cache
def get(code: str | None) -> Language:
    """The language's rules, or none at all (every section empty) for a language without a module."""
    if code not in codes():
        return Language(code or "")
    language = importlib.import_module(f"{_PACKAGE}.{code}").LANGUAGE
    if not isinstance(language, Language) or language.code != code:
        raise TypeError(f"{_PACKAGE}.{code} must define LANGUAGE = Language(code={code!r}, ...)")
    return language
