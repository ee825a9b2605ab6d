"""The label ids of ../shared/design/TAXONOMY.md, in one place.

Every tagger, the store and the exports take their ids from here, so a typo is an import-time
error rather than a silently unknown label. The framing ids are SemEval-2023 Task 3's verbatim.
"""

from __future__ import annotations

import re

CLAIM = "claim"
FRAME = "frame"
TECHNIQUE = "technique"
PROVENANCE = "provenance"
STRUCTURE = "structure"
# The publishing outlet as analysts confirm or correct it: one article-level label whose id is the
# outlet registry's (data/outlets/registry.jsonl, thousands of ids and growing), or ``domain:HOST`` for
# a site the registry does not know. Not a closed list, so it stays out of LAYERS.
OUTLET = "outlet"
OUTLET_ID = re.compile(r"^(?:domain:)?[a-z0-9][a-z0-9._-]{0,199}$")

CLAIM_LABELS = (
    "reported_conditional",
    "single_source",
    "anonymous_source",
    "weasel",
    "hedge",
    "unattributed_claim",
)

FRAME_LABELS = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)

TECHNIQUE_GROUPS: dict[str, tuple[str, ...]] = {
    "Attack_on_Reputation": (
        "Name_Calling-Labeling",
        "Guilt_by_Association",
        "Doubt",
        "Appeal_to_Hypocrisy",
        "Questioning_the_Reputation",
    ),
    "Justification": (
        "Flag_Waving",
        "Appeal_to_Authority",
        "Appeal_to_Popularity",
        "Appeal_to_Values",
        "Appeal_to_Fear-Prejudice",
    ),
    "Simplification": (
        "Causal_Oversimplification",
        "False_Dilemma-No_Choice",
        "Consequential_Oversimplification",
    ),
    "Distraction": ("Straw_Man", "Red_Herring", "Whataboutism"),
    "Call": ("Slogans", "Conversation_Killer", "Appeal_to_Time"),
    # Scare_Quotes is the project's own cue; SemEval's set lacks it.
    "Manipulative_Wording": (
        "Loaded_Language",
        "Obfuscation-Vagueness-Confusion",
        "Exaggeration-Minimisation",
        "Repetition",
        "Scare_Quotes",
    ),
}
TECHNIQUE_LABELS = tuple(label for labels in TECHNIQUE_GROUPS.values() for label in labels)
TECHNIQUE_GROUP_OF = {label: group for group, labels in TECHNIQUE_GROUPS.items() for label in labels}

PROVENANCE_LABELS = ("credit", "cited_outlet", "related_link", "promo", "quote")
STRUCTURE_LABELS = ("boilerplate",)

LAYERS: dict[str, tuple[str, ...]] = {
    CLAIM: CLAIM_LABELS,
    FRAME: FRAME_LABELS,
    TECHNIQUE: TECHNIQUE_LABELS,
    PROVENANCE: PROVENANCE_LABELS,
    STRUCTURE: STRUCTURE_LABELS,
}

# Every layer a stored label may have: the closed ones of LAYERS, then the outlet.
ALL_LAYERS: tuple[str, ...] = (*LAYERS, OUTLET)

# Layers whose labels hold for the whole article (start and end are null).
ARTICLE_LEVEL_LAYERS = frozenset({FRAME, OUTLET})

# Spans with these labels are page furniture: kept in the text, skipped by the analysis layers.
FURNITURE = frozenset({(STRUCTURE, "boilerplate"), (PROVENANCE, "promo"), (PROVENANCE, "related_link")})

STATE_AFFILIATIONS = (
    "state_controlled",
    "state_captured",
    "state_funded",
    "independent_public",
    "private",
    "unknown",
)

# State Media Monitor typology codes -> the contract's state_affiliation.
SMM_TYPOLOGY = {
    "SC": "state_controlled",
    "CaPu": "state_captured",
    "CaPr": "state_captured",
    "ISFM": "state_funded",
    "ISF": "state_funded",
    "ISM": "state_funded",
    "IP": "independent_public",
}

OUTLET_METHODS = ("url", "signature", "model")
VERDICTS = ("accept", "reject", "correct", "add")


def check_label(layer: str, label: str) -> None:
    """Raise ValueError naming the valid choices when (layer, label) is not in the taxonomy."""
    if layer == OUTLET:
        if not isinstance(label, str) or not OUTLET_ID.match(label):
            raise ValueError(f"{label!r} is not an outlet id (the registry's lower-case ids, or domain:HOST)")
        return
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; layers are {', '.join(ALL_LAYERS)}")
    if label not in LAYERS[layer]:
        raise ValueError(f"unknown label {label!r} in layer {layer!r}; labels are {', '.join(LAYERS[layer])}")
