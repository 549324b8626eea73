"""Running hffix over many repositories: in this process, in local worker processes, or on a
Dask cluster. Results come back in input order, one at a time, so a caller can report and
drop each before the next arrives.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hffix import api, gitcommit

if TYPE_CHECKING:
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

# How many repositories each worker may have queued ahead of the one being reported.
PREFETCH_PER_WORKER = 4


@dataclass(frozen=True)
class RunOptions:
    """Everything one repository's run needs; small and picklable for worker processes."""

    write: bool = False
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool | None = None
    options: dict[str, Any] = field(default_factory=dict)
    timeout: float | None = None
    commit: gitcommit.CommitOptions | None = None


def run_one(root: str, options: RunOptions) -> api.Result:
    """Process one repository; never raises. The unit of work for every executor."""
    path = Path(root)
    if options.commit is not None:
        try:
            gitcommit.prepare(path, options.commit)
        except gitcommit.GitError as exc:
            return api.Result(path, error=str(exc))
    result = api.fix(
        path,
        write=options.write,
        select=options.select,
        ignore=options.ignore,
        unsafe_fixes=options.unsafe_fixes,
        options=options.options or None,
        timeout=options.timeout,
    )
    if options.commit is not None and result.written:
        try:
            gitcommit.commit(path, result)
        except gitcommit.GitError as exc:
            result.error = f"fixed, but not committed: {exc}"
    return result


def read_repository_list(source: Iterable[str]) -> list[str]:
    """Paths from ``--repos-from``: one per line; blank lines and ``#`` comments skipped."""
    return [line.strip() for line in source if line.strip() and not line.lstrip().startswith("#")]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def tune_gc() -> None:
    """Garbage-collector settings for a batch run: the objects alive after start-up (modules,
    rule tables) are frozen so collections stop re-scanning them, and the youngest
    generation is collected less often, since parse trees allocate in bursts of thousands
    of objects that mostly die together. Cycles are still collected."""
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(20_000, middle, oldest)


def run_many(
    roots: Sequence[str],
    options: RunOptions,
    *,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
) -> Iterator[api.Result]:
    """Results for ``roots``, in order."""
    if executor == "dask":
        yield from _run_dask(roots, options, scheduler)
    elif jobs <= 1 or len(roots) <= 1:
        for root in roots:
            yield run_one(root, options)
    else:
        # No more workers than repositories: each one costs a process start.
        yield from _run_pool(roots, options, min(jobs, len(roots)))


def _new_pool(jobs: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs, mp_context=_start_method(), initializer=tune_gc)


def _start_method() -> multiprocessing.context.BaseContext:
    """ "fork" on Linux while this process runs no other thread: workers start with hffix
    already imported (importing it again costs as much as a few repositories). "spawn"
    otherwise: forking a process with a running thread (the progress bar) may deadlock."""
    import multiprocessing

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        sys.stdout.flush()  # a forked worker would flush what is buffered here a second time
        sys.stderr.flush()
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _run_pool(roots: Sequence[str], options: RunOptions, jobs: int) -> Iterator[api.Result]:
    from concurrent.futures.process import BrokenProcessPool

    pool = _new_pool(jobs)
    pending: deque[tuple[str, Future[api.Result]]] = deque()
    todo = iter(roots)
    try:
        while True:
            while len(pending) < jobs * PREFETCH_PER_WORKER:
                root = next(todo, None)
                if root is None:
                    break
                pending.append((root, pool.submit(run_one, root, options)))
            if not pending:
                return
            root, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                # A worker died (crash, out of memory). Rerun what was in flight one by one
                # in fresh single-worker pools, so only the culprit is marked failed.
                pool.shutdown(cancel_futures=True)
                for again in [root, *(r for r, _ in pending)]:
                    yield _isolated(again, options)
                pending.clear()
                pool = _new_pool(jobs)
    finally:
        pool.shutdown(cancel_futures=True)


def _isolated(root: str, options: RunOptions) -> api.Result:
    from concurrent.futures.process import BrokenProcessPool

    with _new_pool(1) as single:
        try:
            return single.submit(run_one, root, options).result()
        except BrokenProcessPool:
            return api.Result(Path(root), error="the worker process died on this repository")


def _run_dask(
    roots: Sequence[str], options: RunOptions, scheduler: str | None
) -> Iterator[api.Result]:
    """One task per repository on an existing Dask cluster (``pip install 'hffix[dask]'``).

    The repositories must be on storage every worker can read (and write, with --write).
    Per-repository timeouts are not applied: Dask runs tasks in worker threads.
    """
    import distributed

    client_class: Any = distributed.Client  # untyped library: keep it behind Any
    with client_class(scheduler, set_as_default=False) as client:
        window = max(1, sum(client.nthreads().values())) * PREFETCH_PER_WORKER
        pending: deque[tuple[str, Any]] = deque()
        todo = iter(roots)
        while True:
            while len(pending) < window:
                root = next(todo, None)
                if root is None:
                    break
                pending.append((root, client.submit(run_one, root, options, pure=False)))
            if not pending:
                return
            root, future = pending.popleft()
            try:
                yield future.result()
            except Exception as exc:  # the task or its worker failed
                yield api.Result(Path(root), error=f"dask task failed: {type(exc).__name__}: {exc}")
