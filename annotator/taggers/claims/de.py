"""German cues of the claim layer, written by the project.

Hearsay: the modal «sollen» with a perfect infinitive («soll ... haben»), «angeblich», «Berichten zufolge»,
and the Konjunktiv I of indirect speech («er sei», «sie habe»: `hearsay_forms`). Attribution («laut»,
«nach Angaben», «wie die Polizei mitteilte», «Insidern zufolge») and anonymity formulas, weasel
collectives and hedges from news agencies' guidance on anonymous sourcing and attribution (AFP, Reuters,
AP, dpa) and the CoNLL-2010 uncertainty-cue guidelines. The sections are those of `language.SECTIONS`.
"""

from __future__ import annotations

import re

from annotator.taggers.claims.language import Finding, Language

# -- patterns, by section (language.SECTIONS) ----------------------------------------------------
HEARSAY = [
    r"soll(?:en|te|ten)?\b(?=(?:[^.!?]|[.]\d)*\b(?:haben|sein|worden|gewesen)\b)",
    "angeblich", "mutmaßlich", "dem Vernehmen nach", "Berichten zufolge", "(?:wie )?es heißt",
    r"soll(?:en)? (?:angeblich )?\w+ (?:sein|haben)",
]
ATTRIBUTION = [
    r"laut\s+",
    r"nach Angaben (?:von|des|der)\s+",
    (r"wie\s+(?P<who>(?:der|die|das|den|dem)?\s*[^,.]{2,50}?)\s+(?:mitteilte|mitteilten|berichtete|"
     "berichteten|erklärte|erklärten|sagte|sagten|bestätigte|bestätigten|meldete|meldeten|angab|angaben|"
     r"bekanntgab|verlauten ließ|schreibt|schrieb|berichtet|meldet)\b"),
    r"(?P<who>(?:(?:der|die|des|dem|den)\s+)?(?:\w+\s+){0,2}?\w+)\s+zufolge",
    r"nach (?:eigenen )?Angaben\s+",
    r"(?:so|sagt|sagte|erklärte)\s+(?=[A-ZÄÖÜ])",
    r"nach Darstellung (?:von|des|der)\s+",
    r"aus Sicht (?:von|des|der)\s+",
    # a reporting verb in the passive, the agent before it: «wurde am Abend von der Polizei bestätigt»
    (r"(?:wurden?|worden|ist|sind|war|waren)\s+(?:[^,.;:]{0,30}?\s)?(?:von|vom)\s+"
     r"(?P<who>[^,.;:]{2,60}?)\s+(?:bestätigt|mitgeteilt|gemeldet|bekanntgegeben|bekannt gegeben|"
     r"dementiert|berichtet|veröffentlicht|angegeben|verkündet|enthüllt)\b"),
]
REPORTING_VERBS_THAT = [
    r"sagte\w*", "sagt", r"erklärte\w*", "erklärt", r"behauptet\w*", r"betonte\w*", r"teilte\w* mit",
    r"berichtete\w*", r"kündigte\w* an", "kündigt an", r"sprach\w* von", r"warnte\w*", "warnt",
    r"bestätigte\w*", "verlautete", r"meldete\w*", "betont", r"versicherte\w*", r"räumte\w* ein",
    r"wies\w* darauf hin", "erklären", "sagen", "behaupten", "berichten", "teilt mit", "hieß es",
    r"verkündete\w*", r"bestritt\w*", r"dementierte\w*", r"schrieb\w*", r"gab\w* an", "sprechen von",
]
ANONYMOUS = [
    # «aus Regierungskreisen», «in Verhandlungskreisen hieß es»: an unnamed circle of insiders
    (r"(?:aus|in) (?:gut informierten |gewöhnlich gut unterrichteten )?(?:(?:Regierungs|Verhandlungs|"
     r"Sicherheits|Diplomaten|Koalitions|Partei|Fraktions|Ermittler|Justiz|Militär|Geheimdienst|Industrie|"
     r"Branchen|Unternehmens|Finanz|Börsen|Banken|Insider)kreisen|Kreisen)\b"),
    "anonym",
    "ein(?:e)? (?:hohe[rs]? )?(?:Beamte[rn]?|Insider|Quelle)",
    "Quellen zufolge", r"Insider\w*",
    r"(?:gut )?informierte[rn]? Kreise\w*",
    ("ein(?:e|er)? (?:ranghohe[rs]? |hochrangige[rs]? )?(?:Diplomat|Beamte[rn]?|Regierungsvertreter|"
     r"Mitarbeiter|Vertreter|Offizier)\w*\b(?![^,.]{0,30}\b[A-ZÄÖÜ]\w+ [A-ZÄÖÜ]\w+)"),
    "Kreisen zufolge",
    ("(?:aus )?(?:Regierungs|Sicherheits|Koalitions|Partei|Diplomaten|Ermittler|Verhandlungs|"
     "Unternehmens)kreisen"),
    r"nicht namentlich genannt\w*",
    # «aus dem Umfeld des Spielers», «mit der Transaktion vertraute Personen»
    r"aus dem Umfeld (?:des|der|von)\b", r"mit (?:der|dem|den) \w+ vertraute(?:n)? Personen",
    r"der (?:nicht genannt|anonym bleiben) \w+",
]
WEASEL = [
    # unnamed media as one voice: «Medienberichten zufolge», «laut örtlichen Medien»
    r"Medienberichten zufolge", r"laut (?:\w+en )?(?:Medien|Medienberichten)\b",
    r"nach (?:\w+en )?Medienberichten\b",
    "manche (?:sagen|meinen|glauben|Experten|Beobachter)",
    "viele (?:glauben|meinen|sagen|Experten|Beobachter)",
    "Kritiker (?:sagen|meinen|werfen)",
    "es heißt", "man sagt",
    ("(?:Experten|Fachleute|Beobachter|Kritiker|Analysten|Ökonomen|Wissenschaftler|Volkswirte|Branchenkenner|"
     "Branchenbeobachter|Marktbeobachter|Händler|Mediziner|Juristen) (?:warnen|sagen|meinen|glauben|"
     r"befürchten|fürchten|erwarten|gehen davon aus|sind sich einig|halten|vermuten|kritisieren|sehen|"
     r"rechnen|schätzen|bezweifeln)\b"),
    # «gilt als eines der größten Talente», «unter Fachleuten umstritten», «von den meisten Analysten
    # erwartet»: a judgement no one in particular makes
    r"(?:gilt|gelten|galt|galten) als\b",
    r"unter (?:Fachleuten|Experten|Beobachtern|Ökonomen|Analysten) (?:umstritten|unstrittig)",
    r"von (?:den meisten|vielen) (?:Analysten|Experten|Beobachtern|Ökonomen) (?:erwartet|befürchtet)",
    r"viele (?:\w+ )?(?:glauben|meinen|befürchten|sagen)\b",
    "man (?:sagt|munkelt|hört)",
]
MULTIPLE_SOURCES = [r"\bund\b"]
AGENT_NOUNS = [
    "Polizei", "Ministerium", "Regierung", "Sprecher(?:in)?", "Staatsanwaltschaft", "Behörden?",
    "Unternehmen", "Gericht", "Armee", "Bundeswehr", "Feuerwehr", "Bundesamt", r"Kanzler\w*", r"Minister\w*",
    r"Bürgermeister\w*", r"Präsident\w*", "Zeitung", "Agentur", r"Gewerkschaft\w*", "Verband", "Klinik",
    "Krankenhaus", "Institut", "Bundesregierung", "Landesregierung", "Ermittler",
]
HEDGE = [
    "wahrscheinlich", "möglicherweise", "vermutlich", "offenbar", "anscheinend", "vielleicht", "könnte(?:n)?",
    "dürfte(?:n)?", "scheint",
]
NO_CLAIM = [
    r"\bwenn\b[^.]{0,80}\bwürde", r"\bfalls\b[^.]{0,80}\bwürde", "wollte sich nicht äußern",
    "war für eine Stellungnahme nicht zu erreichen",
]
EPISTEMIC_MODALS = ["können", "dürfen"]
KONJUNKTIV_I = ["sei", "seien", "habe", "werde", "könne", "müsse", "wolle", "solle", "dürfe"]

