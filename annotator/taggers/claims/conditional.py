"""reported_conditional: hearsay the outlet relays in its own voice, whatever the language.

Two ways, each run where the language module provides it: from the parse (`Language.conditional`: the
French journalistic conditional, read from the morphology), and from the words (the `hearsay` patterns:
«reportedly», «is said to», «soll ... haben»; a `hearsay_conditional` such as «avrebbe firmato» unless
`hearsay_not` makes it a hypothesis or a counterfactual; and `Language.hearsay_forms`, the German
Konjunktiv I).
"""

from __future__ import annotations

from typing import Any

from annotator.taggers.claims.language import Finding, Language


def conditional_form(tok: Any) -> bool:
    """A verb in the conditional, itself or through its auxiliary («aurait rétorqué»)."""
    auxiliaries = (c for c in tok.children if c.dep_.startswith("aux"))
    return any("Cnd" in t.morph.get("Mood") for t in [tok, *auxiliaries])


def reported_conditionals(text: str, span: Any, language: Language) -> list[Finding]:
    """The sentence's hearsay (and the hedges its conditional turns out to be): ``text`` is the
    sentence, ``span`` its spaCy span or None."""
    found: list[Finding] = []
    if language.conditional is not None and span is not None and span.doc.has_annotation("MORPH"):
        found += language.conditional(span)
    return found + hearsay(text, language)


def hearsay(text: str, language: Language) -> list[Finding]:
    """Hearsay by the language's patterns and forms."""
    found = []
    pattern = language.pattern("hearsay")
    if pattern:
        found += [Finding("reported_conditional", m.group(), 0.85) for m in pattern.finditer(text)]
    # Italian «avrebbe», Spanish «habría»: hearsay unless the sentence makes the conditional a
    # hypothesis («se piovesse»), a future-in-the-past («ha detto che sarebbe venuto») or a
    # counterfactual («avrebbe dovuto»)
    conditional, not_hearsay = language.pattern("hearsay_conditional"), language.pattern("hearsay_not")
    if conditional and not (not_hearsay and not_hearsay.search(text)):
        found += [Finding("reported_conditional", m.group(), 0.85) for m in conditional.finditer(text)]
    if language.hearsay_forms is not None:
        found += language.hearsay_forms(text)
    return found
