"""Where the content comes from: wire and photo credits, cited outlets, and quotes with their speaker.

A credit («Source: Reuters», «© AFP», «(AFP)») and a cited outlet («selon le New York Times») carry the
registry's outlet_id when it knows them. They never make the publisher: the outlet layer reads them
only to leave them out.
"""

from __future__ import annotations

import re

from annotator import taxonomy
from annotator.document import Document
from annotator.outlets.registry import OutletEntry, OutletRegistry, default_registry
from annotator.record import Annotation
from annotator.speakers import speakers_of
from annotator.taggers import PARSE, agent, rules_agents

_CREDIT_LABEL = (r"(?:Sources?|Crédits?(?:\s+photos?)?|Photos?|Images?|Vidéo|Video|Credits?|Foto|Bild|"
                 r"Фото|Источник)")
_CREDITS = [
    # © Alexander NEMENOV / POOL, © AFP 2024: up to the next credit, two spaces or the line end
    re.compile(r"©\s*(?P<who>[^\n©]{2,80}?)(?=\s+" + _CREDIT_LABEL + r"\s*:|\s{2,}|\n|$)"),
    # Source: Reuters; Crédit photo : Bestimage; Photo: John Smith/AP
    re.compile(r"(?<!\w)" + _CREDIT_LABEL + r"\s*:\s*(?P<who>[^\n,;:©]{2,60}?)(?=\s*(?:[,;\n©]|$|\s{2,}))"),
    # GENÈVE (AFP) - ; (Reuters)
    re.compile(r"\((?P<who>[A-Z][\w.&-]{1,20}(?:[ /-][A-Z][\w.&-]{1,20}){0,2})\)"),
    # Le Monde avec AFP; With Reuters
    re.compile(r"(?<!\w)(?:avec|with|mit|con)\s+(?P<who>(?:l['’]|the\s+)?[A-Z][\w.&-]{1,20}"
               r"(?:\s+(?:et|and|und|y|e)\s+[A-Z][\w.&-]{1,20})?)(?=\s*$|\s*\n)", re.MULTILINE),
]
_CITING_BEFORE = re.compile(
    r"(?:selon|d['’]après|a rapporté|ont rapporté|rapporte|révèle|a révélé|cité(?:e)? par|relayé(?:e)? par|"
    r"interrogé(?:e)? par|à l['’]antenne de|au micro de|dans les colonnes d[eu]|"
    r"dans un entretien (?:accordé )?(?:à|au)|"
    r"a confié à|a déclaré à|a indiqué à|a affirmé à|a dit à|"
    r"according to|reported by|told|in an interview with|quoted by|cited by|speaking to|writing in|"
    r"laut|berichtete|según|informó|secondo|согласно|по данным|сообщает)"
    r"\s+(?:(?:le|la|les|l['’]|du|de la|au|the|el|la|il|der|die)\s+)?"
    r"(?:(?:quotidien|journal|site|agence|chaîne|radio|"
    r"magazine|hebdomadaire|newspaper|agency|broadcaster|daily|news agency|network)\s+(?:\w+\s+)?)?$",
    re.IGNORECASE)
_CITING_AFTER = re.compile(r"^\s*(?:a rapporté|rapporte|révèle|a révélé|a indiqué|indique|affirme|a affirmé|"
                           r"a annoncé|annonce|reported|reports|revealed|said|says|wrote|writes|berichtet|"
                           r"informó)\b",
                           re.IGNORECASE)
_QUOTES = re.compile(r"«\s*(?P<a>[^«»]+?)\s*»|“(?P<b>[^“”]+?)”|„(?P<c>[^„“”]+?)[“”]|"
                     r"(?<![\w\"])\"(?P<d>[^\"\n]+?)\"(?![\w])")


