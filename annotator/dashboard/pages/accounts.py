"""Accounts (admins only): add an account, change its role, disable or enable it, unlock it after failed
sign-ins, set a new password. Every change goes through the store's checks and into the audit trail."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from annotator.dashboard import services, session
from annotator.store.accounts import ADMIN, ROLES, AccountError

FLASH = "accounts_flash"


def _do(what: str, call: object, *args: object) -> None:
    """Run one account change as the signed-in admin; say how it went."""
    admin = session.account()
    if admin is None:  # signed out meanwhile (idle, disabled): never None, which is the command line's
        st.session_state[FLASH] = ("error", "Signed out: sign in again.")
        return
    try:
        call(*args, by=admin)  # type: ignore[operator]
    except (AccountError, PermissionError) as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    st.session_state[FLASH] = ("success", what)


def _add() -> None:
    name, role = st.session_state.get("acc_new_name", ""), st.session_state.get("acc_new_role", "analyst")
    password = st.session_state.get("acc_new_password", "")
    st.session_state["acc_new_password"] = ""  # never kept past this callback
    _do(f"{name}: added as {role}.", services.store().accounts.add, name, password, role)


def _reset() -> None:
    name, password = st.session_state.get("acc_pick"), st.session_state.get("acc_reset_password", "")
    st.session_state["acc_reset_password"] = ""
    _do(f"{name}: new password set (and unlocked).", services.store().accounts.reset_password, name, password)


def render() -> None:
    if session.require(ADMIN) is None:
        return
    accounts = services.store().accounts
    st.subheader("Accounts")
    session.show_flash(FLASH)
    rows = [{"name": a.name, "role": a.role, "active": a.active, "locked": a.locked,
             "failed sign-ins": a.failures,
             "last sign-in": a.last_sign_in.isoformat(timespec="minutes") if a.last_sign_in else "never"}
            for a in accounts.list()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

    with st.form("acc_add", clear_on_submit=True):
        st.markdown("**Add an account**")
        c1, c2, c3 = st.columns(3)
        c1.text_input("Name", key="acc_new_name", max_chars=64)
        c2.selectbox("Role", ROLES, key="acc_new_role")
        c3.text_input("Password (10 characters or more)", type="password", key="acc_new_password")
        st.form_submit_button("Add", on_click=_add)

    names = [a.name for a in accounts.list()]
    if not names:
        return
    st.markdown("**Change an account**")
    name = st.selectbox("Account", names, key="acc_pick")
    store_accounts = services.store().accounts
    c1, c2, c3, c4 = st.columns(4)
    role = c1.selectbox("Role", ROLES, key="acc_role")
    c1.button("Set role", key="acc_set_role", on_click=_do,
              args=(f"{name}: now {role}.", store_accounts.set_role, name, role))
    c2.button("Disable", key="acc_disable", on_click=_do,
              args=(f"{name}: disabled.", store_accounts.disable, name))
    c2.button("Enable", key="acc_enable", on_click=_do,
              args=(f"{name}: enabled.", store_accounts.enable, name))
    c3.button("Unlock", key="acc_unlock", on_click=_do,
              args=(f"{name}: unlocked.", store_accounts.unlock, name))
    c4.text_input("New password", type="password", key="acc_reset_password")
    c4.button("Set password", key="acc_reset", on_click=_reset)
