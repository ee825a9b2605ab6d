"""English cues of the claim layer, written by the project.

Hearsay: the hearsay adverbs («reportedly», «allegedly») and the passive of saying («is said to», «is
believed to have»). Attribution and anonymity formulas («according to», «speaking on condition of
anonymity», «people familiar with the matter»), weasel collectives and hedges from news agencies'
guidance on anonymous sourcing and attribution (AP, Reuters, AFP) and the CoNLL-2010 uncertainty-cue
guidelines. The sections are those of `language.SECTIONS`.
"""

from __future__ import annotations

import re
from typing import Any

from annotator.taggers.claims.language import Language, Subject, in_main_clause

# -- patterns, by section (language.SECTIONS) ----------------------------------------------------
HEARSAY = [
    "reportedly", "allegedly", "purportedly", "supposedly",
    "(?:is|are|was|were) (?:said|reported|alleged|rumou?red) to",
    "(?:is|are|was|were) believed to have",
    "alleged(?! to)", "purported",
    "(?:is|are|was|were) understood to",
    "(?:is|are|was|were) thought to have",
]
ATTRIBUTION = [
    r"according to\s+",
    r"as (?:reported|claimed|alleged) by\s+",
    r"citing\s+", r"in the words of\s+",
    ("as (?P<who>(?:the )?(?-i:[A-Z])[^,]{1,40}?) (?:first |previously |earlier )?(?:reported|revealed|"
     "disclosed|noted)"),
    # a reporting verb in the passive and its agent: «was confirmed on Tuesday by the ministry»
    # (after a passive auxiliary, or a word and a comma: «the minister confirmed the plan ... by June» is
    # active)
    (r"(?:\bwas|\bwere|\bbeen|\bis|\bare|\bbeing|\w+,)\s+(?:\w+ly\s+)?(?:confirmed|announced|reported|denied|"
     r"revealed|disclosed|stated|claimed|alleged|published|relayed|communicated|asserted)\s+"
     r"(?:[^,.;:]{0,30}?\s)?by\s+"),
]
NOT_A_SOURCE = [
    "according to (?:our|my) (?:information|calculations|estimates|reporting)",
    "according to (?:plan|schedule)",
]
REPORTING_VERBS_THAT = [
    "said", "says", "say", r"claim\w*", r"alleg(?:e|es|ed|ing)\b", r"insist\w*", r"assert\w*", "told",
    "tells", "stated", "states", r"maintain\w*", r"argu\w*", r"contend\w*", "announced", "warned", "added",
    "reported", "wrote", "denied", "den(?:y|ies)", "promised", "described", "confirmed", "confirms",
    "explained", "acknowledged", "admitted", "revealed", "found", "finds", "hinted", "estimated", "estimates",
    "predicted", "noted", "accused", "insisted", "conceded", "suggested", "disclosed", "testified",
    "recalled", "accus(?:e|es|ing)", "estimate", "recorded", "counted", "believe", "believes", "concluded",
    "concludes", "show(?:s|ed)?(?= that)", "claimed",
]
ANONYMOUS = [
    "(?:speaking )?on (?:the )?condition of anonymity",
    "who (?:asked|declined) (?:not )?to be (?:named|identified)",
    "who (?:requested|spoke on) anonymity",
    "anonymous(?:ly)?",
    "sources? (?:familiar with|close to|briefed on|with knowledge of)",
    ("(?:a|one|two|three|several) (?:senior |top )?(?:officials?|sources?|diplomats?|people|persons?|"
     r"insiders?)\b(?! named)"),
    "people familiar with",
    "a person (?:familiar|close) (?:with|to)",
    (r"(?:senior |top )?(?:administration|government|military|intelligence|U\.S\.|western|"
     "european) officials? (?:said|say|told)"),
    "speaking anonymously",
    ("(?:a|one) (?:police|government|security|military|diplomatic|industry|party|company|senior|palace|"
     r"court|hospital) (?:source|insider|official|aide)\b"),
    r"(?:an? )?(?:industry |party |company |palace )?insiders?\b",
    ("(?:an? )?(?:white house|downing street|kremlin|elysee|government) (?:aide|official|"
     r"source)s?\b(?! named)"),
    "sources (?:said|say|told|tell|suggest|indicate)",
    "on background",
    "people (?:briefed on|with knowledge of|close to)",
    (r"(?:a|an|one|two|three|several) (?:[\w-]+ ){0,2}?(?:officials?|diplomats?|insiders?|aides?|sources?|"
     r"advisers?|staffers?)\b(?! named)"),
    r"(?:\w+ )?officials,? (?:said|say|told|believe|estimate|speaking)",
    r"told \w+ (?:on condition of anonymity|anonymously)",
    "witnesses (?:said|say|told|described|reported|recounted)",
    ("privately (?:concede|concedes|conceded|admit|admits|admitted|acknowledge|acknowledged|say|said|warn|"
     "warned)"),
    r"(?:said|say|told \w+) privately",
]
WEASEL = [
    # unnamed media as one voice: «according to local media», «citing state media reports»
    (r"(?:according to|citing) (?:the )?(?:(?:local|state|foreign|western|russian|chinese|iranian|israeli|"
     r"ukrainian|official|some|several) ){0,2}(?-i:media|press)(?: reports?)?\b"),
    "some (?:experts|analysts|observers|critics|people|officials|say|believe|argue|claim)",
    "many (?:believe|think|say|argue|feel|experts|observers|analysts|critics)",
    "critics (?:say|argue|claim|believe|contend)",
    "experts (?:say|believe|argue|warn)",
    "it is (?:widely |commonly |generally )?(?:believed|thought|said|claimed|accepted|argued|rumou?red) that",
    "observers (?:say|believe|note)",
    "(?:it has been|it was) (?:suggested|claimed|said) that",
    "there are those who", "people (?:are saying|say)",
    ("there (?:are|is) (?:growing |increasing |widespread )?(?:concerns?|fears?|suggestions?|speculation|"
     "claims?) that"),
    (r"(?:some|many|several|most|numerous) \w+s? (?:have |had )?(?:say|said|fear|feared|warn|warned|"
     r"believe|believed|argue|argued|accuse[ds]?|described|claim|claimed|worry|worried)\b"),
    ("(?:observers|critics|experts|analysts|scientists|residents|commentators|economists|fans|locals|"
     "activists|campaigners|officials) (?:increasingly |have |had |widely |long )*(?:say|said|fear|warn|"
     r"warned|believe|argue|described|describe|accuse[ds]?|claim|claimed|worry|suggest)\b"),
    "critics (?:allege|charge|complain|fear|warn)",
    r"(?:some|many|several|most|numerous) \w+s? (?:expect|feel|fear|allege|suspect|predict|reckon)\b",
    ("(?:observers|critics|experts|analysts|scientists|residents|commentators|economists|doctors|"
     "historians|campaigners|activists) (?:widely |increasingly )?(?:warn|expect|allege|fear|predict|"
     r"doubt|question)\b"),
    r"(?:some|many|several|most) (?:\w+ )?(?:consider|remain|doubt|question|suspect)\b",
    "rumou?rs (?:are|have been|were) (?:swirling|circulating|rife|growing)",
    ("there (?:is|are|was) (?:a )?(?:growing |widespread |general )?(?:feeling|sense|belief|perception|"
     r"talk)\b"),
    "it is (?:often|widely|commonly|generally|frequently) (?:said|believed|thought|argued|claimed)",
    "conventional wisdom (?:holds|has it|says)",
    "rumou?rs abound",
    r"some in (?:the )?\w+(?: \w+)? (?:say|whisper|argue|believe|fear|suspect|worry|grumble)",
    "it is (?:widely )?(?:rumou?red|whispered)",
]
INSTITUTIONS = [
    "the Kremlin", "the White House", "the Pentagon", "Downing Street", "Moscow", "Washington", "Beijing",
    "Kyiv", "Brussels", "the UN", "NATO", "the government", r"the ministry of [\w ]{2,30}",
    r"the (?:\w+ )?ministry", "police", "the police", "prosecutors", "the army", "the military",
]
MULTIPLE_SOURCES = [r"\band\b", r"\bboth\b", "as well as"]
AGENT_NOUNS = [
    "police", "ministry", "government", "army", "military", "company", "firm", "group", "agency", "council",
    "court", "prosecutors?", "authorities", "spokes(?:man|woman|person)", "department", "office", "union",
    "party", "opposition", "institute", "bank", "commission", "hospital", "university", "study", "report",
    "survey", "poll", "lawyer", "attorney", "family", "organi[sz]ation", "club", "federation", "embassy",
    "he", "she", "they", "him", "her", "them", "newspaper", "network", "broadcaster",
]
HEDGE = [
    "probably", "likely", "unlikely", "possibly", "perhaps", "maybe", "apparently", "seemingly", "presumably",
    "arguably", "(?-i:may)", "might", "could", "appears? to", "appeared to", "seems? to", "seemed to",
    "it (?:seems|appears) that", "suggests? that", "potentially", r"it (?:seems|appears)\b",
    "(?:remains|is|was|remained) (?:still )?unclear",
    "it is not (?:yet )?clear",
    "(?:is|are) expected to(?! take place)",
    "hinted",
    "everything (?:suggests|indicates|points to)",
]
SCHEDULE = [
    "will", "is due", "are due", "is scheduled", "are scheduled", "is set to", "are set to",
    "is expected to take place", "must present", "takes place on", "hosts? its first",
]
NO_CLAIM = [
    r"\bif\b[^.]{0,80}\bwould(?:n['’]t)?\b",
    r"\bwould(?:n['’]t)?\b[^.]{0,80}\bif\b",
    r"^\W*had\b[^.]{0,80}\bwould\b",
    r"^\W*without\b[^.]{0,80}\bwould\b",
    "did not (?:immediately )?(?:respond|reply) to (?:a |an )?(?:requests?|emails?|calls?)(?: for comment)?",
    "declined to comment",
    "could not be reached (?:for comment)?",
    "did not return (?:a )?(?:calls?|requests?)",
]

