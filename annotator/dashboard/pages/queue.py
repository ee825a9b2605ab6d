"""The queue: articles the model is least sure about first, filtered, with the analyst's progress."""

from __future__ import annotations

import math

import streamlit as st

from annotator import taxonomy
from annotator.dashboard import services, session
from annotator.dashboard.safe import md

ALL = "all"
STATUSES = ("todo", "in_progress", "done")
PAGE_SIZE = 50


def _pick(label: str, options: list[str], key: str) -> str | None:
    value = st.selectbox(label, [ALL, *options], key=key)
    return None if value == ALL else value


@st.cache_data(max_entries=10_000, show_spinner=False)
def _first_line(url: str, article_id: str) -> str:
    """What to call an article without a title: its first line (a stored text never changes)."""
    view = services.store().article(article_id)
    return view.text.strip().split("\n", 1)[0] if view else article_id


def render() -> None:
    name = session.user()
    if name is None:
        return
    store = services.store()
    done, left = store.progress(name)
    total = done + left
    st.subheader("Review queue")
    st.progress(done / total if total else 0.0, text=f"{md(name)}: {done} done · {left} left")

    everything = store.queue(user=name)
    outlets = sorted({r.outlet_id for r in everything if r.outlet_id})
    languages = sorted({r.language for r in everything if r.language})
    cols = st.columns(5)
    with cols[0]:
        outlet = _pick("Outlet", outlets, "q_outlet")
    with cols[1]:
        language = _pick("Language", languages, "q_language")
    with cols[2]:
        layer = _pick("Layer", list(taxonomy.ALL_LAYERS), "q_layer")
    with cols[3]:
        if layer == taxonomy.OUTLET:  # the outlet's labels are outlet ids: those of the queue's articles
            labels = outlets
        else:
            labels = list(taxonomy.LAYERS[layer]) if layer else sorted({lb for lbs in taxonomy.LAYERS.values()
                                                                        for lb in lbs})
        label = _pick("Label", labels, f"q_label_{layer}")
    with cols[4]:
        status = _pick("Status", list(STATUSES), "q_status")

    rows = store.queue(user=name, outlet=outlet, language=language, layer=layer, label=label, status=status)
    if not rows:
        st.info("Nothing matches." if everything else "The store is empty: ingest articles first "
                "(page Ingest, or `annotator ingest PATH`).")
        return
    upcoming = next((r for r in rows if r.status != "done"), None)
    if upcoming is not None:
        st.button("Open the next article to review", type="primary", key="open_next", shortcut="n",
                  on_click=session.open_article, args=(upcoming.article_id,))

    st.caption(f"{len(rows)} articles, least confident first" + (f"; the first {PAGE_SIZE} shown"
                                                               if len(rows) > PAGE_SIZE else ""))
    head = st.columns([6, 2, 1, 1, 1, 1])
    for col, text in zip(head, ("article", "outlet", "language", "answered", "uncertainty", "status"),
                         strict=True):
        col.markdown(f"**{text}**")
    for row in rows[:PAGE_SIZE]:
        cols = st.columns([6, 2, 1, 1, 1, 1], vertical_alignment="center")
        title = row.title or _first_line(store.url, row.article_id)
        cols[0].button(md(title, limit=120), key=f"open_{row.article_id}", type="tertiary",
                       on_click=session.open_article, args=(row.article_id,))
        cols[1].markdown(md(row.outlet_name or row.outlet_id or "unknown"))
        cols[2].markdown(md(row.language or "?"))
        cols[3].markdown(f"{row.n_answered} / {row.n_targets}")
        unsure = row.uncertainty
        cols[4].markdown("—" if unsure is None or math.isnan(unsure) else f"{unsure:.2f}")
        cols[5].markdown(md(row.status.replace("_", " ")))
