"""Annotating on every core: `annotate --jobs N`, `ingest --jobs N`, `bench --jobs N`.

`annotate_stream(items, jobs)` turns the items of `annotator.ingest.iter_inputs` (articles and the
inputs that could not be read) into ``(source, Record | failure line)`` in input order, where a failure
line is what the command prints after ``annotator: `` (``path: [E001] empty input...``). With
``jobs == 1`` it annotates in this process, as the commands always did. With more, the choices:

- Worker processes, not threads: spaCy, the taggers and the heads hold the GIL for most of an article.
- Started by "spawn", not fork: the parent may already hold torch, an OpenMP pool or other threads, and
  a forked copy of a process with threads can deadlock. Each worker imports and builds its pipeline
  once (`factory`, by default `annotator.pipeline.Pipeline`, which reads the settings and environment
  the workers inherit) and keeps it for every article it is given.
- One core's share per worker: each worker is pinned to its share of the parent's cores, and its
  OpenMP/BLAS pools are sized to it, because the encoders size their thread pools from the cores a
  process may use (`os.sched_getaffinity`): N workers each running N threads on N cores would fight.
- `concurrent.futures.ProcessPoolExecutor` with at most ``2 * jobs`` articles in flight: each worker has
  the next article waiting when it finishes one, and a folder of any size or an endless batch is read
  lazily, a few articles ahead of what has been written. Results are taken in submission order, so the
  output keeps the input's order, and a failure to read an input is reported at its place in the order.
- A worker that dies (killed, out of memory, a crash in native code) breaks the executor: every
  article still in flight fails with `BrokenProcessPool`. Those are run again, one at a time, in a new
  set of workers; the one whose worker dies alone is reported as `E900` and the batch goes on. Workers
  that die before annotating anything three times running (they cannot load their models) stop the
  run with an error rather than fail every article.
- An exception inside a worker's annotate is the same `E900` line as in one process (the traceback is
  logged at INFO, as with `--verbose`); an exception while a worker builds its pipeline stops the run,
  as it would in one process.

Each result carries the seconds its article spent per stage and its worker's peak resident memory
(VmHWM), summed and kept per worker in `Stats`: `annotator bench --jobs N` reports them.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import resource
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from threadpoolctl import threadpool_limits

from annotator import errors
from annotator.ingest.article import Failure, Unread

if TYPE_CHECKING:
    from annotator.ingest.article import Input
    from annotator.pipeline import Pipeline
    from annotator.record import Record

log = logging.getLogger(__name__)

Factory = Callable[[], "Pipeline"]  # must be importable by name (a module-level function or class)


def default_factory() -> Pipeline:
    from annotator.pipeline import Pipeline

    return Pipeline()


def usable_cores() -> int:
    return len(os.sched_getaffinity(0))


def peak_mb() -> int:
    """This process's peak resident memory in MB. VmHWM rather than ru_maxrss: a spawned child's
    ru_maxrss starts from its parent's size at the fork that precedes the exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    unit = 1 << 20 if sys.platform == "darwin" else 1024  # bytes on macOS, KB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // unit


@dataclass
class Stats:
    """What the workers report alongside their records (for `annotator bench`)."""

    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, summed over articles
    peak_mb: dict[int, int] = field(default_factory=dict)  # worker pid -> its peak resident memory (MB)
    restarts: int = 0  # times the workers were started again after one died

    def add(self, timings: dict[str, float], pid: int, peak: int) -> None:
        for stage, seconds in timings.items():
            self.timings[stage] = self.timings.get(stage, 0.0) + seconds
        self.peak_mb[pid] = max(peak, self.peak_mb.get(pid, 0))


def annotate_stream(items: Iterable[Input], jobs: int = 1, *, factory: Factory | None = None,
                    stats: Stats | None = None, warmup: Sequence[Input] = ()
                    ) -> Iterator[tuple[str, Record | str]]:
    """``(source, record)`` for each article of ``items`` and ``(source, failure line)`` for each input
    that could not be read or annotated, in the order of ``items``. An `Unread` page is decoded and
    extracted where it is annotated: in a worker, so that trafilatura runs on every core too.
    ``warmup``: inputs each pipeline reads and annotates once before the first real one, outside
    ``stats`` (so that lazily loaded models, one per language, are not timed)."""
    factory = factory or default_factory
    items = iter(items)
    if jobs > 1:  # workers only for two articles or more: one file or stdin is annotated here, at one load
        head: list[Input] = []
        articles = 0
        for item in items:
            head.append(item)
            articles += not isinstance(item, Failure)
            if articles == 2:
                break
        else:
            jobs = 1
        items = itertools.chain(head, items)
    if jobs <= 1:
        pipeline = factory()
        warm(pipeline, warmup)
        for item in items:
            outcome = _annotate_one(pipeline, item)
            yield _reported(item.source, outcome, stats)
        return
    with Workers(jobs, factory, warmup) as workers:
        yield from workers.annotate(items, stats)


