"""Running hffix over many repositories: in this process, in local worker processes, or on a
Dask cluster. Results come back in input order, one at a time, so a caller can print and
drop each before the next arrives.

Bookkeeping. With ``--report``, each repository's line is appended by the process that ran
it as soon as the repository is done (written and, with ``--commit``, committed), before it
takes the next one: a run stopped at any moment, the main process killed included, leaves
a line for every repository it changed, and ``--resume`` reads them back.

Worker processes. A repository runs in a worker process when several run at once, and
whenever ``--timeout`` is given: a module that makes a native parser hang or crash then
costs only that repository. The worker applies the timeout itself (planning is interrupted,
nothing is written); a worker still busy ``timeout`` plus a grace period later is killed,
and one that dies is replaced; either way the repository gets a one-line error and the run
goes on. Workers ignore Ctrl-C (the main process decides) and end with the main process:
when it dies they finish the repository in hand, record it, and exit.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

from hffix import api
from hffix.findings import Diagnostic

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkContext, SpawnContext
    from multiprocessing.process import BaseProcess

    # Imported where used: git's module (subprocess, tempfile, hashlib) only for --commit,
    # the report file's only for --report (start-up).
    from hffix.fleet import commit as gitcommit

# How many repositories may be handed out ahead of the one being reported, per worker.
PREFETCH_PER_WORKER = 4
# A worker still busy this long after its --timeout ran out (at least; or as long as the
# timeout itself, if longer) is killed. Planning stops at the timeout in the worker; the
# grace period lets a write or a commit that started in time finish.
MIN_GRACE = 10.0
# Seconds to wait for the Dask scheduler to answer.
CONNECT_TIMEOUT = 10.0


class ExecutorError(Exception):
    """The executor cannot be started as asked (a bad scheduler address); one line."""


@dataclass(frozen=True)
class RunOptions:
    """Everything one repository's run needs; small and picklable for worker processes."""

    write: bool = False
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    config_file: str | None = None  # absolute path of --config, read for every repository
    unsafe_fixes: bool | None = None
    options: dict[str, Any] = field(default_factory=dict)
    timeout: float | None = None
    commit: gitcommit.CommitOptions | None = None
    report: str | None = None  # absolute path of the --report file


if TYPE_CHECKING:
    Outcome = tuple[api.Result, gitcommit.Committed | None]
Task = Callable[[str, RunOptions], api.Result]


def fix_repository(root: str, options: RunOptions) -> Outcome:
    """Process one repository (and commit its fix); never raises. Errors name ``root``."""
    path = Path(root)
    committed: gitcommit.Committed | None = None
    notes: list[Diagnostic] = []
    if options.commit is not None:
        from hffix.fleet import commit as gitcommit

        if options.write and path.is_dir():
            # A --write a kill left half done is undone first: git then sees the tree as
            # it was, not hffix's half-written files as the user's changes.
            error, notes = api.recover_interrupted(path, write=True)
            if error is not None:
                return api.Result(path, error=_named(root, error)), None
        try:
            gitcommit.prepare(path, options.commit)
        except gitcommit.GitError as exc:
            return api.Result(path, error=_named(root, str(exc))), None
    result = api.fix(
        path,
        write=options.write,
        select=options.select,
        ignore=options.ignore,
        extend_select=options.extend_select,
        exclude=options.exclude,
        config_file=options.config_file,
        unsafe_fixes=options.unsafe_fixes,
        options=options.options or None,
        timeout=options.timeout,
    )
    result.diagnostics = [*notes, *result.diagnostics]
    if options.commit is not None and result.written:
        from hffix.fleet import commit as gitcommit

        try:
            committed = gitcommit.commit(path, result, options.commit)
        except gitcommit.GitError as exc:
            result.error = f"fixed, but not committed: {exc}"
    if result.error is not None:
        result.error = _named(root, result.error)
    return result, committed


def run_one(root: str, options: RunOptions) -> api.Result:
    """Process one repository and append its line to the report; never raises. The unit of
    work of the local executors."""
    result, committed = fix_repository(root, options)
    _record(options, result, committed)
    return result


def _record(options: RunOptions, result: api.Result, committed: gitcommit.Committed | None) -> None:
    if options.report is None:
        return
    from hffix.fleet import report as reportfile

    try:
        reportfile.append(options.report, result, committed)
    except OSError as exc:  # the report is bookkeeping: the repository's result stands
        print(f"hffix: cannot write to {options.report}: {exc.strerror}", file=sys.stderr)


