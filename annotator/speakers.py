"""Who speaks: the people a document names, the titles that stand for them, and the speaker of a quote.

"le président russe Vladimir Poutine" teaches that "le président russe" is Vladimir Poutine, so that
«selon les dires du président russe» resolves to him; "Poutine" alone resolves to the full name met
earlier. Shared by the provenance layer (quotes) and the claim layer (attribution).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from annotator import paths
from annotator.document import Document

_STOP = {"le", "la", "les", "l", "du", "de", "des", "d", "the", "of", "a", "an", "son", "sa", "ses", "his",
         "her", "its", "their", "leur", "notre", "our", "et", "and", "à", "au", "aux", "en"}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return json.loads((paths.LEXICONS / "attribution.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    verbs = sorted({v for vs in lex["reporting_verbs"].values() for v in vs}, key=len, reverse=True)
    # written forms and their accent-less spellings ("Etat" is as common as "État" in news copy)
    roles = sorted({form for rs in lex["role_nouns"].values() for r in rs for form in (r, _plain(r))},
                   key=len, reverse=True)
    verb = "|".join(re.escape(v) for v in verbs)
    role = "|".join(re.escape(r).replace("'", "['’]") for r in roles)
    return {
        # (used with .match(text, pos): anchored at pos, so no "^", which would anchor at the string start)
        # closing mark, then an optional auxiliary and adverb, then the reporting verb: «...», a ainsi dit X
        "verb_after": re.compile(rf"[\s,»”\"“]*(?:(?:a|ont|avait|avaient|aurait|a-t-il|a-t-elle|has|had)\s+)?"
                                 rf"(?:(?:ainsi|encore|alors|également|aussi|enfin|notamment|then|also)\s+)?"
                                 rf"(?:{verb})\b", re.IGNORECASE),
        # or the speaker first: ," the Russian president said; », Vladimir Poutine a-t-il dit
        "who_then_verb": re.compile(rf"[\s,»”\"“]*(?P<who>[^.,;:«»\"“”\n]{{2,60}}?)\s+"
                                    rf"(?:(?:a|has|had)\s+)?(?:{verb})\b", re.IGNORECASE),
        "verb": re.compile(rf"(?<!\w)(?:{verb})(?!\w)", re.IGNORECASE),
        # a title right before a name (le président russe Vladimir Poutine; Russian President Vladimir Putin)
        "role_before": re.compile(rf"(?:(?<=\s)|^)(?P<role>(?:[A-Z][\w-]+\s+)?(?:{role})"
                                  rf"(?:\s+[\w'’-]+){{0,4}}?)\s*,?\s*$", re.IGNORECASE),
        # a title right after a name, between commas (John Bolton, conseiller à la sécurité nationale,)
        "role_after": re.compile(rf"\s*,\s*(?P<role>(?:{role})[^,.;:«»\"]{{0,80}})", re.IGNORECASE),
        "role_mention": re.compile(rf"\b(?:le|la|l['’]|du|de la|au|à la|the|this|that)\s+"
                                   rf"(?P<role>(?:[a-z][\w-]+\s+)?(?:{role})(?:\s+[\w'’-]+){{0,3}})",
                                   re.IGNORECASE),
        "role": re.compile(rf"(?:{role})", re.IGNORECASE),
    }


def pats_role(phrase: str) -> bool:
    """Whether a phrase holds a title word at all."""
    return bool(_patterns()["role"].search(phrase))


def role_key(phrase: str) -> frozenset[str]:
    """The words of a title, synonyms made one: "chef de l'Etat russe" and "président russe" agree."""
    text = _plain(phrase)
    for synonym, canonical in sorted(lexicon()["role_synonyms"].items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"(?<!\w){re.escape(_plain(synonym))}(?!\w)", canonical, text)
    return frozenset(w for w in re.findall(r"[\w-]+", text) if w not in _STOP)


@dataclass
class Person:
    start: int
    end: int
    name: str


class Speakers:
    """The people of one parsed document and the titles that name them."""

    def __init__(self, document: Document) -> None:
        self.text = document.text
        self.people: list[Person] = []
        for offset, doc in document.parsed:
            for ent in getattr(doc, "ents", ()):
                if ent.label_ in ("PER", "PERSON") and len(ent.text.strip()) > 2:
                    self.people.append(Person(offset + ent.start_char, offset + ent.end_char,
                                              ent.text.strip()))
        self.paragraphs = document.paragraphs
        self.full_names = sorted({p.name for p in self.people if " " in p.name}, key=len, reverse=True)
        self.roles: list[tuple[frozenset[str], str, int]] = []  # (title key, full name, where it was said)
        pats = _patterns()
        for person in self.people:
            start, _ = self._paragraph(person.start)
            before = self.text[max(start, person.start - 80) : person.start]
            after = self.text[person.end : person.end + 100]
            for match in (pats["role_before"].search(before), pats["role_after"].match(after)):
                if match and pats["role"].search(match.group("role")):
                    self.roles.append((role_key(match.group("role")), self.full_name(person.name),
                                       person.start))

    def _paragraph(self, at: int) -> tuple[int, int]:
        for start, end in self.paragraphs:
            if start <= at < end:
                return start, end
        return at, at

    def full_name(self, name: str) -> str:
        """"Poutine" -> "Vladimir Poutine" when the document named him in full."""
        if " " in name:
            return name
        return next((full for full in self.full_names if full.split()[-1] == name), name)

    def resolve_role(self, phrase: str, before: int) -> str | None:
        """The person a title stands for: the latest apposition before `before` whose title words
        include the phrase's."""
        words = phrase.split()
        # the longest head of the phrase that is a known title:
        # "Russian president said" -> "Russian president"
        for n in range(len(words), 0, -1):
            key = role_key(" ".join(words[:n]))
            found = [(at, name) for title, name, at in self.roles if key and key <= title and at <= before]
            if found and pats_role(" ".join(words[:n])):
                return max(found)[1]
        return None

    def named_in(self, start: int, end: int) -> tuple[str, int, int] | None:
        """The first person or resolvable title in text[start:end]: (name, span start, span end)."""
        pats = _patterns()
        person = next((p for p in self.people if start <= p.start and p.end <= end), None)
        role = pats["role_mention"].search(self.text, start, end)
        if role and (person is None or role.start() < person.start):
            name = self.resolve_role(role.group("role"), role.start())
            if name:
                return name, role.start(), role.end()
        if person:
            return self.full_name(person.name), person.start, person.end
        return None

    def speaker_of_quote(self, start: int, end: int) -> tuple[str, str] | None:
        """(speaker, cue) of the quote text[start:end] when the sentence around it names one."""
        pats = _patterns()
        p_start, p_end = self._paragraph(start)
        after_end = min(p_end, end + 160)
        verb = pats["verb_after"].match(self.text, end, after_end)
        if verb:
            stop = self.text.find(".", verb.end(), after_end)
            named = self.named_in(verb.end(), stop if stop > 0 else after_end)
            if named:
                return named[0], self.text[verb.start() : named[2]].strip(" ,»”\"")
        who = pats["who_then_verb"].match(self.text, end, after_end)
        if who:
            named = self.named_in(who.start("who"), who.end("who"))
            if named:
                return named[0], who.group().strip(" ,»”\"")
        window_start = max(p_start, start - 200)
        sentence_start = max(self.text.rfind(".", window_start, start) + 1, window_start)
        before = self.text[sentence_start:start]
        people = [p for p in self.people if sentence_start <= p.start and p.end <= start]
        if people and pats["verb"].search(self.text, people[-1].end, start):
            return self.full_name(people[-1].name), self.text[people[-1].start : start].strip(" :«“\"")
        role = list(pats["role_mention"].finditer(before))
        if role and pats["verb"].search(before, role[-1].end()):
            name = self.resolve_role(role[-1].group("role"), sentence_start + role[-1].start())
            if name:
                return name, before[role[-1].start() :].strip(" :«“\"")
        return None


def speakers_of(document: Document) -> Speakers:
    """The document's Speakers, built once for every tagger that asks (provenance, then claims)."""
    if document.speakers is None:
        document.speakers = Speakers(document)
    return document.speakers  # type: ignore[no-any-return]