class Workers:
    """``jobs`` worker processes, each holding one pipeline; started again if one dies."""

    def __init__(self, jobs: int, factory: Factory | None = None, warmup: Sequence[Input] = ()) -> None:
        self.jobs = jobs
        self.factory = factory or default_factory
        self.warmup = warmup
        self.barren = 0  # executors in a row whose workers died before annotating anything
        self._context = multiprocessing.get_context("spawn")
        self._executor = self._start()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        # Finished: wait for the workers to exit. Left early (an error, ^C, a closed pipe): do not wait
        # for the articles in flight.
        self._executor.shutdown(wait=kind is None, cancel_futures=True)

    def _start(self) -> ProcessPoolExecutor:
        self.produced = False
        # Synchronised objects reach a worker only as it starts, hence initargs: the counter numbers
        # the workers (worker i takes the i-th share of the cores), the barrier serves `ready`.
        counter, barrier = self._context.Value("i", 0), self._context.Barrier(self.jobs)
        return ProcessPoolExecutor(
            self.jobs, mp_context=self._context, initializer=_init_worker,
            initargs=(self.factory, self.warmup, counter, barrier, self.jobs, sorted(os.sched_getaffinity(0)),
                      logging.getLogger().level))

    def _restart(self, stats: Stats | None) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.barren = 0 if self.produced else self.barren + 1
        if self.barren >= 3:
            raise WorkersFailed("the worker processes die before annotating anything (out of memory? try "
                                "fewer --jobs)")
        if stats is not None:
            stats.restarts += 1
        self._executor = self._start()

    def ready(self) -> list[int]:
        """Block until every worker has built its pipeline (and annotated ``warmup``): the pids."""
        futures = [self._executor.submit(_meet) for _ in range(self.jobs)]
        return [self._result(f) for f in futures]

    def _result(self, future: Future) -> Any:
        result = future.result()
        if isinstance(result, _SetupFailed):
            raise WorkersFailed(f"a worker process could not build its pipeline: {result.message}")
        self.produced = True
        return result

    def annotate(self, items: Iterable[Input], stats: Stats | None = None
                 ) -> Iterator[tuple[str, Record | str]]:
        inputs = iter(items)
        # (source, article or None, its future or its failure line), in input order
        flight: deque[tuple[str, Input | None, Future | str]] = deque()
        while True:
            for item in inputs:
                if isinstance(item, Failure):
                    flight.append((item.source, None, str(item)))
                else:
                    flight.append((item.source, item, self._executor.submit(_work, item)))
                if len(flight) >= 2 * self.jobs:
                    break
            if not flight:
                return
            source, article, pending = flight.popleft()
            if isinstance(pending, str):
                yield source, pending
                continue
            try:
                outcome = self._result(pending)
            except BrokenProcessPool:
                flight.appendleft((source, article, pending))
                yield from self._isolate(flight, stats)
                continue
            except WorkersFailed:
                raise
            except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled: one article lost
                yield source, f"{source}: {errors.internal(exc)}"
                continue
            yield _reported(source, outcome, stats)

    def _isolate(self, flight: deque, stats: Stats | None) -> Iterator[tuple[str, Record | str]]:
        """A worker died: keep what finished, run the rest of ``flight`` again one article at a time in
        new workers, so that the article whose worker dies alone is the one reported."""
        self._restart(stats)
        while flight:
            source, article, pending = flight.popleft()
            if isinstance(pending, str):
                yield source, pending
                continue
            if not (pending.done() and not pending.cancelled() and pending.exception() is None):
                pending = self._executor.submit(_work, article)
            try:
                outcome = self._result(pending)
            except BrokenProcessPool:
                died = WorkerDied("the worker process died while annotating this article")
                yield source, f"{source}: {errors.internal(died)}"
                self._restart(stats)
                continue
            except WorkersFailed:
                raise
            except Exception as exc:  # noqa: BLE001 - as in `annotate`
                yield source, f"{source}: {errors.internal(exc)}"
                continue
            yield _reported(source, outcome, stats)


class WorkersFailed(RuntimeError):
    """The workers cannot go on: one could not build its pipeline, or they keep dying."""


