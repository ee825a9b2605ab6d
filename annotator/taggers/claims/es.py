"""Spanish cues of the claim layer, written by the project.

Hearsay: «habría» with a participle (the reportive conditional of Spanish news), unless the sentence makes
it a hypothesis («si lloviera»), a future-in-the-past («dijo que habría») or a counterfactual («habría
debido»); «supuestamente», «presuntamente». Attribution and anonymity formulas, weasel collectives and
hedges from news agencies' guidance on anonymous sourcing and attribution (AFP, Reuters, AP) and the
CoNLL-2010 uncertainty-cue guidelines. The sections are those of `language.SECTIONS`.
"""

from annotator.taggers.claims.language import Language

# -- patterns, by section (language.SECTIONS) ----------------------------------------------------
HEARSAY = ["supuestamente", "presuntamente", "según (?:algunas |las primeras )?informaciones no confirmadas"]
HEARSAY_CONDITIONAL = [
    r"habr[íi]a(?:n)? (?:(?:ya|también|incluso|supuestamente) )?\w+(?:ado|ido|to|so|cho)\b",
]
HEARSAY_NOT = [
    r"(?<!\w)(?:si|en caso de que|a menos que|siempre que)\b[^.]{0,60}?\w(?:ra|ras|ran|se|ses|sen|ramos)\b",
    ("(?:dijo|dijeron|afirmó|afirmaron|aseguró|aseguraron|prometió|prometieron|anunció|anunciaron|explicó|"
     "declaró|garantizó|había dicho|ha dicho|han dicho) que"),
    "habr[íi]a(?:n)? (?:debido|podido|querido)",
]
ATTRIBUTION = [
    r"según\s+", r"de acuerdo con\s+", r"citado por\s+", r"a decir de\s+", r"a juicio de\s+",
    r"en palabras de\s+", r"conforme a\s+",
    r"tal y como (?:informó|señaló|publicó)\s+",
    r"como (?:informó|publicó|señaló|reveló)\s+",
    # a reporting verb in the passive and its agent: «fue confirmada el martes por el ministerio»
    # (after a passive auxiliary or a word and a comma)
    (r"(?:\bfue|\bfueron|\bsido|\bes|\bson|\bera|\beran|\w+,)\s+(?:\w+mente\s+)?(?:confirmad|anunciad|"
     r"comunicad|desmentid|revelad|informad|publicad|difundid|denunciad|reportad|divulgad)[oa]s?\s+"
     r"(?:[^,.;:]{0,30}?\s)?por\s+"),
]
NOT_A_SOURCE = ["según (?:nuestras|nuestros) (?:informaciones|cálculos|datos)"]
REPORTING_VERBS_THAT = [
    "dijo", "afirmó", "aseguró", "declaró", "sostuvo", "indicó", "explicó", "señaló", "advirtió", "denunció",
    "aseguran?", "afirman?", "indican?", "indicaron", "señalan?", "señalaron", "explican?", "explicaron",
    "sostienen?", "dicen", "dice", "declaran?", "declararon", "advierten?", "advirtieron", "denuncian?",
    "denunciaron", "confirmaron", "confirman?", "confirmó", "revelaron", "reveló", "informaron", "informó",
    "aseguraron", "afirmaron", "anunció", "anunciaron", "reconoció", "negó", "negaron", "admitió", "precisó",
    "añadió", "agregó", "relató", "contó", "subrayó", "insistió", "alertó",
]
ANONYMOUS = [
    "fuentes? (?:cercanas?|diplomáticas?|oficiales?|del gobierno|consultadas)",
    "bajo (?:condición de )?anonimato",
    "que pidió no ser identificad[oa]",
    "un(?:a)? (?:alto )?(?:funcionari[oa]|responsable)",
    (r"fuentes? (?:policiales?|judiciales?|militares?|gubernamentales?|diplomáticas?|del \w+|de la \w+|"
     "internas?|próximas?|solventes|anónimas?|bien informadas?|consultadas por)"),
    "que pidieron (?:el )?anonimato", "que pidió (?:el )?anonimato",
    "que (?:prefirió|prefirieron) no (?:ser identificad[oa]s?|dar su nombre)",
    r"una fuente\b",
]
WEASEL = [
    # unnamed media as one voice: «según medios locales», «citando a la prensa local»
    r"(?:según|de acuerdo con|citando a) (?:(?:algunos|varios|los) )?(?:medios|la prensa)(?: \w+)?\b",
    "algunos (?:expertos|analistas|observadores|creen|dicen|afirman)",
    "muchos (?:creen|piensan|dicen|expertos)",
    "se dice que", "según algunos",
    "los críticos (?:dicen|afirman|sostienen)",
    "hay quien(?:es)? (?:sostiene|dice|cree|afirma|piensa|opina)n?",
    ("(?:los |muchos |algunos )?(?:expertos|analistas|observadores|críticos|economistas) (?:advierten|"
     r"creen|sostienen|afirman|temen|prevén|coinciden)\b"),
    "se rumorea",
]
MULTIPLE_SOURCES = [r"\by\b"]
AGENT_NOUNS = [
    "policía", "ministerio", "gobierno", "ejército", "empresa", "portavoz", "fiscalía", "tribunal",
    "autoridades", "investigadores", "bomberos", "alcalde", "alcaldesa", "ministro", "ministra", "presidente",
    "diario", "periódico", "agencia", "ayuntamiento", "hospital", "sindicato", "sindicatos", "club",
    "federación", "guardia civil",
]
HEDGE = [
    "probablemente", "posiblemente", "al parecer", "quizás?", "tal vez", "podría(?:n)?", "parece que",
    "aparentemente",
]
NO_CLAIM = [
    r"\bsi\b[^.]{0,80}\w+(?:ra|ran|se|sen)\b[^.]{0,80}\w+r[íi]a",
    "declinó hacer comentarios",
    "no respondió a (?:las )?(?:solicitudes|preguntas)",
]
EPISTEMIC_MODALS = ["poder", "deber"]

LANGUAGE = Language(
    code="es",
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
