import csv
import json
from pathlib import Path

import pytest

from annotator.outlets.build import build_registry, country_code, host

SHARED = Path("/work/shared/data/outlets")
ROOT = Path(__file__).resolve().parent.parent
MANUAL = ROOT / "data" / "outlets" / "manual.jsonl"
COMMITTED = ROOT / "data" / "outlets" / "registry.jsonl"
LIN_COLS = ["domain", "pc1", "afm", "afm_bias", "afm_min", "afm_rely", "fc", "mbfc", "mbfc_bias", "mbfc_fact",
            "mbfc_min", "lewandowsky_acc", "lewandowsky_trans", "lewandowsky_rely", "lewandowsky_mean",
            "lewandowsky_min", "misinfome_bin"]


def _csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])


def _tiny_sources(root: Path) -> None:
    _csv(root / "asd_state_media_profiles" / "State_Media_Matrix.csv",
         ["Region", "Country", "Media company", "Main assets", "URL", "Typology", "Status", "Notes"],
         [["Europe", "Russia", "RT", "RT France", "https://francais.rt.com/", "SC", "", ""],
          ["Europe", "Russia", "RT", "RT International", "https://www.rt.com/", "SC", "", ""],
          ["Europe", "Serbia", "Radio Television of Vojvodina (RTV)", "RTV1", "http://www.rtv.rs/", "CaPr",
           "", ""],
          ["Europe", "Serbia", "Radio Television of Vojvodina (RTV)", "Radio Novi Sad", "http://rtv.rs/",
           "ISFM", "", ""],
          ["Europe", "France", "France Médias Monde", "France24", "http://www.france24.com/", "ISFM", "", ""],
          ["Europe", "Kosovo", "RTK", "RTK", "https://www.rtklive.com/", "IP", "", ""],
          ["Europe", "Russia", "VGTRK", "Radio without URL", "", "SC", "", ""]])
    idiap = root / "idiap_reliability"
    _csv(idiap / "mbfc" / "mbfc.csv",
         ["source", "country", "bias", "factual_reporting", "press_freedom", "media_type", "popularity",
          "mbfc_credibility_rating", "nela_gt_label"],
         [["rt.com", "russia", "right-center", "very low", "", "tv station", "", "low credibility",
           "unreliable"],
          ["lemonde.fr", "usa", "left-center", "high", "", "newspaper", "", "high credibility", "reliable"],
          ["9news.com", "usa (44/180 press freedom)", "least biased", "high", "", "tv station", "", "",
           "reliable"]])
    _csv(idiap / "nela-gt" / "newsguard.csv", ["domain", "reliability_label", "reliability_score"],
         [["rt.com", "0", "32.5"]])
    _csv(idiap / "golden_truth_dataset.csv",
         ["domain", "reliability_label", "newsguard_score", "label_source"],
         [["rt.com", "-1", "", "mbfc"]])
    (idiap / "wikipedia_perennial_sources").mkdir()
    (idiap / "wikipedia_perennial_sources" / "wikipedia_perennial_sources.json").write_text('{"rt.com": -2}')
    direct = {c: "" for c in LIN_COLS}
    _csv(root / "lin2023_domain_quality" / "domain_ratings.csv", list(LIN_COLS),
         [[{**direct, "domain": "rt.com", "pc1": "0.293277", "afm": "0.5967"}[c] for c in LIN_COLS],
          # only imputed values (long decimals): no rating, no outlet
          [{**direct, "domain": "swentr.site", "pc1": "0.598205", "fc": "0.436137974262237"}[c]
           for c in LIN_COLS]])
    _csv(root / "eu_sanctions_draft" / "eu_media_broadcast_bans_draft.csv",
         ["outlet", "sanctions_package", "legal_act_recalled", "date_adopted", "indicative_domains",
          "owner_or_parent", "confidence", "note"],
         [["RT - Russia Today France", "3rd", "Council Regulation (EU) 2022/350", "2022-03-01",
           "francais.rt.com; rtfrance.tv", "ANO TV-Novosti", "high", ""],
          ["Katehon", "11th", "Council Regulation (EU) 2023/1214", "2023-06-23", "katehon.com", "", "medium",
           ""]])
    _csv(root / "euvsdisinfo_cases" / "posts.csv",
         ["date", "id", "title", "countries", "keywords", "languages", "outlets"],
         [["2021-01-01", "u1", "t", "", "", "French", "RT France - YouTube+Sputnik France"],
          ["2021-01-02", "u2", "t", "", "", "French", "RT France"]])


