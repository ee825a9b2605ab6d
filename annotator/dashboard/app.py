"""The dashboard's frame: page setup, the sign-in gate, the sidebar and the page picker."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from annotator.dashboard import services, session
from annotator.dashboard.pages import (
    accounts,
    adjudicate,
    article,
    audit,
    export,
    ingest,
    models,
    overview,
    queue,
)

RENDER: dict[str, Callable[[], None]] = {
    session.QUEUE: queue.render,
    session.ARTICLE_PAGE: article.render,
    session.INGEST: ingest.render,
    session.OVERVIEW: overview.render,
    session.EXPORT: export.render,
    session.MODELS: models.render,
    session.ADJUDICATE: adjudicate.render,
    session.AUDIT: audit.render,
    session.ACCOUNTS: accounts.render,
}


def main() -> None:
    st.set_page_config(page_title="annotator · review", page_icon=":material/fact_check:", layout="wide")
    # A link to one article: ?article=<id>
    wanted = st.query_params.get("article")
    if wanted and st.session_state.get(session.ARTICLE) is None:
        session.open_article(wanted)

    signed_in = session.account()
    if signed_in is None:
        st.title("annotator · review")
        session.sign_in_form()
        return

    pages = session.pages_for(signed_in)
    if st.session_state.get(session.PAGE) not in pages:
        st.session_state[session.PAGE] = session.QUEUE
    with st.sidebar:
        st.markdown("### annotator · review")
        page = st.radio("Page", pages, key=session.PAGE)
        session.sidebar_user(signed_in)
        done, left = services.store().progress(signed_in.name)
        st.caption(f"{done} done · {left} left")
    # The address names the open article, so that a reload or a shared link comes back to it.
    if page == session.ARTICLE_PAGE and st.session_state.get(session.ARTICLE):
        st.query_params["article"] = st.session_state[session.ARTICLE]
    else:
        st.query_params.pop("article", None)
    RENDER[page]()
