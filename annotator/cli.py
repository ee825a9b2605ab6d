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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from annotator import __version__, errors, taxonomy

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from annotator.gold import GoldRule
    from annotator.record import Record
    from annotator.store import Store

log = logging.getLogger(__name__)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def with_inputs(sub: argparse.ArgumentParser) -> None:
    """The input options that `annotate` and `ingest` share."""
    from annotator.ingest.sources import ACCEPTED_SUFFIXES, GZIP

    sub.add_argument("paths", nargs="+", metavar="PATH",
                     help=f"files ({' '.join(s for s in ACCEPTED_SUFFIXES if s != GZIP)}, or {GZIP} of them; "
                     "any other name is read as text or HTML), folders of them, or '-' for stdin")
    sub.add_argument("--url", help="the address of a single input file (for outlet identification)")
    sub.add_argument(
        "--max-bytes", type=int, default=None,
        help="largest single .txt/.html input, in bytes (default 10 MB)"
    )
    with_jobs(sub, "worker processes annotating side by side, each loading the models once (default: the "
              "cores this process may use; 1: in this process)")


def with_jobs(sub: argparse.ArgumentParser, help: str) -> None:
    sub.add_argument("--jobs", type=_at_least_one, metavar="N", default=None, help=help)


def _at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator", description="Media-source bias and provenance annotator for news articles."
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log progress and internal errors in full"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    annotate = commands.add_parser(
        "annotate",
        help="annotate articles and write one record per article",
        description="Annotate articles: files (.txt .html .htm .jsonl .csv .parquet, or .gz of them), "
        "folders of them, or '-' for stdin. Writes one annotator/v1 record per article.",
    )
    with_inputs(annotate)
    with_tier(annotate)
    annotate.add_argument(
        "--format",
        choices=("jsonl", "json", "table"),
        help="jsonl: one record per line (default when writing to a file or pipe); json: one object, or a "
        "list for several articles; table: readable, for people (default at a terminal)",
    )
    annotate.add_argument("-o", "--output", type=Path, help="write here instead of stdout")

    ingest = commands.add_parser(
        "ingest",
        help="annotate articles and store them, with the model suggestions, for review",
        description="Annotate articles exactly as `annotate` does and store each one with its model "
        "suggestions. Re-ingesting an article updates the suggestions and never touches analysts' answers.",
    )
    with_inputs(ingest)
    with_tier(ingest)
    ingest.add_argument("--db", metavar="URL",
                        help="the store: an SQLAlchemy URL or an SQLite file (default: "
                        "$ANNOTATOR_DB, else annotator.sqlite in the user's data folder)")

    export = commands.add_parser(
        "export",
        help="export labelled articles: model suggestions and analysts' answers side by side",
        description="Export the store's articles and labels with the model suggestions, every analyst's "
        "answer and each label's gold. Writes FILE (a folder for hf) and FILE.manifest.json beside it "
        "(inside the folder for hf); with no -o or '-o -', the text formats go to stdout without a manifest.",
    )
    from annotator.exchange.formats import FORMATS, IMPORT_FORMATS, IMPORT_SUFFIXES  # the one table

    export.add_argument("--format", required=True, choices=list(FORMATS),
                        help="; ".join(f"{f.name}: {f.title}" for f in FORMATS.values()))
    export.add_argument("-o", "--output", metavar="FILE_OR_DIR", help="where to write (default: stdout)")
    export.add_argument("--db", metavar="URL",
                        help="the store (default: $ANNOTATOR_DB, else the user's data folder)")
    export.add_argument("--layer", action="append", choices=_layers(),
                        help="only this layer's labels (repeatable)")
    export.add_argument("--outlet", metavar="ID", help="only articles of this publishing outlet (its id)")
    export.add_argument("--language", metavar="CODE", help="only articles in this language")
    export.add_argument("--since", type=_date, metavar="YYYY-MM-DD",
                        help="only articles published (else ingested) on or after this day")
    export.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="... on or before this day")
    export.add_argument("--status", choices=("any", "gold", "unresolved", "unreviewed"), default="any",
                        help="only labels whose gold is this (gold: adjudicated or agreed); default any")
    export.add_argument("--user", help="only this analyst's answers, and the labels they answered")
    export.add_argument("--gold", type=_gold_rule, default="unanimous", metavar="RULE",
                        help="how answers settle a label: unanimous or majority, optionally :N for the "
                        "fewest analysts (majority:2); an adjudicator's answer decides first. Default "
                        "unanimous")

    import_ = commands.add_parser(
        "import",
        help="bring articles and analysts' answers into the store (an edited export, another tool's)",
        description="Merge jsonl records, Label Studio tasks or Prodigy lines into the store. Only adds: "
        "answers already there are not added again, so importing a file twice changes nothing.",
    )
    import_.add_argument("paths", nargs="+", metavar="PATH",
                         help=f"files, folders of {'/'.join(IMPORT_SUFFIXES)}, or '-' for stdin")
    import_.add_argument("--format", required=True, choices=IMPORT_FORMATS,
                         help=f"the format annotator export wrote them in ("
                         f"{', '.join(name for name in FORMATS if name not in IMPORT_FORMATS)} "
                         "do not import back)")
    import_.add_argument("--db", metavar="URL",
                         help="the store (default: $ANNOTATOR_DB, else the user's data folder)")

    def with_encoder(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--encoder", help="a transformers folder or hub id (default: $ANNOTATOR_ENCODER, "
                         "else the provisioned multilingual-e5-small); with it the tier is accurate")
        with_tier(sub)

    train = commands.add_parser("train", help="train a new version of a layer's model (not promoted)")
    train.add_argument("layer", metavar="LAYER")
    train.add_argument("--corpus", action="append", default=[], metavar="FORMAT:PATH",
                       help="a corpus to train on (repeatable); formats: jsonl, semeval2023, ptc, checkthat, "
                       "claimbuster, semeval2021-memes, lines")
    train.add_argument("--db", metavar="URL",
                       help="also learn from the analysts' gold labels in this store, plus "
                       "the corpora the layer's current version was trained on")
    train.add_argument("--gold", default="unanimous", metavar="RULE",
                       help="with --db: how answers become gold: unanimous or majority, optionally :N "
                       "analysts at least (default unanimous; an adjudicated answer always decides)")
    train.add_argument("--no-base", action="store_true",
                       help="with --db: leave out the current version's corpora")
    train.add_argument("--precision-floor", type=float, metavar="P",
                       help="each label's threshold is the best out-of-fold F1 among the cuts whose "
                       "precision reaches P (default: 0, the best F1; with --db, the promoted version's); "
                       "the model card gives each label's figures")
    with_encoder(train)

    evaluate = commands.add_parser("evaluate", help="score a model version on a corpus, as JSON")
    evaluate.add_argument("layer", metavar="LAYER")
    evaluate.add_argument("--corpus", action="append", default=[], metavar="FORMAT:PATH",
                          help="the corpus to score on (required, but for the outlet layer)")
    evaluate.add_argument("--db", metavar="URL",
                          help="outlet layer: score on this store's confirmed articles "
                          "that the version was not trained on")
    evaluate.add_argument("--gold", default="unanimous", metavar="RULE",
                          help="with --db: how answers become gold (as for train)")
    evaluate.add_argument("--version", help="the version to score (default: the promoted one)")
    with_encoder(evaluate)

    models = commands.add_parser("models", help="the model registry under models/")
    models_cmd = models.add_subparsers(dest="action", required=True, metavar="ACTION")
    models_cmd.add_parser("list", help="every layer's versions, the promoted one marked")
    promote = models_cmd.add_parser("promote", help="use VERSION of LAYER from now on")
    promote.add_argument("layer", metavar="LAYER")
    promote.add_argument("version", metavar="VERSION")
    rollback = models_cmd.add_parser("rollback", help="go back to the previously promoted version")
    rollback.add_argument("layer", metavar="LAYER")
    demote = models_cmd.add_parser(
        "demote", help="stop using LAYER's promoted version (rollback brings it back)"
    )
    demote.add_argument("layer", metavar="LAYER")
    models_list = models_cmd.choices["list"]
    for sub in (models_list, rollback, demote):
        with_tier(sub, "the tier whose promoted version to act on (default: the tier in use); promote takes "
                  "the tier of the version promoted")
    for sub in (promote, rollback, demote):
        sub.add_argument("--db", metavar="URL",
                         help="then annotate this store's articles again, so that the review "
                         "queue sorts by the new model's uncertainty (answers are kept)")

    outlets = commands.add_parser("outlets", help="the outlet registry under data/outlets/")
    outlets_cmd = outlets.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = outlets_cmd.add_parser("import", help="rebuild data/outlets/registry.jsonl from the public "
                                   "outlet files (ASD, idiap/MBFC, Lin 2023, EU sanctions draft) and the "
                                   "hand-written rows")
    build.add_argument("path", type=Path, metavar="PATH",
                       help="the folder holding them (../shared/data/outlets)")
    show = outlets_cmd.add_parser("show", help="an outlet's profile, by id, domain or URL")
    show.add_argument("key", metavar="ID|DOMAIN|URL")

    users = commands.add_parser("users", help="the dashboard's accounts (sign-in with a password and a role)")
    users_cmd = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    users_cmd.add_parser("list", help="every account: name, role, active, locked, last sign-in")
    add = users_cmd.add_parser("add", help="a new account; the password is read without echo, or from "
                               "standard input with --password-stdin")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("analyst", "reviewer", "admin"))
    set_role = users_cmd.add_parser("set-role", help="change an account's role")
    set_role.add_argument("name", metavar="NAME")
    set_role.add_argument("role", choices=("analyst", "reviewer", "admin"))
    for action, text in (("disable", "stop an account from signing in"), ("enable", "let it sign in again"),
                         ("unlock", "lift the lock that failed sign-ins put on an account"),
                         ("reset-password", "a new password (read as for add); also unlocks")):
        users_cmd.add_parser(action, help=text).add_argument("name", metavar="NAME")
    users_cmd.add_parser("bootstrap", help="on a store with no account: create `admin` with a new random "
                         "password, printed once (`make run` does this)")
    for sub in users_cmd.choices.values():
        sub.add_argument("--db", metavar="URL",
                         help="the store (default: $ANNOTATOR_DB, else the user's data folder)")
    for name in ("add", "reset-password"):
        users_cmd.choices[name].add_argument("--password-stdin", action="store_true",
                                             help="read the password from the first line of standard input")

    audit = commands.add_parser("audit", help="the audit trail: who changed what, when (newest first)")
    audit.add_argument("--since", metavar="DATE", help="ISO date or time (UTC) from which to list events")
    audit.add_argument("--actor", help="only this account's (or local:USER's) events")
    audit.add_argument("--action", help="only events of this action (answer, ingest, promote, ...)")
    audit.add_argument("--limit", type=int, default=None, help="at most this many events")
    audit.add_argument("--format", choices=("table", "jsonl"), default="table")
    audit.add_argument("--db", metavar="URL",
                       help="the store (default: $ANNOTATOR_DB, else the user's data folder)")

    bench = commands.add_parser("bench", help="throughput and peak memory of the pipeline, per stage")
    bench.add_argument("--articles", type=int, default=50, help="how many articles to run (default 50)")
    bench.add_argument("--pages", type=Path, default=None,
                       help="folder of real pages to build the corpus from (default ../shared/data/pages)")
    bench.add_argument("--retrain", type=int, metavar="N", default=0,
                       help="instead: the seconds to retrain --layer from a store holding N "
                       "analysts' answers")
    bench.add_argument("--layer", default=taxonomy.CLAIM, help="with --retrain: the layer (default claim)")
    bench.add_argument("--json", action="store_true",
                       help="print one JSON object on one line (articles, sentences, seconds per stage, "
                       "rates, spaCy alone, peak MB, tier, jobs), to compare runs")
    with_jobs(bench, "annotate through N worker processes; per-stage seconds are then summed over the "
              "workers and peak memory is the largest worker's plus this process's (default 1)")
    with_encoder(bench)
    return parser