def _manual(path: Path) -> None:
    rows = [{"id": "rt-fr", "name": "RT en français", "kind": "outlet", "parent": "rt",
             "aliases": ["RT France", "RT en français"], "domains": ["francais.rt.com"],
             "signatures": ["Suivez RT en français"],
             "owner": {"value": "ANO TV-Novosti", "source": "Council Regulation (EU) 2022/350"},
             "legal_status": [{"measure": "EU broadcast ban", "act": "Council Regulation (EU) 2022/350",
                               "date": "2022-03-01", "source": "EUR-Lex", "verified": True}]},
            {"id": "afp", "name": "Agence France-Presse", "kind": "agency", "parent": None,
             "aliases": ["AFP"], "domains": ["afp.com"]}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _load(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_country_code_odd_names():
    assert [country_code(n) for n in ["Russia", "Iran", "Syria", "Kosovo", "Palestine territories",
                                      "Vatican City", "Hong Kong", "Taiwan", "Côte d'Ivoire", "DR Congo",
                                      "Congo", "UK", "Bosnia and Herzegovina", "North Macedonia",
                                      "usa (44/180 press freedom)"]] \
        == ["RU", "IR", "SY", "XK", "PS", "VA", "HK", "TW", "CI", "CD", "CG", "GB", "BA", "MK", "US"]
    assert country_code("unknown") is None and country_code("france/germany") is None


def test_build_from_small_files(tmp_path):
    shared, manual = tmp_path / "shared", tmp_path / "manual.jsonl"
    _tiny_sources(shared)
    _manual(manual)
    counts = build_registry(shared, manual, tmp_path / "a.jsonl")
    reg = _load(tmp_path / "a.jsonl")
    assert counts["outlets"] == len(reg)
    assert list(reg) == sorted(reg)
    # ASD + MBFC + NewsGuard + Wikipedia + Lin merged on rt.com; ids from the domain
    rt = reg["rt"]
    assert rt["country"]["value"] == "RU" and rt["state_affiliation"]["value"] == "state_controlled"
    assert {r["rater"] for r in rt["ratings"]} == {"MBFC", "NewsGuard", "Wikipedia perennial sources",
                                                   "Lin et al. 2023 (PC1)"}
    assert all(r["source"] and r["date"] for r in rt["ratings"])
    assert "swentr" not in reg and "swentr-site" not in reg  # imputed-only pc1 is not a rating
    # typology mapping; the first ASD row of a domain gives its facts
    assert reg["rtv"]["state_affiliation"] == {"value": "state_captured", "typology": "CaPr",
                                               "source": reg["rtv"]["state_affiliation"]["source"]}
    assert reg["france24"]["state_affiliation"]["value"] == "state_funded"
    assert reg["rtklive"]["country"]["value"] == "XK"
    # manual override: hand-written id and owner win, lists are unioned, the draft act is not duplicated
    fr = reg["rt-fr"]
    assert fr["owner"]["value"] == "ANO TV-Novosti" and fr["parent"] == "rt"
    assert fr["state_affiliation"]["value"] == "state_controlled" and fr["country"]["value"] == "RU"
    assert "RT France" in fr["aliases"] and fr["signatures"] == ["Suivez RT en français"]
    assert [e["verified"] for e in fr["legal_status"]] == [True]
    assert fr["cases"]["value"] == 2  # "RT France - YouTube" counts as the outlet's own channel
    assert reg["katehon"]["legal_status"][0]["verified"] is False
    assert reg["afp"]["kind"] == "agency" and "country" not in reg["afp"]
    # MBFC's "usa" for a .fr domain is vetoed by the ccTLD
    assert "country" not in reg["lemonde"] and reg["9news"]["country"]["value"] == "US"
    # determinism
    build_registry(shared, manual, tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared outlet data absent")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("registry") / "registry.jsonl"
    build_registry(SHARED, MANUAL, out)
    return out


@needs_shared
def test_every_asd_domain_is_in_the_registry_with_its_country(built):
    by_domain = {d: r for r in _load(built).values() for d in r.get("domains", [])}
    expected: dict[str, str | None] = {}
    with (SHARED / "asd_state_media_profiles" / "State_Media_Matrix.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["URL"].strip():
                dom = host(row["URL"])
                assert dom, f"unparsable ASD URL {row['URL']!r}"
                expected.setdefault(dom, country_code(row["Country"]))
    missing = sorted(set(expected) - set(by_domain))
    assert not missing, missing
    wrong = {d: (cc, by_domain[d].get("country", {}).get("value")) for d, cc in expected.items()
             if by_domain[d].get("country", {}).get("value") != cc}
    assert not wrong, wrong


@needs_shared
def test_committed_registry_is_what_the_importer_produces(built):
    assert COMMITTED.read_bytes() == built.read_bytes(), \
        "data/outlets/registry.jsonl is stale: rerun python -m annotator.outlets.build"