# One person the text does not name: «a witness», «one resident», «a person familiar with ...»
UNNAMED_PERSON = re.compile(r"^(?:a|an|one) (?:\w+ ){0,2}?(?:witness|survivor|resident|neighbou?r|passenger|"
                            r"employee|worker|doctor|nurse|protester|student|parent|soldier|police officer|"
                            r"bystander|local|villager|person familiar|insider|aide|staffer)\b",
                            re.IGNORECASE)
# «..., police said on Tuesday.», «..., the ministry said, adding ...»: what may follow a verb that closes
# the attribution
CLOSING_VERB_TAIL = re.compile(r"\s*(?:on|in|at|last|this|during|after|before|late|early|earlier|"
                               r"on condition)\b[^,;]{0,60}[.!?]?\s*$|\s*,")


def clause_follows_verb(before: str, after: str) -> bool:
    """«officials said the deal was signed»: the clause follows the verb without «that»; «Zelensky said
    Ukrainian forces were ...»: a short subject, then the clause."""
    return bool(re.match(r"\s+[a-z]", after)
                or re.match(r"\s+\w", after) and len(before.split()) <= 6 and "," not in before)


# -- the source, read from the parse ---------------------------------------------------------------
# Verbs whose subject is the source of what the sentence reports. English drops «that» after them
# («X said the talks had stalled»), so the patterns, which need the clause's «that» or a colon, miss
# what the parse sees.
REPORTING_LEMMAS = frozenset({
    "say", "tell", "claim", "allege", "insist", "assert", "state", "maintain", "argue", "contend",
    "announce", "warn", "add", "report", "write", "deny", "promise", "confirm", "explain", "acknowledge",
    "admit", "reveal", "hint", "estimate", "predict", "note", "accuse", "concede", "stress", "emphasise",
    "emphasize", "blame", "testify", "describe", "call", "show", "suggest", "find", "expect", "disclose",
    "hear",
})
# verbs that report only with a clause after them: «data showed (that) prices fell», not «the video shows
# a man running», «residents heard explosions»
_WITH_CLAUSE_ONLY = frozenset({"show", "find", "hear", "add", "call", "describe", "expect", "suggest"})
# a pronoun that names no source here, a relative, the outlet's own voice
_NOT_A_SUBJECT = {"i", "we", "you", "who", "which", "that", "it", "this", "there", "what"}


