"""French cues and rules of the claim layer, written by the project.

Hearsay: the journalistic conditional (conditionnel journalistique), read from spaCy's morphology
(Mood=Cnd) plus a suffix rule checked against the lemma (`conditional`); «prétendument». Attribution
(«selon», «d'après», «a indiqué la préfecture», and the subject of a reporting verb in the parse:
`reporting_subject`) and anonymity formulas, weasel collectives and hedges from news agencies' guidance on
anonymous sourcing and attribution (AFP, Reuters, AP) and the CoNLL-2010 uncertainty-cue guidelines. The
pattern sections are those of `language.SECTIONS`.
"""

from __future__ import annotations

import re
from typing import Any

from annotator.taggers.claims.conditional import conditional_form
from annotator.taggers.claims.language import Finding, Language, Subject, in_main_clause

# -- patterns, by section (language.SECTIONS) ----------------------------------------------------
HEARSAY = ["prétendument", "supposément"]
ATTRIBUTION = [
    r"selon les dires d[eu']?\s*(?:la |l['’]|les )?",
    r"aux dires d[eu']?\s*(?:la |l['’]|les )?",
    r"selon\s+", r"d['’]après\s+", r"à en croire\s+", r"de source\s+", r"cité(?:e)? par\s+",
    r"de l['’]aveu même d[eu']\s*",
    r"comme l['’]a (?:rapporté|révélé|indiqué|annoncé|écrit|affirmé|expliqué|souligné|précisé|confirmé)\s+",
    r"pour (?P<who>(?:la |le |les |l['’])\s*(?-i:[A-Z])[^,]{1,40}),",
    r"pour (?P<who>(?-i:[A-Z])\w+(?: (?-i:[A-Z])[\w-]+)+),",
    r"pour (?P<who>(?:la |le |les |l['’])\s*[\w-]+ (?-i:[A-Z])[^,]{1,40}),",
    # a reporting verb in the passive and its agent: «a été confirmée dans la soirée par l'armée»,
    # «démentie par Paris»
    # (after a passive auxiliary, or a word and a comma: «a confirmé l'accord signé par Airbus» is the
    # minister's)
    (r"(?:\bété|\best|\bsont|\bétait|\bétaient|\w+,)\s+(?:\w+ment\s+)?(?:(?:confirm|annonc|communiqu|révél|"
     r"rapport|indiqu|relay|divulgu|dénonc|affirm|précis|signal|dévoil|publi)(?:é|ée|és|ées)|démentie?s?)\s+"
     r"(?:[^,.;:«»]{0,30}?\s)?par\s+"),
]
NOT_A_SOURCE = [
    ("selon (?:les|le|la|l['’]|son|sa|ses|leur|leurs) (?:cas|besoins?|circonstances|saisons?|modalités|"
     "conditions|règles|termes|régions|âges?|profils?|revenus|heures?|jours?|périodes?|niveaux?|"
     r"résultats?)\b"),
    "(?:selon|d['’]après) (?:nos|mes) (?:informations|calculs|constatations|estimations)",
    "selon que", "selon (?:toute|toutes) ",
]
REPORTING_VERBS_THAT = [
    r"affirm\w*", r"assur\w*", r"prétend\w*", r"estim\w*", r"déclar\w*", r"di[st]\b", "dit", r"soutien\w*",
    "soutenu", r"accus\w*", r"indiqu\w*", r"annonc\w*", r"assén\w*", r"clam\w*", r"jur\w*", r"rétorqu\w*",
    r"répond\w*", r"expliqu\w*", r"ajout\w*", r"précis\w*", r"soulign\w*", r"avanc\w*", r"insist\w*",
    r"rapport\w*", r"révél\w*", r"confi\w*", r"évoqu\w*", "font état", "fait état", r"décri\w*", r"reconn\w*",
    r"promi\w*", r"lanc\w*", r"assur\w*", r"martel\w*", r"conf?irm\w*", r"explique\w*", r"prévien\w*",
    r"avert\w*", r"souten\w*", r"glisse\w*", r"prévoi\w*", "prévu", r"témoign\w*", r"ironis\w*",
    r"croi\w* savoir", r"dément\w*", r"démenti\w*", "ni(?:e|ent|é|ait|aient)", r"dénonc\w*", r"jug\w*",
    r"rappel\w*", r"raconte\w*", r"relat\w*", "fait savoir", "ont fait savoir", r"poursui[tv]\w*",
    r"résum\w*", r"tranch\w*", r"commente\w*", r"réagi\w*", r"admet\w*", r"signal\w*", r"revendiqu\w*",
    r"certifi\w*", r"nuanc\w*", r"détaill\w*", r"argu\w*", r"renchéri\w*", r"s['’]indign\w*",
    r"s['’]insurg\w*", r"s['’]inquièt\w*", r"s['’]alarm\w*", r"s['’]emport\w*", r"tempêt\w*", r"s['’]agac\w*",
    r"s['’]amus\w*", r"lâch\w*", r"concèd\w*", "concédé", r"reconnu\w*", r"maintien\w*", "maintenu",
    r"répét\w*", "conclu[tes]*", "conclu", "fai(?:t|sait) valoir", "font valoir", r"pointe\w*",
    "montr(?:e|ent|ait|aient) que", r"suggèr\w* que", r"justifi\w*", r"rejet\w*",
    r"écart\w* (?:la piste|l['’]hypothèse|toute)",
]
ANONYMOUS = [
    "sous (?:le )?couvert (?:de l['’]|d['’])anonymat",
    "(?:ayant|qui a|qui ont|ayant) requis l['’]anonymat",
    "qui (?:a|ont) souhaité (?:garder|conserver) l['’]anonymat",
    "anonymement", r"une source\b", r"des sources\b",
    ("(?:de )?sources? (?:proches?|bien informées?|diplomatiques?|sécuritaires?|militaires?|"
     "gouvernementales?|judiciaires?|policières?|concordantes?|internes?)"),
    "un(?:e)? proche d[eu]", "des proches d[eu]",
    ("un(?:e)? (?:haut(?:e)? )?(?:responsable|fonctionnaire|diplomate|officiel(?:le)?|cadre|conseiller|"
     r"conseillère|membre)\b(?![^,.]{0,40}\b(?-i:[A-Z])\w+ (?-i:[A-Z])\w+)"),
    ("des (?:hauts )?(?:responsables|fonctionnaires|diplomates|officiels|cadres|conseillers|"
     r"membres)\b(?![^,.]{0,40}\b(?-i:[A-Z])\w+ (?-i:[A-Z])\w+)"),
    "(?:un|une|des) (?:interlocuteurs?|témoins?) (?:anonymes?)?",
    ("qui (?:souhaite|souhaitent|a souhaité|ont souhaité|préfère|préfèrent|tient|"
     r"tiennent) (?:à )?(?:rester|garder l['’])anonym\w*"),
    "s['’]exprimant (?:sous couvert|anonymement)",
    r"(?:de |des )?sources? (?:au sein d[eu']|à l['’]intérieur d[eu']|internes? à)\s*\w+",
    ("une source (?:policière|judiciaire|diplomatique|gouvernementale|militaire|proche|interne|syndicale|"
     "industrielle)"),
    "qui (?:a|ont) (?:préféré|souhaité|demandé à) (?:taire|garder|ne pas)[^,.]{0,30}",
    ("(?:plusieurs|trois|deux|quatre) (?:sources?|témoins?|responsables|diplomates|fonctionnaires|"
     "officiels|habitants|élus|députés|ministres|membres|cadres|conseillers|salariés|employés|militants|"
     r"policiers|soldats|enquêteurs|magistrats)\b"),
    "(?:son|sa|leur) entourage", "l['’]entourage d[eu']",
    "une personne (?:au fait|proche|informée|familière)",
    ("un(?:e)? (?:proche |haut(?:e)? |ancien(?:ne)? |jeune |autre )?(?:conseill(?:er|ère)|"
     "collaborat(?:eur|rice)|député(?:e)?|élu(?:e)?|ministre|policier|policière|enquêteur|enquêtrice|"
     "magistrat(?:e)?|militaire|soldat|négociat(?:eur|rice)|employé(?:e)?|salarié(?:e)?|cadre|"
     r"dirigeant(?:e)?|observateur|observatrice)\b(?![^,.]{0,40}\b(?-i:[A-Z])\w+ (?-i:[A-Z])\w+)"),
    "(?:selon|d['’]après) (?:une|des|plusieurs|nos) sources?",
    r"de sources? (?!sûre)\w+", "de source sûre",
]
WEASEL = [
    # unnamed media as one voice: «selon des médias locaux», «citant la presse locale»
    r"(?:selon|d['’]après|citant) (?:des|les|plusieurs|certains|la) (?:médias|journaux|presse)(?: \w+)?\b",
    ("certains (?:estiment|pensent|affirment|disent|jugent|croient|considèrent|assurent|observateurs|"
     "experts|analystes|spécialistes)"),
    "d['’]aucuns",
    "beaucoup (?:pensent|estiment|croient|considèrent|affirment|disent)",
    "nombreux sont ceux qui",
    ("(?:de |des )?nombreux (?:experts|observateurs|analystes|spécialistes) (?:estiment|pensent|jugent|"
     "affirment|considèrent)"),
    "il se (?:murmure|dit|chuchote|raconte) que",
    "on (?:dit|murmure|raconte|prétend|affirme) que",
    "selon (?:certains|des observateurs|des experts|des analystes|plusieurs observateurs|de nombreux)",
    ("(?:des|les) (?:experts|observateurs|analystes|spécialistes|critiques) (?:estiment|pensent|jugent|"
     "affirment|considèrent|s['’]accordent)"),
    "il est (?:largement |communément )?(?:admis|reconnu) que",
    "aux yeux de (?:beaucoup|certains|nombreux)",
    "dit-on",
    r"on (?:dit|raconte|murmure|prétend|affirme|assure|estime|pense)\b",
    "il est de notoriété publique que",
    "plusieurs voix s['’]élèvent", "des voix s['’]élèvent",
    ("(?:certains|certaines|plusieurs|beaucoup d['’]|de nombreux|de nombreuses|nombre d['’]|"
     r"des) ?\w+s? (?:redoutent|craignent|s['’]interrogent|s['’]inquiètent|dénoncent|estiment|pensent|"
     r"jugent|disent|affirment|assurent|considèrent|croient|soulignent|déplorent)\b"),
    "certain(?:e)?s (?:craignent|redoutent|s['’]interrogent|s['’]inquiètent|dénoncent|déplorent)",
    r"il se (?:murmure|dit|chuchote|raconte)\b",
    (r"la plupart des \w+s? (?:\w+ ){0,3}?(?:estiment|pensent|jugent|anticipent|prévoient|s['’]attendent|"
     "craignent|redoutent|affirment|considèrent|croient)"),
    ("(?:certains|certaines|plusieurs|de nombreux|de nombreuses|beaucoup d['’]|"
     r"nombre d['’]) ?\w+s? (?:évoquent|anticipent|prévoient|prédisent|avancent|s['’]attendent|spéculent|"
     r"parient)\b"),
    "selon (?:la|les) rumeurs?",
    ("une partie (?:de la|du|des|de l['’]) [^,]{1,40}? (?:doute|estime|pense|craint|juge|considère|"
     "redoute|s['’]inquiète)"),
    "beaucoup (?:craignent|redoutent|doutent|s['’]inquiètent|s['’]attendent)",
    "(?:les|des|certains|de nombreux) critiques (?:reprochent|estiment|dénoncent|jugent|affirment|pointent)",
    "le bruit court",
    "la rumeur (?:veut|dit|court|enfle|prétend)",
    r"certain(?:e)?s (?:y )?(?:\w+ )?(?:voient|murmurent|chuchotent|soupçonnent|prédisent|jurent|parlent)\b",
    (r"bon nombre d['’]e?\s?\w+s? (?:\w+ )?(?:estiment|pensent|jugent|considèrent|craignent|redoutent|"
     "affirment|croient)"),
]
INSTITUTIONS = [
    "le Kremlin", "l['’]Élysée", "l['’]Elysée", "la Maison[- ]Blanche", "Matignon", "Moscou", "Washington",
    "Pékin", "Kiev", "Kyiv", "Bruxelles", "Paris", "Londres", "Berlin", "l['’]ONU", "l['’]OTAN", "Bercy",
    "le Pentagone", "le Quai d['’]Orsay", r"le gouvernement(?: \w+)?",
    "le ministère d[eu'’][^,.]{2,40}",
    "la police", "la préfecture", r"le parquet(?: de \w+)?", r"l['’]armée(?: \w+)?", "la justice",
]
MULTIPLE_SOURCES = [r"\bet\b", r"\bainsi que\b", "tous (?:deux|les deux)", "toutes (?:deux|les deux)"]
AGENT_NOUNS = [
    "police", "gendarmerie", "préfecture", "mairie", "ministère", "gouvernement", "armée", "état-major",
    "parquet", "tribunal", "cour", "justice", "entreprise", "société", "groupe", "constructeur", "fabricant",
    "opérateur", "ong", "association", "syndicat", "fédération", "agence", "institut", "banque", "commission",
    "conseil", "parti", "opposition", "majorité", "direction", "hôpital", "université", "étude", "rapport",
    "sondage", "autorités", "pompiers", "secours", "enquêteurs", "avocat", "avocate", "défense", "accusation",
    "famille", "organisation", "observatoire", "office", "club", "fédération", "compagnie", "collectif",
    "service", "services", "ambassade", "lui", "elle", "eux", "elles", "décompte", "bilan", "chiffre",
    "donnée", "statistique", "comptage", "recensement", "enquête", "protection civile", "sécurité civile",
    "procureur", "procureure", "porte-parole", "ministre", "préfet", "maire", "président", "présidente",
    "directeur", "directrice", "patron", "chef",
]
HEDGE = [
    "probablement", "sans doute", "vraisemblablement", "peut-être", "apparemment", "possiblement",
    "éventuellement", "a priori", "semble(?:-t-il)?", "semblent", "sembl(?:ait|aient)",
    "il (?:semble|paraît) que", "il se peut que",
    "il est (?:possible|probable|vraisemblable) que",
    "potentiellement", "plausiblement",
    "ne (?:serait|seraient) pas exclu",
    "selon toute vraisemblance", "selon toute probabilité", "il n['’]est pas exclu que",
    "n['’]est pas à exclure",
    "(?:peu |très |fort |guère )?probables?",
    "improbables?",
    "para(?:î|i)(?:t|ssent|ssait|ssaient)",
    "on peut (?:supposer|penser|imaginer|croire|estimer) que",
    "il est (?:possible|probable|plausible|envisageable) que",
    "semblerait", "sembleraient", "tout (?:porte|laisse) à croire", "tout indique que",
    "selon toute apparence",
    "(?:personne|nul) ne (?:sait|peut dire|sait encore)",
    "à première vue",
]
SCHEDULE = [
    "sera(?:ient|nt)? (?:présenté|examiné|publié|adopté|organisé|inauguré)e?s?",
    "aura(?:nt)? lieu", "se tiendr(?:a|ont)", "doit se tenir", "doivent se tenir",
    "est prévue?s? (?:le|pour|à|en)",
    "sont prévue?s? (?:le|pour|à|en)",
    "débuter(?:a|ont)", "commencer(?:a|ont)", "ouvrir(?:a|ont)",
]
NO_CLAIM = [
    r"(?<!\w)(?:si|s['’]ils?) [^.]{0,80}?\w+(?:ait|aient)\b[^.]{0,80}?\w+r(?:ait|aient)\b",
    r"^\W*(?:sans|faute d[e'’]|à défaut d[e'’]) [^.]{0,80}?\w+r(?:ait|aient)\b",
    ("n['’](?:a|ont|avait|avaient) pas (?:souhaité|voulu|pu) (?:être joints?|réagir|commenter|répondre|"
     "confirmer|s['’]exprimer)"),
    r"n['’](?:a|ont|avait|avaient) pas (?:donné suite|répondu)\b",
    "(?:était|est|sont|étaient) (?:restée?s? )?injoignables?",
]
# modal verbs that hedge («pourrait»: a hedge, not hearsay)
EPISTEMIC_MODALS = ["pouvoir", "devoir", "sembler", "paraître"]

