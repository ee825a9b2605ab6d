"""Labels over time, by outlet, language and layer; and how far analysts agree (Cohen's kappa)."""

from __future__ import annotations

import streamlit as st

from annotator.dashboard import services, session

DIMENSIONS = {"layer": "Layer", "outlet": "Outlet", "language": "Language", "label": "Label"}


def render() -> None:
    if session.user() is None:
        return
    store = services.store()
    st.subheader("Overview")
    counts = store.label_counts()
    if counts.empty:
        st.info("No labels yet: ingest articles first.")
    else:
        c1, c2 = st.columns([1, 3])
        by = c1.radio("Colour by", list(DIMENSIONS), format_func=DIMENSIONS.get, key="ov_by")
        layers = sorted(counts["layer"].dropna().unique())
        chosen = c2.multiselect("Layers", layers, default=layers, key="ov_layers")
        shown = counts[counts["layer"].isin(chosen)]
        if shown.empty:
            st.info("No labels in the chosen layers.")
        else:
            per_day = shown.fillna({by: "unknown"}).groupby(["day", by], as_index=False)["n"].sum()
            # Days as text: one bar per day that has labels, however few the days (a time axis would
            # draw a single day as a hairline).
            per_day["day"] = per_day["day"].astype(str)
            st.bar_chart(per_day, x="day", y="n", color=by, x_label="day", y_label="labels")
            totals = (shown.groupby(["layer", "label"], as_index=False)["n"].sum()
                      .sort_values("n", ascending=False))
            st.dataframe(totals, hide_index=True, width="stretch")

    st.subheader("Agreement between analysts")
    agreement = store.agreement()
    if agreement.empty:
        st.info("No label has been answered by two analysts yet.")
    else:
        st.dataframe(agreement, hide_index=True, width="stretch",
                     column_config={"kappa": st.column_config.NumberColumn("Cohen's κ", format="%.2f")})
