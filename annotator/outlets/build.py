"""Builds the outlet registry (data/outlets/registry.jsonl) from the shared source files and the
hand-written rows.

    python -m annotator.outlets.build /work/shared/data/outlets \\
        data/outlets/manual.jsonl data/outlets/registry.jsonl

Every fact carries its source; the output is deterministic (same inputs -> byte-identical file) so that a test
can check the committed registry is exactly what this importer produces.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pycountry

Row = dict[str, Any]

ASD_SRC = "State Media Monitor (MJRC) via ASD State Media Profiles (MIT), 2024-02-07"
MBFC_SRC = "MBFC via Idiap News-Media-Reliability (Burdisso et al. 2024, Apache-2.0)"
LIN_SRC = "Lin et al. 2023, PNAS Nexus 2(9) pgad286"
NG_SRC = "NewsGuard via NELA-GT-2018 (Idiap News-Media-Reliability)"
WIKI_SRC = "Wikipedia:Reliable sources/Perennial sources via Idiap News-Media-Reliability"
EU_SRC = "EU broadcast-ban DRAFT list (verify against EUR-Lex, Reg. 833/2014 Annex XV)"
CASES_SRC = "EUvsDisinfo database (scrape 2021-02-18)"

# CONTRACT.md: State Media Monitor typology -> state_affiliation. "ISFM?" (uncertain in the file) maps like
# ISFM.
TYPOLOGY = {"SC": "state_controlled", "CaPu": "state_captured", "CaPr": "state_captured",
            "ISFM": "state_funded", "ISF": "state_funded", "ISM": "state_funded", "IP": "independent_public"}

# Names pycountry does not resolve (or resolves wrongly by fuzzy search) in ASD and MBFC's English strings.
_COUNTRY_FIXES = {
    "russia": "RU", "iran": "IR", "syria": "SY", "kosovo": "XK", "palestine": "PS",
    "palestine territories": "PS", "palestinian territories": "PS", "vatican": "VA", "vatican city": "VA",
    "hong kong": "HK", "taiwan": "TW", "macao": "MO", "macau": "MO", "cote d'ivoire": "CI",
    "ivory coast": "CI", "dr congo": "CD", "democratic republic of the congo": "CD", "drc": "CD",
    "congo": "CG", "republic of the congo": "CG", "congo-brazzaville": "CG", "bosnia": "BA",
    "bosnia and herzegovina": "BA", "north macedonia": "MK", "macedonia": "MK", "uk": "GB",
    "united kingdom": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "usa": "US", "us": "US", "united states": "US", "united states of america": "US",
    "uae": "AE", "south korea": "KR", "north korea": "KP", "laos": "LA", "vietnam": "VN", "moldova": "MD",
    "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "the gambia": "GM", "gambia": "GM",
    "czech republic": "CZ", "czechia": "CZ", "turkey": "TR", "brunei": "BN", "cape verde": "CV",
    "micronesia": "FM", "columbia": "CO", "beligium": "BE", "swaziland": "SZ", "burma": "MM",
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def country_code(name: str) -> str | None:
    """English country name (as spelt in ASD / MBFC) -> ISO 3166-1 alpha-2, or None when not a country."""
    key = re.sub(r"\s*\(.*?\)\s*|[|]", " ", _fold(name.replace("’", "'"))).strip(" .")
    key = re.sub(r"\s+", " ", key)
    if not key or key in {"unknown", "n/a", "none"} or "/" in key:  # "france/germany": no single country
        return None
    if key in _COUNTRY_FIXES:
        return _COUNTRY_FIXES[key]
    for field in ("name", "common_name", "official_name"):
        if hit := pycountry.countries.get(**{field: key}):
            return hit.alpha_2
    return None  # no fuzzy search: a wrong country is worse than none


def host(url: str) -> str | None:
    """URL or bare domain -> lowercase host without www. (None when it is not a plain host)."""
    url = url.strip()
    if not url:
        return None
    name = (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower().rstrip(".")
    name = name.removeprefix("www.")
    return name if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", name) else None


_SLD = {"co", "com", "org", "net", "gov", "gob", "ac", "edu", "or", "go", "ne", "gv", "mil", "nic", "info",
        "web", "nom", "gouv", "in", "ltd", "plc", "sch"}


def slug(domain: str, full: bool = False) -> str:
    """Id from a domain: drop the public suffix ("lemonde.fr" -> "lemonde"); full keeps it (for
    collisions)."""
    labels = domain.split(".")
    if not full:
        labels = labels[:-1]
        if len(labels) >= 2 and labels[-1] in _SLD:
            labels = labels[:-1]
    return re.sub(r"[^a-z0-9]+", "-", "-".join(labels)).strip("-")


# ccTLDs sold as generic names: they say nothing about the outlet's country
_GENERIC_CCTLD = {"co", "tv", "io", "me", "fm", "ly", "ws", "cc", "ai", "am", "to", "us", "su", "is", "la"}


def _cctld_conflict(domain: str, country: str) -> bool:
    """MBFC's country strings are noisy (lemonde.fr: "usa"); a national ccTLD that disagrees vetoes them."""
    tld = domain.rsplit(".", 1)[1]
    tld = "gb" if tld == "uk" else tld
    return (len(tld) == 2 and tld not in _GENERIC_CCTLD and tld.upper() != country
            and pycountry.countries.get(alpha_2=tld.upper()) is not None)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _add(lst: list, *items: Any) -> None:
    for item in items:
        if item and item not in lst:
            lst.append(item)


