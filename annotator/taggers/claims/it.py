"""Italian cues of the claim layer, written by the project.

Hearsay: «avrebbe» / «sarebbe» with a participle (the reportive conditional of Italian news), unless the
sentence makes it a hypothesis («se piovesse»), a future-in-the-past («ha detto che sarebbe venuto») or a
counterfactual («avrebbe dovuto»); «secondo indiscrezioni». Attribution and anonymity formulas, weasel
collectives and hedges from news agencies' guidance on anonymous sourcing and attribution (AFP, Reuters,
AP) and the CoNLL-2010 uncertainty-cue guidelines. The sections are those of `language.SECTIONS`.
"""

from annotator.taggers.claims.language import Language

# -- patterns, by section (language.SECTIONS) ----------------------------------------------------
HEARSAY = [
    "secondo indiscrezioni",
    "secondo (?:alcune |le prime )?indiscrezioni",
    "stando alle indiscrezioni",
]
HEARSAY_CONDITIONAL = [
    r"avrebbe(?:ro)? (?:(?:già|anche|ormai|poi|infatti|persino|pure|solo) )?\w+(?:ato|ito|uto|so|to|sto)\b",
    (r"sarebbe(?:ro)? (?:(?:già|anche|ormai|stato|stata|stati|state) )?\w+(?:ato|ata|ati|ate|ito|ita|iti|"
     r"ite|uto|uta|uti|ute|so|sa|si|se|to|ta|ti|te)\b"),
    r"sarebbe(?:ro)? (?:di|pronto|pronta|pronti|pronte|in corso|in fuga)\b",
]
HEARSAY_NOT = [
    (r"(?<!\w)(?:se|qualora|nel caso in cui|nel caso che|a patto che|purché)\b[^.]{0,60}?\w(?:sse|ssero|"
     r"ssi|ssimo|ste)\b"),
    ("(?:ha|hanno|aveva|avevano) (?:detto|affermato|dichiarato|assicurato|promesso|annunciato|spiegato|"
     "garantito|giurato|scritto|aggiunto|precisato) che"),
    "(?:disse|dissero|affermò|promise|assicurò|annunciò|spiegò) che",
    "avrebbe(?:ro)? (?:dovuto|potuto|voluto)",
    "sarebbe(?:ro)? (?:stato|stata|stati|state) (?:meglio|opportuno|giusto|necessario)",
]
ATTRIBUTION = [
    r"secondo\s+",
    r"stando (?:a|al|alla|allo|ai|agli|alle|all['’])\s*",
    r"a detta d[ie]\s+", r"come riferito da\s+", r"a quanto riferito da\s+",
    r"a quanto (?:riferisce|riporta|scrive)\s+",
    r"come (?:riporta|scrive|riferisce|ha riferito|ha riportato)\s+",
    # a reporting verb in the passive and its agent: «è stato confermato in serata dal ministero»
    # (after a passive auxiliary or a word and a comma)
    (r"(?:\bstat[oaie]|\bè|\bsono|\bera|\berano|\bfu|\bfurono|\bvenne|\bvennero|\w+,)\s+(?:\w+mente\s+)?"
     r"(?:confermat|annunciat|comunicat|smentit|rivelat|riferit|pubblicat|diffus|denunciat|riportat|"
     r"divulgat)[oaie]\s+(?:[^,.;:]{0,30}?\s)?(?:(?:dalla|dallo|dalle|dagli|dal|dai|da)\s+|dall['’]\s*)"),
]
NOT_A_SOURCE = ["secondo (?:le nostre|i nostri) (?:informazioni|calcoli)"]
REPORTING_VERBS_THAT = [
    "ha detto", "ha affermato", "ha dichiarato", "ha sostenuto", "ha spiegato", "ha sottolineato",
    "ha assicurato", "ha denunciato", "dice", "afferma", "sostiene", "sostengono", "dichiara", "dichiarano",
    "spiega", "spiegano", "riferisce", "riferiscono", "assicura", "assicurano", "denuncia", "denunciano",
    "conferma", "confermano", "ha confermato", "hanno confermato", "annuncia", "ha annunciato",
    "hanno annunciato", "parla di", "parlano di", "ha parlato di", "sottolinea", "ha riferito",
    "hanno riferito", "ha ammesso", "ha rivelato", "hanno detto", "hanno dichiarato", "avverte",
    "ha avvertito", "ha negato", "nega", "ha smentito", "smentisce", "ha ribadito", "ribadisce",
    "ha precisato", "ha raccontato", "racconta", "ha scritto", "scrive", "affermano", "dicono",
]
ANONYMOUS = [
    "fonti? (?:vicin[ei]|diplomatich[ei]|governativ[ei]|qualificat[ei])",
    "in forma anonima",
    "sotto (?:la )?condizione di anonimato",
    "un(?:a)? (?:alto )?(?:funzionari[oa]|responsabile)",
    r"una fonte\b",
    ("fonti? (?:vicin[aei]|diplomatic[ahe]+|governativ[aei]|qualificat[aei]|intern[aei]|investigativ[aei]|"
     r"militar[ei]|giudiziari[aei]|di polizia|della procura|dell['’]\w+|del \w+|sanitari[aei]|ufficial[ei]|"
     "autorevol[ei]|anonim[aei])"),
    "che ha chiesto (?:l['’])?anonimato",
    "che hanno chiesto (?:l['’])?anonimato",
    "(?:sotto|coperto dall['’]) ?anonimato",
    ("un(?:a)? (?:alto |alta )?(?:funzionari[oa]|responsabile|diplomatico|dirigente|ufficiale|"
     r"investigatore|inquirente)\b(?![^,.]{0,40}\b(?-i:[A-Z])\w+ (?-i:[A-Z])\w+)"),
    "indiscrezioni",
]
WEASEL = [
    # unnamed media as one voice: «secondo i media locali», «stando ai media»
    r"(?:secondo(?: i| alcuni| diversi)?|citando(?: i)?|stando ai) (?:media|giornali)(?: \w+)?\b",
    "alcuni (?:esperti|analisti|osservatori|ritengono|dicono|sostengono)",
    "molti (?:ritengono|pensano|dicono|esperti)",
    "si dice che", "secondo alcuni",
    "i critici (?:dicono|sostengono)",
    ("(?:gli |molti |alcuni |diversi )?(?:esperti|analisti|osservatori|critici|economisti|"
     r"scienziati) (?:avvertono|ritengono|dicono|sostengono|temono|prevedono|concordano|avvisano)\b"),
    "c['’]è chi (?:sostiene|dice|ritiene|pensa)",
    "si mormora", "si vocifera",
]
MULTIPLE_SOURCES = [r"\be\b"]
AGENT_NOUNS = [
    "polizia", "ministero", "governo", "esercito", "azienda", "portavoce", "procura", "tribunale", "autorità",
    "investigatori", "inquirenti", "carabinieri", "vigili del fuoco", "sindaco", "ministro", "presidente",
    "premier", "quotidiano", "giornale", "agenzia", "questura", "prefettura", "comune", "regione", "ospedale",
    "sindacato", "sindacati", "società", "club", "federazione", "direzione", "gruppo", "ufficio stampa",
    "protezione civile", "guardia costiera", "ambasciata",
]
HEDGE = [
    "probabilmente", "forse", "potrebbe(?:ro)?", "sembra(?:no)?", "pare che", "presumibilmente",
    "apparentemente", "possibilmente",
]
NO_CLAIM = [
    r"\bse\b[^.]{0,80}\w+(?:sse|ssero)\b[^.]{0,80}\w+rebbe",
    "non ha voluto commentare",
    "non ha risposto alle? (?:richieste|domande)",
]
EPISTEMIC_MODALS = ["potere", "dovere"]

LANGUAGE = Language(
    code="it",
    hearsay=HEARSAY,
    hearsay_conditional=HEARSAY_CONDITIONAL,
    hearsay_not=HEARSAY_NOT,
    attribution=ATTRIBUTION,
    not_a_source=NOT_A_SOURCE,
    reporting_verbs_that=REPORTING_VERBS_THAT,
    anonymous=ANONYMOUS,
    weasel=WEASEL,
    multiple_sources=MULTIPLE_SOURCES,
    agent_nouns=AGENT_NOUNS,
    hedge=HEDGE,
    no_claim=NO_CLAIM,
    epistemic_modals=EPISTEMIC_MODALS,
)
