"""One article: its text with every layer highlighted, the outlet card, and the answers on each label.

Under the outlet card, the publishing outlet as a label of its own: the analyst confirms it, says it is
not this outlet, corrects it to another outlet of the registry, or names it when none was found. The
analyst walks the other labels one at a time (the focused one is outlined in the text): accept, reject,
change the label, adjust the span; and adds a missing label by selecting its words in the text.
Every answer is written at once, in a button callback, so the page drawn next already shows it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from annotator import taxonomy
from annotator.dashboard import services, session
from annotator.dashboard.highlight import LAYER_COLOURS, Span, legend_html
from annotator.dashboard.outlet_card import outlet_card
from annotator.dashboard.safe import md
from annotator.dashboard.span_select import selection_of, span_select
from annotator.record import Answer

SPAN_LAYERS = tuple(layer for layer in taxonomy.LAYERS if layer not in taxonomy.ARTICLE_LEVEL_LAYERS)
PICKED = session.PICKED  # the span the analyst selected in the text: (start, end)
FLASH = "flash"  # what the last callback wants to tell: (kind, message)
TEXT_KEY = "text_key"  # bumped to forget the component's selection after a label is added


# --- callbacks: they run before the page is drawn again ----------------------------------------------

def _flash(kind: str, message: str) -> None:
    st.session_state[FLASH] = (kind, message)


def _answer(target_id: int, verdict: str, advance_to: int | None = None, **fields: Any) -> None:
    note = st.session_state.get(f"note_{target_id}") or None
    try:  # as the signed-in account, and as no one else (the desk gives no other name)
        session.desk().answer(target_id, verdict, note=note, **fields)
    except (ValueError, PermissionError) as exc:
        _flash("error", str(exc))
        return
    st.session_state[f"note_{target_id}"] = ""  # a note goes with one answer
    if advance_to is not None:
        st.session_state[session.FOCUS] = advance_to


def _set_focus(target_id: int | None) -> None:
    if target_id is not None:
        st.session_state[session.FOCUS] = target_id


def _change_label(target_id: int) -> None:
    label = st.session_state.get(f"label_{target_id}")
    _answer(target_id, "correct", label=label)


def _change_span(target_id: int, label: str) -> None:
    start, end = st.session_state.get(f"start_{target_id}"), st.session_state.get(f"end_{target_id}")
    if start is None or end is None or int(start) >= int(end):
        _flash("error", "The span needs a start before its end.")
        return
    _answer(target_id, "correct", label=label, start=int(start), end=int(end))


def _use_selection(target_id: int) -> None:
    picked = st.session_state.get(PICKED)
    if picked:
        st.session_state[f"start_{target_id}"], st.session_state[f"end_{target_id}"] = picked


def _forget_selection() -> None:
    st.session_state.pop(PICKED, None)
    st.session_state[TEXT_KEY] = st.session_state.get(TEXT_KEY, 0) + 1


def _add(article_id: str) -> None:
    name, picked = session.user(), st.session_state.get(PICKED)
    layer = st.session_state.get("add_layer")
    label = st.session_state.get(f"add_label_{layer}")
    if name is None or not picked or not layer or not label:
        return
    try:
        target_id = session.desk().add_label(article_id, layer, label, picked[0], picked[1],
                                             note=st.session_state.get("add_note") or None)
    except (ValueError, PermissionError) as exc:
        _flash("error", str(exc))
        return
    st.session_state[session.FOCUS] = target_id
    st.session_state["add_note"] = ""
    _forget_selection()
    _flash("success", f"Added {layer}: {label}.")


def _add_frame(article_id: str) -> None:
    name, label = session.user(), st.session_state.get("add_frame")
    if name is None or not label:
        return
    try:
        target_id = session.desk().add_label(article_id, taxonomy.FRAME, label, None, None)
    except (ValueError, PermissionError) as exc:
        _flash("error", str(exc))
        return
    st.session_state[session.FOCUS] = target_id


def _correct_outlet(target_id: int) -> None:
    outlet_id = st.session_state.get(f"outlet_{target_id}_pick")
    if not outlet_id:
        _flash("error", "Search the registry and pick the outlet first.")
        return
    _answer(target_id, "correct", label=outlet_id)


def _add_outlet(article_id: str) -> None:
    name, outlet_id = session.user(), st.session_state.get("outlet_new_pick")
    if name is None or not outlet_id:
        return
    try:
        session.desk().add_label(article_id, taxonomy.OUTLET, outlet_id, None, None)
    except (ValueError, PermissionError) as exc:
        _flash("error", str(exc))
        return
    _flash("success", f"Publishing outlet: {outlet_id}.")


def _selected(key: str) -> None:
    state = st.session_state.get(key) or {}
    selection = state.get("selection") if isinstance(state, dict) else None
    text = st.session_state.get("article_text", "")
    picked = selection_of(text, selection)
    if picked is not None:
        st.session_state[PICKED] = (picked.start, picked.end)


def _clicked(key: str) -> None:
    state = st.session_state.get(key) or {}
    clicked = state.get("clicked") if isinstance(state, dict) else None
    if clicked is not None:
        st.session_state[session.FOCUS] = int(clicked)


def _focus_from_table(ids: list[int]) -> None:
    rows = st.session_state.get("labels_table", {}).get("selection", {}).get("rows", [])
    if rows:
        st.session_state[session.FOCUS] = ids[rows[0]]


# --- drawing ------------------------------------------------------------------------------------------

def review_order(target: Any) -> tuple[int, int, int, str, str]:
    # text order, article-level labels (frames) last
    return (target.start is None, target.start or 0, target.end or 0, target.layer, target.label)


def label_walk(targets: list[Any]) -> list[Any]:
    """The labels the analyst walks through, in review order: all but the publishing outlet's, which
    has its own panel under the outlet card."""
    return sorted((t for t in targets if t.layer != taxonomy.OUTLET), key=review_order)


def _detail(target: Any) -> str:
    parts = [] if target.score is None else [f"score {target.score:.2f}"]
    cue = target.attributes.get("cue")
    if cue:
        parts.append(f"cue «{str(cue)[:80]}»")
    return ", ".join(parts)


def describe(answer: Answer | None) -> str:
    if answer is None:
        return "not answered"
    if answer.verdict == "accept":
        return "accepted"
    if answer.verdict == "reject":
        return "rejected"
    if answer.verdict == "add":
        return "added"
    parts = ["corrected"]
    if answer.label:
        parts.append(f"to {answer.label}")
    if answer.start is not None:
        parts.append(f"[{answer.start}–{answer.end}]")
    return " ".join(parts)


def _mine(target: Any, name: str) -> Answer | None:
    mine = [a for a in target.answers if a.user == name]
    return mine[-1] if mine else None


def render() -> None:
    name = session.user()
    if name is None:
        return
    store = services.store()
    article_id = st.session_state.get(session.ARTICLE)
    if not article_id:
        st.info("No article open: pick one in the queue.")
        st.button("Go to the queue", on_click=session.go, args=(session.QUEUE,))
        return
    view = store.article(article_id)
    if view is None:
        st.warning(f"No article {md(article_id)} in the store.")
        st.button("Go to the queue", on_click=session.go, args=(session.QUEUE,))
        return
    st.session_state["article_text"] = view.text

    session.show_flash(FLASH)

    title = view.title or view.text.strip().split("\n", 1)[0]
    st.subheader(md(title, limit=200))
    st.caption(" · ".join(md(part) for part in (view.language, view.url or "no address", f"id {view.id}")))
    outlet_card(view.outlet)
    _outlet_panel(view.id, [t for t in view.targets if t.layer == taxonomy.OUTLET], name)

    targets = label_walk(view.targets)
    ids = [t.id for t in targets]
    focus = st.session_state.get(session.FOCUS)
    if focus not in ids:
        focus = ids[0] if ids else None
        st.session_state[session.FOCUS] = focus
    spans = [Span(t.id, t.layer, t.label, t.start, t.end, detail=_detail(t))
             for t in targets if t.start is not None]

    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(legend_html(), unsafe_allow_html=True)  # trusted: layer names and colours only
        key = f"text_{article_id}_{st.session_state.get(TEXT_KEY, 0)}"
        span_select(view.text, spans, key=key, focus=focus, picked=st.session_state.get(PICKED),
                    on_selection=_selected, on_clicked=_clicked)
        st.caption("Select words in the text to add a missing label; click a highlight to review it.")
    with right:
        if focus is not None:
            _focused(targets, ids.index(focus), name, len(view.text))
        else:
            st.info("No labels on this article yet.")
        _add_panel(view.id, view.text)

    _labels_table(targets, ids, name)


def _outlet_picker(key: str, button: str, on_click: Any, args: tuple[Any, ...]) -> None:
    """A search box over the registry, the outlets it finds, and the button that answers with one."""
    query = st.text_input("Search the outlet registry (name, alias or domain)", key=f"{key}_query")
    found = services.outlets().search(query) if query else []
    if query and not found:
        st.caption("No outlet of the registry matches.")
    if found:
        names = {e.id: f"{e.name} · {e.country or '?'} ({e.id})" for e in found}
        st.selectbox("Outlet", list(names), format_func=names.__getitem__, key=f"{key}_pick")
        st.button(button, key=f"{key}_button", on_click=on_click, args=args)


def _outlet_panel(article_id: str, targets: list[Any], name: str) -> None:
    with st.container(border=True, key="outlet_review"):
        if not targets:
            st.markdown("**Who published it?** No outlet was identified; if you know the publisher, name it:")
            _outlet_picker("outlet_new", "Set the publishing outlet", _add_outlet, (article_id,))
            return
        for target in targets:
            shown = target.attributes.get("name") or target.label
            score = "—" if target.score is None else f"{target.score:.2f}"
            st.markdown(f"**Who published it?** Suggested: {md(shown)} ({md(target.label)})")
            method = target.attributes.get("method")
            st.caption(" · ".join(md(part) for part in (
                f"by {method}" if method else None, f"score {score}", target.agent) if part))
            mine, others = _mine(target, name), session.others_on(target, session.account())
            st.markdown(f"Your answer: **{md(describe(mine))}**{others}")
            with st.container(horizontal=True):
                st.button("Confirm the outlet", key=f"outlet_accept_{target.id}", type="primary",
                          on_click=_answer, args=(target.id, "accept"))
                st.button("Not this outlet", key=f"outlet_reject_{target.id}", on_click=_answer,
                          args=(target.id, "reject"))
            with st.expander("Correct to another outlet"):
                _outlet_picker(f"outlet_{target.id}", "Correct the outlet", _correct_outlet, (target.id,))


def _focused(targets: list[Any], i: int, name: str, n_chars: int) -> None:
    target = targets[i]
    prev_id = targets[i - 1].id if i > 0 else None
    next_id = targets[i + 1].id if i + 1 < len(targets) else None
    colour = LAYER_COLOURS.get(target.layer, "#eeeeee")
    with st.container(border=True, key="focused_label"):
        st.markdown(
            f'<span style="background:{colour}; padding:.1em .5em; border-radius:3px">'
            f"{md(target.layer)}</span> **{md(target.label)}** · label {i + 1} of {len(targets)}",
            unsafe_allow_html=True,  # the colour is ours; layer and label go through md()
        )
        span = "the whole article" if target.start is None else f"characters {target.start}–{target.end}"
        score = "—" if target.score is None else f"{target.score:.2f}"
        st.caption(f"{md(span)} · score {score} · {md(target.agent)}")
        if target.text:
            st.markdown(f"> {md(target.text, limit=400)}")
        details = {k: v for k, v in target.attributes.items() if v not in (None, "", [], {})}
        if details:
            st.markdown("  \n".join(f"**{md(k)}**: {md(v, limit=200)}" for k, v in details.items()))
        mine, others = _mine(target, name), session.others_on(target, session.account())
        st.markdown(f"Your answer: **{md(describe(mine))}**{others}")
        history = [a for a in target.answers if a.user == name]
        if len(history) > 1:  # the analyst's own earlier answers on this label, oldest first
            st.caption("Your history: " + " → ".join(
                f"{md(describe(a))} ({md(str(a.time)[:16].replace('T', ' '))})" for a in history))

        with st.container(horizontal=True):
            st.button("Accept", key="accept", type="primary", shortcut="a",
                      on_click=_answer, args=(target.id, "accept", next_id))
            st.button("Reject", key="reject", shortcut="x",
                      on_click=_answer, args=(target.id, "reject", next_id))
            st.button("◀ Previous", key="prev", shortcut="p", disabled=prev_id is None,
                      on_click=_set_focus, args=(prev_id,))
            st.button("Next ▶", key="next", shortcut="n", disabled=next_id is None,
                      on_click=_set_focus, args=(next_id,))

        st.text_input("Note (kept with your next answer)", key=f"note_{target.id}")
        labels = list(taxonomy.LAYERS.get(target.layer, (target.label,)))
        current = mine.label if mine and mine.label else target.label
        with st.expander("Change the label", expanded=False):
            st.session_state.setdefault(f"label_{target.id}", current if current in labels else labels[0])
            st.selectbox("New label", labels, key=f"label_{target.id}")
            st.button("Change label", key="change_label", on_click=_change_label, args=(target.id,))
        if target.start is not None:
            with st.expander("Adjust the span", expanded=False):
                start = mine.start if mine and mine.start is not None else target.start
                end = mine.end if mine and mine.end is not None else target.end
                # Seeded through session_state (not value=) so that "Use the selected text" can set them.
                st.session_state.setdefault(f"start_{target.id}", start)
                st.session_state.setdefault(f"end_{target.id}", end)
                c1, c2 = st.columns(2)
                s = c1.number_input("Start", min_value=0, max_value=n_chars, step=1, key=f"start_{target.id}")
                e = c2.number_input("End", min_value=0, max_value=n_chars, step=1, key=f"end_{target.id}")
                text = st.session_state.get("article_text", "")
                st.caption(f"«{md(text[int(s) : int(e)], limit=300)}»")
                b1, b2 = st.columns(2)
                b1.button("Use the selected text", key="use_selection",
                          disabled=not st.session_state.get(PICKED), on_click=_use_selection,
                          args=(target.id,))
                b2.button("Save span", key="save_span", on_click=_change_span, args=(target.id, current))


def _add_panel(article_id: str, text: str) -> None:
    picked = st.session_state.get(PICKED)
    with st.container(border=True, key="add_label"):
        st.markdown("**Add a missing label**")
        if not picked:
            st.caption("Select its words in the text first.")
        else:
            start, end = picked
            st.markdown(f"Selected, characters {start}–{end}: «{md(text[start:end], limit=300)}»")
            layer = st.selectbox("Layer", SPAN_LAYERS, key="add_layer")
            st.selectbox("Label", taxonomy.LAYERS[layer], key=f"add_label_{layer}")
            st.text_input("Note", key="add_note")
            c1, c2 = st.columns(2)
            c1.button("Add label", key="add", type="primary", on_click=_add, args=(article_id,))
            c2.button("Clear selection", key="clear_selection", on_click=_forget_selection)
        with st.expander("Add an article-level frame"):
            st.selectbox("Frame", taxonomy.FRAME_LABELS, key="add_frame")
            st.button("Add frame", key="add_frame_button", on_click=_add_frame, args=(article_id,))


def _labels_table(targets: list[Any], ids: list[int], name: str) -> None:
    st.markdown("**All labels**")
    rows = [
        {
            "#": n + 1,
            "layer": t.layer,
            "label": t.label,
            "span": "article" if t.start is None else f"{t.start}–{t.end}",
            "text": (t.text or "")[:160],
            "score": t.score,
            "cue": str(t.attributes.get("cue") or ""),
            "you": describe(_mine(t, name)),
            "answers": len(t.answers),
        }
        for n, t in enumerate(targets)
    ]
    st.dataframe(rows, hide_index=True, width="stretch", key="labels_table",
                 on_select=lambda: _focus_from_table(ids), selection_mode="single-row")
