"""The readable table view of records, for people at a terminal.

Article text is hostile data: it only ever enters rich as Text objects, never as markup, so a title
like "[red]x[/red]" or "[link=...]" prints as the characters it is.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from annotator import taxonomy
from annotator.outlets.registry import profile_line
from annotator.record import Record

LAYER_STYLE = {
    taxonomy.CLAIM: "bold red",
    taxonomy.FRAME: "bold magenta",
    taxonomy.TECHNIQUE: "bold yellow",
    taxonomy.PROVENANCE: "bold cyan",
    taxonomy.STRUCTURE: "dim",
}


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def outlet_line(record: Record) -> str:
    """«RT en français · Russia · state-controlled (ANO TV-Novosti) · EU broadcast ban since 2022-03-01»"""
    outlet = record.outlet
    if outlet is None:
        return "outlet: unknown"
    return profile_line(outlet.name, outlet.country, outlet.state_affiliation, outlet.owner,
                        outlet.profile.get("legal_status") or [])


def record_renderable(record: Record) -> Panel:
    head = Text()
    head.append(_clip(record.title or record.text.split("\n", 1)[0], 100), style="bold")
    head.append(f"\n{record.language} · {len(record.text):,} chars · id {record.id}")
    if record.url:
        head.append(f"\n{record.url}", style="underline")
    head.append("\n" + outlet_line(record), style="green")

    table = Table(expand=True, show_lines=False, header_style="bold")
    table.add_column("layer", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("span", justify="right", no_wrap=True)
    table.add_column("text", ratio=3)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("cue", ratio=1, min_width=14)
    for a in record.annotations:
        style = LAYER_STYLE.get(a.layer, "")
        span = "article" if a.start is None else f"{a.start}–{a.end}"
        cue = a.attributes.get("cue") or a.attributes.get("kind") or ""
        table.add_row(
            Text(a.layer, style=style),
            Text(a.label, style=style),
            Text(span),
            Text(_clip(a.text or "", 160)),
            Text("" if a.score is None else f"{a.score:.2f}"),
            Text(_clip(str(cue), 40)),
        )
    if not record.annotations:
        table.add_row(Text("no annotations", style="dim"), *[Text("")] * 5)
    return Panel(Group(head, table), title=Text(record.meta.get("source", record.id)), title_align="left")


def print_table(records: list[Record], console: Console) -> None:
    for record in records:
        console.print(record_renderable(record))
