"""Who published the article, in this order of evidence:

1. its address: the URL given, else the page's canonical URL or og:url (method "url");
2. the page's own self-references: og:site_name, the registry's signatures of an outlet (its promo lines,
   the legal owner named in its consent banner), its follow lines and bylines («Le Monde avec AFP»)
   (method "signature"), read only in page furniture and bylines, never in the body, where other outlets
   are cited;
3. last, when there is no address either, a text classifier of the house style, trained on the outlets
   analysts confirmed (method "model", ``annotator.outlets.classifier``): only once a version of the
   `outlet` layer is promoted, and it abstains below its calibrated threshold.

An address the registry does not know still names the publisher: the site, marked unregistered, with
no profile. No signal gives no outlet: a guess would be worse than a blank for an analyst. Credited
agencies never publish: «Source: Reuters» under an RT article is a credit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from annotator import taxonomy
from annotator.document import Document
from annotator.outlets.registry import OutletEntry, OutletRegistry, host_of
from annotator.record import Annotation, Evidence, Outlet

if TYPE_CHECKING:
    from annotator.learning.registry import Registry

# The identifier as an agent: the outlet suggestions analysts review are ``outlets@VERSION``, and
# ``outlets@VERSION+outlet@MODEL`` when the text classifier named the outlet.
NAME = "outlets"
VERSION = "2026-12-02.1"

_FOLLOW = re.compile(r"^(?:suivez|retrouvez|rejoignez|abonnez-vous à|follow|subscribe to|folgen sie|"
                     r"síguenos en|seguici su|подписывайтесь на)"
                     r"\s+(?P<name>.+?)\s*(?:sur|on|auf|en|su|в)\s*\S+\s*$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:par\s+[^,\n]{2,60},\s*|by\s+[^,\n]{2,60},\s*)?(?P<name>[^\n]{2,40}?)\s+"
                     r"(?:avec|with)\s+(?:l['’])?[A-Z][\w.-]+(?:\s+(?:et|and)\s+[A-Z][\w.-]+)?\s*$",
                     re.IGNORECASE)


def _profile(entry: OutletEntry) -> dict[str, Any]:
    return {k: v for k, v in entry.row.items() if k not in ("id", "name", "signatures")}


def to_outlet(entry: OutletEntry, score: float, method: str, evidence: Evidence | None = None) -> Outlet:
    affiliation = (entry.state_affiliation if entry.state_affiliation in taxonomy.STATE_AFFILIATIONS
                   else "unknown")
    return Outlet(id=entry.id, name=entry.name, country=entry.country, owner=entry.owner,
                  state_affiliation=affiliation, score=score, method=method, evidence=evidence,
                  profile=_profile(entry))


def _prefer(entries: list[OutletEntry], language: str) -> OutletEntry | None:
    """Of several outlets sharing a name or signature: not an agency, in the article's language, the
    most specific (a language edition before its parent brand)."""
    outlets = [e for e in entries if e.kind != "agency"]
    if not outlets:
        return None
    return min(outlets, key=lambda e: (language not in e.languages, e.row.get("parent") is None, e.id))


def identify(document: Document, registry: OutletRegistry, models: Registry | None = None) -> Outlet | None:
    """The publishing outlet, or None. ``models``: the model registry whose promoted `outlet` version
    step 3 uses (default: $ANNOTATOR_MODELS, else models/)."""
    meta = document.meta
    urls = [u for u in (document.url, meta.get("canonical_url"), meta.get("og_url")) if u and host_of(u)]
    for url, score in zip(urls, (0.99, 0.97, 0.95), strict=False):
        entry = registry.lookup_url(url)
        if entry:
            return to_outlet(entry, score, "url")
    site_name = meta.get("site_name") or meta.get("og_site_name")
    if site_name:
        entry = _prefer(registry.candidates(site_name), document.language)
        if entry:
            return to_outlet(entry, 0.9, "signature")
    found = _from_text(document, registry)
    if found:
        return found
    if not urls:
        return _from_model(document, registry, models)
    # An address the registry does not know still says who published: the site, unprofiled.
    host = host_of(urls[0]) or ""
    return Outlet(id=f"domain:{_ascii(host)}", name=site_name or host, country=None, owner=None,
                  state_affiliation="unknown", score=0.9, method="url",
                  profile={"domains": [host], "registered": False})


def _from_model(document: Document, registry: OutletRegistry, models: Registry | None) -> Outlet | None:
    from annotator.outlets.classifier import promoted

    classifier = promoted(models)
    if classifier is None:
        return None
    guess = classifier.guess(document.text)
    if guess is None:
        return None
    score = round(guess.probability, 3)
    entry = registry.get(guess.outlet_id)
    if entry is not None:
        outlet = to_outlet(entry, score, "model", guess.evidence)
    else:  # an outlet the registry does not hold (a site analysts confirmed by its address): unprofiled
        host = guess.outlet_id.removeprefix("domain:")
        outlet = Outlet(id=guess.outlet_id, name=classifier.names.get(guess.outlet_id, host), country=None,
                        owner=None, state_affiliation="unknown", score=score, method="model",
                        evidence=guess.evidence, profile={"domains": [host], "registered": False}
                        if guess.outlet_id.startswith("domain:") else {"registered": False})
    outlet.extra["model"] = f"{taxonomy.OUTLET}@{classifier.version}"
    return outlet


def _ascii(host: str) -> str:
    """The host as an id may hold it: «президент.рф» as its punycode «xn--d1abbgf6aiiy.xn--p1ai»."""
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:  # a label too long or empty for IDNA: keep what ASCII there is
        return host.encode("ascii", "ignore").decode("ascii").lower() or "unknown"


def suggestion(outlet: Outlet | None) -> Annotation | None:
    """The publishing outlet as a label analysts confirm (accept), correct (to another outlet id) or
    reject (not this outlet): an article-level annotation of layer `outlet` whose label is the outlet's
    id. The store makes it from the record's outlet when it stores the record."""
    if outlet is None or not taxonomy.OUTLET_ID.match(outlet.id):
        return None
    model = outlet.extra.get("model")
    attributes: dict[str, Any] = {"method": outlet.method, "name": outlet.name}
    if outlet.evidence is not None:
        attributes["cue"] = outlet.evidence.text[:200]
    return Annotation(taxonomy.OUTLET, outlet.id, None, None, None, outlet.score,
                      f"{NAME}@{VERSION}" + (f"+{model}" if model else ""), attributes)


