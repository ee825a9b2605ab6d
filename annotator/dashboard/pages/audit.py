"""The audit trail (reviewers and admins): who changed what and when, newest first, filterable."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pandas as pd
import streamlit as st

from annotator.dashboard import session
from annotator.store.accounts import REVIEWER
from annotator.store.audit import ACTIONS

ANY = "any"


def render() -> None:
    if session.require(REVIEWER) is None:
        return
    st.subheader("Audit trail")
    st.caption("Every answer, ingest, model change, sign-in and account change, with who and when. "
               "Nothing here can be edited or deleted.")
    c1, c2, c3, c4 = st.columns(4)
    actor = c1.text_input("Who (account, or local:USER for the command line)", key="au_actor").strip()
    action = c2.selectbox("Action", [ANY, *ACTIONS], key="au_action")
    since = c3.date_input("Since", value=None, key="au_since")
    limit = c4.number_input("At most", min_value=10, max_value=100_000, value=500, step=100, key="au_limit")
    events = session.desk().events(
        actor=actor or None, action=None if action == ANY else action, limit=int(limit),
        since=datetime.combine(since, time(), tzinfo=UTC) if since else None)
    if not events:
        st.info("No event matches.")
        return
    rows = [{"time": e.time.isoformat(timespec="seconds"), "who": e.actor, "action": e.action,
             "subject": e.subject or "", "detail": ", ".join(f"{k}={v}" for k, v in e.detail.items())}
            for e in events]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
