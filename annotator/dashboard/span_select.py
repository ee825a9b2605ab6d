"""The article text with its labels highlighted, where the analyst selects a span with the mouse.

A small ``st.components.v2`` component kept in the repository: inline JavaScript, nothing from a CDN.
Article text is hostile data, so the script only ever sets ``textContent``, never ``innerHTML``. The
browser counts in UTF-16 code units; Python in code points: the script reports UTF-16 offsets and
``from_utf16`` turns them into the Python offsets the record's spans use (an emoji before the selection
is one code point and two code units).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from annotator.dashboard.highlight import LAYER_COLOURS, Span, pieces, span_title

NAME = "annotator_span_select"

CSS = """
.annotator-select {
  white-space: pre-wrap; line-height: 1.7; max-height: 70vh; overflow-y: auto;
  padding: .5rem .75rem; border: 1px solid rgba(128, 128, 128, .35); border-radius: .5rem;
  font-size: 1rem; user-select: text; cursor: text;
}
.annotator-select .hl { border-radius: 2px; cursor: pointer; }
.annotator-select .hl.focus { outline: 2px solid #d33; font-weight: 600; }
.annotator-select .hl.more { box-shadow: inset 0 -3px 0 rgba(0, 0, 0, .35); }
.annotator-select .picked { background: #b6f0b6 !important; }
"""

# Data in: {"pieces": [[text, [span id, ...], picked], ...], "spans": {id: [layer, label, colour, title]},
# "focus": id | null}. State out: "selection" {start16, end16};
# trigger out: "clicked" (a span id).
JS = """
export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  // Streamlit calls this again with new data on the same parent without running the cleanup
  // returned below (that runs on unmount only): undo the previous call's work first.
  if (parentElement.annotatorCleanup) parentElement.annotatorCleanup();
  const root = document.createElement("div");
  root.className = "annotator-select";
  root.setAttribute("data-testid", "annotator-article-text");
  const spans = data.spans || {};
  let u16 = 0;
  let focused = null;
  for (const [text, ids, picked] of data.pieces || []) {
    u16 += text.length;
    if (!ids.length && !picked) { root.appendChild(document.createTextNode(text)); continue; }
    const el = document.createElement("span");
    el.textContent = text;
    if (ids.length) {
      const top = spans[String(ids[0])];
      el.classList.add("hl");
      el.style.backgroundColor = top[2];
      el.title = ids.map((id) => spans[String(id)][3]).join("\\n");
      el.dataset.span = String(ids[0]);
      if (new Set(ids.map((id) => spans[String(id)][0])).size > 1) el.classList.add("more");
      if (data.focus !== null && ids.includes(data.focus)) {
        el.classList.add("focus");
        if (focused === null) focused = el;
      }
    }
    if (picked) el.classList.add("picked");
    root.appendChild(el);
  }
  parentElement.appendChild(root);
  // Scroll the text box only (moving the page would take the buttons away from under the mouse), and
  // only when the focused label changed: after a selection the text stays where the analyst left it.
  const before = parentElement.annotatorView;
  if (before && before.focus === data.focus) {
    root.scrollTop = before.scrollTop;
  } else if (focused) {
    root.scrollTop = Math.max(0, focused.offsetTop - root.offsetTop - root.clientHeight / 3);
  }

  const offsetOf = (node, offset) => {
    const range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  };
  let last = null;
  const report = () => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return false;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(root)) return false;
    const start = root.contains(range.startContainer) ? offsetOf(range.startContainer, range.startOffset) : 0;
    const end = root.contains(range.endContainer) ? offsetOf(range.endContainer, range.endOffset) : u16;
    if (end <= start) return false;
    const key = start + ":" + end;
    if (key !== last) {
      last = key;
      setStateValue("selection", { start16: start, end16: end, text: range.toString() });
    }
    return true;
  };
  const onUp = () => setTimeout(report, 0);
  const onClick = (event) => {
    const selection = document.getSelection();
    if (selection && !selection.isCollapsed) return;
    const target = event.target.closest ? event.target.closest("[data-span]") : null;
    if (target && root.contains(target)) setTriggerValue("clicked", Number(target.dataset.span));
  };
  document.addEventListener("mouseup", onUp);
  document.addEventListener("keyup", onUp);
  root.addEventListener("click", onClick);
  const cleanup = () => {
    parentElement.annotatorView = { focus: data.focus, scrollTop: root.scrollTop };
    document.removeEventListener("mouseup", onUp);
    document.removeEventListener("keyup", onUp);
    root.removeEventListener("click", onClick);
    root.remove();
    if (parentElement.annotatorCleanup === cleanup) delete parentElement.annotatorCleanup;
  };
  parentElement.annotatorCleanup = cleanup;
  return cleanup;
}
"""

_PICKED = -1

_component = st.components.v2.component(NAME, css=CSS, js=JS, isolate_styles=False)


@dataclass(frozen=True)
class Selection:
    start: int
    end: int
    text: str


def from_utf16(text: str, offset: int) -> int:
    """The code-point index of a UTF-16 offset into ``text`` (a split surrogate pair rounds down)."""
    if offset <= 0:
        return 0
    return len(text.encode("utf-16-le")[: 2 * offset].decode("utf-16-le", errors="ignore"))


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the blanks a mouse selection drags along at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def component_data(text: str, spans: Iterable[Span], *, focus: int | None = None,
                   picked: tuple[int, int] | None = None) -> dict[str, Any]:
    """What the script needs: the text in pieces (cut at every span boundary and around the picked
    span, which the analyst is about to label), each with the ids of the spans covering it."""
    spans = list(spans)
    # The picked span rides along as a pseudo-span (id -1) so that the text is cut at its ends too.
    marker = [Span(_PICKED, "", "", *picked)] if picked else []
    out = []
    for p in pieces(text, spans + marker):
        ids = [s.id for s in p.spans if s.id != _PICKED]
        out.append([text[p.start : p.end], ids, len(ids) < len(p.spans)])
    return {
        "pieces": out,
        "spans": {
            str(s.id): [s.layer, s.label, LAYER_COLOURS.get(s.layer, "#eeeeee"), span_title([s])]
            for s in spans
        },
        "focus": focus,
    }


def selection_of(text: str, state: Any) -> Selection | None:
    """The component's reported selection in Python offsets, stripped of blanks; None when empty."""
    if not isinstance(state, dict):
        return None
    try:
        start = from_utf16(text, int(state["start16"]))
        end = from_utf16(text, int(state["end16"]))
    except (KeyError, TypeError, ValueError):
        return None
    start, end = strip_span(text, max(0, start), min(len(text), end))
    return Selection(start, end, text[start:end]) if end > start else None


def span_select(
    text: str,
    spans: Iterable[Span],
    *,
    key: str,
    focus: int | None = None,
    picked: tuple[int, int] | None = None,
    on_selection: Callable[[str], None] | None = None,
    on_clicked: Callable[[str], None] | None = None,
) -> tuple[Selection | None, int | None]:
    """Show the text; return (the current selection, the span id just clicked).

    ``on_selection(key)`` and ``on_clicked(key)`` run as widget callbacks, before the script reruns:
    ``st.session_state[key]`` then holds ``{"selection": {...}, "clicked": id}``.
    """
    result = _component(
        key=key,
        data=component_data(text, spans, focus=focus, picked=picked),
        default={"selection": None},
        on_selection_change=(lambda: on_selection(key)) if on_selection else (lambda: None),
        on_clicked_change=(lambda: on_clicked(key)) if on_clicked else (lambda: None),
    )
    clicked = getattr(result, "clicked", None)
    return (selection_of(text, getattr(result, "selection", None)),
            (int(clicked) if clicked is not None else None))