def _asd(root: Path) -> dict[str, Row]:
    """One row per distinct domain; the first ASD row of a domain gives its facts, the others add names."""
    out: dict[str, Row] = {}
    for r in _read_csv(root / "asd_state_media_profiles" / "State_Media_Matrix.csv"):
        dom = host(r["URL"])
        if not dom:
            continue
        company = r["Media company"].strip().rstrip("*").strip()
        asset = re.sub(r"^(News agency|Print media|Print|Television|Radio|Online)\s*:\s*", "",
                       r["Main assets"].strip())
        row = out.setdefault(dom, {"name": asset or company, "domains": [dom], "aliases": []})
        _add(row["aliases"], asset)
        if re.search(r"news agency", f"{r['Main assets']} {company}", re.IGNORECASE) and "kind" not in row:
            row["kind"] = "agency"
        if "country" not in row and (cc := country_code(r["Country"])):
            row["country"] = {"value": cc, "source": ASD_SRC}
        if "owner" not in row and company:
            row["owner"] = {"value": company, "source": ASD_SRC}
        typ = r["Typology"].strip()
        if "state_affiliation" not in row and typ.rstrip("?") in TYPOLOGY:
            row["state_affiliation"] = {"value": TYPOLOGY[typ.rstrip("?")], "typology": typ,
                                        "source": ASD_SRC}
    return out


