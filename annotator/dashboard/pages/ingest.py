"""Bring articles in: upload files or paste text; they are annotated and stored like `annotator ingest`."""

from __future__ import annotations

import streamlit as st

from annotator.dashboard import services, session
from annotator.dashboard.safe import md
from annotator.ingest.sources import GZIP, SINGLE, SUFFIXES

LAST = "ingest_report"
# The upload box's label, from the table that `annotator ingest` reads
WHAT = (f"Articles: {' '.join(s for s, kind in SUFFIXES.items() if kind in SINGLE)} (one article each), "
        f"{' '.join(s for s, kind in SUFFIXES.items() if kind not in SINGLE)} (one article per line or row, "
        f"with a `text` field), or {GZIP} of any of these")


def _run(items: list) -> None:
    with st.spinner("Annotating…"):
        # through the signed-in account's desk: ingesting needs the analyst role, and is audited as theirs
        report = services.annotate_and_store(items, into=session.desk(), pipeline=services.pipeline())
    st.session_state[LAST] = report


def render() -> None:
    if session.user() is None:
        return
    st.subheader("Ingest articles")
    st.caption("Each article is annotated by the models and stored with their suggestions, as "
               "`annotator ingest` does. Re-ingesting an article refreshes the suggestions and keeps "
               "every answer.")
    upload, paste = st.tabs(["Upload files", "Paste text"])
    with upload:
        files = st.file_uploader(WHAT, type=services.UPLOAD_TYPES, accept_multiple_files=True,
                                 key="ingest_files")
        if st.button("Annotate and store the files", type="primary", disabled=not files, key="ingest_upload"):
            items = [item for f in files or [] for item in services.items_from_upload(f.name, f.getvalue())]
            _run(items)
    with paste:
        text = st.text_area("Article text (or a whole HTML page)", height=240, key="ingest_text")
        c1, c2, c3 = st.columns([3, 3, 1])
        url = c1.text_input("Address (optional: helps identify the outlet)", key="ingest_url")
        title = c2.text_input("Title (optional)", key="ingest_title")
        language = c3.text_input("Language (optional)", key="ingest_language", max_chars=8)
        if st.button("Annotate and store the text", type="primary", disabled=not text.strip(),
                     key="ingest_paste"):
            _run([services.item_from_paste(text, url=url.strip() or None, title=title.strip() or None,
                                           language=language.strip().lower() or None)])

    report = st.session_state.get(LAST)
    if report is None:
        return
    if report.stored:
        st.success(f"Stored {len(report.stored)} article(s).")
        for article_id, name in report.stored:
            st.button(f"Open: {md(name, limit=100)}", key=f"ingested_{article_id}",
                      on_click=session.open_article, args=(article_id,))
    for failure in report.failures:
        st.error(md(failure, limit=500))
    if not report.stored and not report.failures:
        st.warning("No articles found in what was given.")
