"""Who a sentence's content rests on: single_source, anonymous_source, weasel, whatever the language.

The steps, in order (`Sources.find`):
1. attribution formulas: «selon X, ...», «according to X», «wie die Polizei mitteilte» (`formulas`);
2. else the first reporting verb whose source the sentence shows: «X affirme que ...», «..., a indiqué X»,
   «..., police said», «Les frappes, a indiqué X, ont ...» (`reporting_verb`);
3. else the subject of a reporting verb in the parse, where the language reads it (`parsed_source`);
4. a weasel wording anywhere in the sentence (`weasel_anywhere`), an unnamed source it cites
   (`anonymous_anywhere`);
5. whether each named source is a party to the story (`interested`).
Each source phrase is typed the same way (`source`): an unnamed source, a vague collective, several
independent sources, or one identifiable party.
"""

from __future__ import annotations

import re
from typing import Any

from annotator.document import Document
from annotator.speakers import pats_role
from annotator.taggers.claims.language import Finding, Language

# Pooled over the languages: the patterns below hold words of several languages and are tried on every
# sentence, whatever its language (as they were when the layer was one module); moving a word into its
# language's module would change what the others find.
# the article before a noun (Italian «il» too), not the French pronoun «il» standing alone
_ARTICLE = re.compile(r"^(?:(?:le|la|les|the|du|de la|des|der|die|das|el|los|las|il|lo|gli)\s+|l['’]\s*)",
                      re.IGNORECASE)
_IMPERSONAL = re.compile(r"on|man|si|se", re.IGNORECASE)  # «on dit», «man sagt», «si dice», «se dice»
_PRONOUN = re.compile(r"(?:il|ils|lui|elle|eux|elles|him|her|them|he|she|they)", re.IGNORECASE)
_CAPITAL = re.compile(r"(?-i:[A-Z])")
# a bare plural of people, after a quantifier or not: «des experts», «Residents»
_COLLECTIVE = re.compile(r"^(?:certain[es]*|plusieurs|beaucoup d['’]e?|de nombreu(?:x|ses)|nombre d['’]e?|"
                         r"des|les|some|many|several|most|numerous|the)?\s*"
                         r"(?!(?:its|his|hers|ours|theirs|this|nos|vos|ses|mes|tes|leurs)\b)[^\W\d]+s\b",
                         re.IGNORECASE)
# where the source after a formula ends: punctuation, or the conjunction of the reported clause
_SOURCE_STOP = re.compile(r"[,;:.!?«»\"“”]|\s(?:que|qu['’]|that|che|dass)\s")
# «is said to», «reportedly said»: hearsay, the reported_conditional rule's business
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|been|be|being)(?:\s+\w+ly)?\s*$")
_HEARSAY_ADVERB_BEFORE = re.compile(r"\b(?:reportedly|allegedly|purportedly|supposedly)\s+$")
# «Trump aurait rétorqué que ...»: the outlet's hearsay, not the speaker's word
_CONDITIONAL_AUXILIARY_BEFORE = re.compile(r"(?<!\w)(?:aurai(?:t|ent)|serai(?:t|ent))\s*$")
# the reported clause after the verb: «que», «that», «: », «, selon lui, que», «à la presse que»
_CLAUSE = re.compile(r"\s*(?:que|qu['’]|that\b|che\b|dass\b|:)|\s*,[^,]{1,40},\s*(?:que|qu['’]|that\b)|"
                     r"\s+(?:à|au|aux|to|a)\s+[^,.]{1,40}?\s+(?:que|qu['’]|that\b|che\b)", re.IGNORECASE)
_AUXILIARY_AT_END = re.compile(r"\s+(?:a|ont|avait|avaient|aurait|has|have|had|hat|ha|han)\s*$")
_SENTENCE_END = re.compile(r"\s*[.!?]?\s*$")
_AFTER_QUOTE_OR_COMMA = re.compile(r"[,»”\"]\s*\S")
_VERB_AFTER_COMMA = re.compile(r"[,»”\"]\s*(?:(?:a|ont|avait|avaient|aurait|hat|ha|han)\s+)?(?:ainsi\s+)?$")
_SOURCE_TO_END = re.compile(r"(?:-t-(?:il|elle))?\s*[^,.;:!?]{2,80}(?:,[^,.;:!?]{2,60})?[.!?]?\s*$")
_INVERSION = re.compile(r"(?:-t-(?:il|elle))?\s*")  # «a-t-il indiqué»
_VERB_IN_PARENTHESIS = re.compile(r",\s*(?:(?:a|ont|avait|avaient|has|have|had|hat|ha|han)\s+)?$")
_SOURCE_THEN_COMMA = re.compile(r"(?:-t-(?:il|elle))?\s*[^,.;:!?]{2,80},\s*\w")
_ANONYMITY = re.compile("anonym|anonim|anónim", re.IGNORECASE)