# -- words of the rules below -----------------------------------------------------------------------
# conditional endings; words that end like them and are not conditionals (checked before the suffix rule)
CONDITIONAL_SUFFIXES = ["rais", "rait", "rions", "riez", "raient"]
NOT_CONDITIONAL_WORDS = [
    "portrait", "portraits", "extrait", "extraits", "retrait", "retraits", "attrait", "attraits", "trait",
    "traits", "abstrait", "distrait", "soustrait", "parfait", "mais", "jamais", "frais", "vrais", "désormais",
    "marais", "anglais", "irlandais", "français", "japonais", "libanais", "taïwanais", "palais", "relais",
    "rabais", "biais", "rait", "secrets", "irait", "attirait", "tirait", "serait-ce",
]
# verbs of a polite first or second person («je voudrais», «pourriez-vous»): no hearsay
POLITE_VERBS = ["vouloir", "aimer", "souhaiter", "pouvoir", "savoir", "falloir"]
# verbs of a wish softened («la municipalité aimerait que»): no hearsay
WISH_VERBS = ["aimer", "souhaiter", "préférer", "adorer"]
# verbs after which a conditional in a que-clause is a future-in-the-past («il a dit qu'il viendrait»)
PAST_REPORTING_LEMMAS = [
    "dire", "déclarer", "affirmer", "annoncer", "assurer", "indiquer", "expliquer", "estimer", "prévenir",
    "promettre", "écrire", "répondre", "rétorquer", "ajouter", "préciser", "souligner", "confier", "avertir",
    "juger", "penser", "croire", "considérer", "reconnaître", "rappeler", "prédire", "prévoir",
    "laisser entendre", "répéter", "maintenir", "soutenir", "garantir", "jurer", "certifier", "conclure",
    "avancer", "marteler", "réaffirmer",
]
# verbs of saying whose subject, in the parse, is the source («L'armée affirme ...»)
REPORTING_LEMMAS = [
    "affirmer", "assurer", "prétendre", "estimer", "déclarer", "dire", "soutenir", "accuser", "indiquer",
    "annoncer", "démentir", "nier", "confirmer", "évoquer", "dénoncer", "juger", "prévoir", "témoigner",
    "glisser", "confier", "raconter", "expliquer", "ajouter", "préciser", "souligner", "rapporter", "révéler",
    "reconnaître", "admettre", "avertir", "prévenir", "promettre", "marteler", "insister", "répondre",
    "rétorquer", "signaler", "revendiquer", "contester", "réfuter", "certifier", "garantir", "assener",
    "asséner", "clamer", "jurer", "avancer", "faire", "chiffrer", "évaluer", "recenser", "dénombrer",
    "attribuer", "imputer", "reprocher", "critiquer", "condamner", "déplorer", "regretter", "alerter",
    "mettre", "qualifier", "décrire", "vanter", "minimiser", "écrire", "publier", "mentionner", "citer",
    "relater", "répéter", "conclure", "maintenir", "réaffirmer", "pointer", "montrer", "suggérer",
    "justifier", "rejeter", "écarter",
]


