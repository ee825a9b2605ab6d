"""Retrain a layer from the analysts' answers, compare the new version with the one in use on the same
held-out data, then promote it or discard it; roll back in one click.

A promotion (or a rollback) annotates the stored articles again with the models now in use, so that
the queue sorts by the new model's uncertainty; the analysts' answers stay as they are.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from annotator import taxonomy
from annotator.dashboard import services, session
from annotator.dashboard.safe import md
from annotator.gold import AGREEMENTS, GoldRule
from annotator.learning.registry import MODEL_LABELS, Registry, RegistryError
from annotator.store.accounts import ADMIN

TRIAL = "models_trial"  # the report of the version just trained, until promoted or discarded
FLASH = "models_flash"


def _encoder() -> Any:
    from annotator.learning import tiers

    return _tier_encoder(tiers.current())


@st.cache_resource(show_spinner="Loading the encoder (once)…")
def _tier_encoder(tier: str) -> Any:
    from annotator.learning.encoders import training_encoder

    return training_encoder(tier)


def comparison(report: dict[str, Any], part: str | None = None) -> pd.DataFrame:
    """Per label: the new version's precision/recall/F1 beside the current one's, on the same examples
    (``part="gold"``: only the held-out gold examples from the store)."""
    figures = report.get(part, {}) if part else report
    new, old = figures.get("model", {}), figures.get("current", {})
    rows = []
    for label, v in new.get("per_label", {}).items():
        was = old.get("per_label", {}).get(label, {})
        rows.append({"label": label, "support": v["support"], "new P": v["precision"], "new R": v["recall"],
                     "new F1": v["f1"], "current F1": was.get("f1"), "change": None if was.get("f1") is None
                     else round(v["f1"] - was["f1"], 4)})
    rows.append({"label": "micro", "support": None, "new P": None, "new R": None,
                 "new F1": new.get("micro_f1"), "current F1": old.get("micro_f1"),
                 "change": None if old.get("micro_f1") is None
                 else round(new["micro_f1"] - old["micro_f1"], 4)})
    rows.append({"label": "macro", "support": None, "new P": None, "new R": None,
                 "new F1": new.get("macro_f1"), "current F1": old.get("macro_f1"),
                 "change": None if old.get("macro_f1") is None
                 else round(new["macro_f1"] - old["macro_f1"], 4)})
    return pd.DataFrame(rows)


# --- callbacks -----------------------------------------------------------------------------------

def _refresh_store() -> dict[str, int]:
    from annotator import retrain

    services.pipeline.clear()  # the pipeline holds the models it loaded: load the promoted ones
    bar = st.progress(0.0, text="Annotating the stored articles again with the models now in use…")
    return retrain.refresh(services.store(), services.pipeline(), by=session.user(),
                           progress=lambda n, total: bar.progress(n / total, text=f"{n} / {total} articles"))


def _train(layer: str) -> None:

    rule = GoldRule(st.session_state.get("models_agreement", "unanimous"),
                    int(st.session_state.get("models_min_answers", 1)))
    try:
        with st.spinner(f"Training {layer} from the analysts' answers…"):
            encoder = None if layer == taxonomy.OUTLET else _encoder()  # the outlet model reads n-grams
            report = session.desk().train(layer, encoder, rule=rule,
                                          base=bool(st.session_state.get("models_base", True)))
    except (ValueError, PermissionError, RegistryError, FileNotFoundError) as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    st.session_state[TRIAL] = report


def _promote(layer: str, version: str) -> None:
    try:
        session.desk().model("promote", layer, version)  # the store checks the admin role
    except (RegistryError, PermissionError) as exc:  # discarded meanwhile, in another tab
        st.session_state[FLASH] = ("error", str(exc))
        return
    st.session_state.pop(TRIAL, None)
    counts = _refresh_store()
    message = (f"{layer} {version} promoted; {counts['articles']} articles annotated again "
               f"({counts['added']} new suggestions): the queue now sorts by its uncertainty.")
    st.session_state[FLASH] = ("success", message)


def _discard(layer: str, version: str) -> None:
    try:
        session.desk().model("discard", layer, version)
    except (RegistryError, PermissionError) as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    st.session_state.pop(TRIAL, None)
    st.session_state[FLASH] = ("info", f"{layer} {version} discarded.")


def _rollback(layer: str) -> None:
    try:
        version = session.desk().model("rollback", layer)
    except (RegistryError, PermissionError) as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    counts = _refresh_store()
    st.session_state[FLASH] = ("success",
                               f"{layer} back to {version}; {counts['articles']} articles annotated again.")


# --- drawing -------------------------------------------------------------------------------------

def _versions(registry: Registry, layer: str) -> pd.DataFrame:
    promoted = registry.promoted(layer)
    rows = []
    for version in reversed(registry.versions(layer)):
        figures = registry.metrics(layer, version)
        info = registry.load(layer, version).info
        rows.append({"version": version, "in use": version == promoted,
                     "micro F1": figures.get("model", {}).get("micro_f1"),
                     "macro F1": figures.get("model", {}).get("macro_f1"),
                     "trained": info.get("trained"), "examples": info.get("examples"),
                     "trained on": "; ".join(map(str, info.get("corpora") or []))})
    return pd.DataFrame(rows)


def render() -> None:
    if session.require(ADMIN) is None:
        return
    st.subheader("Models")
    st.caption("Train a new version of a layer from the analysts' gold labels plus the corpora its current "
               "version learned from; compare both on the same held-out articles; promote or discard.")
    session.show_flash(FLASH)

    registry = Registry()
    layer = st.selectbox("Layer", list(MODEL_LABELS), key="models_layer")
    versions = _versions(registry, layer)
    if versions.empty:
        st.info(f"No version of {layer} yet.")
    else:
        st.dataframe(versions, hide_index=True, width="stretch")
    st.button("Roll back to the previous version", key="models_rollback", on_click=_rollback, args=(layer,),
              disabled=registry.promoted(layer) is None)

    with st.container(border=True):
        st.markdown("**Train a new version**")
        c1, c2, c3 = st.columns(3)
        c1.selectbox("Gold when analysts agree", AGREEMENTS, key="models_agreement",
                     help="An adjudicated answer always decides; otherwise all (unanimous) or most "
                     "(majority) of the analysts who answered must agree.")
        c2.number_input("At least this many analysts", min_value=1, max_value=10, value=1,
                        key="models_min_answers")
        c3.checkbox("Also the current version's corpora", value=True, key="models_base")
        st.button("Train", type="primary", key="models_train", on_click=_train, args=(layer,))

    report = st.session_state.get(TRIAL)
    if not report or report.get("layer") != layer:
        return
    version = report["version"]
    current = report.get("current", {}).get("version")
    st.markdown(f"**New version {md(version)}** beside {md(current) if current else 'no version in use'}: "
                f"held out {md(report['held_out'])}, trained in {report['seconds']} s.")
    st.dataframe(comparison(report), hide_index=True, width="stretch", key="models_comparison")
    if "gold" in report:
        st.markdown(f"On the held-out gold from the store alone ({report['gold']['examples']} examples, "
                    f"{report['gold']['articles']} articles):")
        st.dataframe(comparison(report, "gold"), hide_index=True, width="stretch", key="models_gold")
    c1, c2 = st.columns(2)
    c1.button(f"Promote {version}", type="primary", key="models_promote", on_click=_promote,
              args=(layer, version))
    c2.button(f"Discard {version}", key="models_discard", on_click=_discard, args=(layer, version))