Span = tuple[int, int, str]  # a source phrase [start, end) in the document's text, and the cue that names it


def find_sources(document: Document, start: int, end: int, language: Language, speakers: Any,
                 prominent: str | None, span: Any = None, offset: int = 0) -> list[Finding]:
    """The sources of the sentence [start, end) of the document: ``speakers`` are the document's
    (`speakers_of`), ``prominent`` the person the article is about, ``span`` the sentence's spaCy span (or
    None) and ``offset`` where the parsed text that holds it starts in the document."""
    return Sources(document.text, start, end, language, speakers).find(prominent, span, offset)


class Sources:
    """The sources of one sentence, [start, end) of ``text``."""

    def __init__(self, text: str, start: int, end: int, language: Language, speakers: Any) -> None:
        self.text, self.start, self.end = text, start, end
        self.sentence = text[start:end]
        self.language = language
        self.speakers = speakers
        self.anonymous = language.pattern("anonymous")
        self.weasel = language.pattern("weasel")
        self.verbs = language.pattern("reporting_verbs_that")

    def find(self, prominent: str | None, span: Any = None, offset: int = 0) -> list[Finding]:
        found = self.formulas()
        if not found:
            found = self.reporting_verb()
        if not found and span is not None:
            found = self.parsed_source(span, offset)
        found = self.anonymous_anywhere(self.weasel_anywhere(found))
        for f in found:
            who = f.attributes.get("attributed_to")
            if f.label == "single_source" and who:
                f.attributes["interested"] = interested(who, self.sentence, f.cue, prominent)
        return found

    # -- what a source phrase is -------------------------------------------------------------------
    def source(self, start: int, end: int, cue: str, subject: bool = False) -> Finding | None:
        """The source that the phrase [start, end) names, ``cue`` the words that introduce it;
        ``subject``: the phrase is the subject of a reporting verb. None: it names no one."""
        phrase = self.text[start:end].strip(" ,")
        bare = _ARTICLE.sub("", phrase)
        return (self._unnamed(phrase, cue, start, end) or self._vague(phrase, bare, cue)
                or self._several(phrase, cue) or self._one_party(phrase, bare, cue, start, end, subject))

    def _unnamed(self, phrase: str, cue: str, start: int, end: int) -> Finding | None:
        """An unnamed source: «une source proche du dossier», «officials who asked not to be named»; one
        person the text does not name: «un témoin», «a witness»."""
        if self.anonymous and (self.anonymous.search(phrase) or self.anonymous.search(cue)):
            return Finding("anonymous_source", cue, 0.85, {"attributed_to": phrase, "source_type": "unnamed"})
        person = self.language.unnamed_person
        if person and person.match(phrase) and not self.speakers.named_in(start, end) and \
                not _CAPITAL.search(phrase[1:]):
            return Finding("anonymous_source", cue, 0.8, {"attributed_to": phrase, "source_type": "unnamed"})
        return None

    def _vague(self, phrase: str, bare: str, cue: str) -> Finding | None:
        """A weasel wording («certains experts»), or the impersonal pronoun («on dit», «man sagt»)."""
        if self.weasel and (self.weasel.search(phrase) or self.weasel.search(cue)):
            return Finding("weasel", cue, 0.75, {"source_type": "collective"})
        if _IMPERSONAL.fullmatch(bare):
            return Finding("weasel", cue, 0.7, {"source_type": "collective"})
        return None

    def _several(self, phrase: str, cue: str) -> Finding | None:
        """Independent sources in one phrase («la police et les organisateurs»): not one party's word."""
        several = self.language.pattern("multiple_sources")
        if several and several.search(phrase) and len(phrase.split()) >= 3:
            return Finding("_several", cue, 0.0)
        return None

    def _one_party(self, phrase: str, bare: str, cue: str, start: int, end: int,
                   subject: bool) -> Finding | None:
        """One identifiable party: a person named or resolved from a title or a pronoun, or a title,
        institution or agent («la préfecture»); a bare plural of people is a weasel («Residents say»)."""
        who = self._who(phrase, bare, start, end)
        agentive = who is None and self._agentive(phrase, bare, subject)
        if who is None and not agentive and _COLLECTIVE.match(phrase) and len(phrase.split()) <= 4:
            return Finding("weasel", cue, 0.7, {"source_type": "collective"})  # «Residents say»
        # an unresolved title, institution or agent is still one identifiable party («la préfecture»);
        # «selon la saison», «d'après le roman» name no one
        if who is None and agentive and len(phrase.split()) <= 8:
            who = bare
        if not who:
            return None
        return Finding("single_source", cue, 0.85, {"attributed_to": who, "source_type": "named"})

    def _who(self, phrase: str, bare: str, start: int, end: int) -> str | None:
        """The person the phrase names, or whose title it gives, or the last person named before a
        pronoun («il», «they»)."""
        named = self.speakers.named_in(start, end)
        who: str | None = named[0] if named else self.speakers.resolve_role(phrase, start)
        if who is None and _PRONOUN.fullmatch(bare):
            earlier = [p for p in self.speakers.people if p.end <= start]
            who = self.speakers.full_name(earlier[-1].name) if earlier else bare
        return who

    def _agentive(self, phrase: str, bare: str, subject: bool) -> bool:
        """Whether the phrase can speak: a title, an institution, an agent noun, a name; the subject of a
        reporting verb speaks, so a definite noun phrase there is an agent («the prefecture said»), while
        after «selon» it may be a season or a novel."""
        institution = self.language.pattern("institutions")
        agents = self.language.pattern("agent_nouns")
        return bool(pats_role(phrase) or (institution and institution.search(phrase))
                    or (agents and agents.search(phrase)) or _CAPITAL.search(bare)
                    or subject and bare != phrase)

    # -- 1. attribution formulas -------------------------------------------------------------------
    def formulas(self) -> list[Finding]:
        """«selon X», «according to X», «Insidern zufolge»; two formulas naming two sources are several
        sources («12 000 selon la police, 40 000 selon les organisateurs»)."""
        attribution = self.language.pattern("attribution")
        not_a_source = self.language.pattern("not_a_source")
        blank = [m.span() for m in not_a_source.finditer(self.sentence)] if not_a_source else []
        found = []
        for m in attribution.finditer(self.sentence) if attribution else ():
            if any(s <= m.start() < e for s, e in blank):
                continue  # «selon les cas», «selon nos informations»: no one's word
            finding = self._formula_source(m)
            if finding:
                found.append(finding)
        if len({f.attributes.get("attributed_to") or f.cue for f in found}) >= 2:
            found = [Finding("_several", found[0].cue, 0.0)]
        return found

    def _formula_source(self, m: re.Match[str]) -> Finding | None:
        group = next((k for k, v in m.groupdict().items() if v and k.startswith("who")), None)
        if group:  # the source inside the formula: «wie die Polizei mitteilte», «Insidern zufolge»
            return self.source(self.start + m.start(group), self.start + m.end(group), m.group().strip(" ,"))
        start = self.start + m.end()
        stop = _SOURCE_STOP.search(self.text[start : self.end])
        end = start + (stop.start() if stop else min(80, self.end - start))
        if self.language.source_end is not None:
            end = start + self.language.source_end(self.text[start:end])
        return self.source(start, end, (m.group() + self.text[start:end]).strip(" ,"))

    # -- 2. reporting verbs ------------------------------------------------------------------------
    def reporting_verb(self) -> list[Finding]:
        """The source of the first reporting verb that shows one, in one of four shapes."""
        for m in self.verbs.finditer(self.sentence) if self.verbs else ():
            if self._hearsay_verb(m):
                continue
            where = (self._subject_before_verb(m) or self._source_before_closing_verb(m)
                     or self._source_after_verb(m) or self._source_in_parenthesis(m))
            if where is not None:
                finding = self.source(*where, subject=True)
                return [finding] if finding else []
        return []

    def _hearsay_verb(self, m: re.Match[str]) -> bool:
        """«is said to», «reportedly said», «aurait rétorqué»: the outlet's hearsay (reported_conditional),
        not the speaker's word."""
        before = self.sentence[: m.start()]
        conditional = self.language.conditional_reporting_verb
        return bool(_PASSIVE_BEFORE.search(before) or _HEARSAY_ADVERB_BEFORE.search(before)
                    or _CONDITIONAL_AUXILIARY_BEFORE.search(before)
                    or conditional and conditional.search(m.group()))

    def _subject_before_verb(self, m: re.Match[str]) -> Span | None:
        """«X affirme que ...», «officials said the deal ...»: the source is the subject before the verb."""
        before, after = self.sentence[: m.start()], self.sentence[m.end() :]
        follows = self.language.clause_follows_verb
        if not (before.strip() and (_CLAUSE.match(after) or follows is not None and follows(before, after))):
            return None
        named = self.speakers.named_in(self.start, self.start + m.start())
        clauses = [c for c in before.split(",") if c.strip()]
        cut = 0 if named or len(before.split()) <= 12 else before.rfind(clauses[-1]) if clauses else 0
        subject = _AUXILIARY_AT_END.sub("", before)
        return (self.start + cut, self.start + len(subject.rstrip()),
                self.text[self.start + cut : self.start + m.end()].strip(" ,"))

    def _source_before_closing_verb(self, m: re.Match[str]) -> Span | None:
        """«..., the prefecture said.», «The blast, police said, was ...»: the source stands between the
        last comma and the verb (an apposition's comma aside: «its sponsor, Senator Ruiz, said»)."""
        before, after = self.sentence[: m.start()], self.sentence[m.end() :]
        tail = self.language.closing_verb_tail
        closes = _SENTENCE_END.match(after) or tail and tail.match(after)
        if not (closes and _AFTER_QUOTE_OR_COMMA.search(before)):
            return None
        head = before.rstrip().removesuffix(",")
        cut = max(head.rfind(c) for c in ",»”\"") + 1
        start = self.start + cut
        return start, self.start + len(before), self.text[start : self.start + m.end()].strip()

    def _source_after_verb(self, m: re.Match[str]) -> Span | None:
        """«..., a indiqué la préfecture.», «..., accuse son avocat, Me Karim Benali.»: the source follows
        the verb."""
        before, after = self.sentence[: m.start()], self.sentence[m.end() :]
        starts = self.language.source_after_verb
        if not (_VERB_AFTER_COMMA.search(before) and starts is not None and _SOURCE_TO_END.match(after)
                and starts.match(after)):
            return None
        who = _INVERSION.match(after)
        return self.start + m.end() + who.end(), self.end, self.sentence[m.start() :].strip(" .!?")  # type: ignore[union-attr]

    def _source_in_parenthesis(self, m: re.Match[str]) -> Span | None:
        """«Les frappes, a indiqué le gouverneur régional, ont touché ...»: a parenthesis names the source."""
        before, after = self.sentence[: m.start()], self.sentence[m.end() :]
        if not (_VERB_IN_PARENTHESIS.search(before) and _SOURCE_THEN_COMMA.match(after)):
            return None
        who = _INVERSION.match(after)
        close = after.index(",", who.end())  # type: ignore[union-attr]
        cue_end = self.start + m.end()
        return cue_end + who.end(), cue_end + close, self.sentence[m.start() : m.end() + close].strip()  # type: ignore[union-attr]

    # -- 3. the parse ------------------------------------------------------------------------------
    def parsed_source(self, span: Any, offset: int) -> list[Finding]:
        """The subject of a reporting verb of the main clause, from the parse, where the language reads it
        (`Language.reporting_subject`) and the patterns found no attribution. ``offset`` is where the
        parsed text starts in the document."""
        if self.language.reporting_subject is None:
            return []
        subject = self.language.reporting_subject(span)
        if subject is None:
            return []
        doc = span.doc
        start, end = offset + doc[subject.first].idx, offset + doc[subject.last].idx + len(doc[subject.last])
        cue = doc[min(subject.first, subject.verb) : max(subject.last, subject.verb) + 1].text
        if subject.impersonal:
            return [Finding("weasel", cue, 0.7, {"source_type": "collective"})]
        finding = self.source(start, end, cue, subject=True)
        return [finding] if finding else []

    # -- 4. anywhere in the sentence ---------------------------------------------------------------
    def weasel_anywhere(self, found: list[Finding]) -> list[Finding]:
        """A weasel wording anywhere in the sentence, where the sources found are not already vague."""
        if self.weasel and not any(f.label in ("weasel", "_several") for f in found):
            m = self.weasel.search(self.sentence)
            if m:
                return [*found, Finding("weasel", m.group(), 0.75, {"source_type": "collective"})]
        return found

    def anonymous_anywhere(self, found: list[Finding]) -> list[Finding]:
        """An unnamed source that the sentence cites («une source proche du dossier a indiqué»), or that
        opens it as the subject of a reporting verb («Une source, qui a requis l'anonymat, évoque ...»).
        The unnamed source must be the one the finding names, not another party of the sentence («Trois
        soldats ont été tués, a annoncé l'armée»)."""
        anonymous = self.anonymous
        if not anonymous or any(f.label == "anonymous_source" for f in found):
            return found
        m = anonymous.search(self.sentence)
        if not m:
            return found
        verbs_after = self.verbs and (m.start() <= 3 or _ANONYMITY.search(m.group())) and \
            self.verbs.search(self.sentence, m.end())
        cited = [f for f in found if f.label == "single_source" and anonymous.search(f.cue)]
        if cited or verbs_after and not found:
            found = [f for f in found if f not in cited]
            found.append(Finding("anonymous_source", m.group(), 0.8, {"source_type": "unnamed"}))
        return found


def interested(who: str, sentence: str, cue: str, prominent: str | None) -> bool:
    """A party to the story: the sentence is about the source itself (its name outside the attribution),
    or the source is the person the article is about."""
    rest = sentence.replace(cue, " ")
    names = {who, who.split()[-1]} if " " in who else {who}
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", rest) for n in names) or who == prominent
