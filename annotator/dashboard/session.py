"""Who is answering, and which page and article they are on: all kept in ``st.session_state``.

There is no authentication: the analyst states a name before answering, and every answer records it.
"""

from __future__ import annotations

import streamlit as st

from annotator.dashboard.safe import md

USER = "user"
PAGE = "page"
ARTICLE = "article_id"
FOCUS = "focus"
PICKED = "picked"

QUEUE, ARTICLE_PAGE, INGEST, OVERVIEW, MODELS = "Queue", "Article", "Ingest", "Overview", "Models"
EXPORT = "Export"
PAGES = (QUEUE, ARTICLE_PAGE, INGEST, OVERVIEW, EXPORT, MODELS)

MAX_NAME = 64


def user() -> str | None:
    name = st.session_state.get(USER)
    return name if isinstance(name, str) and name else None


def _sign_in() -> None:
    name = " ".join(str(st.session_state.get("sign_in_name", "")).split())[:MAX_NAME]
    if name:
        st.session_state[USER] = name
    else:
        st.session_state["sign_in_error"] = True


def sign_in_form() -> None:
    st.subheader("Sign in")
    st.write("Say who you are before answering: every answer records your name.")
    with st.form("sign_in"):
        st.text_input("Your name", key="sign_in_name", max_chars=MAX_NAME, placeholder="e.g. alice")
        st.form_submit_button("Sign in", type="primary", on_click=_sign_in)
    if st.session_state.pop("sign_in_error", False):
        st.error("Type a name first.")


def sign_out() -> None:
    for key in (USER, ARTICLE, FOCUS, PICKED):
        st.session_state.pop(key, None)


def sidebar_user(name: str) -> None:
    st.sidebar.markdown(f"Signed in as **{md(name)}**")
    st.sidebar.button("Sign out", on_click=sign_out)


def open_article(article_id: str) -> None:
    """A callback: show ``article_id`` on the article page (before the page radio is drawn)."""
    st.session_state[ARTICLE] = article_id
    st.session_state.pop(FOCUS, None)
    st.session_state.pop(PICKED, None)
    st.session_state[PAGE] = ARTICLE_PAGE


def go(page: str) -> None:
    st.session_state[PAGE] = page