class WorkerDied(Exception):
    """A worker process ended while annotating an article (killed, out of memory, a native crash)."""


@dataclass
class _Outcome:
    record: Record | None
    error: str | None  # the failure line after the source: why the input could not be read, or E900
    trace: str | None
    timings: dict[str, float]
    pid: int
    peak_mb: int


@dataclass
class _SetupFailed:
    message: str


def _annotate_one(pipeline: Pipeline, item: Input) -> _Outcome:
    from annotator.ingest.sources import opened

    pipeline.timings.clear()
    clock = time.perf_counter()
    record, error, trace, read = None, None, None, 0.0  # read: 0 when reading itself raised
    try:
        article = opened(item)
        read = time.perf_counter() - clock
        if isinstance(article, Failure):
            error = str(article.error)
        else:
            record = pipeline.annotate(article)
    except Exception as exc:  # noqa: BLE001 - a bug must cost one article, not the batch
        record, error, trace = None, str(errors.internal(exc)), traceback.format_exc()
    timings = {"read (decode + trafilatura)": read, **pipeline.timings} if isinstance(item, Unread) \
        else dict(pipeline.timings)
    return _Outcome(record, error, trace, timings, os.getpid(), peak_mb())


def warm(pipeline: Pipeline, items: Sequence[Input]) -> None:
    """Read and annotate ``items`` once, outside any timing: what loads lazily (a language's spaCy
    model, trafilatura's date parser, 1.5 s at its first date) is loaded before the first real article."""
    from annotator.ingest.html import load_date_parser
    from annotator.ingest.sources import opened

    if items:
        load_date_parser()
    for item in items:
        article = opened(item)
        if not isinstance(article, Failure):
            pipeline.annotate(article)


def _reported(source: str, outcome: _Outcome, stats: Stats | None) -> tuple[str, Record | str]:
    if stats is not None:
        stats.add(outcome.timings, outcome.pid, outcome.peak_mb)
    if outcome.record is None:
        if outcome.trace:
            log.info("%s", outcome.trace)
        return source, f"{source}: {outcome.error}"
    return source, outcome.record


# --- in the worker processes ---

_pipeline: Pipeline | None = None
_setup_error: str | None = None
_barrier: Any = None


def _init_worker(factory: Factory, warmup: Sequence[Input], counter: Any, barrier: Any, jobs: int,
                 cores: list[int], level: int) -> None:
    global _pipeline, _setup_error, _barrier
    _barrier = barrier
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is the parent's to handle; it stops the workers
    logging.basicConfig(level=level, format="%(message)s")
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    # This worker's share of the cores (one core each when jobs >= cores), before anything starts a
    # thread pool.
    size = max(1, len(cores) // jobs)
    start = index * size % len(cores)
    share = cores[start : start + size]
    try:
        os.sched_setaffinity(0, share)
    except OSError:  # a restricted container: the thread counts below still hold
        pass
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS"):
        os.environ[name] = str(len(share))
    try:
        if _without_torch():
            # spaCy's thinc imports torch whenever it is installed, for nothing here: 180 MB a worker
            sys.modules.setdefault("torch", None)  # type: ignore[arg-type]
        _pipeline = factory()
        if sys.modules.get("torch") is not None:
            sys.modules["torch"].set_num_threads(len(share))
        # the pools of the native libraries loaded by now (numpy's BLAS among them), loaded before the
        # variables above were set
        threadpool_limits(len(share))
        warm(_pipeline, warmup)
    except Exception as exc:  # noqa: BLE001 - reported by the parent, which stops the run
        _setup_error = f"{type(exc).__name__}: {exc}"


def _without_torch() -> bool:
    """Whether this worker's pipeline runs no transformer: the static tier, whose encoder is model2vec's
    token vectors whatever $ANNOTATOR_ENCODER says (the accurate tier may need torch)."""
    from annotator.learning import tiers

    return tiers.current() == tiers.STATIC


def _work(article: Input) -> _Outcome | _SetupFailed:
    if _pipeline is None:
        return _SetupFailed(_setup_error or "no pipeline")
    return _annotate_one(_pipeline, article)


def _meet() -> int | _SetupFailed:
    """Held until every worker holds one: proves each has finished `_init_worker`."""
    if _pipeline is None:
        return _SetupFailed(_setup_error or "no pipeline")
    _barrier.wait(timeout=3600)
    return os.getpid()


__all__ = ["Stats", "WorkerDied", "Workers", "WorkersFailed", "annotate_stream", "default_factory", "peak_mb",
           "usable_cores"]