def _named(root: str, error: str) -> str:
    """``error``, beginning with the repository it is about (a fleet's errors must say)."""
    if error.startswith((f"{root}:", f"{Path(root)}:")):
        return error
    return f"{root}: {error}"


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


class Stop:
    """Ctrl-C (SIGINT) and SIGTERM during a run that writes: the first asks the run to stop
    once the repositories in progress are done (each is written, committed and reported, or
    not started); the second stops at once."""

    def __init__(self) -> None:
        self.signum: int | None = None

    @property
    def requested(self) -> bool:
        return self.signum is not None

    @contextlib.contextmanager
    def handling(self, notice: Callable[[], None]) -> Iterator[None]:
        """Catch the signals for the block (main thread only); ``notice`` tells the user."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handler(signum: int, _frame: FrameType | None) -> None:
            if self.signum is not None:
                raise KeyboardInterrupt
            self.signum = signum
            notice()

        caught = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, handler) for sig in caught}
        try:
            yield
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)


class Results(Iterator[api.Result]):
    """The results of :func:`run_many`, in input order; ``close()`` (or leaving the ``with``
    block) stops the executor."""

    def __init__(self, results: Iterator[api.Result], close: Callable[[], None]) -> None:
        self._results = results
        self._close = close

    def __next__(self) -> api.Result:
        return next(self._results)

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Results:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def run_many(
    roots: Sequence[str],
    options: RunOptions,
    *,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    stop: Stop | None = None,
    task: Task = run_one,
) -> Results:
    """Results for ``roots``, in order. The executor starts here (worker processes, the
    connection to the Dask scheduler: :class:`ExecutorError`), before any repository.
    When ``stop`` is requested, no further repository starts and the results end once the
    ones in progress are in. ``task`` runs one repository in the local executors."""
    if not roots:
        return Results(iter(()), lambda: None)
    if executor == "dask":
        client = connect(scheduler or "")
        return Results(_run_dask(client, roots, options, stop), client.close)
    if options.timeout is None and (jobs <= 1 or len(roots) <= 1):
        return Results(_run_here(roots, options, stop, task), lambda: None)
    # No more workers than repositories: each one costs a process start.
    pool = _Pool(task, min(jobs, len(roots)), options.timeout)
    return Results(pool.results(roots, options, stop), pool.close)


def _run_here(
    roots: Sequence[str], options: RunOptions, stop: Stop | None, task: Task
) -> Iterator[api.Result]:
    for root in roots:
        if stop is not None and stop.requested:
            return
        yield task(root, options)


def grace(timeout: float) -> float:
    """How long past ``timeout`` a busy worker is given before it is killed."""
    return max(MIN_GRACE, timeout)


def _start_method() -> ForkContext | SpawnContext:
    """ "fork" on Linux while this process runs no other thread: workers start with hffix
    already imported (importing it again costs as much as a few repositories). "spawn"
    otherwise: forking a process with a running thread may deadlock."""
    import multiprocessing

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        sys.stdout.flush()  # a forked worker would flush what is buffered here a second time
        sys.stderr.flush()
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class _Worker:
    """One worker process of a :class:`_Pool` (a plain class: a dataclass costs start-up
    time, and only a run with several jobs makes one)."""

    __slots__ = ("conn", "deadline", "index", "process", "root")

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.index: int | None = None  # the repository in hand, by position in the input
        self.root = ""
        self.deadline: float | None = None


class _Pool:
    """Worker processes that each run one repository at a time, with a deadline each."""

    def __init__(self, task: Task, jobs: int, timeout: float | None) -> None:
        self.task = task
        self.limit = None if timeout is None else timeout + grace(timeout)
        self.timeout = timeout
        self.workers: list[_Worker] = []
        for _ in range(jobs):
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        context = _start_method()
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_worker_main, args=(theirs, self.task, os.getpid()), daemon=True
        )
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def results(
        self, roots: Sequence[str], options: RunOptions, stop: Stop | None
    ) -> Iterator[api.Result]:
        done: dict[int, api.Result] = {}
        window = len(self.workers) * PREFETCH_PER_WORKER
        next_out = next_in = 0
        try:
            while next_out < len(roots):
                if next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
                    continue
                stopping = stop is not None and stop.requested
                if not stopping:
                    for slot, worker in enumerate(self.workers):
                        if worker.index is None and next_in < min(len(roots), next_out + window):
                            self._hand_out(slot, next_in, roots[next_in], options)
                            next_in += 1
                busy = [w for w in self.workers if w.index is not None]
                if not busy:
                    break  # stopping: what is done is yielded below, in order
                self._collect(busy, done, options)
            for index in sorted(done):
                yield done[index]
        finally:
            self.close()

    def _hand_out(self, slot: int, index: int, root: str, options: RunOptions) -> None:
        worker = self.workers[slot]
        try:
            if not worker.process.is_alive():
                raise BrokenPipeError
            worker.conn.send((index, root, options))
        except (BrokenPipeError, EOFError, OSError):
            self._retire(worker)
            worker = self.workers[slot] = self._start()
            worker.conn.send((index, root, options))
        worker.index, worker.root = index, root
        worker.deadline = None if self.limit is None else time.monotonic() + self.limit

    def _collect(
        self, busy: list[_Worker], done: dict[int, api.Result], options: RunOptions
    ) -> None:
        """Wait for a result, a worker's death or the first deadline; handle what happened."""
        from multiprocessing.connection import wait

        deadlines = [w.deadline for w in busy if w.deadline is not None]
        delay = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], delay)
        for worker in busy:
            assert worker.index is not None
            index, root = worker.index, worker.root
            if worker.conn in ready or worker.process.sentinel in ready:
                try:
                    if worker.conn.poll():
                        _, done[index] = worker.conn.recv()
                        worker.index, worker.deadline = None, None
                        continue
                except (EOFError, OSError):
                    pass  # the worker closed its end: it is exiting
                worker.process.join()
                error = f"the worker process died on this repository ({_exit(worker.process)})"
            elif worker.deadline is not None and time.monotonic() >= worker.deadline:
                worker.process.kill()
                worker.process.join()
                error = f"timed out after {self.timeout:g} s; its worker process was stopped"
            else:
                continue
            result = api.Result(Path(root), error=_named(root, error))
            _record(options, result, None)
            done[index] = result
            worker.index = worker.deadline = None

    def _retire(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()

    def close(self) -> None:
        """Stop the workers: idle ones are told to exit; busy ones (a second Ctrl-C, an
        error in the caller) are killed."""
        workers, self.workers = self.workers, []
        for worker in workers:
            if worker.index is None:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
            elif worker.process.is_alive():
                worker.process.kill()
        for worker in workers:
            worker.process.join(timeout=5)
            self._retire(worker)


def _exit(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


# Worker processes.

_busy = False
_stop_after = False


def _worker_main(conn: Connection, task: Task, parent: int) -> None:
    """A worker's loop: one repository at a time until told to stop (or its parent dies)."""
    global _busy, _stop_after
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: ours decides
    signal.signal(signal.SIGTERM, _worker_terminated)
    _die_with_parent(parent)
    tune_gc()
    while not _stop_after:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, root, options = message
        _busy = True
        result = task(root, options)
        try:
            conn.send((index, result))
        except OSError:  # the main process is gone; the report has the line
            return
        _busy = False


def _worker_terminated(_signum: int, _frame: FrameType | None) -> None:
    """SIGTERM (the main process died, or someone asks): finish the repository in hand (a
    write under way completes, the commit and the report line follow), then exit."""
    global _stop_after
    if not _busy:
        raise SystemExit(0)
    _stop_after = True


def _die_with_parent(parent: int) -> None:
    """Receive SIGTERM when ``parent`` dies: prctl(PR_SET_PDEATHSIG) on Linux, and everywhere a
    thread that watches the parent id (a worker is re-parented when its parent dies)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, name="hffix-parent-watch", daemon=True).start()


# Dask.


def connect(scheduler: str) -> Any:
    """A client of the Dask scheduler at ``scheduler``; :class:`ExecutorError` when the
    address is not one Dask can use or the scheduler does not answer."""
    import distributed
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(scheduler)
        get_backend(scheme)
        if scheme in {"tcp", "tls", "ws", "wss"}:
            parse_host_port(location)
    except ValueError as exc:
        raise ExecutorError(f"--scheduler {scheduler}: {exc}") from None
    client_class: Any = distributed.Client  # untyped library: keep it behind Any
    try:
        return client_class(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ExecutorError(f"--scheduler {scheduler}: cannot connect: {reason}") from None


def identity(root: str) -> str | None:
    """What tells this folder from another of the same path on another machine: a digest
    of its top-level listing (names, kinds, and the size and modification second of each
    file); None if it is not a folder. Device and inode numbers are left out: one network
    share has different ones on different machines."""
    import hashlib
    import stat

    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        digest = hashlib.sha256()
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode):
                what = f"f {info.st_size} {int(info.st_mtime)}"
            else:
                what = "d" if stat.S_ISDIR(info.st_mode) else "o"
            digest.update(f"{entry.name}\0{what}\0".encode("utf-8", "surrogateescape"))
    except OSError:
        return None
    return digest.hexdigest()


def _dask_task(root: str, expected: str, options: RunOptions) -> Outcome:
    """One repository on a Dask worker. ``root`` is absolute; ``expected`` is the client's
    :func:`identity` of it: a worker that sees another folder there refuses it."""
    if identity(root) != expected:
        import socket

        error = (
            f"{root}: on the Dask worker {socket.gethostname()} this path is another folder "
            "than the client's (or none); the repositories must be on storage every worker shares"
        )
        return api.Result(Path(root), error=error), None
    if options.timeout is not None:
        return _in_child(root, options)
    return fix_repository(root, options)


def _in_child(root: str, options: RunOptions) -> Outcome:
    """``fix_repository`` in a process of its own, killed ``timeout`` + grace seconds on (Dask
    runs tasks in threads, where the timeout cannot interrupt planning)."""
    import pickle
    import subprocess

    assert options.timeout is not None
    command = [sys.executable, "-c", "from hffix.fleet.runner import child_main; child_main()"]
    try:
        proc = subprocess.run(
            command,
            input=pickle.dumps((root, options)),
            capture_output=True,
            timeout=options.timeout + grace(options.timeout),
            check=False,
        )
    except subprocess.TimeoutExpired:
        error = f"timed out after {options.timeout:g} s; its worker process was stopped"
        return api.Result(Path(root), error=_named(root, error)), None
    if proc.returncode != 0 or not proc.stdout:
        code = proc.returncode
        how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
        error = f"the worker process died on this repository ({how})"
        return api.Result(Path(root), error=_named(root, error)), None
    outcome: Outcome = pickle.loads(proc.stdout)  # our own child's answer
    return outcome


def child_main() -> None:
    """Entry of :func:`_in_child`'s process: a pickled (root, options) on standard input, the
    pickled outcome on standard output."""
    import pickle

    _die_with_parent(os.getppid())
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt it
    root, options = pickle.load(sys.stdin.buffer)
    tune_gc()
    pickle.dump(fix_repository(root, options), answer)
    answer.close()


def _run_dask(
    client: Any, roots: Sequence[str], options: RunOptions, stop: Stop | None
) -> Iterator[api.Result]:
    """One task per repository on the cluster (``pip install 'hffix[dask]'``). Paths are
    made absolute here, in the client's working folder, and each carries the client's
    :func:`identity` of its folder. The report is written here, as each result arrives."""
    import distributed

    window = max(1, sum(client.nthreads().values())) * PREFETCH_PER_WORKER
    as_completed: Any = distributed.as_completed  # untyped library
    arrived = as_completed(loop=client.loop)
    where: dict[Any, int] = {}
    done: dict[int, api.Result] = {}
    next_out = next_in = 0
    try:
        while next_out < len(roots):
            while not (stop is not None and stop.requested) and next_in < min(
                len(roots), next_out + window
            ):
                root = roots[next_in]
                absolute = os.path.abspath(root)
                expected = identity(absolute)
                if expected is None:  # as api.fix says it
                    error = (
                        f"{root}: not a folder (give the repository's root folder)"
                        if os.path.exists(root)
                        else f"{root}: no such file or folder"
                    )
                    done[next_in] = api.Result(Path(root), error=error)
                    _record(options, done[next_in], None)
                else:
                    future = client.submit(_dask_task, absolute, expected, options, pure=False)
                    where[future] = next_in
                    arrived.add(future)
                next_in += 1
            if next_out in done:
                yield done.pop(next_out)
                next_out += 1
                continue
            if arrived.is_empty():
                break  # stopping
            future = next(arrived)
            index = where.pop(future)
            committed = None
            try:
                result, committed = future.result()
            except Exception as exc:  # the task or its worker failed
                error = f"dask task failed: {type(exc).__name__}: {exc}"
                result = api.Result(Path(roots[index]), error=_named(roots[index], error))
            result.root = Path(roots[index])  # as the user wrote it
            _record(options, result, committed)
            done[index] = result
        for index in sorted(done):
            yield done[index]
    finally:
        for future in where:
            future.cancel()
