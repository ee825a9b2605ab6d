"""What a language module of the claim layer provides: one `Language`, named ``LANGUAGE``.

Its pattern sections are lists of Python regular expressions, matched case-insensitively as whole words
(``(?-i:...)`` where case matters); each section's list becomes one compiled alternation (`pattern`).
A section left empty turns its rule off in that language. The hooks are functions for what a list of
patterns cannot say (the French conditional read from the parse); a hook left None is not run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass
class Finding:
    """One cue of a claim label in a sentence (``_several``: independent sources, no label)."""

    label: str
    cue: str
    score: float
    attributes: dict[str, Any] = field(default_factory=dict)


class Subject(NamedTuple):
    """The subject of a reporting verb found in the parse: token indices of the doc, ``impersonal`` when
    it is the impersonal pronoun («on affirme»: a weasel, no one's name)."""

    first: int
    last: int
    verb: int
    impersonal: bool

    @classmethod
    def of(cls, verb: Any, subjects: list[Any], impersonal: bool = False) -> Subject:
        """The span of ``verb``'s subject tokens (spaCy), with everything each governs."""
        return cls(min(c.left_edge.i for c in subjects), max(c.right_edge.i for c in subjects), verb.i,
                   impersonal)


def in_main_clause(verb: Any) -> bool:
    """Whether a parsed verb heads the sentence's main clause (or one joined to it): a relative or
    subordinate clause's verb is not what the sentence rests on."""
    return verb.dep_ in ("ROOT", "parataxis") or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


# The sections whose patterns a language module may list, and what each finds.
SECTIONS = {
    "hedge": "epistemic markers: «probablement», «may», «vermutlich»",
    "hearsay": "hearsay in the outlet's voice: «reportedly», «is said to», «soll ... haben»",
    "hearsay_conditional": "a conditional that relays hearsay («avrebbe firmato»), unless hearsay_not",
    "hearsay_not": "what makes that conditional a hypothesis, a future-in-the-past, a counterfactual",
    "attribution": "formulas that introduce a source, ending in the space before it: «selon », «according "
                   "to »; a source inside the formula is the group (?P<who>...)",
    "not_a_source": "formulas that name no one's word: «selon les cas», «according to plan»",
    "reporting_verbs_that": "reporting verbs: «affirme», «said», «erklärte»",
    "anonymous": "unnamed sources: «une source proche du dossier», «officials who asked not to be named»",
    "weasel": "vague collectives: «certains estiment», «some experts say»",
    "institutions": "institutions that speak as one party: «le Kremlin», «the White House»",
    "multiple_sources": "what joins several sources into one phrase: «et», «and»",
    "agent_nouns": "nouns that speak for someone (a plural s or x allowed): «la préfecture», «the ministry»",
    "schedule": "an announcement of schedule, no check-worthy claim: «aura lieu», «is scheduled»",
    "no_claim": "a hypothesis or a «no comment», no check-worthy claim: «if ... would»",
}


@dataclass(eq=False)
class Language:
    code: str
    # -- patterns, by section (SECTIONS) ------------------------------------------------------------
    hedge: Sequence[str] = ()
    hearsay: Sequence[str] = ()
    hearsay_conditional: Sequence[str] = ()
    hearsay_not: Sequence[str] = ()
    attribution: Sequence[str] = ()
    not_a_source: Sequence[str] = ()
    reporting_verbs_that: Sequence[str] = ()
    anonymous: Sequence[str] = ()
    weasel: Sequence[str] = ()
    institutions: Sequence[str] = ()
    multiple_sources: Sequence[str] = ()
    agent_nouns: Sequence[str] = ()
    schedule: Sequence[str] = ()
    no_claim: Sequence[str] = ()
    # -- words --------------------------------------------------------------------------------------
    # lemmas of the modal verbs that hedge («pourrait»: a hedge, not hearsay); read where the
    # language reads its conditional from the parse (`conditional`)
    epistemic_modals: Sequence[str] = ()
    # -- single patterns of the source rules (compiled by the module, used as they are) --------------
    # one person the text does not name, introduced by an indefinite article: «un témoin», «a witness»
    unnamed_person: re.Pattern[str] | None = None
    # a reporting verb that is itself in the conditional («aurait affirmé»: hearsay, not a source)
    conditional_reporting_verb: re.Pattern[str] | None = None
    # what the words after a verb that closes the sentence's attribution may be besides its end
    # («..., police said on Tuesday.»)
    closing_verb_tail: re.Pattern[str] | None = None
    # what the words after a reporting verb must start with to be its source («..., a indiqué la
    # préfecture»); the default accepts any, None turns the shape off (English puts the source first)
    source_after_verb: re.Pattern[str] | None = re.compile("")
    # -- hooks ---------------------------------------------------------------------------------------
    # the reported conditional read from a sentence's parse (spaCy span with morphology): French
    conditional: Callable[[Any], list[Finding]] | None = None
    # whether the sentence's parse says it makes no claim in the outlet's voice, beside the `schedule` and
    # `no_claim` patterns: French, a main verb in the future («La remise du prix suivra»)
    no_claim_parsed: Callable[[Any], bool] | None = None
    # more hearsay than the patterns find, from the sentence's text (German Konjunktiv I)
    hearsay_forms: Callable[[str], list[Finding]] | None = None
    # the subject of a reporting verb of the sentence's main clause, from its parse (spaCy span), where
    # the patterns find no attribution: «L'armée affirme avoir abattu 34 drones»
    reporting_subject: Callable[[Any], Subject | None] | None = None
    # how many characters of the words after an attribution formula are the source («Laut Polizei
    # wurden ...»: up to the verb); None: up to the first punctuation or «que»
    source_end: Callable[[str], int] | None = None
    # whether the words after a reporting verb are its clause, in shapes the shared rule does not know
    # («Der Sprecher sagte, die Lage sei ...»): the subject before the verb is the source
    clause_follows_verb: Callable[[str, str], bool] | None = None
    _compiled: dict[str, re.Pattern[str] | None] = field(default_factory=dict, init=False, repr=False)

    def pattern(self, section: str) -> re.Pattern[str] | None:
        """The section's patterns as one regular expression, or None where the language lists none."""
        if section not in self._compiled:
            self._compiled[section] = compile_section(section, getattr(self, section))
        return self._compiled[section]


def compile_section(section: str, patterns: Sequence[str]) -> re.Pattern[str] | None:
    if section not in SECTIONS:
        raise KeyError(f"no pattern section {section!r}; sections are {', '.join(SECTIONS)}")
    if not patterns:
        return None
    # whole words ("may" is not "mayor"); attribution cues end in the space before their source
    end = "" if section == "attribution" else r"(?![\w-])"
    if section == "agent_nouns":
        end = r"(?:s|x)?" + end  # «les syndicats», «les hôpitaux»
    # a pattern may name its source (?P<who>...): each gets its own group name in the alternation
    patterns = [p.replace("(?P<who>", f"(?P<who{i}>") for i, p in enumerate(patterns)]
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")" + end, re.IGNORECASE)
