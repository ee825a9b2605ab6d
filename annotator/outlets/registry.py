"""The outlet registry (data/outlets/registry.jsonl, built by `annotator outlets import`): lookups by
address, by name and by the self-references an outlet prints on its own pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from annotator import paths

REGISTRY = paths.DATA / "outlets" / "registry.jsonl"


# Where ISO's name is not the one news copy uses (pycountry's common_name covers Iran, Taiwan, Bolivia...)
_SHORT_NAMES = {"RU": "Russia", "KR": "South Korea", "KP": "North Korea", "SY": "Syria", "VE": "Venezuela",
                "MD": "Moldova", "VN": "Vietnam", "LA": "Laos", "TZ": "Tanzania", "GB": "United Kingdom",
                "US": "United States", "XK": "Kosovo"}


def country_name(code: str | None) -> str:
    if not code:
        return "country unknown"
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or getattr(country, "name", code) if country else code


def profile_line(name: str, country: str | None, affiliation: str, owner: str | None,
                 legal_status: list[dict[str, Any]]) -> str:
    """One line for people: «RT en français · Russia · state-controlled (ANO TV-Novosti) · EU broadcast
    ban since 2022-03-01»."""
    parts = [name, country_name(country), affiliation.replace("_", "-")]
    if owner:
        parts[-1] += f" ({owner})"
    for status in legal_status:
        parts.append(f"{status.get('measure', 'legal measure')} since {status.get('date', '?')}")
    return " · ".join(parts)


def fact(row: dict[str, Any], key: str) -> Any:
    """The value of a fact ({"value": ..., "source": ...}) or of a plain field."""
    value = row.get(key)
    return value.get("value") if isinstance(value, dict) else value


@dataclass(frozen=True)
class OutletEntry:
    row: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def name(self) -> str:
        return str(self.row.get("name") or self.id)

    @property
    def kind(self) -> str:
        return str(self.row.get("kind") or "outlet")

    @property
    def languages(self) -> list[str]:
        return list(self.row.get("languages") or [])

    @property
    def country(self) -> str | None:
        return fact(self.row, "country")

    @property
    def owner(self) -> str | None:
        return fact(self.row, "owner")

    @property
    def state_affiliation(self) -> str:
        return fact(self.row, "state_affiliation") or "unknown"

    def summary(self) -> str:
        return profile_line(self.name, self.country, self.state_affiliation, self.owner,
                            self.row.get("legal_status") or [])


_ARTICLE = re.compile(r"^(?:le|la|les|l['’]|the|el|il|der|die|das)\s*", re.IGNORECASE)


def _trie(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, its alternatives sharing their prefixes. The
    longer word is tried first where one is a prefix of another ("RT en français" before "RT"): each
    optional tail is greedy, and the engine backs off to the shorter word when the longer one fails."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


def _core(name: str) -> str:
    return _ARTICLE.sub("", name.strip())


def host_of(url: str) -> str | None:
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    # a host has a dot: "hard::page.html" and other non-addresses are not hosts
    return host.lower().removeprefix("www.") if host and "." in host else None


class OutletRegistry:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.entries = {row["id"]: OutletEntry(row) for row in rows}
        self.by_domain: dict[str, OutletEntry] = {}
        for entry in self.entries.values():
            for domain in entry.row.get("domains") or []:
                self.by_domain.setdefault(domain.lower().removeprefix("www."), entry)
        self._names: dict[str, list[OutletEntry]] = {}
        self._spellings: dict[str, set[str]] = {}
        for entry in self.entries.values():
            for name in self._names_of(entry):
                self._names.setdefault(name.casefold(), []).append(entry)
                self._spellings.setdefault(name.casefold(), set()).add(_core(name))
        self._pattern = self._compile(self._names)

    @classmethod
    def load(cls, path: Path | None = None) -> OutletRegistry:
        file = path or REGISTRY
        rows = [json.loads(line) for line in file.read_text("utf-8").splitlines() if line.strip()] \
            if file.exists() else []
        return cls(rows)

    @staticmethod
    def _names_of(entry: OutletEntry) -> list[str]:
        # Names that stand for an outlet in running text. Imported rows named after their domain
        # ("example.com") and one-word lower-case names would match ordinary words.
        names = [entry.name, *(entry.row.get("aliases") or [])]
        return [n for n in names if n and len(n) >= 2 and n[0].isupper() and "." not in n.split()[-1]]

    @staticmethod
    def _compile(names: dict[str, list[OutletEntry]]) -> re.Pattern[str] | None:
        if not names:
            return None
        # Word boundaries on both sides; the names as a trie, so that the engine reads each character
        # once rather than trying 1,200 names at every position (0.7 s of 51 articles otherwise).
        return re.compile(r"(?<![\w@])(?:" + _trie(names) + r")(?![\w-])", re.IGNORECASE)

    def get(self, outlet_id: str) -> OutletEntry | None:
        return self.entries.get(outlet_id)

    def lookup_host(self, host: str | None) -> OutletEntry | None:
        """The outlet of a host, trying the host then each parent domain (fr.sputniknews.africa, then
        sputniknews.africa): language editions and subdomains resolve to their outlet."""
        if not host:
            return None
        labels = host.lower().removeprefix("www.").split(".")
        for i in range(len(labels) - 1):
            entry = self.by_domain.get(".".join(labels[i:]))
            if entry:
                return entry
        return None

    def lookup_url(self, url: str | None) -> OutletEntry | None:
        return self.lookup_host(host_of(url)) if url else None

    def candidates(self, name: str) -> list[OutletEntry]:
        return list(self._names.get(name.casefold().strip(), []))

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, name) of every outlet name in text[start:end]. Acronyms must be written in
        capitals ("AP", not "ap")."""
        if self._pattern is None:
            return []
        found = []
        for match in self._pattern.finditer(text, start, len(text) if end is None else end):
            word = match.group()
            # Case matters but for a leading article: "selon le Monde" is Le Monde, "le monde entier"
            # and "ap" are not.
            if _core(word) in self._spellings.get(word.casefold(), ()):
                found.append((match.start(), match.end(), word))
        return found

    def search(self, query: str, limit: int = 30) -> list[OutletEntry]:
        """Outlets whose id, name, an alias or a domain holds ``query`` (any case): exact matches first,
        then those starting with it, then the rest; agencies last (they credit, they rarely publish)."""
        needle = " ".join(query.casefold().split())
        if not needle:
            return []
        found = []
        for entry in self.entries.values():
            keys = [entry.id, entry.name, *(entry.row.get("aliases") or []),
                    *(entry.row.get("domains") or [])]
            folded = [str(k).casefold() for k in keys if k]
            if any(needle in k for k in folded):
                rank = 0 if needle in folded else 1 if any(k.startswith(needle) for k in folded) else 2
                found.append((entry.kind == "agency", rank, len(entry.name), entry.id, entry))
        return [item[-1] for item in sorted(found, key=lambda item: item[:4])[:limit]]

    def signatures(self) -> list[tuple[str, OutletEntry]]:
        return [(sig, entry) for entry in self.entries.values() for sig in entry.row.get("signatures") or []]


@lru_cache(maxsize=1)
def default_registry() -> OutletRegistry:
    return OutletRegistry.load()