def _best_mbfc(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """mbfc.csv repeats some domains: keep the most complete row (first on ties) so the choice is stable."""
    best: dict[str, dict[str, str]] = {}
    for r in rows:
        dom = host(r["source"])
        if dom and sum(map(bool, r.values())) > sum(map(bool, best.get(dom, {}).values())):
            best[dom] = r
    return best


def _lin(path: Path) -> dict[str, Row]:
    """pc1 only where at least one input rating is direct (<= 4 decimals); imputed pc1 can be badly off
    (SOURCE.md: swentr.site, an RT mirror, gets 0.598), so domains with only imputed values are left out."""
    groups = {"afm": ("afm", "afm_bias", "afm_min", "afm_rely"), "fc": ("fc",),
              "mbfc": ("mbfc", "mbfc_bias", "mbfc_fact", "mbfc_min"),
              "lewandowsky": ("lewandowsky_acc", "lewandowsky_trans", "lewandowsky_rely")}
    out: dict[str, Row] = {}
    for r in _read_csv(path):
        dom = host(r["domain"]) if "/" not in r["domain"] else None  # "rfi.fr/en": a section, not an outlet
        direct = [g for g, cols in groups.items()
                  if any(r[c] and len(r[c].partition(".")[2]) <= 4 for c in cols)]
        if dom and direct and r["pc1"]:
            out[dom] = {"rater": "Lin et al. 2023 (PC1)", "value": round(float(r["pc1"]), 3),
                        "scale": "0-1, higher is more reliable", "date": "2023", "direct": direct,
                        "domain": dom, "source": LIN_SRC}
    return out


def _ratings(root: Path) -> tuple[dict[str, list[Row]], dict[str, str], set[str]]:
    """Ratings per domain, MBFC country per domain, and the MBFC 'news agency' domains."""
    idiap = root / "idiap_reliability"
    ratings: dict[str, list[Row]] = defaultdict(list)
    countries: dict[str, str] = {}
    agencies: set[str] = set()
    for dom, r in sorted(_best_mbfc(_read_csv(idiap / "mbfc" / "mbfc.csv")).items()):
        if cc := country_code(r["country"]):
            countries[dom] = cc
        if r["media_type"] == "news agency":
            agencies.add(dom)
        rating = {"rater": "MBFC", "value": r["factual_reporting"] or None,
                  "scale": "factual reporting: very low, low, mixed, mostly factual, high, very high",
                  "bias": r["bias"] or None, "credibility": r["mbfc_credibility_rating"] or None,
                  "date": "c. 2023", "domain": dom, "source": MBFC_SRC}
        ratings[dom].append({k: v for k, v in rating.items() if v is not None})
    newsguard: dict[str, float] = {}
    for r in _read_csv(idiap / "nela-gt" / "newsguard.csv") + _read_csv(idiap / "golden_truth_dataset.csv"):
        score = r.get("reliability_score") or r.get("newsguard_score")
        if (dom := host(r["domain"])) and score and dom not in newsguard:
            newsguard[dom] = float(score)
    for dom, score in sorted(newsguard.items()):
        ratings[dom].append({"rater": "NewsGuard", "value": score, "scale": "0-100, higher is more reliable",
                             "date": "2018", "domain": dom, "source": NG_SRC})
    wiki = json.loads((idiap / "wikipedia_perennial_sources" / "wikipedia_perennial_sources.json")
                      .read_text())
    for dom, value in sorted(wiki.items()):
        if dom := host(dom):
            ratings[dom].append({"rater": "Wikipedia perennial sources", "value": value,
                                 "scale": "-2 deprecated, -1 generally unreliable, 0 no consensus, "
                                          "1 generally reliable", "date": "c. 2023", "domain": dom,
                                 "source": WIKI_SRC})
    for dom, rating in sorted(_lin(root / "lin2023_domain_quality" / "domain_ratings.csv").items()):
        ratings[dom].append(rating)
    return ratings, countries, agencies


def _bans(root: Path) -> dict[str, list[Row]]:
    """Draft EU broadcast bans per indicative domain; every row is unverified (SOURCE.md)."""
    out: dict[str, list[Row]] = defaultdict(list)
    for r in _read_csv(root / "eu_sanctions_draft" / "eu_media_broadcast_bans_draft.csv"):
        entry = {"measure": "EU broadcast ban", "listed_as": r["outlet"], "act": r["legal_act_recalled"],
                 "date": r["date_adopted"], "package": r["sanctions_package"],
                 "confidence": r["confidence"], "source": EU_SRC, "verified": False}
        for token in re.findall(r"[a-z0-9.*-]+\.[a-z0-9*-]+", r["indicative_domains"].lower()):
            if "*" not in token and (dom := host(token)):  # "rtde.*": a pattern, not a domain
                out[dom].append(entry)
    return out


def _norm(name: str) -> str:
    """Outlet name as EUvsDisinfo writes it -> comparison key; a platform channel counts as the outlet."""
    name = re.sub(r"\s+-\s+(youtube|facebook|twitter|telegram|vk|vkontakte|instagram|odnoklassniki|ok\.ru|"
                  r"tiktok|rutube|linkedin)$", "", name.strip(), flags=re.IGNORECASE)
    return _fold(name)


def _cases(root: Path, rows: dict[str, Row], extra: dict[str, list[str]]) -> None:
    """Count EUvsDisinfo cases per outlet by EXACT (folded) name, alias or domain; a key shared by two outlets
    is ambiguous and not counted."""
    owners: dict[str, set[str]] = defaultdict(set)
    for oid, row in rows.items():
        for key in [row["name"], *row.get("aliases", []), *row.get("domains", []), *extra.get(oid, [])]:
            if len(k := _fold(key)) > 2:
                owners[k].add(oid)
    counts: Counter[str] = Counter()
    for r in _read_csv(root / "euvsdisinfo_cases" / "posts.csv"):
        hits = {next(iter(owners[k])) for o in r["outlets"].split("+")
                if len(owners.get(k := _norm(o), ())) == 1}
        counts.update(hits)
    for oid, n in counts.items():
        rows[oid]["cases"] = {"value": n, "source": CASES_SRC}


def _merge(base: Row, top: Row) -> Row:
    """top wins per key; lists are unioned (top's items first)."""
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, list) and isinstance(base.get(key), list):
            merged: list = []
            _add(merged, *value, *base[key])
            out[key] = merged
        elif value is not None:
            out[key] = value
    return out


