"""Hard time limits for page work: run it in a worker process that can be killed.

Prefect's ``timeout_seconds`` cannot stop a synchronous task running in a thread: the timeout
is delivered as an exception between Python bytecodes, so a page stuck inside native code (an
ONNX OCR session, a pathological PDF in MuPDF) keeps its thread — and the run — busy forever.
A process can be killed. The pool is spawned once and reused, so the cost of starting Python
and loading the OCR models is paid once per pool, not once per page; after a timeout the whole
pool is killed and a fresh one is started on the next call.

Inside a daemonic process (a Dask worker started by a nanny) a child process cannot be started;
there the work runs inline, one call at a time, without a hard limit (start Dask workers with
``DASK_DISTRIBUTED__WORKER__DAEMON=False`` to keep it).

Every worker process (these pools and the OCR stage's own pool) runs ``guard_worker`` first: it
dies with its parent (a watchdog thread notices the parent is gone, even while the main thread
is inside native OCR code) and its address space is capped (``worker_memory_limit``), so a page
that would need tens of gigabytes fails as that page's error instead of taking the machine.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import ParamSpec, TypeVar

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


DEFAULT_PAGE_TIMEOUT_SECONDS = 300.0
"""Hard limit per OCR page (the CLI and the flows): a page past it becomes a warning on the
report instead of holding the run (and a worker) for ever."""

WORKER_MEMORY_ENV = "CSREXTRACT_WORKER_MEMORY_MB"
"""Address-space limit per worker process in MiB (0: no limit)."""

DEFAULT_WORKER_MEMORY_MB = 6144
"""Default cap per worker: the OCR networks and a capped page rendering need under 2 GiB of
resident memory, but the runtimes reserve much more address space than they touch."""

PARENT_POLL_SECONDS = 0.5
"""How often a worker checks that its parent is alive."""


def worker_memory_limit() -> int | None:
    """Bytes of address space a worker may use (``$CSREXTRACT_WORKER_MEMORY_MB``), or None."""
    try:
        mib = int(os.environ.get(WORKER_MEMORY_ENV, DEFAULT_WORKER_MEMORY_MB))
    except ValueError:
        mib = DEFAULT_WORKER_MEMORY_MB
    return mib * 1024 * 1024 if mib > 0 else None


def _exit_when_orphaned(parent: int) -> None:
    while True:
        time.sleep(PARENT_POLL_SECONDS)
        if os.getppid() != parent:
            os._exit(1)  # the parent died (killed): nothing will read this worker's result


UNUSED_PYMUPDF_EXTRAS = ("pymupdf.layout", "pymupdf4llm")
"""Optional add-ons PyMuPDF ≥ 2.0 imports with itself when installed: ``pymupdf.layout`` loads
an ONNX layout-analysis model at import time, ``pymupdf4llm`` a Markdown converter. csrextract
calls neither (no ``Page.get_layout``, no ``to_markdown``); together they cost ~0.7 s and
~60 MB in every process that imports PyMuPDF — the CLI and each OCR worker."""


def lean_imports() -> None:
    """Keep PyMuPDF from importing its unused add-ons in this process.

    For processes csrextract owns (the CLI, its workers), called before PyMuPDF is first
    imported: an add-on marked absent in ``sys.modules`` makes PyMuPDF's optional import fail
    fast, as if it were not installed. No effect once PyMuPDF is loaded, so a library user's
    process is never changed.
    """
    if "pymupdf" in sys.modules or "fitz" in sys.modules:
        return
    for name in UNUSED_PYMUPDF_EXTRAS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def guard_worker() -> None:
    """Initialiser of every worker process: die with the parent, bounded memory, no unused
    PyMuPDF add-ons."""
    lean_imports()
    threading.Thread(
        target=_exit_when_orphaned, args=(os.getppid(),), name="parent-watch", daemon=True
    ).start()
    limit = worker_memory_limit()
    if limit is not None:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class PageTimeoutError(TimeoutError):
    """Page work ran past its hard time limit and its worker process was killed."""


class _Pool:
    """A lazily started spawn-context process pool that can be killed and replaced."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._size = 0

    def get(self, size: int) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None or self._size != size:
                self._shutdown_locked(kill=False)
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(
                    max_workers=size, mp_context=context, initializer=guard_worker
                )
                self._size = size
            return self._executor

    def kill(self, executor: ProcessPoolExecutor) -> None:
        """Kill ``executor``'s processes (if it is still the current pool) and forget it."""
        with self._lock:
            if executor is self._executor:
                self._shutdown_locked(kill=True)

    def shutdown(self) -> None:
        with self._lock:
            self._shutdown_locked(kill=False)

    def _shutdown_locked(self, kill: bool) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kill:
            # ProcessPoolExecutor has no public way to stop a running call; its worker
            # processes are the only handle. Other calls in flight fail with BrokenProcessPool
            # and are retried by their tasks.
            for process in list(getattr(executor, "_processes", {}).values()):
                process.kill()
        executor.shutdown(wait=not kill, cancel_futures=True)


_POOL = _Pool()


def can_start_processes() -> bool:
    """False inside daemonic processes (e.g. Dask workers), which may not have children."""
    return not multiprocessing.current_process().daemon


_INLINE_LOCK = threading.Lock()
"""Inline page work takes turns: MuPDF is not thread-safe (Dask runs tasks in threads)."""


def run_with_hard_timeout(
    function: Callable[P, R],
    timeout_seconds: float,
    pool_size: int,
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> R:
    """``function(*args, **kwargs)`` in a pooled worker process, killed after the time limit.

    ``function`` and its arguments must be picklable (module-level function, plain data).
    """
    if not can_start_processes():
        logger.debug("daemonic process: running %s inline (no hard timeout)", function)
        with _INLINE_LOCK:
            return function(*args, **kwargs)
    executor = _POOL.get(max(1, pool_size))
    future = executor.submit(function, *args, **kwargs)
    try:
        return future.result(timeout=timeout_seconds)
    except FutureTimeout:
        _POOL.kill(executor)
        raise PageTimeoutError(
            f"{getattr(function, '__name__', function)} took longer than {timeout_seconds:g}s; "
            "its worker process was killed"
        ) from None


def start_in_pool(
    function: Callable[P, R], pool_size: int, /, *args: P.args, **kwargs: P.kwargs
) -> bool:
    """Start ``function`` in the pooled workers without waiting for it (warming a worker up
    while this process does other work); False where no worker process may be started."""
    if not can_start_processes():
        return False
    _POOL.get(max(1, pool_size)).submit(function, *args, **kwargs)
    return True


def kill_pool() -> None:
    """Stop the worker processes now, work in flight included (a warm-up nobody needs)."""
    with _POOL._lock:
        _POOL._shutdown_locked(kill=True)


def shutdown_pool() -> None:
    """Stop the worker processes (at the end of a run, so none outlive it)."""
    _POOL.shutdown()
