"""Adjudication (reviewers and admins): the labels where analysts disagree, who said what side by side,
and the reviewer's decision, an adjudicated answer that settles the gold (annotator/gold.py) ahead of
any agreement, in exports and training alike."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from annotator.dashboard import services, session
from annotator.dashboard.safe import md
from annotator.gold import latest_by_user, says
from annotator.store.accounts import REVIEWER

FLASH = "adjudicate_flash"


def _decide(target_id: int, verdict: str, label: str | None, start: int | None, end: int | None) -> None:
    fields = {"label": label, "start": start, "end": end} if verdict == "correct" else {}
    try:
        session.desk().answer(target_id, verdict, adjudicated=True, **fields)
    except (ValueError, PermissionError) as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    st.session_state[FLASH] = ("success", "Decided: the adjudicated answer now settles this label.")


def render() -> None:
    if session.require(REVIEWER) is None:
        return
    st.subheader("Adjudicate")
    st.caption("Labels where analysts disagree. Side with one answer: yours is recorded as an adjudication "
               "and decides the gold label in exports and training.")
    session.show_flash(FLASH)
    contested = services.store().disagreements()
    if not contested:
        st.info("No disagreement to settle.")
        return
    for view, target in contested:
        title = view.title or view.text.split("\n", 1)[0]
        where = f"“{target.text}”" if target.text else "the whole article"
        with st.container(border=True):
            st.markdown(f"**{md(title, limit=120)}** · {md(target.layer)}: **{md(target.label)}** on "
                        f"{md(where, limit=200)}")
            latest = latest_by_user(target.answers)
            st.dataframe(pd.DataFrame([{"analyst": a.user, "answer": a.verdict, "label": a.label or "",
                                        "span": "" if a.start is None else f"{a.start}–{a.end}",
                                        "note": a.note or "", "time": a.time} for a in latest.values()]),
                         hide_index=True, width="stretch")
            # one button per distinct reading of the target, with who gave it
            readings: dict[tuple, list[str]] = {}
            for a in latest.values():
                readings.setdefault(says(a, target.label, target.start, target.end), []).append(a.user)
            columns = st.columns(len(readings))
            for column, ((label, start, end), users) in zip(columns, readings.items(), strict=True):
                if label is None:
                    text, verdict = "Does not hold", "reject"
                elif (label, start, end) == (target.label, target.start, target.end):
                    text, verdict = "Holds as suggested", "accept"
                else:
                    span = "" if start is None else f" [{start}–{end}]"
                    text, verdict = f"Holds as {label}{span}", "correct"
                # button labels are Markdown: the names and labels are escaped
                column.button(md(f"{text} ({', '.join(users)})"),
                              key=f"adj_{target.id}_{label}_{start}_{end}",
                              on_click=_decide, args=(target.id, verdict, label, start, end))