def with_tier(sub: argparse.ArgumentParser, text: str | None = None) -> None:
    from annotator.learning.tiers import TIERS

    sub.add_argument("--tier", choices=TIERS, help=text or "static: token vectors distilled from the "
                     "encoder, the speed of the parse; accurate: the transformer itself (default: "
                     "$ANNOTATOR_TIER, else the settings' [encoder] tier, else static)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from annotator.learning import tiers

    if getattr(args, "encoder", None) and not getattr(args, "tier", None):
        # a transformers folder of the user's: the static model is not made from it
        args.tier = tiers.ACCURATE
    tiers.use(getattr(args, "tier", None))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    try:
        if args.command == "annotate":
            return _annotate(args, parser)
        if args.command == "ingest":
            return _ingest(args, parser)
        if args.command == "export":
            return _export(args, parser)
        if args.command == "import":
            return _import(args, parser)
        if args.command in ("train", "evaluate", "models"):
            return _models(args, parser)
        if args.command == "outlets":
            return _outlets(args)
        if args.command in ("users", "audit"):
            return _team(args, parser)
        if args.command == "bench":
            from annotator.evaluation.bench import run_bench

            if args.retrain:
                from annotator.evaluation.bench import run_retrain_bench

                print(json.dumps(run_retrain_bench(args.retrain, args.layer, args.pages, args.encoder),
                                 indent=2))
                return EXIT_OK
            report = run_bench(args.articles, args.pages, args.encoder, jobs=args.jobs or 1)
            if args.json:
                from annotator.evaluation.bench import summary

                print(json.dumps(summary(report)))
            else:
                print(json.dumps(report, indent=2))
            return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `annotator annotate ... | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    parser.error(f"unknown command {args.command!r}")
    return EXIT_USAGE


class _Failures:
    """Counts the inputs that failed, reporting each as one line on stderr."""

    def __init__(self, err: Console) -> None:
        self.err = err
        self.count = 0

    def report(self, message: str) -> None:
        self.count += 1
        self.err.print(f"annotator: {message}", markup=False, soft_wrap=True)


def _check_inputs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.url and (len(args.paths) != 1 or Path(args.paths[0]).is_dir()):
        parser.error("--url gives the address of a single input file, not of several inputs or a folder")
    if args.max_bytes is not None and args.max_bytes <= 0:
        parser.error("--max-bytes must be positive")


def _annotated(args: argparse.Namespace, failures: _Failures) -> Iterator[tuple[str, Record]]:
    """(input name, record) for every article of the inputs, in order, annotated by ``--jobs`` worker
    processes (annotator/parallel.py); an input that cannot be read or annotated is reported through
    ``failures`` and skipped. Shows one progress bar at a terminal."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from annotator.ingest import iter_inputs
    from annotator.ingest.sources import DEFAULT_MAX_BYTES
    from annotator.parallel import WorkersFailed, annotate_stream, usable_cores

    err = failures.err
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.completed} done"), TimeElapsedColumn(), console=err,
                        transient=True, disable=not err.is_terminal)
    with progress:
        task = progress.add_task("annotating", total=None)
        # pages reach the workers undecoded: trafilatura runs there, on every core
        items = iter_inputs(args.paths, url=args.url, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
                            unread=True)
        try:
            for source, outcome in annotate_stream(items, args.jobs or usable_cores()):
                if isinstance(outcome, str):
                    failures.report(outcome)
                    continue
                yield source, outcome
                progress.advance(task)
        except WorkersFailed as exc:  # the rest cannot be annotated: what was done is kept
            failures.report(str(errors.internal(exc)))


def _annotate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from rich.console import Console

    from annotator.render import print_table

    _check_inputs(args, parser)
    fmt = args.format or ("table" if args.output is None and sys.stdout.isatty() else "jsonl")

    err = Console(stderr=True, highlight=False)
    failures = _Failures(err)
    records = []
    sink, tmp = _open_output(args.output)
    try:
        for _source, record in _annotated(args, failures):
            if fmt == "jsonl":
                sink.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
                sink.flush()
            else:
                records.append(record)
        if fmt == "json":
            payload = records[0].to_dict() if len(records) == 1 else [r.to_dict() for r in records]
            sink.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        elif fmt == "table":
            console = Console(file=sink, highlight=False,
                              force_terminal=sink.isatty() if hasattr(sink, "isatty") else False)
            print_table(records, console)
    finally:
        if tmp is not None:
            sink.close()
            tmp.replace(args.output)
    if not records and fmt != "jsonl" and failures.count == 0:
        err.print("annotator: no articles found in the given paths", markup=False, soft_wrap=True)
        return EXIT_SOME_FAILED
    return EXIT_SOME_FAILED if failures.count else EXIT_OK


def _ingest(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import sqlalchemy as sa
    from rich.console import Console

    from annotator.store import Store

    _check_inputs(args, parser)
    err = Console(stderr=True, highlight=False)
    # The store first: a wrong --db should not cost the minute it takes to load the models.
    try:
        store = Store(args.db)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        hint = "; PostgreSQL needs the postgres extra: pip install 'annotator[postgres]'" if isinstance(
            exc, ImportError) and "postgres" in store_name(args.db) else ""
        parser.error(f"--db {args.db!r}: not a database URL this installation can open ({exc}{hint})")
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        opening = errors.store_failed(f"cannot open the store: {_first_line(exc)}")
        err.print(f"annotator: {store_name(args.db)}: {opening}",
                  markup=False, soft_wrap=True)
        return EXIT_SOME_FAILED
    with store:
        failures = _Failures(err)
        stored = added = updated = unchanged = 0
        # Workers annotate; only this process writes to the store, each record in input order.
        for source, record in _annotated(args, failures):
            try:
                result = store.ingest(record)
            except (ValueError, sa.exc.SQLAlchemyError) as exc:
                failures.report(f"{source}: {errors.store_failed(f'not stored: {_first_line(exc)}')}")
                continue
            stored += 1
            added, updated, unchanged = (added + result.added, updated + result.updated,
                                         unchanged + result.unchanged)
        if not stored and failures.count == 0:
            err.print("annotator: no articles found in the given paths", markup=False, soft_wrap=True)
            return EXIT_SOME_FAILED
        err.print(f"annotator: {stored} article{'s' * (stored != 1)} stored in {store_name(store.url)}: "
                  f"{added} suggestions added, {updated} updated, {unchanged} unchanged; "
                  f"{failures.count} failed",
                  markup=False, soft_wrap=True)
    return EXIT_SOME_FAILED if failures.count else EXIT_OK


def _layers() -> tuple[str, ...]:
    from annotator import taxonomy

    return taxonomy.ALL_LAYERS


def _date(text: str) -> date:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _gold_rule(text: str) -> GoldRule:
    from annotator.gold import GoldRule

    try:
        return GoldRule.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _open_store(args: argparse.Namespace, parser: argparse.ArgumentParser, err: Console) -> Store | None:
    """The store of --db, as `ingest` opens it: a URL this installation cannot open is a usage error; a
    store that cannot be opened is reported (E010) and gives None."""
    import sqlalchemy as sa

    from annotator.store import Store

    try:
        return Store(args.db)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        parser.error(f"--db {args.db!r}: not a database URL this installation can open ({exc})")
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        opening = errors.store_failed(f"cannot open the store: {_first_line(exc)}")
        err.print(f"annotator: {store_name(args.db)}: {opening}",
                  markup=False, soft_wrap=True)
    return None


def _password(args: argparse.Namespace) -> str:
    """The password of `users add` / `reset-password`: standard input's first line, or typed twice
    without echo. Never an argument (it would sit in the shell's history and the process list)."""
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def _team(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """`annotator users ...` and `annotator audit`: the command line acts as the local operator."""
    from datetime import UTC, datetime

    from rich.console import Console

    from annotator.store.accounts import AccountError

    err = Console(stderr=True, highlight=False)
    store = _open_store(args, parser, err)
    if store is None:
        return EXIT_SOME_FAILED
    try:
        with store:
            if args.command == "audit":
                since = None
                if args.since:
                    try:
                        since = datetime.fromisoformat(args.since)
                    except ValueError:
                        parser.error(f"--since {args.since!r}: not an ISO date or time")
                    since = since if since.tzinfo else since.replace(tzinfo=UTC)
                events = store.audit.events(since=since, actor=args.actor, action=args.action,
                                            limit=args.limit)
                for event in events:
                    if args.format == "jsonl":
                        print(json.dumps(event.as_dict(), ensure_ascii=False))
                    else:
                        detail = " ".join(f"{k}={v}" for k, v in event.detail.items())
                        print(f"{event.time.isoformat(timespec='seconds')}  {event.actor:16} "
                              f"{event.action:16} {event.subject or '':24} {detail}")
                return EXIT_OK
            accounts = store.accounts
            if args.action == "list":
                for a in accounts.list():
                    last = a.last_sign_in.isoformat(timespec="seconds") if a.last_sign_in else "never"
                    state = "locked" if a.locked else ("active" if a.active else "disabled")
                    print(f"{a.name:24} {a.role:9} {state:9} last sign-in {last}")
            elif args.action == "bootstrap":
                password = accounts.bootstrap()
                if password is None:
                    print("accounts exist already: nothing made")
                else:
                    print(f"made account 'admin' (role admin), password: {password}\n"
                          "It is shown this once: sign in with it and keep it somewhere safe.")
            elif args.action == "add":
                accounts.add(args.name, _password(args), args.role)
                print(f"{args.name}: added as {args.role}")
            elif args.action == "set-role":
                accounts.set_role(args.name, args.role)
                print(f"{args.name}: now {args.role}")
            elif args.action == "reset-password":
                accounts.reset_password(args.name, _password(args))
                print(f"{args.name}: new password set")
            else:
                getattr(accounts, args.action)(args.name)
                print(f"{args.name}: {args.action}d" if args.action != "unlock" else f"{args.name}: unlocked")
            return EXIT_OK
    except (AccountError, ValueError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED


def _export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import sqlalchemy as sa
    from rich.console import Console

    from annotator.exchange import FORMATS, Filters, export

    err = Console(stderr=True, highlight=False)
    to_stdout = args.output in (None, "-")
    form = FORMATS[args.format]
    if to_stdout and not form.streamable:
        parser.error(f"--format {args.format} writes {'a folder' if form.folder else 'a binary file'}: "
                     "give it with -o")
    try:
        filters = Filters(layers=tuple(dict.fromkeys(args.layer or ())), outlet=args.outlet,
                          language=args.language, since=args.since, until=args.until, status=args.status,
                          user=args.user)
    except ValueError as exc:
        parser.error(str(exc))
    store = _open_store(args, parser, err)
    if store is None:
        return EXIT_SOME_FAILED
    with store:
        try:
            done = export(store, args.format, None if to_stdout else Path(args.output), filters, args.gold,
                          sink=sys.stdout if to_stdout else None)
        except OSError as exc:
            err.print(f"annotator: {args.output}: {errors.unwritable(exc.strerror or str(exc))}",
                      markup=False, soft_wrap=True)
            return EXIT_SOME_FAILED
        except sa.exc.SQLAlchemyError as exc:
            reading = errors.store_failed(f"cannot read the store: {_first_line(exc)}")
            err.print(f"annotator: {store_name(store.url)}: {reading}",
                      markup=False, soft_wrap=True)
            return EXIT_SOME_FAILED
    counts = done.manifest["counts"]
    where = "stdout" if to_stdout else f"{args.output} (manifest {done.manifest_path})"
    err.print(f"annotator: {counts['articles']} article{'s' * (counts['articles'] != 1)}, {counts['labels']} "
              f"labels, {counts['answers']} answers exported as {args.format} to {where}", markup=False,
              soft_wrap=True)
    return EXIT_OK


def _import(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from rich.console import Console

    from annotator.exchange import import_paths

    err = Console(stderr=True, highlight=False)
    store = _open_store(args, parser, err)
    if store is None:
        return EXIT_SOME_FAILED
    failures = _Failures(err)
    with store:
        done = import_paths(store, args.paths, args.format, report=failures.report)
        if not done.units and not done.ignored and failures.count == 0:
            err.print("annotator: nothing to import in the given paths", markup=False, soft_wrap=True)
            return EXIT_SOME_FAILED
        n = len(done.articles)
        err.print(f"annotator: {n} article{'s' * (n != 1)} imported into {store_name(store.url)} "
                  f"({done.new_articles} new): {done.answers_added} answers added, "
                  f"{done.answers_present} already there, {done.suggestions_added} labels added; "
                  f"{done.ignored} ignored; {failures.count} failed",
                  markup=False, soft_wrap=True)
    return EXIT_SOME_FAILED if failures.count else EXIT_OK


def store_name(url: str | None) -> str:
    """A store's URL for messages, password hidden."""
    from sqlalchemy import make_url

    from annotator.store.db import as_url, default_url

    try:
        return make_url(as_url(url) if url else default_url()).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for a message: an unparsable URL is shown as given
        return str(url)


def _first_line(exc: BaseException) -> str:
    """An exception's message without the SQL and links that SQLAlchemy appends on further lines."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _outlets(args: argparse.Namespace) -> int:
    from annotator import paths
    from annotator.outlets.registry import OutletRegistry

    if args.action == "import":
        from annotator.outlets.build import build_registry

        if not args.path.is_dir():
            print(f"annotator: {args.path}: no such folder", file=sys.stderr)
            return EXIT_SOME_FAILED
        counts = build_registry(args.path, paths.DATA / "outlets" / "manual.jsonl",
                                paths.DATA / "outlets" / "registry.jsonl")
        print(json.dumps(counts, indent=2))
        return EXIT_OK
    registry = OutletRegistry.load()
    entry = registry.get(args.key) or registry.lookup_url(args.key)
    if entry is None:
        print(f"annotator: no outlet {args.key!r} in the registry", file=sys.stderr)
        return EXIT_SOME_FAILED
    print(entry.summary())
    print(json.dumps(entry.row, indent=2, ensure_ascii=False))
    return EXIT_OK


def _models(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from annotator.learning.corpora import CorpusError
    from annotator.learning.registry import MODEL_LABELS, Registry, RegistryError
    from annotator.taxonomy import OUTLET

    registry = Registry()
    try:
        if args.command == "models":
            if args.action == "list":
                # every tier's versions; * marks the promoted version of its tier
                for layer in MODEL_LABELS:
                    promoted = set(registry.promotions(layer).values())
                    for version in registry.versions(layer):
                        figures = registry.metrics(layer, version).get("model", {})
                        mark = "*" if version in promoted else " "
                        print(f"{mark} {layer:18} {version:14} {registry.tier_of(layer, version):8} "
                              f"micro-F1 {figures.get('micro_f1', '?')}  "
                              f"macro-F1 {figures.get('macro_f1', '?')}")
            elif args.action == "promote":
                registry.promote(args.layer, args.version)
                print(f"{args.layer}: {args.version} promoted")
            elif args.action == "demote":
                print(f"{args.layer}: {registry.demote(args.layer)} no longer in use; no version promoted")
            else:
                print(f"{args.layer}: back to {registry.rollback(args.layer)}")
            if args.action != "list" and args.db:
                from annotator.store import Store
                from annotator.store.audit import operator

                version = getattr(args, "version", None) or registry.promoted(args.layer)
                with Store(args.db) as store:  # the store's audit trail says who changed the models
                    store.audit.record(operator(), args.action, f"{args.layer}@{version}")
                return _refresh(args, parser)
            return EXIT_OK
        if args.layer not in MODEL_LABELS:
            parser.error(f"no trainable layer {args.layer!r}; layers are {', '.join(MODEL_LABELS)}")
        if args.layer == OUTLET:
            return _outlet_model(args, parser, registry)
        if args.command == "train" and not args.corpus and not args.db:
            parser.error("train needs at least one --corpus FORMAT:PATH, or --db URL")
        if args.command == "evaluate" and not args.corpus:
            parser.error("evaluate needs at least one --corpus FORMAT:PATH")
        from annotator.learning import training
        from annotator.learning.encoders import training_encoder

        encoder = training_encoder(encoder=args.encoder)
        if args.command == "train" and args.db:
            from annotator import retrain

            rule, store = _gold_and_store(args, parser)
            if store is None:
                return EXIT_SOME_FAILED
            with store:
                report = retrain.train_from_store(args.layer, store, encoder, registry, rule=rule,
                                                  corpora=args.corpus, base=not args.no_base,
                                                  precision_floor=args.precision_floor)
        elif args.command == "train":
            report = training.train(args.layer, args.corpus, encoder, registry,
                                    precision_floor=args.precision_floor or 0.0)
        else:
            report = training.evaluate(args.layer, args.corpus, encoder, registry, args.version)
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return EXIT_OK
    except (CorpusError, RegistryError, FileNotFoundError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except ValueError as exc:  # the store holds nothing to learn from yet, and the like
        print(f"annotator: {_first_line(exc)}", file=sys.stderr)
        return EXIT_SOME_FAILED


def _gold_and_store(args: argparse.Namespace, parser: argparse.ArgumentParser) -> tuple[Any, Any]:
    """The --gold rule (a usage error when malformed) and the --db store (None when it cannot be opened:
    the reason is on stderr)."""
    from rich.console import Console

    from annotator.gold import GoldRule

    try:
        rule = GoldRule.parse(args.gold)
    except ValueError as exc:
        parser.error(str(exc))
    return rule, _open_store(args, parser, Console(stderr=True, highlight=False))


def _outlet_model(args: argparse.Namespace, parser: argparse.ArgumentParser, registry: Any) -> int:
    """`train outlet --db URL` and `evaluate outlet --db URL`: the outlet classifier learns from the
    store's confirmed outlets (TF-IDF n-grams, no encoder) and is scored on confirmed articles."""
    from annotator.outlets import training as outlet_training

    if args.corpus:
        parser.error("the outlet layer learns from and is scored on the store's confirmed outlets: "
                     "give --db URL, not --corpus")
    if not args.db:
        parser.error(f"{args.command} outlet needs --db URL: the store whose analysts confirmed outlets")
    rule, store = _gold_and_store(args, parser)
    if store is None:
        return EXIT_SOME_FAILED
    with store:
        if args.command == "train":
            report = outlet_training.train_from_store(store, registry, rule=rule)
        else:
            report = outlet_training.evaluate_store(store, registry, args.version, rule=rule)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return EXIT_OK


def _refresh(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """After a promotion or a rollback: the store's articles annotated again with the models now in use."""
    from rich.console import Console

    from annotator import retrain
    from annotator.pipeline import Pipeline

    store = _open_store(args, parser, Console(stderr=True, highlight=False))
    if store is None:
        return EXIT_SOME_FAILED
    with store:
        counts = retrain.refresh(store, Pipeline())
    print(f"{store_name(args.db)}: {counts['articles']} articles annotated again, {counts['added']} "
          f"suggestions added, {counts['updated']} updated, {counts['failed']} failed", file=sys.stderr)
    return EXIT_SOME_FAILED if counts["failed"] else EXIT_OK


def _open_output(path: Path | None) -> tuple[TextIO, Path | None]:
    """stdout, or a temporary sibling of PATH renamed into place at the end, so that a crash never
    leaves a half-written file under the name a script waits for."""
    if path is None:
        return sys.stdout, None
    tmp = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    return tmp.open("w", encoding="utf-8"), tmp
