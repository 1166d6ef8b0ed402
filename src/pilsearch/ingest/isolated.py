"""Converting an untrusted file in a child process that can be killed.

A thread cannot be stopped: a decompression bomb converted in the server's own thread pool
kept its CPU and gigabytes of memory long after the request's 504. Here the conversion runs in
a child process with an address-space limit (``RLIMIT_AS``), and the child is killed when the
request's deadline passes, so nothing of it outlives the request. The converters' own limits
(decompressed size, pages, text length) are the first line of defence; this is the second.

Children are forked from a ``forkserver`` that has already imported the converters: the
server's threads (uvicorn, the model) are never forked, and a child starts in milliseconds.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Any, TypeVar

from pilsearch.errors import (
    ConversionError,
    DeadlineExceededError,
    FileTooLargeError,
    PilsearchError,
)
from pilsearch.ingest.convert import ConvertedText, convert_bytes, convert_file

T = TypeVar("T")

#: Imported once by the fork server, so that each child starts with the converters loaded.
PRELOAD = ["pilsearch.ingest.convert", "pilsearch.ingest._pdf", "pilsearch.ingest._docx"]

_context_lock = threading.Lock()
_context: ForkServerContext | None = None


def _fork_server() -> ForkServerContext:
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def _child(
    out: Connection,
    memory_bytes: int | None,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    if memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C of the server is the parent's job
    try:
        result: tuple[str, Any] = ("ok", fn(*args, **kwargs))
    except MemoryError:
        result = ("memory", None)
    except PilsearchError as exc:
        result = ("error", exc)
    except Exception as exc:  # a converter bug: its text, not its (maybe unpicklable) object
        result = ("bug", f"{type(exc).__name__}: {exc}")
    try:
        out.send(result)
    except MemoryError:
        out.send(("memory", None))
    finally:
        out.close()


def run_isolated(
    fn: Callable[..., T],
    *args: Any,
    deadline: float,
    memory_bytes: int | None,
    what: str,
    slots: threading.Semaphore | None = None,
    **kwargs: Any,
) -> T:
    """``fn(*args, **kwargs)`` in a killable child; ``deadline`` is a ``time.monotonic()``.

    ``fn`` must be importable by name (a module-level function) and its arguments and result
    picklable. A :class:`PilsearchError` raised by ``fn`` is raised here as it is; running out
    of memory is a :class:`FileTooLargeError`; a child that dies is a :class:`ConversionError`;
    the deadline is a :class:`DeadlineExceededError` (the child is killed first). ``slots``
    bounds the children alive at once (each may take ``memory_bytes``); one is waited for
    until the deadline.
    """
    if slots is None:
        return _run(fn, args, kwargs, deadline=deadline, memory_bytes=memory_bytes, what=what)
    if not slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise _late(what)
    try:
        return _run(fn, args, kwargs, deadline=deadline, memory_bytes=memory_bytes, what=what)
    finally:
        slots.release()


def _run(
    fn: Callable[..., T],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    deadline: float,
    memory_bytes: int | None,
    what: str,
) -> T:
    if time.monotonic() >= deadline:
        raise _late(what)
    context = _fork_server()
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(writer, memory_bytes, fn, args, kwargs), daemon=True
    )
    try:
        process.start()
        writer.close()
        ready = wait([reader, process.sentinel], timeout=max(0.0, deadline - time.monotonic()))
        if reader in ready:
            try:
                status, payload = reader.recv()
            except EOFError:
                status, payload = "died", None
        elif ready:
            status, payload = "died", None
        else:
            raise _late(what)
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        reader.close()
    if status == "ok":
        result: T = payload
        return result
    if status == "error":
        raise payload
    if status == "memory":
        limit = f"{memory_bytes / 2**20:,.0f} MiB" if memory_bytes else "the machine's memory"
        raise FileTooLargeError(
            f"{what}：解析所需内存超过上限（{limit}，PILSEARCH_WORKER_MEMORY_BYTES），"
            "可能是压缩炸弹或异常庞大的文件；请拆分或检查文件。"
        )
    if status == "bug":
        raise ConversionError(f"{what}：无法读取该文件（{payload}）。")
    raise ConversionError(
        f"{what}：解析进程异常退出（退出码 {process.exitcode}），文件可能已损坏；请检查文件。"
    )


def _late(what: str) -> DeadlineExceededError:
    return DeadlineExceededError(f"{what}：处理超过了请求的时间上限，已停止。")


class IsolatedConverter:
    """``convert_file`` / ``convert_bytes`` with the same arguments, run by :func:`run_isolated`
    under one deadline (all files of one request share it)."""

    def __init__(
        self,
        *,
        deadline: float,
        memory_bytes: int | None,
        slots: threading.Semaphore | None = None,
    ) -> None:
        self.deadline = deadline
        self.memory_bytes = memory_bytes
        self.slots = slots

    def of_file(self, path: Path, **kwargs: Any) -> list[ConvertedText]:
        return run_isolated(
            convert_file,
            path,
            deadline=self.deadline,
            memory_bytes=self.memory_bytes,
            what=path.name,
            slots=self.slots,
            **kwargs,
        )

    def of_bytes(self, data: bytes, filename: str, **kwargs: Any) -> list[ConvertedText]:
        return run_isolated(
            convert_bytes,
            data,
            filename,
            deadline=self.deadline,
            memory_bytes=self.memory_bytes,
            what=Path(filename).name,
            slots=self.slots,
            **kwargs,
        )