# -- the conditional, read from the parse ----------------------------------------------------------
# Irregular conditional stems (the stem before -rait) and the infinitive endings they belong to.
IRREGULAR_STEMS = [("se", "être"), ("au", "avoir"), ("fe", "faire"), ("pour", "pouvoir"), ("dev", "devoir"),
                   ("iend", "enir"), ("voud", "vouloir"), ("i", "aller"), ("faud", "falloir"),
                   ("sau", "savoir"), ("ver", "voir"), ("enver", "envoyer"), ("mour", "mourir"),
                   ("cour", "courir"), ("cev", "cevoir"), ("vaud", "valoir"), ("pleuv", "pleuvoir"),
                   ("assié", "asseoir")]
_SUFFIXES = sorted(CONDITIONAL_SUFFIXES, key=len, reverse=True)  # the longest first: -raient before -rait
_SI = re.compile(r"(?<!\w)(?:si|s['’]ils?)(?!\w)", re.IGNORECASE)
# a si-clause in the imperfect: «s'il était élu, il supprimerait ...»
_SI_CLAUSE = re.compile(r"(?<!\w)(?:si|s['’]ils?)\s+(?:\w+\s+){0,4}?\w+(?:ait|aient|ais)\b", re.IGNORECASE)
# A condition stated outside a si-clause: «sans l'intervention des pompiers, l'immeuble aurait été
# détruit», «en cas de victoire, le club serait sacré», «au cas où le vol serait annulé».
_CONDITION = re.compile(r"^\W*(?:sans (?:l['’]|le |la |les |son |sa |ses |leur |leurs |un |une |cette |ce |"
                        r"cet )|faute d[e'’]|à défaut d[e'’]|en l['’]absence d[e'’])|"
                        r"(?<!\w)(?:au cas où|dans le cas où|dans l['’]hypothèse où|en cas d[e'’]|"
                        r"à supposer que|pour peu que)", re.IGNORECASE)
