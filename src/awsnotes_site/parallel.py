"""The one pool of forked worker processes.

Workers are forked, so they inherit the parent's state as it is when the pool starts (the
configured parser, the loaded notes, the planned site): only small work items (indices,
paths) travel to them, and only results travel back. The state a job's workers need is
handed to :func:`fork_map` explicitly and held here only while that job runs.

Where processes cannot fork (or with one CPU), work runs in this process, in order."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_WORKER = 32  # work is handed out in chunks of 1/(workers * this) of the whole


def can_fork() -> bool:
    return hasattr(os, "fork")


def workers(jobs: int = 0, most: int | None = None) -> int:
    """Worker processes to use: ``jobs``, else one per CPU (at most ``most``); 1 where
    processes cannot fork."""
    if not can_fork():
        return 1
    count = jobs or os.cpu_count() or 1
    return min(count, most) if most else count


def chunk_size(total: int, workers: int) -> int:
    return max(1, total // (workers * CHUNKS_PER_WORKER))


class _Job(Generic[S, R]):
    """What the forked workers of the running job call: the function and the state they
    inherited. One job runs at a time; the slot is empty between jobs."""

    running: _Job[Any, Any] | None = None

    def __init__(self, fn: Callable[[S, Any], R], state: S) -> None:
        self.fn = fn
        self.state = state


def _call(item: Any) -> Any:
    job = _Job.running
    assert job is not None, "a worker without a job"
    return job.fn(job.state, item)


@contextlib.contextmanager
def _pool(count: int) -> Iterator[Any]:
    """A pool of forked workers. The collector is frozen meanwhile, so the workers'
    collections leave the inherited objects (and the memory pages they sit on) alone."""
    import multiprocessing as mp  # imported here: small builds run in-process
    from concurrent.futures import ProcessPoolExecutor

    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=mp.get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()


def fork_map(
    fn: Callable[[S, T], R],
    state: S,
    items: Sequence[T],
    count: int,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[R]:
    """``fn(state, item)`` for every item, in order, in ``count`` forked workers that
    inherit ``state``; in this process when ``count`` < 2. ``fn`` must be a module-level
    function. With workers, ``meanwhile()`` runs in this process once every item has been
    handed out (in-process it is not called: a small job has nothing to overlap).
    The results are produced lazily; the pool lives until the iterator is exhausted."""
    if count < 2 or not can_fork():
        for item in items:
            yield fn(state, item)
        return
    if _Job.running is not None:
        raise RuntimeError("fork_map: another job is running")
    _Job.running = _Job(fn, state)
    try:
        with _pool(count) as pool:
            results = pool.map(_call, items)  # every item is handed out now
            if meanwhile is not None:
                meanwhile()
            yield from results
    finally:
        _Job.running = None
