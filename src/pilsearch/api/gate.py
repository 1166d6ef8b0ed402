"""Back-pressure: at most ``max_model_work`` requests run model work at once, at most
``max_model_queue`` wait, and the next one gets 503 with ``Retry-After`` straight away.

Why: on two cores, twenty concurrent searches in twenty threads all embed at once and each
takes twenty times longer (p95 823 ms), and a burst queues without bound. Running as many as
there are cores keeps each request fast and the throughput the same; a client refused with
503 knows when to come back, instead of waiting behind a queue it cannot see.

A slot is held by the *thread* doing the work, not by the request: a request that times out
(504) frees its slot only when its thread has finished, so the bound holds even then.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from fastapi.concurrency import run_in_threadpool

from pilsearch.api.errors import ApiError

T = TypeVar("T")


class WorkGate:
    def __init__(self, *, slots: Callable[[], int], queue: Callable[[], int], retry_after_s: int):
        self._slots = slots
        self._queue = queue
        self.retry_after_s = retry_after_s
        self._running = 0
        self._waiting = 0
        self._freed: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return self._waiting

    def _busy(self) -> ApiError:
        return ApiError(
            503,
            "Busy",
            f"服务器正忙：已有 {self._running} 个请求在计算、{self._waiting} 个在排队"
            f"（PILSEARCH_MAX_MODEL_WORK / PILSEARCH_MAX_MODEL_QUEUE）；请 "
            f"{self.retry_after_s} 秒后重试。",
            headers={"Retry-After": str(self.retry_after_s)},
        )

    async def acquire(self) -> Slot:
        """A slot, after waiting in the queue if need be; 503 when the queue is full."""
        loop = asyncio.get_running_loop()
        if self._freed is None or self._loop is not loop:
            self._loop, self._freed = loop, asyncio.Event()
        if self._running >= self._slots():
            if self._waiting >= self._queue():
                raise self._busy()
            self._waiting += 1
            try:
                while self._running >= self._slots():
                    self._freed.clear()
                    await self._freed.wait()
            finally:
                self._waiting -= 1
        self._running += 1
        return Slot(self, loop)

    def _release(self) -> None:
        self._running -= 1
        if self._freed is not None:
            self._freed.set()

    async def run(self, fn: Callable[[], T]) -> T:
        """``fn()`` in a worker thread while holding a slot."""
        slot = await self.acquire()
        return await slot.run(fn)


class Slot:
    """One unit of model work; released exactly once, from whichever side finishes last."""

    def __init__(self, gate: WorkGate, loop: asyncio.AbstractEventLoop) -> None:
        self._gate = gate
        self._loop = loop
        self._lock = threading.Lock()
        self._released = False

    def release(self) -> None:
        """Safe from any thread, any number of times."""
        with self._lock:
            first = not self._released
            self._released = True
        if first:
            self._free()

    def _free(self) -> None:
        if self._loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._gate._release()
        else:
            self._loop.call_soon_threadsafe(self._gate._release)

    async def run(self, fn: Callable[[], T]) -> T:
        started = False

        def work() -> T:
            nonlocal started
            with self._lock:
                if self._released:  # the request was cancelled before this thread began
                    raise asyncio.CancelledError
                started = True
            try:
                return fn()
            finally:
                self.release()

        try:
            return await run_in_threadpool(work)
        finally:
            with self._lock:
                never_ran = not started and not self._released
                if never_ran:
                    self._released = True
            if never_ran:
                self._free()

    def guard(self, items: Iterator[T]) -> Iterator[T]:
        """``items`` (a stream's events), releasing the slot when they end or are dropped."""
        try:
            yield from items
        finally:
            self.release()
