"""The publishing outlet's profile card: who owns it, who controls it, its legal status and ratings,
each fact beside its source.

The registry row is data from public lists: every value goes through ``md`` like article text does.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from annotator.dashboard.safe import md
from annotator.outlets.registry import country_name, profile_line
from annotator.record import Outlet

# Facts shown first, in this order; any other profile key follows, so a new registry field shows up.
FACTS = ("country", "owner", "controller", "funding", "state_affiliation", "cases")
LISTS = ("legal_status", "ratings")
QUIET = {"kind", "parent", "aliases", "domains", "languages", "signatures", "id", "name"}
NAMES = {"state_affiliation": "state affiliation", "legal_status": "legal status",
         "cases": "EUvsDisinfo cases"}


def _value(key: str, value: Any) -> str:
    if key == "country" and isinstance(value, str):
        return f"{country_name(value)} ({value})"
    if key == "state_affiliation" and isinstance(value, str):
        return value.replace("_", "-")
    return str(value)


def fact_lines(profile: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(what, value, source) for every fact of a profile, as plain strings (escaped when drawn)."""
    lines: list[tuple[str, str, str | None]] = []
    keys = [k for k in FACTS if k in profile]
    keys += [k for k in profile if k not in FACTS and k not in LISTS and k not in QUIET]
    for key in keys:
        fact = profile[key]
        if isinstance(fact, dict):
            value = _value(key, fact.get("value"))
            if fact.get("typology"):
                value += f" (typology {fact['typology']})"
            if fact.get("verified") is False:
                value += " (NOT VERIFIED)"
            lines.append((NAMES.get(key, key), value, fact.get("source")))
        elif fact not in (None, "", [], {}):
            lines.append((NAMES.get(key, key), _value(key, fact), None))
    for status in profile.get("legal_status") or []:
        if not isinstance(status, dict):
            continue
        parts = [str(status.get("measure") or "legal measure")]
        if status.get("act"):
            parts.append(str(status["act"]))
        if status.get("date"):
            parts.append(f"since {status['date']}")
        if status.get("listed_as"):
            parts.append(f"listed as {status['listed_as']}")
        if status.get("verified") is False:
            parts.append("NOT VERIFIED")
        lines.append(("legal status", ", ".join(parts), status.get("source")))
    for rating in profile.get("ratings") or []:
        if not isinstance(rating, dict):
            continue
        value = f"{rating.get('value')}"
        if rating.get("scale"):
            value += f" ({rating['scale']})"
        if rating.get("date"):
            value += f", {rating['date']}"
        lines.append((f"rating: {rating.get('rater') or 'unknown rater'}", value, rating.get("source")))
    return lines


def outlet_card(outlet: Outlet | None) -> None:
    if outlet is None:
        st.caption("Publishing outlet: unknown")
        return
    line = profile_line(outlet.name, outlet.country, outlet.state_affiliation, outlet.owner,
                        outlet.profile.get("legal_status") or [])
    head = f"Publishing outlet: {md(line)}"
    with st.expander(head, expanded=False):
        st.markdown(
            f"**{md(outlet.name)}** ({md(outlet.id)}) · identified by {md(outlet.method)}, "
            f"score {outlet.score:.2f}"
        )
        if outlet.evidence is not None:
            st.caption(f"Evidence, characters {outlet.evidence.start}–{outlet.evidence.end}: "
                       f"«{md(outlet.evidence.text, limit=200)}»")
        lines = fact_lines(outlet.profile)
        if not lines:  # a record from before profiles: the flat fields are all there is
            lines = [("country", _value("country", outlet.country), None), ("owner", str(outlet.owner), None)]
        for what, value, source in lines:
            st.markdown(f"**{md(what)}**: {md(value)}"
                        + (f"  \n:gray[source: {md(source)}]" if source else ""))
        extra = [f"{k}: {', '.join(map(str, outlet.profile[k]))}" for k in ("aliases", "domains", "languages")
                 if isinstance(outlet.profile.get(k), list)]
        if extra:
            st.caption(md(" · ".join(extra)))
