"""The claim layer: statements the outlet relays without standing behind them, and on whose word.

Rules, per sentence of the body (page furniture is never read):
- reported_conditional: the French journalistic conditional, from spaCy's morphology (Mood=Cnd) plus a
  suffix rule checked against the lemma, because the models miss forms such as «produiraient». Not a
  conditional of a si-clause, not the future-in-the-past of a complement clause after a past reporting
  verb («il a dit qu'il viendrait»: that is single_source), not a polite first or second person («je
  voudrais»), not epistemic pouvoir/devoir («pourrait»: that is a hedge). Elsewhere hearsay by rules:
  English «reportedly», «is said to»; German «soll ... haben» and Konjunktiv I; Spanish «habría» and
  Italian «avrebbe» with a participle.
- single_source / anonymous_source / weasel: who the content rests on — «selon X», «X affirme que», a
  quote of one speaker — typed as a named source, an unnamed specific one, or a vague collective;
  `interested` when the source is a party to the story.
- hedge: epistemic markers per language.
- unattributed_claim: what is left in the outlet's own voice, when the check-worthiness head scores it
  check-worthy.
Cues live in data/lexicons/claims.json.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from annotator import paths
from annotator.document import Document
from annotator.record import Annotation
from annotator.speakers import pats_role, speakers_of
from annotator.taggers import agent

log = logging.getLogger(__name__)

# Irregular conditional stems (the stem before -rait) and the infinitive endings they belong to.
_IRREGULAR = [("se", "être"), ("au", "avoir"), ("fe", "faire"), ("pour", "pouvoir"), ("dev", "devoir"),
              ("iend", "enir"), ("voud", "vouloir"), ("i", "aller"), ("faud", "falloir"), ("sau", "savoir"),
              ("ver", "voir"), ("enver", "envoyer"), ("mour", "mourir"), ("cour", "courir"), ("cev", "cevoir"),
              ("vaud", "valoir"), ("pleuv", "pleuvoir"), ("assié", "asseoir")]
# German words inside a noun phrase that are lowercase (articles, prepositions): «nach Angaben der Feuerwehr»
_DE_NOUN_PHRASE = {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen", "von",
                   "vom", "zur", "zum", "für", "und", "aus", "in", "im", "am", "bei", "beim"}
_SI = re.compile(r"(?<!\w)(?:si|s['’]ils?)(?!\w)", re.IGNORECASE)
_QUESTION = re.compile(r"\?\s*$")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return json.loads((paths.LEXICONS / "claims.json").read_text("utf-8"))


@lru_cache(maxsize=32)
def _compiled(section: str, language: str) -> re.Pattern[str] | None:
    patterns = lexicon()[section].get(language) or []
    if not patterns:
        return None
    # whole words ("may" is not "mayor"); attribution cues end in the space before their source
    end = "" if section == "attribution" else r"(?![\w-])"
    if section == "agent_nouns":
        end = r"(?:s|x)?" + end  # «les syndicats», «les hôpitaux»
    # a pattern may name its source (?P<who>...): each gets its own group name in the alternation
    patterns = [p.replace("(?P<who>", f"(?P<who{i}>") for i, p in enumerate(patterns)]
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")" + end, re.IGNORECASE)


_COLLECTIVE = re.compile(r"^(?:certain[es]*|plusieurs|beaucoup d['’]e?|de nombreu(?:x|ses)|nombre d['’]e?|des|les|"
                         r"some|many|several|most|numerous|the)?\s*"
                         r"(?!(?:its|his|hers|ours|theirs|this|nos|vos|ses|mes|tes|leurs)\b)[^\W\d]+s\b", re.IGNORECASE)
_IMPERSONAL = re.compile(r"\bil (?:serait|faudrait|vaudrait|aurait fallu|aurait mieux valu)\b", re.IGNORECASE)
# A condition stated outside a si-clause: «sans l'intervention des pompiers, l'immeuble aurait été
# détruit», «en cas de victoire, le club serait sacré», «au cas où le vol serait annulé».
_CONDITION = re.compile(r"^\W*(?:sans (?:l['’]|le |la |les |son |sa |ses |leur |leurs |un |une |cette |ce |cet )|"
                        r"faute d[e'’]|à défaut d[e'’]|en l['’]absence d[e'’])|"
                        r"(?<!\w)(?:au cas où|dans le cas où|dans l['’]hypothèse où|en cas d[e'’]|"
                        r"à supposer que|pour peu que)", re.IGNORECASE)


def _conditional_form(tok: Any) -> bool:
    """A verb in the conditional, itself or through its auxiliary («aurait rétorqué»)."""
    return any("Cnd" in t.morph.get("Mood") for t in [tok, *(c for c in tok.children if c.dep_.startswith("aux"))])


_UNNAMED_PERSON = {
    "fr": re.compile(r"^(?:un|une|l['’]un|l['’]une) (?:\w+ ){0,2}?(?:témoin|survivant|survivante|habitant|habitante|riverain|"
                     r"riveraine|connaisseur|connaisseuse|observateur|observatrice|participant|participante|voisin|voisine|"
                     r"salarié|salariée|employé|employée|agent|agente|médecin|infirmier|infirmière|militant|militante|"
                     r"manifestant|manifestante|passager|passagère|rescapé|rescapée|résident|résidente|ouvrier|ouvrière|"
                     r"élève|étudiant|étudiante|parent|soignant|soignante|policier|policière|soldat|gendarme|habitué)\b|"
                     r"^des (?:\w+ ){1,2}?(?:interrogé|joint|contacté|rencontré|interviewé)e?s\b", re.IGNORECASE),
    "en": re.compile(r"^(?:a|an|one) (?:\w+ ){0,2}?(?:witness|survivor|resident|neighbou?r|passenger|employee|worker|"
                     r"doctor|nurse|protester|student|parent|soldier|police officer|bystander|local|villager|"
                     r"person familiar|insider|aide|staffer)\b", re.IGNORECASE),
}


@dataclass
class Finding:
    label: str
    cue: str
    score: float
    attributes: dict[str, Any] = field(default_factory=dict)


MIN_LEARNED = 3  # a label the claim head saw fewer times as yes (or as no) stays with the rules


class ClaimTagger:
    name = "claims"
    version = "2026-11-25.1"
    needs_parse = True

    def __init__(self, check_worthiness: bool = True, registry: Any = None, learned: bool = True) -> None:
        """``registry``: where the heads are (default: the project's models/); ``learned``: use the
        promoted `claim` head trained from analysts' answers, when there is one."""
        self.check_worthiness = check_worthiness
        self.learned = learned
        self._registry = registry
        self._model: Any = None
        self._claim: Any = None  # the promoted claim head, trained from analysts' answers
        self._claim_labels: dict[str, int] = {}  # the labels it learned (enough of both classes): column
        self._encoder: Any = None
        self._model_loaded = False

    # -- the French conditional ------------------------------------------------------------------
    @staticmethod
    def _is_conditional(tok: Any) -> bool:
        if tok.pos_ not in ("VERB", "AUX"):
            return False
        if "Cnd" in tok.morph.get("Mood"):
            return True
        low, lemma = tok.lower_, tok.lemma_.lower()
        lex = lexicon()
        if low in lex["french_not_conditional_words"]:
            return False
        suffix = next((s for s in sorted(lex["french_conditional_suffixes"], key=len, reverse=True)
                       if low.endswith(s)), None)
        if not suffix or not lemma[-2:] in ("er", "ir", "re") and not lemma.endswith("oir"):
            return False
        stem = low[: -len(suffix)]
        # the future stem is the infinitive, less the -e of -re verbs: produi-r-aient / produire,
        # ignore-r-ait / ignorer; «ignorait» (igno-r-ait) is an imperfect. -er verbs that change their
        # stem («appellerait», «achèterait», «paierait») keep its first letters and its final e
        if len(stem) >= 3 and (stem + "r" in (lemma, lemma[:-1]) or
                               lemma.endswith("er") and stem.endswith("e") and lemma.startswith(stem[:2])):
            return True
        return any(stem.endswith(s) and lemma.endswith(e) for s, e in _IRREGULAR)

    def _french_conditional(self, sent: Any) -> list[Finding]:
        lex = lexicon()
        text = sent.text
        found: list[Finding] = []
        hypothetical = any(t.lower_ in ("si", "s'", "s’") and t.dep_ == "mark" for t in sent) or bool(
            _SI.search(text) and re.search(r"(?<!\w)(?:si|s['’]ils?)\s+(?:\w+\s+){0,4}?\w+(?:ait|aient|ais)\b", text, re.IGNORECASE)
        ) or bool(_CONDITION.search(text))
        for tok in sent:
            if not self._is_conditional(tok):
                continue
            verb = tok.head if tok.dep_.startswith("aux") else tok
            lemma = verb.lemma_.lower()
            cue = text[min(tok.idx, verb.idx) - sent.start_char : max(tok.idx + len(tok), verb.idx + len(verb)) - sent.start_char]
            if hypothetical:
                if lemma in lex["epistemic_modals"]["fr"] and not tok.dep_.startswith("aux") and "3" in tok.morph.get("Person"):
                    found.append(Finding("hedge", cue, 0.7))  # «la rencontre pourrait être annulée si ...»
                continue
            if lemma in lex["epistemic_modals"]["fr"] and tok.dep_.startswith("aux") or \
                    tok.lemma_.lower() in ("avoir",) and lemma in ("pouvoir", "devoir"):
                continue  # «aurait dû», «aurait pu»: a counterfactual, not hearsay
            if _IMPERSONAL.search(text[max(0, tok.idx - sent.start_char - 3) : tok.idx - sent.start_char + len(tok) + 12]):
                continue  # «il serait temps que», «il faudrait»: an evaluation, not hearsay
            persons = tok.morph.get("Person")
            if ("1" in persons or "2" in persons) and (lemma in lex["polite_verbs"]
                                                       or tok.lemma_.lower() in lex["polite_verbs"]):
                continue  # «je voudrais», «pourriez-vous»
            if lemma in lex["wish_verbs"]:
                continue  # «la municipalité aimerait que»: a wish softened, not a claim relayed
            if lemma in lex["epistemic_modals"]["fr"] or tok.lemma_.lower() in lex["epistemic_modals"]["fr"]:
                found.append(Finding("hedge", cue, 0.8))
                continue
            if self._future_in_the_past(verb):
                continue
            morph = "Cnd" in tok.morph.get("Mood")
            found.append(Finding("reported_conditional", cue, 0.9 if morph else 0.8))
        return found

    @staticmethod
    def _future_in_the_past(verb: Any) -> bool:
        """A conditional in a que-clause governed by a reporting verb in a past indicative tense."""
        lemmas = set(lexicon()["past_reporting_lemmas"])
        if not any(c.lower_ in ("que", "qu'", "qu’") for c in verb.children if c.dep_ == "mark") and \
                not any(t.lower_ in ("que", "qu'", "qu’") for t in verb.doc[max(verb.i - 12, 0) : verb.i]):
            return False
        for head in verb.ancestors:
            if head.lemma_.lower() in lemmas:
                # «il a dit / disait qu'il viendrait»; in «on dit qu'il préparerait» the reporting verb is
                # present and the conditional is the outlet's hearsay
                past = any(c.dep_.startswith("aux") for c in head.children) or \
                    bool({"Past", "Imp"} & set(head.morph.get("Tense")))
                return past and not _conditional_form(head)
        return False

    # -- hearsay by rules --------------------------------------------------------------------------
    def _hearsay(self, text: str, language: str) -> list[Finding]:
        found = []
        pattern = _compiled("hearsay", language)
        if pattern:
            found += [Finding("reported_conditional", m.group(), 0.85) for m in pattern.finditer(text)]
        # Italian «avrebbe», Spanish «habría»: hearsay unless the sentence makes the conditional a
        # hypothesis («se piovesse»), a future-in-the-past («ha detto che sarebbe venuto») or a
        # counterfactual («avrebbe dovuto»)
        conditional, not_hearsay = _compiled("hearsay_conditional", language), _compiled("hearsay_not", language)
        if conditional and not (not_hearsay and not_hearsay.search(text)):
            found += [Finding("reported_conditional", m.group(), 0.85) for m in conditional.finditer(text)]
        if language == "de":
            for m in re.finditer(r"(?<!\w)(\w+)\s+(" + "|".join(lexicon()["konjunktiv_i"]) + r")(?!\w)", text):
                if m.group(1).lower() not in ("ich", "wir", "ihr", "du", "sie"):  # indicative persons
                    found.append(Finding("reported_conditional", m.group(2), 0.75))
        return found

    # -- sources -----------------------------------------------------------------------------------
    def _sources(self, sent_start: int, sent_end: int, document: Document, speakers: Any,
                 prominent: str | None, span: Any = None, offset: int = 0) -> list[Finding]:
        """Who the sentence's content rests on, from three shapes of attribution: «selon X, ...»,
        «X affirme que ...» and «..., a indiqué X»."""
        text, language = document.text, document.language
        sentence = text[sent_start:sent_end]
        anonymous = _compiled("anonymous", language)
        weasel = _compiled("weasel", language)
        institution = _compiled("institutions", language)

        agents = _compiled("agent_nouns", language)
        several = _compiled("multiple_sources", language)

        def classify(phrase_start: int, phrase_end: int, cue: str, subject: bool = False) -> Finding | None:
            phrase = text[phrase_start:phrase_end].strip(" ,")
            if anonymous and (anonymous.search(phrase) or anonymous.search(cue)):
                return Finding("anonymous_source", cue, 0.85, {"attributed_to": phrase, "source_type": "unnamed"})
            # one person the text does not name, introduced by an indefinite article: «un témoin», «une
            # habitante jointe par téléphone», «a witness»; plural people met by the outlet: «des habitants
            # interrogés»
            if _UNNAMED_PERSON.get(language) and _UNNAMED_PERSON[language].match(phrase) and \
                    not speakers.named_in(phrase_start, phrase_end) and not re.search(r"(?-i:[A-Z])", phrase[1:]):
                return Finding("anonymous_source", cue, 0.8, {"attributed_to": phrase, "source_type": "unnamed"})
            if weasel and (weasel.search(phrase) or weasel.search(cue)):
                return Finding("weasel", cue, 0.75, {"source_type": "collective"})
            # the article before a noun (Italian «il» too), not the French pronoun «il» standing alone
            bare = re.sub(r"^(?:(?:le|la|les|the|du|de la|des|der|die|das|el|los|las|il|lo|gli)\s+|l['’]\s*)", "", phrase,
                          flags=re.IGNORECASE)
            if re.fullmatch(r"on|man|si|se", bare, re.IGNORECASE):  # «on dit», «man sagt», «si dice», «se dice»
                return Finding("weasel", cue, 0.7, {"source_type": "collective"})
            if several and several.search(phrase) and len(phrase.split()) >= 3:
                return Finding("_several", cue, 0.0)  # independent sources: not one party's word
            named = speakers.named_in(phrase_start, phrase_end)
            who = named[0] if named else speakers.resolve_role(phrase, phrase_start)
            if who is None and re.fullmatch(r"(?:il|ils|lui|elle|eux|elles|him|her|them|he|she|they)", bare, re.IGNORECASE):
                earlier = [p for p in speakers.people if p.end <= phrase_start]
                who = speakers.full_name(earlier[-1].name) if earlier else bare
            # the subject of a reporting verb speaks, so a definite noun phrase there is an agent
            # («the prefecture said»); after «selon» it may be a season or a novel
            agentive = bool(pats_role(phrase) or (institution and institution.search(phrase))
                            or (agents and agents.search(phrase)) or re.search(r"(?-i:[A-Z])", bare)
                            or subject and bare != phrase)
            if who is None and not agentive and _COLLECTIVE.match(phrase) and len(phrase.split()) <= 4:
                return Finding("weasel", cue, 0.7, {"source_type": "collective"})  # «Residents say», «des experts»
            # an unresolved title, institution or agent is still one identifiable party («la préfecture»);
            # «selon la saison», «d'après le roman» name no one
            if who is None and agentive and len(phrase.split()) <= 8:
                who = bare
            if not who:
                return None
            return Finding("single_source", cue, 0.85, {"attributed_to": who, "source_type": "named"})

        found: list[Finding] = []
        attribution = _compiled("attribution", language)
        not_a_source = _compiled("not_a_source", language)
        blank = [m.span() for m in not_a_source.finditer(sentence)] if not_a_source else []
        for m in attribution.finditer(sentence) if attribution else ():
            if any(s <= m.start() < e for s, e in blank):
                continue  # «selon les cas», «selon nos informations»: no one's word
            group = next((k for k, v in m.groupdict().items() if v and k.startswith("who")), None)
            if group:  # the source inside the formula: «wie die Polizei mitteilte», «Insidern zufolge»
                start, end = sent_start + m.start(group), sent_start + m.end(group)
                finding = classify(start, end, m.group().strip(" ,"))
                if finding:
                    found.append(finding)
                continue
            start = sent_start + m.end()
            stop = re.search(r"[,;:.!?«»\"“”]|\s(?:que|qu['’]|that|che|dass)\s", text[start:sent_end])
            end = start + (stop.start() if stop else min(80, sent_end - start))
            if language == "de":  # «Laut Polizei wurden ...»: the source ends at the verb, the first lowercase word
                words = re.finditer(r"\S+", text[start:end])
                verb = next((w for w in words if w.group()[:1].islower() and w.group().lower() not in _DE_NOUN_PHRASE), None)
                end = start + verb.start() if verb else end
            finding = classify(start, end, (m.group() + text[start:end]).strip(" ,"))
            if finding:
                found.append(finding)
        if len({f.attributes.get("attributed_to") or f.cue for f in found}) >= 2:
            found = [Finding("_several", found[0].cue, 0.0)]  # «12 000 selon la police, 40 000 selon les organisateurs»
        verbs = _compiled("reporting_verbs_that", language)
        for m in verbs.finditer(sentence) if verbs and not found else ():
            before, after = sentence[: m.start()], sentence[m.end() :]
            cue_end = sent_start + m.end()
            if re.search(r"\b(?:is|are|was|were|been|be|being)(?:\s+\w+ly)?\s*$", before) or \
                    re.search(r"\b(?:reportedly|allegedly|purportedly|supposedly)\s+$", before):
                continue  # «is said to»: hearsay, the reported_conditional rule's business
            if re.search(r"(?<!\w)(?:aurai(?:t|ent)|serai(?:t|ent))\s*$", before) or \
                    language == "fr" and re.search(r"r(?:ait|aient)$", m.group()):
                continue  # «Trump aurait rétorqué que ...»: the outlet's hearsay, not the speaker's word
            if before.strip() and (re.match(r"\s*(?:que|qu['’]|that\b|che\b|dass\b|:)|\s*,[^,]{1,40},\s*(?:que|qu['’]|that\b)|\s+(?:à|au|aux|to|a)\s+[^,.]{1,40}?\s+(?:que|qu['’]|that\b|che\b)",
                                              after, re.IGNORECASE)
                                     # «Poutine a déclaré ce 5 septembre qu'il ...»: a complement before «que»
                                     or language == "fr" and re.match(r"\s+[^,.;:!?«»]{1,50}?\s+(?:que|qu['’])", after)
                                     or language == "de" and re.match(r"\s*,", after)  # «Der Sprecher sagte, die Lage sei ...»
                                     or language == "en" and re.match(r"\s+[a-z]", after)
                                     # «Zelensky said Ukrainian forces were ...»: a short subject, then the clause
                                     or language == "en" and re.match(r"\s+\w", after) and len(before.split()) <= 6
                                     and "," not in before):
                # «X affirme que ...», «officials said the deal...»: the source is the subject before the verb
                named = speakers.named_in(sent_start, sent_start + m.start())
                clauses = [c for c in before.split(",") if c.strip()]
                cut = 0 if named or len(before.split()) <= 12 else before.rfind(clauses[-1]) if clauses else 0
                subject = re.sub(r"\s+(?:a|ont|avait|avaient|aurait|has|have|had|hat|ha|han)\s*$", "", before)
                finding = classify(sent_start + cut, sent_start + len(subject.rstrip()),
                                   text[sent_start + cut : cue_end].strip(" ,"), subject=True)
            elif (re.match(r"\s*[.!?]?\s*$", after) or language == "en" and re.match(
                    r"\s*(?:on|in|at|last|this|during|after|before|late|early|earlier|on condition)\b[^,;]{0,60}[.!?]?\s*$|\s*,", after)) \
                    and re.search(r"[,»”\"]\s*\S", before):
                # «..., the prefecture said.», «The blast, police said, was ...»: the source stands between
                # the last comma and the verb (an apposition's comma aside: «its sponsor, Senator Ruiz, said»)
                head = before.rstrip()
                head = head.removesuffix(",")
                cut = max(head.rfind(c) for c in ",»”\"") + 1
                finding = classify(sent_start + cut, sent_start + len(before), text[sent_start + cut : cue_end].strip(),
                                   subject=True)
            elif re.search(r"[,»”\"]\s*(?:(?:a|ont|avait|avaient|aurait|hat|ha|han)\s+)?(?:ainsi\s+)?$", before) \
                    and language != "en" and re.match(r"(?:-t-(?:il|elle))?\s*[^,.;:!?]{2,80}(?:,[^,.;:!?]{2,60})?[.!?]?\s*$", after) \
                    and (language != "de" or re.match(r"\s*(?:der|die|das|ein|eine|[A-ZÄÖÜ])", after)):  # not «..., bestätigte den Angriff»
                # «..., a indiqué la préfecture.», «..., accuse son avocat, Me Karim Benali.»: the source
                # follows the verb
                who = re.match(r"(?:-t-(?:il|elle))?\s*", after)
                finding = classify(cue_end + who.end(), sent_end, sentence[m.start() :].strip(" .!?"),  # type: ignore[union-attr]
                                   subject=True)
            elif re.search(r",\s*(?:(?:a|ont|avait|avaient|has|have|had|hat|ha|han)\s+)?$", before) \
                    and re.match(r"(?:-t-(?:il|elle))?\s*[^,.;:!?]{2,80},\s*\w", after):
                # «Les frappes, a indiqué le gouverneur régional, ont touché ...»: a parenthesis names the source
                who = re.match(r"(?:-t-(?:il|elle))?\s*", after)
                close = after.index(",", who.end())  # type: ignore[union-attr]
                finding = classify(cue_end + who.end(), cue_end + close, sentence[m.start() : m.end() + close].strip(),  # type: ignore[union-attr]
                                   subject=True)
            else:
                continue
            if finding:
                found.append(finding)
            break
        if not found and span is not None:
            found += self._parsed_source(span, offset, classify)
        if weasel and not any(f.label in ("weasel", "_several") for f in found):
            m = weasel.search(sentence)
            if m:
                found.append(Finding("weasel", m.group(), 0.75, {"source_type": "collective"}))
        if anonymous and not any(f.label == "anonymous_source" for f in found):
            m = anonymous.search(sentence)
            verbs_after = verbs and m and (m.start() <= 3 or re.search("anonym|anonim|anónim", m.group(), re.IGNORECASE)) and \
                verbs.search(sentence, m.end())
            # an unnamed source that the sentence cites («une source proche du dossier a indiqué»), or that
            # opens it as the subject of a reporting verb («Une source, qui a requis l'anonymat, évoque ...»)
            # the unnamed source must be the one the finding names, not another party of the sentence
            # («Trois soldats ont été tués, a annoncé l'armée»)
            cited = [f for f in found if m and f.label == "single_source" and anonymous.search(f.cue)]
            if m and (cited or verbs_after and not found):
                found = [f for f in found if f not in cited]
                found.append(Finding("anonymous_source", m.group(), 0.8, {"source_type": "unnamed"}))
        for f in found:
            who = f.attributes.get("attributed_to")
            if f.label == "single_source" and who:
                f.attributes["interested"] = self._interested(who, sentence, f.cue, prominent)
        return found

    @staticmethod
    def _parsed_source(span: Any, offset: int, classify: Any) -> list[Finding]:
        """The subject of a reporting verb of the main clause, from the parse, where the patterns see no
        attribution: «L'armée affirme avoir abattu 34 drones», «Le Kremlin a démenti toute implication»,
        «Un rapport accuse l'agence d'avoir ignoré les alertes», «..., témoigne Karim Benali». ``offset``
        is where the parsed text starts in the document."""
        lemmas = set(lexicon()["reporting_lemmas"].get(span.doc.lang_, ()))
        if not lemmas:
            return []
        for tok in span:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in lemmas:
                continue
            if tok.dep_ not in ("ROOT", "parataxis") and not (tok.dep_ == "conj" and tok.head.dep_ == "ROOT"):
                continue  # a relative or subordinate clause's verb is not what the sentence rests on
            if any(c.dep_ in ("expl:pv", "expl:comp") or c.lower_ in ("se", "s'", "s’") for c in tok.children):
                continue  # «le débat s'annonce animé»: not a verb of saying
            if _conditional_form(tok):
                continue  # «Trump aurait rétorqué que ...»: the outlet's hearsay (reported_conditional)
            if tok.lemma_.lower() in ("faire", "mettre") and not any(
                    c.lemma_.lower() in ("état", "savoir", "garde", "valoir") for c in tok.children):
                continue  # only «faire état de», «faire savoir», «faire valoir», «mettre en garde»
            subjects = [c for c in tok.children if c.dep_ == "nsubj"]
            if not subjects or any(c.dep_ == "nsubj:pass" or c.dep_ == "aux:pass" for c in tok.children):
                continue
            words = {c.lower_ for c in subjects}
            if words & {"je", "j'", "j’", "nous", "tu", "vous", "qui", "cela", "ce", "c'", "ça", "ceci"}:
                continue  # the speaker of a quotation, a relative, a demonstrative: not a source named here
            first = min(c.left_edge.i for c in subjects)
            last = max(c.right_edge.i for c in subjects)
            doc = span.doc
            start, end = offset + doc[first].idx, offset + doc[last].idx + len(doc[last])
            cue = doc[min(first, tok.i) : max(last, tok.i) + 1].text
            if words & {"on"}:
                return [Finding("weasel", cue, 0.7, {"source_type": "collective"})]
            finding = classify(start, end, cue, subject=True)
            return [finding] if finding else []
        return []

    @staticmethod
    def _interested(who: str, sentence: str, cue: str, prominent: str | None) -> bool:
        """A party to the story: the sentence is about the source itself (its name outside the
        attribution), or the source is the person the article is about."""
        rest = sentence.replace(cue, " ")
        names = {who, who.split()[-1]} if " " in who else {who}
        return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", rest) for n in names) or who == prominent

    # -- check-worthiness --------------------------------------------------------------------------
    def load_scorer(self, *, cache: bool = True) -> None:
        """Load the check-worthiness head and its encoder now rather than at the first sentence
        (`cache=False`: embed every sentence, as `annotator bench` times it)."""
        self._load_model()
        if self._encoder is not None and not cache:
            self._encoder.cache = None

    def _load_model(self) -> None:
        self._model_loaded = True
        from annotator.encoders import annotation_encoder
        from annotator.model_registry import Registry, RegistryError

        registry = self._registry or Registry()
        if self.check_worthiness:
            try:
                self._model = registry.load("check_worthiness")
                self._encoder = annotation_encoder()
            except (RegistryError, FileNotFoundError) as exc:
                log.info("unattributed_claim is off: %s", exc)
                self._model = None
        if self.learned and registry.promoted("claim"):
            try:
                claim = registry.load("claim")
                self._encoder = self._encoder or annotation_encoder()
            except (RegistryError, FileNotFoundError) as exc:
                log.warning("the promoted claim head is off: %s", exc)
                return
            if claim.encoder != self._encoder.version:
                log.warning("the promoted claim head %s was fitted on encoder %s, not %s: off", claim.version,
                            claim.encoder, self._encoder.version)
                return
            counts, n = claim.info.get("label_counts") or {}, int(claim.info.get("examples") or 0)
            self._claim = claim
            self._claim_labels = {label: j for j, label in enumerate(claim.labels)
                                  if counts.get(label, 0) >= MIN_LEARNED and n - counts.get(label, 0) >= MIN_LEARNED}

    # -- the document ------------------------------------------------------------------------------
    @staticmethod
    def _spans(document: Document) -> list[tuple[int, int, Any, int]]:
        """Each body sentence with its spaCy span (None where the parse cannot align it) and where the
        parsed text that holds it starts."""
        out = []
        docs = iter(document.parsed)
        current = next(docs, None)
        for start, end in document.sentences:
            while current is not None and current[0] + len(current[1].text) < start:
                current = next(docs, None)
            span = None
            if current is not None and current[0] <= start:
                span = current[1].char_span(start - current[0], end - current[0], alignment_mode="expand")
            out.append((start, end, span, current[0] if current is not None else 0))
        return out

    def tag(self, document: Document) -> list[Annotation]:
        text, language = document.text, document.language
        speakers = speakers_of(document)
        quotes = [a for a in document.annotations if a.label == "quote" and a.start is not None]
        counts = Counter(speakers.full_name(p.name) for p in speakers.people)
        top = counts.most_common(2)
        prominent = top[0][0] if top and top[0][1] >= 3 and (len(top) == 1 or top[0][1] > top[1][1]) else None
        out: list[Annotation] = []
        voice: list[tuple[int, int]] = []  # sentences in the outlet's own voice
        # A quotation carries a claim when it has factual content: «Je voudrais remercier les bénévoles»
        # or «Pourriez-vous répéter la question ?» rest on no one's word about a fact
        factual = self._factual_quotes(document, quotes)
        rules = agent(self)
        for start, end, span, offset in self._spans(document):
            if document.is_furniture(start, end):
                continue
            sentence = text[start:end]
            around = [q for q in quotes if q.start < end and start < q.end]  # type: ignore[operator]
            findings: list[Finding] = []
            if language == "fr" and span is not None and span.doc.has_annotation("MORPH"):
                findings += self._french_conditional(span)
            findings += self._hearsay(sentence, language)
            findings += self._sources(start, end, document, speakers, prominent,
                                      span if language == "fr" else None, offset)
            hedge = _compiled("hedge", language)
            if hedge:
                findings += [Finding("hedge", m.group(), 0.8) for m in hedge.finditer(sentence)]
            by_label: dict[str, Finding] = {}
            for f in findings:
                by_label.setdefault(f.label, f)  # the first cue of each label stands for the sentence
            attributed = by_label.pop("_several", None) is not None
            schedule = _compiled("schedule", language)
            if schedule and schedule.search(sentence):
                attributed = True  # an announcement of schedule is no check-worthy claim
            no_claim = _compiled("no_claim", language)
            if no_claim and no_claim.search(sentence):
                attributed = True  # a hypothesis («if the Fed cut rates, ... would fall»), a «no comment»
            if around and "single_source" in by_label and not any(factual.get(id(q), True) for q in around):
                del by_label["single_source"]  # «« Je voudrais remercier ... », a déclaré la maire»
            for label, f in by_label.items():
                out.append(Annotation("claim", label, start, end, sentence, f.score, rules, {"cue": f.cue, **f.attributes}))
            if not by_label and not attributed and not around and len(sentence.split()) >= 6 \
                    and not _QUESTION.search(sentence):
                voice.append((start, end))
        # A quotation of one speaker is one single_source claim, on the words quoted.
        for quote in quotes:
            who = quote.attributes.get("speaker")
            if who and factual.get(id(quote), True):
                sentence = text[quote.start : quote.end]  # type: ignore[index]
                out.append(Annotation("claim", "single_source", quote.start, quote.end, sentence, 0.8, rules, {
                    "cue": quote.attributes.get("cue") or "quote", "attributed_to": who, "source_type": "named",
                    "interested": who == prominent}))
        out += self._unattributed(document, voice)
        return self._learned(document, out) if self.learned else out

    def _factual_quotes(self, document: Document, quotes: list[Annotation]) -> dict[int, bool]:
        """Whether each quotation states something factual: not a question, and check-worthy by the
        check-worthiness head where it is loaded (every quotation counts where it is not)."""
        out = {id(q): not _QUESTION.search(q.text or "") for q in quotes}
        asked = [q for q in quotes if out[id(q)]]
        if not asked or not self.check_worthiness:
            return out
        if not self._model_loaded:
            self._load_model()
        if self._model is None:
            return out
        proba = self._model.predict_proba(self._encoder.encode([q.text or "" for q in asked]))[:, 0]
        threshold = float(self._model.head.thresholds_[0])
        out.update({id(q): bool(p >= threshold) for q, p in zip(asked, proba, strict=True)})
        return out

    def current_agents(self) -> dict[str, str]:
        """The agents this tagger's labels carry now, by name (what `annotator.retrain.refresh` needs to
        tell a label the models withdrew)."""
        if not self._model_loaded:
            self._load_model()
        rules = agent(self)
        out = {self.name: rules}
        if self._model is not None:
            out["check_worthiness"] = f"check_worthiness@{self._model.version}"
        if self.learned and self._claim is not None and self._claim_labels:
            out = {name: f"{value}+claim@{self._claim.version}" if name == self.name else value
                   for name, value in out.items()}
        return out

    def _learned(self, document: Document, found: list[Annotation]) -> list[Annotation]:
        """Where a claim head trained from analysts' answers is promoted, it has the last word on the
        labels it learned, sentence by sentence: a rule's or the check-worthiness head's label stays only
        when the head agrees (its probability becomes the score), and the head adds the labels it finds
        that the rules missed. Labels it did not learn, and quotes, stay as the rules give them."""
        if not self._model_loaded:
            self._load_model()
        if self._claim is None or not self._claim_labels:
            return found
        sentences = [(s, e) for s, e in document.sentences if not document.is_furniture(s, e)]
        if not sentences:
            return found
        text = document.text
        proba = self._claim.predict_proba(self._encoder.encode([text[s:e] for s, e in sentences]))
        thresholds = self._claim.head.thresholds_
        by_sentence = {span: i for i, span in enumerate(sentences)}
        who = f"{agent(self)}+claim@{self._claim.version}"
        out, seen = [], set()
        for a in found:
            i = by_sentence.get((a.start, a.end))  # type: ignore[arg-type]
            j = self._claim_labels.get(a.label)
            if i is None or j is None:
                out.append(a)
                continue
            seen.add((i, a.label))
            p = float(proba[i, j])
            if p >= thresholds[j]:
                out.append(Annotation(a.layer, a.label, a.start, a.end, a.text, round(p, 4), who,
                                      {**a.attributes, "rule_score": a.score, "head": self._claim.version}))
        for i, (start, end) in enumerate(sentences):
            for label, j in self._claim_labels.items():
                p = float(proba[i, j])
                if (i, label) not in seen and p >= thresholds[j]:
                    out.append(Annotation("claim", label, start, end, text[start:end], round(p, 4), who, {
                        "cue": "learned from analysts' answers", "head": self._claim.version}))
        return out

    def _unattributed(self, document: Document, voice: list[tuple[int, int]]) -> list[Annotation]:
        if not voice:
            return []
        if not self._model_loaded:
            self._load_model()
        if self._model is None:
            return []
        vectors = self._encoder.encode([document.text[s:e] for s, e in voice])
        proba = self._model.predict_proba(vectors)[:, 0]
        threshold = float(self._model.head.thresholds_[0])
        model = f"check_worthiness@{self._model.version}"
        return [Annotation("claim", "unattributed_claim", s, e, document.text[s:e], round(float(p), 4), model,
                           {"check_worthy": round(float(p), 4), "cue": "check-worthy in the outlet's own voice"})
                for (s, e), p in zip(voice, proba, strict=True) if p >= threshold]
