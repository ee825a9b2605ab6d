"""Who is signed in, and which page and article they are on: all kept in ``st.session_state``.

Sign-in is by name and password against the store's accounts (annotator/store/accounts.py); the
session keeps only the account's name and when it was last active. The account is read again from the
store on every run, so that a role changed, an account disabled or locked by an admin takes effect at
once, and the session ends after ``[dashboard] idle_minutes`` without activity. Pages get a ``Desk``
(``desk()``) that checks the account's role on every call that changes something.
"""

from __future__ import annotations

import time

import streamlit as st

from annotator.dashboard import services
from annotator.dashboard.safe import md
from annotator.settings import settings
from annotator.store.access import Desk
from annotator.store.accounts import ADMIN, ANALYST, REVIEWER, Account, PermissionDenied, SignInError

USER = "user"
SEEN = "seen_at"  # time.time() of the last run of this session
PAGE = "page"
ARTICLE = "article_id"
FOCUS = "focus"
PICKED = "picked"
NOTICE = "sign_in_notice"  # why the last session ended, shown on the sign-in form

QUEUE, ARTICLE_PAGE, INGEST, OVERVIEW, MODELS = "Queue", "Article", "Ingest", "Overview", "Models"
EXPORT, ACCOUNTS, AUDIT, ADJUDICATE = "Export", "Accounts", "Audit", "Adjudicate"
PAGES = (QUEUE, ARTICLE_PAGE, INGEST, OVERVIEW, EXPORT, ADJUDICATE, MODELS, AUDIT, ACCOUNTS)
# the role each page needs (the store checks it again on every change the page asks for)
NEEDS = {MODELS: ADMIN, ACCOUNTS: ADMIN, AUDIT: REVIEWER, ADJUDICATE: REVIEWER}

MAX_NAME = 64


def idle_seconds() -> float:
    return 60.0 * float(settings().get("dashboard", {}).get("idle_minutes", 30))


def account() -> Account | None:
    """The signed-in account as the store has it now; None when nobody is signed in, or the session
    was idle too long, or the account was disabled or locked meanwhile (the session then ends)."""
    name = st.session_state.get(USER)
    if not isinstance(name, str) or not name:
        return None
    now = time.time()
    if now - float(st.session_state.get(SEEN, now)) > idle_seconds():
        sign_out(notice="You were signed out after a while without activity: sign in again.")
        return None
    current = services.store().accounts.get(name)
    if current is None or not current.active or current.locked:
        sign_out(notice="Your account can no longer sign in: ask an admin.")
        return None
    st.session_state[SEEN] = now
    return current


def user() -> str | None:
    """The signed-in account's name (what its answers record)."""
    signed_in = account()
    return signed_in.name if signed_in else None


def desk() -> Desk:
    """The store as the signed-in account may use it: every change is checked against its role.
    Raises PermissionDenied when nobody is signed in (the session ended meanwhile)."""
    signed_in = account()
    if signed_in is None:
        raise PermissionDenied("signed out: sign in again")
    return services.store().acting_as(signed_in)


def blind() -> bool:
    """Whether analysts answer blind: with more than one analyst per article ([review]
    analysts_per_article), an analyst sees no one else's answer on a label before giving their own;
    reviewers always see everyone's."""
    return int(settings().get("review", {}).get("analysts_per_article", 1)) > 1


def others_on(target: object, signed_in: Account | None) -> str:
    """What the article page says of the others' answers on ``target``: their names (and verdicts, to a
    reviewer), nothing to an analyst who has not answered it yet when answers are blind."""
    answers = list(getattr(target, "answers", []))
    name = signed_in.name if signed_in else None
    others = {a.user: a for a in answers if a.user != name}
    if not others:
        return ""
    if signed_in is not None and signed_in.may(REVIEWER):
        return " · " + ", ".join(f"{md(u)}: {md(a.verdict)}" for u, a in sorted(others.items()))
    if blind() and not any(a.user == name for a in answers):
        return ""
    return f" · also answered by {md(', '.join(sorted(others)))}"


def allowed(page: str, signed_in: Account) -> bool:
    # answering blind, an analyst would see the others' answers in an export: reviewers export then
    needs = REVIEWER if page == EXPORT and blind() else NEEDS.get(page, ANALYST)
    return signed_in.may(needs)


def pages_for(signed_in: Account) -> list[str]:
    return [page for page in PAGES if allowed(page, signed_in)]


def require(role: str) -> Account | None:
    """At the top of a page: the account when it has ``role``, else None after saying why (the page
    draws nothing more)."""
    signed_in = account()
    if signed_in is None:
        return None
    if not signed_in.may(role):
        st.error(f"This page needs the {role} role; you are {signed_in.role}.")
        return None
    return signed_in


def _sign_in() -> None:
    name = " ".join(str(st.session_state.get("sign_in_name", "")).split())[:MAX_NAME]
    password = str(st.session_state.get("sign_in_password", ""))
    st.session_state["sign_in_password"] = ""  # never kept past this callback
    if not name or not password:
        st.session_state["sign_in_error"] = "Type your name and your password."
        return
    try:
        signed_in = services.store().accounts.sign_in(name, password)
    except SignInError as refused:
        st.session_state["sign_in_error"] = str(refused)
        return
    st.session_state[USER] = signed_in.name
    st.session_state[SEEN] = time.time()
    st.session_state.pop(NOTICE, None)


def sign_in_form() -> None:
    st.subheader("Sign in")
    if not services.store().accounts.exist():
        st.warning("This store has no account yet. Make the first admin with `annotator users bootstrap` "
                   "(`make run` does it and prints the password once), then sign in.")
    notice = st.session_state.get(NOTICE)
    if notice:
        st.info(notice)
    with st.form("sign_in"):
        st.text_input("Name", key="sign_in_name", max_chars=MAX_NAME, placeholder="e.g. alice")
        st.text_input("Password", key="sign_in_password", type="password")
        st.form_submit_button("Sign in", type="primary", on_click=_sign_in)
    error = st.session_state.pop("sign_in_error", None)
    if error:
        st.error(md(error))


def sign_out(notice: str | None = None) -> None:
    name = st.session_state.get(USER)
    for key in (USER, SEEN, ARTICLE, FOCUS, PICKED, PAGE):
        st.session_state.pop(key, None)
    if notice:
        st.session_state[NOTICE] = notice
    if isinstance(name, str) and name:
        services.store().accounts.signed_out(name)


def show_flash(key: str) -> None:
    """What the last button callback left under ``key`` to say, ``(kind, message)``: shown once, escaped
    (callbacks run before the page is drawn, so they cannot draw it themselves)."""
    said = st.session_state.pop(key, None)
    if said:
        getattr(st, said[0])(md(said[1]))


def sidebar_user(signed_in: Account) -> None:
    st.sidebar.markdown(f"Signed in as **{md(signed_in.name)}** ({signed_in.role})")
    st.sidebar.button("Sign out", on_click=sign_out)


def open_article(article_id: str) -> None:
    """A callback: show ``article_id`` on the article page (before the page radio is drawn)."""
    st.session_state[ARTICLE] = article_id
    st.session_state.pop(FOCUS, None)
    st.session_state.pop(PICKED, None)
    st.session_state[PAGE] = ARTICLE_PAGE


def go(page: str) -> None:
    st.session_state[PAGE] = page
