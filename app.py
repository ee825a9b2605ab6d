"""The review dashboard (placeholder until the dashboard issue): lists the annotated seeds.

Article text is hostile data: everything here goes through st.text / st.dataframe, never HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from annotator.record import Record
from annotator.render import outlet_line

st.set_page_config(page_title="annotator", layout="wide")
st.title("annotator")
st.caption("Review dashboard — the article queue and label review arrive with the dashboard issue.")

source = Path("var/seeds.jsonl")
if not source.exists():
    st.info("No annotated articles yet: run `make run`, which annotates seeds/ first.")
else:
    records = [Record.from_dict(json.loads(line)) for line in source.read_text("utf-8").splitlines() if line]
    for record in records:
        with st.expander(f"{record.title or record.text.splitlines()[0][:100]} · {record.language} · "
                         f"{outlet_line(record)}"):
            st.dataframe(
                [{"layer": a.layer, "label": a.label, "start": a.start, "end": a.end, "score": a.score,
                  "text": (a.text or "")[:200]} for a in record.annotations],
                width="stretch",
            )
            st.text(record.text)