# Words inside a noun phrase that are lowercase (articles, prepositions): «nach Angaben der Feuerwehr»
NOUN_PHRASE_WORDS = {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem",
                     "einen", "von", "vom", "zur", "zum", "für", "und", "aus", "in", "im", "am", "bei",
                     "beim"}
# with these pronouns the form may be the indicative («ich habe», «ich werde»): not counted
_INDICATIVE_PERSONS = ("ich", "wir", "ihr", "du", "sie")
_KONJUNKTIV_I = re.compile(r"(?<!\w)(\w+)\s+(" + "|".join(KONJUNKTIV_I) + r")(?!\w)")


def hearsay_forms(text: str) -> list[Finding]:
    """The Konjunktiv I of indirect speech: «Der Minister sei informiert worden»."""
    return [Finding("reported_conditional", m.group(2), 0.75) for m in _KONJUNKTIV_I.finditer(text)
            if m.group(1).lower() not in _INDICATIVE_PERSONS]


def source_end(phrase: str) -> int:
    """«Laut Polizei wurden ...»: the source after the formula ends at the verb, its first lowercase word
    that is not inside a noun phrase."""
    verb = next((w for w in re.finditer(r"\S+", phrase)
                 if w.group()[:1].islower() and w.group().lower() not in NOUN_PHRASE_WORDS), None)
    return verb.start() if verb else len(phrase)


def clause_follows_verb(before: str, after: str) -> bool:
    """«Der Sprecher sagte, die Lage sei ...»: a comma, then the reported clause."""
    return bool(re.match(r"\s*,", after))


LANGUAGE = Language(
    code="de",
    hearsay=HEARSAY,
    attribution=ATTRIBUTION,
    reporting_verbs_that=REPORTING_VERBS_THAT,
    anonymous=ANONYMOUS,
    weasel=WEASEL,
    multiple_sources=MULTIPLE_SOURCES,
    agent_nouns=AGENT_NOUNS,
    hedge=HEDGE,
    no_claim=NO_CLAIM,
    epistemic_modals=EPISTEMIC_MODALS,
    hearsay_forms=hearsay_forms,
    source_end=source_end,
    clause_follows_verb=clause_follows_verb,
    # «..., bestätigte die Polizei»: the source after the verb starts with an article or a capital, not
    # «..., bestätigte den Angriff»
    source_after_verb=re.compile(r"\s*(?:der|die|das|ein|eine|[A-ZÄÖÜ])"),
)