def reporting_subject(span: Any) -> Subject | None:
    """The subject of a reporting verb of the main clause: «Lumio said it would appeal», «Official figures
    showed inflation fell to 2.3%», «"We will appeal," the club told the BBC»."""
    for tok in span:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in REPORTING_LEMMAS:
            continue
        if not in_main_clause(tok):
            continue
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
            continue  # «is said to»: hearsay, the reported_conditional rule's business
        if tok.lemma_.lower() in _WITH_CLAUSE_ONLY and not any(c.dep_ in ("ccomp", "xcomp", "oprd")
                                                              for c in tok.children):
            continue
        subjects = [c for c in tok.children if c.dep_ == "nsubj"]
        if not subjects or {c.lower_ for c in subjects} & _NOT_A_SUBJECT:
            continue
        return Subject.of(tok, subjects)
    return None


LANGUAGE = Language(
    code="en",
    hearsay=HEARSAY,
    attribution=ATTRIBUTION,
    not_a_source=NOT_A_SOURCE,
    reporting_verbs_that=REPORTING_VERBS_THAT,
    anonymous=ANONYMOUS,
    weasel=WEASEL,
    institutions=INSTITUTIONS,
    multiple_sources=MULTIPLE_SOURCES,
    agent_nouns=AGENT_NOUNS,
    hedge=HEDGE,
    schedule=SCHEDULE,
    no_claim=NO_CLAIM,
    unnamed_person=UNNAMED_PERSON,
    closing_verb_tail=CLOSING_VERB_TAIL,
    clause_follows_verb=clause_follows_verb,
    source_after_verb=None,  # the shape «..., a indiqué la préfecture» is off in English
    reporting_subject=reporting_subject,
)
