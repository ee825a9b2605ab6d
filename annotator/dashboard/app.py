"""The dashboard's frame: page setup, the sign-in gate, the sidebar and the page picker."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from annotator.dashboard import services, session
from annotator.dashboard.pages import article, export, ingest, models, overview, queue

RENDER: dict[str, Callable[[], None]] = {
    session.QUEUE: queue.render,
    session.ARTICLE_PAGE: article.render,
    session.INGEST: ingest.render,
    session.OVERVIEW: overview.render,
    session.EXPORT: export.render,
    session.MODELS: models.render,
}


def main() -> None:
    st.set_page_config(page_title="annotator · review", page_icon=":material/fact_check:", layout="wide")
    # A link to one article: ?article=<id>
    wanted = st.query_params.get("article")
    if wanted and st.session_state.get(session.ARTICLE) is None:
        session.open_article(wanted)

    name = session.user()
    if name is None:
        st.title("annotator · review")
        session.sign_in_form()
        return

    st.session_state.setdefault(session.PAGE, session.QUEUE)
    with st.sidebar:
        st.markdown("### annotator · review")
        page = st.radio("Page", session.PAGES, key=session.PAGE)
        session.sidebar_user(name)
        done, left = services.store().progress(name)
        st.caption(f"{done} done · {left} left")
    # The address names the open article, so that a reload or a shared link comes back to it.
    if page == session.ARTICLE_PAGE and st.session_state.get(session.ARTICLE):
        st.query_params["article"] = st.session_state[session.ARTICLE]
    else:
        st.query_params.pop("article", None)
    RENDER[page]()
