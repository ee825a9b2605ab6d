"""The `annotator` command line (CONTRACT.md).

Exit status: 0 every input done; 1 some inputs failed, each named on one stderr line, all others still
processed and written; 2 usage error. Bad input never produces a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from annotator import __version__

log = logging.getLogger(__name__)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator", description="Media-source bias and provenance annotator for news articles."
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and internal errors in full")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    annotate = commands.add_parser(
        "annotate",
        help="annotate articles and write one record per article",
        description="Annotate articles: files (.txt .html .htm .jsonl .csv .parquet, or .gz of them), "
        "folders of them, or '-' for stdin. Writes one annotator/v1 record per article.",
    )
    annotate.add_argument("paths", nargs="+", metavar="PATH")
    annotate.add_argument("--url", help="the address of a single input file (for outlet identification)")
    annotate.add_argument(
        "--format",
        choices=("jsonl", "json", "table"),
        help="jsonl: one record per line (default when writing to a file or pipe); json: one object, or a "
        "list for several articles; table: readable, for people (default at a terminal)",
    )
    annotate.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    annotate.add_argument(
        "--max-bytes", type=int, default=None, help="largest single .txt/.html input, in bytes (default 10 MB)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        if args.command == "annotate":
            return _annotate(args, parser)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `annotator annotate ... | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    parser.error(f"unknown command {args.command!r}")
    return EXIT_USAGE


def _annotate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from annotator.ingest import Failure, iter_inputs
    from annotator.ingest.sources import DEFAULT_MAX_BYTES
    from annotator.pipeline import Pipeline
    from annotator.render import print_table

    if args.url and (len(args.paths) != 1 or Path(args.paths[0]).is_dir()):
        parser.error("--url gives the address of a single input file, not of several inputs or a folder")
    if args.max_bytes is not None and args.max_bytes <= 0:
        parser.error("--max-bytes must be positive")
    fmt = args.format or ("table" if args.output is None and sys.stdout.isatty() else "jsonl")

    err = Console(stderr=True, highlight=False)
    pipeline = Pipeline()
    failures = 0
    records = []
    sink, tmp = _open_output(args.output)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} done"),
                        TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)
    try:
        with progress:
            task = progress.add_task("annotating", total=None)
            items = iter_inputs(args.paths, url=args.url, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
            for item in items:
                if isinstance(item, Failure):
                    failures += 1
                    err.print(f"annotator: {item}", markup=False, soft_wrap=True)
                    continue
                try:
                    record = pipeline.annotate(item)
                except Exception as exc:  # noqa: BLE001 - a bug must cost one article, not the batch
                    failures += 1
                    err.print(f"annotator: {item.source}: [E900] internal error: {type(exc).__name__}: {exc}",
                              markup=False, soft_wrap=True)
                    log.info("%s", traceback.format_exc())
                    continue
                if fmt == "jsonl":
                    sink.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
                    sink.flush()
                else:
                    records.append(record)
                progress.advance(task)
        if fmt == "json":
            payload = records[0].to_dict() if len(records) == 1 else [r.to_dict() for r in records]
            sink.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        elif fmt == "table":
            console = Console(file=sink, highlight=False, force_terminal=sink.isatty() if hasattr(sink, "isatty") else False)
            print_table(records, console)
    finally:
        if tmp is not None:
            sink.close()
            tmp.replace(args.output)
    if not records and fmt != "jsonl" and failures == 0:
        err.print("annotator: no articles found in the given paths", markup=False, soft_wrap=True)
        return EXIT_SOME_FAILED
    return EXIT_SOME_FAILED if failures else EXIT_OK


def _open_output(path: Path | None) -> tuple[TextIO, Path | None]:
    """stdout, or a temporary sibling of PATH renamed into place at the end, so that a crash never
    leaves a half-written file under the name a script waits for."""
    if path is None:
        return sys.stdout, None
    tmp = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    return tmp.open("w", encoding="utf-8"), tmp