KEYS = ("id", "name", "kind", "parent", "aliases", "domains", "languages", "signatures", "country", "owner",
        "controller", "funding", "state_affiliation", "legal_status", "ratings", "cases")


def build_registry(shared_outlets: Path, manual: Path, out: Path) -> dict:
    shared_outlets, manual, out = Path(shared_outlets), Path(manual), Path(out)
    by_domain = _asd(shared_outlets)
    ratings, mbfc_country, mbfc_agencies = _ratings(shared_outlets)
    bans = _bans(shared_outlets)
    for dom in sorted(set(ratings) | set(bans)):
        row = by_domain.setdefault(dom, {"name": dom, "domains": [dom], "aliases": []})
        if "country" not in row and dom in mbfc_country and not _cctld_conflict(dom, mbfc_country[dom]):
            row["country"] = {"value": mbfc_country[dom], "source": MBFC_SRC}
        if dom in mbfc_agencies:
            row.setdefault("kind", "agency")
        row["ratings"] = ratings.get(dom, [])
        if dom in bans and row["name"] == dom:
            row["name"] = bans[dom][0]["listed_as"]

    hand = [json.loads(line) for line in manual.read_text(encoding="utf-8").splitlines() if line.strip()]
    hand_ids = {h["id"] for h in hand}
    if len(hand_ids) != len(hand):
        raise ValueError(f"{manual}: duplicate ids")
    claimed = {d: h["id"] for h in hand for d in h.get("domains", [])}

    # imported ids: domain slug without the public suffix, the full slug where two domains (or a
    # hand-written id) would share it
    short = Counter(slug(d) for d in by_domain if d not in claimed)
    rows: dict[str, Row] = {}
    for dom in sorted(by_domain):
        if dom in claimed:
            continue
        oid = slug(dom) if short[slug(dom)] == 1 and slug(dom) not in hand_ids else slug(dom, full=True)
        if oid in rows or oid in hand_ids:
            raise ValueError(f"id collision: {oid}")
        rows[oid] = {"id": oid, **by_domain[dom]}

    extra_names: dict[str, list[str]] = {}
    for h in hand:
        row: Row = {}
        for dom in h.get("domains", []):
            if dom in by_domain:
                row = _merge(by_domain[dom], row)  # earlier domains of the hand row win among imported ones
        extra_names[h["id"]] = h.pop("case_names", [])
        rows[h["id"]] = _merge(row, h)
    domain_id = {d: oid for oid, r in rows.items() for d in r.get("domains", [])}
    for dom in sorted(bans):
        have = rows[domain_id[dom]].setdefault("legal_status", [])
        for e in bans[dom]:
            # a hand-written entry for the same act replaces the draft's; one draft entry per listing
            if not any(x["act"] == e["act"] and (x["source"] != EU_SRC or x["listed_as"] == e["listed_as"])
                       for x in have):
                have.append(e)

    # an imported sub-domain of a hand-written outlet belongs to that brand (french.xinhuanet.com -> xinhua)
    for row in rows.values():
        if row.get("parent") is None and row["id"] not in hand_ids:
            for dom in row.get("domains", []):
                parents = [claimed[p] for p in claimed if dom.endswith("." + p)]
                if parents:
                    row["parent"] = max(parents, key=len)
                    break
    _cases(shared_outlets, rows, extra_names)

    counts: Counter[str] = Counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as f:
        for oid in sorted(rows):
            row = rows[oid]
            row.setdefault("kind", "outlet")
            row.setdefault("parent", None)
            clean = {k: row[k] for k in KEYS if row.get(k) not in (None, [], "")}
            clean["parent"] = row["parent"]
            f.write(json.dumps({k: clean[k] for k in KEYS if k in clean}, ensure_ascii=False) + "\n")
            counts["outlets"] += 1
            counts[f"kind:{row['kind']}"] += 1
            counts[f"state_affiliation:{row.get('state_affiliation', {}).get('value', 'unknown')}"] += 1
            for rater in {r["rater"] for r in row.get("ratings", [])}:
                counts[f"rating:{rater}"] += 1
            counts["with_cases"] += "cases" in row
            counts["with_country"] += "country" in row
            counts["with_legal_status"] += bool(row.get("legal_status"))
    return dict(sorted(counts.items()))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: python -m annotator.outlets.build SHARED_OUTLETS MANUAL_JSONL OUT_JSONL")
    print(json.dumps(build_registry(*map(Path, sys.argv[1:])), indent=1))