# an evaluation in the conditional, not hearsay: «il serait temps que», «il faudrait»
_IMPERSONAL = re.compile(r"\bil (?:serait|faudrait|vaudrait|aurait fallu|aurait mieux valu)\b", re.IGNORECASE)
_QUE = ("que", "qu'", "qu’")


def is_conditional(tok: Any) -> bool:
    """A verb in the conditional: spaCy's morphology (Mood=Cnd), or a suffix rule checked against the
    lemma, because the models miss forms such as «produiraient»."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if "Cnd" in tok.morph.get("Mood"):
        return True
    low, lemma = tok.lower_, tok.lemma_.lower()
    if low in NOT_CONDITIONAL_WORDS:
        return False
    suffix = next((s for s in _SUFFIXES if low.endswith(s)), None)
    if not suffix or lemma[-2:] not in ("er", "ir", "re") and not lemma.endswith("oir"):
        return False
    stem = low[: -len(suffix)]
    # the future stem is the infinitive, less the -e of -re verbs: produi-r-aient / produire,
    # ignore-r-ait / ignorer; «ignorait» (igno-r-ait) is an imperfect. -er verbs that change their
    # stem («appellerait», «achèterait», «paierait») keep its first letters and its final e
    if len(stem) >= 3 and (stem + "r" in (lemma, lemma[:-1]) or
                           lemma.endswith("er") and stem.endswith("e") and lemma.startswith(stem[:2])):
        return True
    return any(stem.endswith(s) and lemma.endswith(e) for s, e in IRREGULAR_STEMS)


def _hypothetical(sent: Any) -> bool:
    """A sentence whose conditional is a hypothesis: a si-clause, or a condition stated otherwise."""
    text = sent.text
    return any(t.lower_ in ("si", "s'", "s’") and t.dep_ == "mark" for t in sent) or bool(
        _SI.search(text) and _SI_CLAUSE.search(text)) or bool(_CONDITION.search(text))


def conditional(sent: Any) -> list[Finding]:
    """The journalistic conditional («le bilan serait de vingt morts»: reported_conditional), and the
    epistemic pouvoir/devoir («pourrait»: hedge). Not a conditional of a si-clause, not the
    future-in-the-past of a complement clause after a past reporting verb («il a dit qu'il viendrait»:
    that is single_source), not a polite first or second person («je voudrais»), not a wish («aimerait»),
    not an evaluation («il faudrait»)."""
    text = sent.text
    found: list[Finding] = []
    hypothetical = _hypothetical(sent)
    for tok in sent:
        if not is_conditional(tok):
            continue
        verb = tok.head if tok.dep_.startswith("aux") else tok
        lemma = verb.lemma_.lower()
        cue_start = min(tok.idx, verb.idx) - sent.start_char
        cue = text[cue_start : max(tok.idx + len(tok), verb.idx + len(verb)) - sent.start_char]
        if hypothetical:
            if lemma in EPISTEMIC_MODALS and not tok.dep_.startswith("aux") and \
                    "3" in tok.morph.get("Person"):
                found.append(Finding("hedge", cue, 0.7))  # «la rencontre pourrait être annulée si ...»
            continue
        if lemma in EPISTEMIC_MODALS and tok.dep_.startswith("aux") or \
                tok.lemma_.lower() in ("avoir",) and lemma in ("pouvoir", "devoir"):
            continue  # «aurait dû», «aurait pu»: a counterfactual, not hearsay
        at = tok.idx - sent.start_char
        if _IMPERSONAL.search(text[max(0, at - 3) : at + len(tok) + 12]):
            continue  # «il serait temps que», «il faudrait»: an evaluation, not hearsay
        persons = tok.morph.get("Person")
        polite = lemma in POLITE_VERBS or tok.lemma_.lower() in POLITE_VERBS
        if ("1" in persons or "2" in persons) and polite:
            continue  # «je voudrais», «pourriez-vous»
        if lemma in WISH_VERBS:
            continue  # «la municipalité aimerait que»: a wish softened, not a claim relayed
        if lemma in EPISTEMIC_MODALS or tok.lemma_.lower() in EPISTEMIC_MODALS:
            found.append(Finding("hedge", cue, 0.8))
            continue
        if future_in_the_past(verb):
            continue
        morph = "Cnd" in tok.morph.get("Mood")
        found.append(Finding("reported_conditional", cue, 0.9 if morph else 0.8))
    return found


def future_in_the_past(verb: Any) -> bool:
    """A conditional in a que-clause governed by a reporting verb in a past indicative tense."""
    if not any(c.lower_ in _QUE for c in verb.children if c.dep_ == "mark") and \
            not any(t.lower_ in _QUE for t in verb.doc[max(verb.i - 12, 0) : verb.i]):
        return False
    for head in verb.ancestors:
        if head.lemma_.lower() in PAST_REPORTING_LEMMAS:
            # «il a dit / disait qu'il viendrait»; in «on dit qu'il préparerait» the reporting verb is
            # present and the conditional is the outlet's hearsay
            past = any(c.dep_.startswith("aux") for c in head.children) or \
                bool({"Past", "Imp"} & set(head.morph.get("Tense")))
            return past and not conditional_form(head)
    return False


# -- the source, read from the parse ---------------------------------------------------------------
# «faire» and «mettre» report only with these nouns: «faire état de», «faire savoir», «faire valoir»,
# «mettre en garde»
_LIGHT_VERBS = ("faire", "mettre")
_LIGHT_VERB_NOUNS = ("état", "savoir", "garde", "valoir")
# the speaker of a quotation, a relative, a demonstrative: not a source named here
_NOT_A_SUBJECT = {"je", "j'", "j’", "nous", "tu", "vous", "qui", "cela", "ce", "c'", "ça", "ceci"}


def reporting_subject(span: Any) -> Subject | None:
    """The subject of a reporting verb of the main clause: «L'armée affirme avoir abattu 34 drones», «Le
    Kremlin a démenti toute implication», «Un rapport accuse l'agence d'avoir ignoré les alertes», «...,
    témoigne Karim Benali»."""
    for tok in span:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in REPORTING_LEMMAS:
            continue
        if not in_main_clause(tok):
            continue
        if any(c.dep_ in ("expl:pv", "expl:comp") or c.lower_ in ("se", "s'", "s’") for c in tok.children):
            continue  # «le débat s'annonce animé»: not a verb of saying
        if conditional_form(tok):
            continue  # «Trump aurait rétorqué que ...»: the outlet's hearsay (reported_conditional)
        if tok.lemma_.lower() in _LIGHT_VERBS and not any(c.lemma_.lower() in _LIGHT_VERB_NOUNS
                                                          for c in tok.children):
            continue
        subjects = [c for c in tok.children if c.dep_ == "nsubj"]
        if not subjects or any(c.dep_ == "nsubj:pass" or c.dep_ == "aux:pass" for c in tok.children):
            continue
        words = {c.lower_ for c in subjects}
        if words & _NOT_A_SUBJECT:
            continue
        return Subject.of(tok, subjects, impersonal="on" in words)
    return None


# -- the source, read from the words ---------------------------------------------------------------
# One person the text does not name, introduced by an indefinite article: «un témoin», «une habitante
# jointe par téléphone»; plural people met by the outlet: «des habitants interrogés»
UNNAMED_PERSON = re.compile(r"^(?:un|une|l['’]un|l['’]une) (?:\w+ ){0,2}?(?:témoin|survivant|survivante|"
                            r"habitant|habitante|riverain|riveraine|connaisseur|connaisseuse|observateur|observatrice|"
                            r"participant|participante|voisin|voisine|salarié|salariée|employé|employée|agent|"
                            r"agente|médecin|infirmier|infirmière|militant|militante|manifestant|manifestante|"
                            r"passager|passagère|rescapé|rescapée|résident|résidente|ouvrier|ouvrière|élève|"
                            r"étudiant|étudiante|parent|soignant|soignante|policier|policière|soldat|gendarme|"
                            r"habitué)\b|"
                            r"^des (?:\w+ ){1,2}?(?:interrogé|joint|contacté|rencontré|interviewé)e?s\b",
                            re.IGNORECASE)


def future_main_verb(span: Any) -> bool:
    """The main verb is in the future indicative («La cérémonie suivra», «Les travaux reprendront»): an
    announcement of what is planned, not a claim in the outlet's voice that can be checked today."""
    for tok in span:
        if tok.dep_ == "ROOT" and tok.pos_ in ("VERB", "AUX"):
            return any("Fut" in t.morph.get("Tense") and "Ind" in t.morph.get("Mood")
                       for t in (tok, *(c for c in tok.children if c.dep_.startswith("aux"))))
    return False


def clause_follows_verb(before: str, after: str) -> bool:
    """«Poutine a déclaré ce 5 septembre qu'il ...»: a complement between the verb and «que»."""
    return bool(re.match(r"\s+[^,.;:!?«»]{1,50}?\s+(?:que|qu['’])", after))


LANGUAGE = Language(
    code="fr",
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
    epistemic_modals=EPISTEMIC_MODALS,
    unnamed_person=UNNAMED_PERSON,
    # «aurait affirmé»: a reporting verb in the conditional is the outlet's hearsay, not a source
    conditional_reporting_verb=re.compile(r"r(?:ait|aient)$"),
    clause_follows_verb=clause_follows_verb,
    conditional=conditional,
    reporting_subject=reporting_subject,
    no_claim_parsed=future_main_verb,
)