def _self_reference_lines(document: Document) -> list[tuple[int, int]]:
    # Furniture, plus the first and last three paragraphs, where bylines and sign-offs stand.
    spans = list(document.furniture)
    spans += document.paragraphs[:3] + document.paragraphs[-3:]
    return sorted(set(spans))


def _from_text(document: Document, registry: OutletRegistry) -> Outlet | None:
    text, language = document.text, document.language
    lines = _self_reference_lines(document)
    signatures = registry.signatures()
    found: list[tuple[float, OutletEntry, int, int]] = []
    for start, end in lines:
        chunk = text[start:end]
        folded = chunk.casefold()
        for signature, entry in signatures:
            at = folded.find(signature.casefold())
            if at >= 0:
                found.append((0.95, entry, start + at, start + at + len(signature)))
        for line_start, line_end in [(s, e) for s, e in document.paragraphs if start <= s and e <= end]:
            line = text[line_start:line_end]
            for pattern, score in ((_FOLLOW, 0.9), (_BYLINE, 0.85)):
                match = pattern.match(line)
                if not match:
                    continue
                # a name glued to the network ("RT en français surTelegram") is cut at the network word
                name = re.sub(r"\s*(?:sur|on)\s*$", "", match.group("name"), flags=re.IGNORECASE)
                entry = _prefer(registry.candidates(name), language)
                if entry:
                    found.append((score, entry, line_start, line_end))
    outlets = [(score, entry, s, e) for score, entry, s, e in found if entry.kind != "agency"]
    if not outlets:
        return None
    # The outlet with the most self-references wins; among its evidence, the strongest.
    by_id: dict[str, list[tuple[float, OutletEntry, int, int]]] = {}
    for item in outlets:
        by_id.setdefault(item[1].id, []).append(item)
    best = max(by_id.values(), key=lambda items: (len(items), max(i[0] for i in items),
                                                  language in items[0][1].languages))
    score, entry, start, end = max(best, key=lambda i: i[0])
    ambiguous = len(by_id) > 1
    return to_outlet(entry, round(score - (0.15 if ambiguous else 0.0), 2), "signature",
                     Evidence(start, end, text[start:end]))