class ProvenanceTagger:
    name = "provenance"
    version = "2026-11-25.1"
    reads = (PARSE, taxonomy.STRUCTURE)
    writes = (f"{taxonomy.PROVENANCE}/credit", f"{taxonomy.PROVENANCE}/cited_outlet",
              f"{taxonomy.PROVENANCE}/quote")

    def __init__(self, registry: OutletRegistry | None = None) -> None:
        self.registry = registry or default_registry()

    def _agent(self) -> str:
        return agent(self)

    def current_agents(self) -> dict[tuple[str, str], str]:
        return rules_agents(self)

    def _known(self, who: str, *, agencies_only: bool = False) -> OutletEntry | None:
        for start, end, name in self.registry.mentions(who):
            entries = [e for e in self.registry.candidates(name) if not agencies_only or e.kind == "agency"]
            if entries:
                return next((e for e in entries if e.kind == "agency"), entries[0])
        return None

    def tag(self, document: Document) -> list[Annotation]:
        credits = self._credits(document)
        taken = [(a.start, a.end) for a in credits]
        return credits + self._cited(document, taken) + self._quotes(document)

    def _credits(self, document: Document) -> list[Annotation]:
        text, out, seen = document.text, [], set()
        for n, pattern in enumerate(_CREDITS):
            for match in pattern.finditer(text):
                who = match.group("who").strip()
                # "(Reuters)", "avec AFP" are credits only for agencies the registry knows; "©" and
                # "Source:" lines are credits whoever they name, as long as they stay short.
                entry = self._known(who, agencies_only=n >= 2)
                if n >= 2 and entry is None:
                    continue
                if n == 1 and entry is None and (len(who.split()) > 5 or not who[:1].isupper()):
                    continue  # "Source : le ministère de la Santé publique..." is a data source, not a credit
                start, end = match.span()
                if any(s < end and start < e for s, e in seen):
                    continue
                seen.add((start, end))
                attributes = {"cue": text[start:end].replace(who, "").strip() or "credit", "credited": who}
                if entry:
                    attributes["outlet_id"] = entry.id
                out.append(Annotation(taxonomy.PROVENANCE, "credit", start, end, text[start:end],
                                      0.9 if entry else 0.7, self._agent(), attributes))
        return out

    def _cited(self, document: Document, taken: list[tuple[int, int]]) -> list[Annotation]:
        text, out = document.text, []
        for p_start, p_end in document.body_paragraphs():
            for start, end, name in self.registry.mentions(text, p_start, p_end):
                if any(s <= start and end <= e for s, e in taken):
                    continue
                before = text[max(p_start, start - 60) : start]
                after = text[end : min(p_end, end + 30)]
                cue = _CITING_BEFORE.search(before)
                cue_after = _CITING_AFTER.match(after)
                if not (cue or cue_after):
                    continue
                entries = self.registry.candidates(name)
                attributes: dict[str, object] = {"cue": (cue.group() if cue else cue_after.group()).strip()}  # type: ignore[union-attr]
                if entries:
                    attributes["outlet_id"] = entries[0].id
                out.append(Annotation(taxonomy.PROVENANCE, "cited_outlet", start, end, text[start:end], 0.85,
                                      self._agent(), attributes))
        return out

    def _quotes(self, document: Document) -> list[Annotation]:
        text, out = document.text, []
        speakers = speakers_of(document)
        last: tuple[str, int] | None = None  # the previous quote's speaker and its paragraph index
        body = document.body_paragraphs()
        for index, (p_start, p_end) in enumerate(body):
            for match in _QUOTES.finditer(text, p_start, p_end):
                inner = next(g for g in match.groups() if g is not None)
                if len(inner.split()) < 3:  # «belliqueuse»: a scare quote, the framing layer's business
                    continue
                start, end = match.span()
                found = speakers.speaker_of_quote(start, end)
                attributes: dict[str, object] = {}
                score = 0.9
                if found:
                    attributes = {"speaker": found[0], "cue": found[1]}
                elif last and index - last[1] <= 1:
                    # A quote with no speaker right after one that has: the same voice goes on
                    # («Avant de poursuivre sur sa proposition : «...»»).
                    attributes = {"speaker": last[0], "cue": "continues the previous quote",
                                  "speaker_inferred": True}
                    score = 0.7
                if "speaker" in attributes:
                    last = (str(attributes["speaker"]), index)
                out.append(Annotation(taxonomy.PROVENANCE, "quote", start, end, text[start:end], score,
                                      self._agent(), attributes))
        return out
