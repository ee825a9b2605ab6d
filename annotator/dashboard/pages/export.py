"""Export labelled articles, as `annotator export` does: pick a format, filters and the gold rule, build the
files, download them (a Hugging Face folder as a zip) with their manifest, and see what they hold."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from annotator import taxonomy
from annotator.dashboard import services, session
from annotator.dashboard.safe import md
from annotator.exchange import FORMATS, STATUS_FILTERS, Filters, export
from annotator.gold import AGREEMENTS, GoldRule
from annotator.store import Store

BUILT = "export_built"
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
ANY = "any"
NAME = "annotator-export"
STATUS_NAMES = {"any": "every label", "gold": "gold labels (adjudicated or agreed)",
                "unresolved": "unresolved labels (the analysts disagree)",
                "unreviewed": "labels nobody answered"}
MIME = {".json": "application/json", ".jsonl": "application/jsonl", ".csv": "text/csv",
        ".xml": "application/xml", ".parquet": "application/vnd.apache.parquet", ".zip": "application/zip"}


@dataclass
class Built:
    manifest: dict[str, Any]
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (download name, content)


def file_name(fmt: str) -> str:
    """What the download is called: the format's suffix; a folder (zipped) named after its format."""
    form = FORMATS[fmt]
    return f"{NAME}-{form.name}" if form.folder else f"{NAME}{form.suffix}"


def format_name(fmt: str) -> str:
    form = FORMATS[fmt]
    return f"{form.name}: {form.title}" + (", as a zip" if form.folder else "")


def build(store: Store, fmt: str, filters: Filters, rule: GoldRule) -> Built:
    """Write the export into a temporary folder, as the command line does, and keep the files' bytes."""
    with tempfile.TemporaryDirectory(prefix="annotator-export-") as tmp:
        done = export(store, fmt, Path(tmp) / file_name(fmt), filters, rule)
        if FORMATS[fmt].folder:
            folder = Path(tmp) / file_name(fmt)
            zipped = io.BytesIO()
            with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
            return Built(done.manifest, [(f"{folder.name}.zip", zipped.getvalue())])
        return Built(done.manifest, [(path.name, path.read_bytes()) for path in done.files])


def _stale() -> None:
    st.session_state.pop(BUILT, None)


def _pick(label: str, options: list[str], key: str) -> str | None:
    value = st.selectbox(label, [ANY, *options], key=key, on_change=_stale)
    return None if value == ANY else value


def render() -> None:
    signed_in = session.account()
    if signed_in is None or not session.allowed(session.EXPORT, signed_in):
        if signed_in is not None:
            st.error("Answers are blind here: exports, which show everyone's answers, are for reviewers.")
        return
    store = services.store()
    st.subheader("Export labelled articles")
    st.caption("The model suggestions and every analyst's answer side by side, each label with its gold "
               "under the rule chosen here, as `annotator export` writes them. Each export comes with a "
               "manifest: the filters, the gold rule, the counts and the files' sha256.")

    c1, c2, c3 = st.columns([3, 2, 1])
    fmt = c1.selectbox("Format", list(FORMATS), format_func=format_name, key="ex_format", on_change=_stale)
    agreement = c2.selectbox("Gold rule: the analysts' answers agree when", AGREEMENTS, key="ex_agreement",
                             format_func={"unanimous": "all agree (unanimous)",
                                          "majority": "more than half agree (majority)"}.get,
                             on_change=_stale)
    fewest = c3.number_input("from analysts", min_value=1, max_value=20, value=1, step=1, key="ex_min",
                             on_change=_stale, help="the fewest analysts who answered for a label to be "
                             "gold; an adjudicator's answer decides first")

    rows = store.queue()
    c1, c2, c3 = st.columns(3)
    layers = c1.multiselect("Layers (none: all)", list(taxonomy.ALL_LAYERS), key="ex_layers",
                            on_change=_stale)
    outlet = _pick("Outlet", sorted({r.outlet_id for r in rows if r.outlet_id}), "ex_outlet")
    language = _pick("Language", sorted({r.language for r in rows if r.language}), "ex_language")
    c1, c2, c3, c4 = st.columns(4)
    # Streamlit's default range is ten years around today: archives go further back
    since = c1.date_input("Published (else ingested) since", value=None, min_value=EARLIEST, max_value=LATEST,
                          key="ex_since", on_change=_stale)
    until = c2.date_input("until", value=None, min_value=EARLIEST, max_value=LATEST, key="ex_until",
                          on_change=_stale)
    status = c3.selectbox("Labels", STATUS_FILTERS, format_func=STATUS_NAMES.get, key="ex_status",
                          on_change=_stale)
    with c4:
        user = _pick("Only the answers of", store.users(), "ex_user")

    if st.button("Build the export", type="primary", key="ex_build"):
        try:
            filters = Filters(layers=tuple(layers), outlet=outlet, language=language, since=since,
                              until=until, status=status, user=user)
            rule = GoldRule(agreement, int(fewest))
        except ValueError as exc:
            st.error(md(exc, limit=500))
        else:
            with st.spinner("Exporting…"):
                st.session_state[BUILT] = build(store, fmt, filters, rule)

    built: Built | None = st.session_state.get(BUILT)
    if built is None:
        return
    counts = built.manifest["counts"]
    if not counts["articles"]:
        st.warning("No article matches these filters: the export is empty.")
    m1, m2, m3 = st.columns(3)
    m1.metric("Articles", counts["articles"])
    m2.metric("Labels", counts["labels"])
    m3.metric("Answers", counts["answers"])
    t1, t2 = st.columns(2)
    t1.dataframe(pd.DataFrame([{"layer": layer, **c} for layer, c in counts["per_layer"].items()],
                              columns=["layer", "labels", "answers"]), hide_index=True, width="stretch")
    t2.dataframe(pd.DataFrame(list(counts["per_gold_status"].items()), columns=["gold status", "labels"]),
                 hide_index=True, width="stretch")
    for name, data in built.files:
        st.download_button(f"Download {name}", data, file_name=name,
                           mime=MIME.get(Path(name).suffix, "text/plain"), key=f"ex_download_{name}",
                           type="primary" if name == built.files[0][0] else "secondary")
    if FORMATS[built.manifest["format"]].folder:  # its manifest is inside the zip: offered beside it too
        st.download_button("Download the manifest", json.dumps(built.manifest, ensure_ascii=False, indent=2),
                           file_name=f"{file_name(built.manifest['format'])}.manifest.json",
                           mime="application/json", key="ex_manifest")
    with st.expander("Manifest"):
        st.json(built.manifest)
