"""Labelled datasets out of the store and back in: `annotator export` and `annotator import`.

It sits above the store (records <- taggers <- store <- exchange <- dashboard) and only reads the store
through its public methods, writing through ``Store.merge``.

    from annotator.exchange import Filters, export, import_paths
    export(store, "csv", Path("labels.csv"), Filters(layers=("claim",), status="gold"),
           GoldRule.parse("majority:2"))
    import_paths(store, ["labels.jsonl"], "jsonl")

Formats: ``jsonl`` (the canonical one: annotator/v1 records as ``Store.record`` gives them, answers
inside, imports back without loss), ``csv`` and ``parquet`` (``flat.py``: one row per label and answer),
``label-studio`` (``label_studio.py``), ``prodigy`` (``prodigy.py``), ``hf`` (``hf.py``: a Hugging Face
datasets folder), each one row of ``formats.FORMATS`` (name, title, suffix, streamable, writer, reader),
the table that the command line, the dashboard and the importer read. Filters and the gold of each label:
``select.py``; files and manifest: ``export.py``; reading back: ``importer.py``.
"""

from annotator.exchange.export import Exported, export
from annotator.exchange.formats import FORMATS, IMPORT_FORMATS, STREAMABLE, Format
from annotator.exchange.importer import Imported, import_paths
from annotator.exchange.select import STATUS_FILTERS, Filters, Selected, select

__all__ = ["FORMATS", "IMPORT_FORMATS", "STATUS_FILTERS", "STREAMABLE", "Exported", "Filters", "Format",
           "Imported", "Selected", "export", "import_paths", "select"]
