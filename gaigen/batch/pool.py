"""The parent side of a batch: a pool of worker processes, each watched for its time limit and death.

The parent keeps two files queued at each worker (so that a worker never waits for its next
file); a worker past the time limit on its current file is ended, one that dies is replaced, and
that file is reported; the file queued behind it goes back to the others. SIGINT and SIGTERM stop
the run.

On Linux the workers are forked from the parent, which has prepared what they need (``warm``):
they start at once and share those pages. Elsewhere, and when the parent runs other threads
(fork would copy their locks in whatever state), they come from a fork server (macOS) or are
spawned (Windows).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from types import FrameType
from typing import Any

from gaigen.batch.results import PreviousIndex
from gaigen.batch.worker import Processor, worker_main

_POLL = 0.2  # how often the parent looks at the clock and the stop flag while it waits


_STOP_GRACE = 5.0  # how long a stopping worker may take to close its LibreOffice


class Stop:
    """The stop flag, set by SIGINT/SIGTERM while the batch runs."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def set(self, signum: int, frame: FrameType | None = None) -> None:
        if self.signal is None:
            self.signal = signum

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Catch SIGINT and SIGTERM while the block runs (main thread only), then restore."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        saved = {sig: signal.signal(sig, self.set) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)


_FINISHED = object()  # what ``next`` returns for a ``meanwhile`` with no step left

QUEUED = 2  # tasks sent ahead to each worker: the one it works on and the next


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of the chosen context
    conn: Connection
    tasks: deque[tuple[str, Any]] = field(default_factory=deque)  # sent, not answered; the first runs
    started: float = 0.0  # when the first of ``tasks`` started

    @property
    def task(self) -> tuple[str, Any] | None:
        return self.tasks[0] if self.tasks else None


def forking() -> bool:
    """Return whether workers will be forked from this process (Linux, no other thread running)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _context() -> Any:
    """Return the process start method: fork when ``forking``, else forkserver where there is one, else spawn."""
    if forking():
        return multiprocessing.get_context("fork")
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # Imported once in the server, so that every worker forked from it starts warm.
        context.set_forkserver_preload(["gaigen.batch.worker", "gaigen.render.word", "docxtpl"])
        return context
    return multiprocessing.get_context("spawn")


class Pool:
    """Worker processes, one task each at a time; a worker that hangs or dies is replaced."""

    def __init__(self, size: int, process: Processor, timeout: float, stop: Stop) -> None:
        self.size = size
        self.process = process
        self.timeout = timeout
        self.stop = stop
        self.context = _context()
        self.workers: list[_Worker] = []
        self.previous: PreviousIndex | None = None

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=worker_main, args=(child, self.process, self.timeout), daemon=True, name="gaigen-batch"
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if self.previous:
            parent.send(("previous", self.previous))
        self.workers.append(worker)
        return worker

    def set_previous(self, index: PreviousIndex) -> None:
        self.previous = dict(index)
        for worker in self.workers:
            worker.conn.send(("previous", self.previous))

    def run(
        self,
        tasks: Sequence[tuple[str, Any]],
        done: Callable[[tuple[str, Any], Any], None],
        failed: Callable[[tuple[str, Any], str], None],
        meanwhile: Iterator[object] | None = None,
    ) -> list[tuple[str, Any]]:
        """Run ``tasks``; call ``done`` with each reply or ``failed`` with why there is none.

        ``meanwhile`` is work of the parent's own, in short steps: one step each time round instead of
        waiting for the workers, as long as it has steps left (the caller finishes what is left).
        Return the tasks not done because the run was stopped.
        """
        pending = deque(tasks)
        while pending or any(w.tasks for w in self.workers):
            if self.stop.signal is not None:
                break
            self._dispatch(pending, failed)
            busy = [w for w in self.workers if w.tasks]
            if not busy:
                continue
            now = time.monotonic()
            wait_for = min(_POLL, max(0.0, min(w.started + self.timeout for w in busy) - now))
            if meanwhile is not None:
                if next(meanwhile, _FINISHED) is _FINISHED:
                    meanwhile = None
                else:
                    wait_for = 0.0  # a step was done: only look whether replies came
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for)
            for worker in busy:
                self._check(worker, pending, done, failed)
        left = list(pending)
        for worker in list(self.workers):
            self._collect(worker, done)  # finished just as the stop came: keep them
            if worker.tasks:
                left += worker.tasks
                worker.tasks.clear()
                self._end(worker, gently=True)
        return left

    def _dispatch(self, pending: deque[tuple[str, Any]], failed: Callable[[tuple[str, Any], str], None]) -> None:
        """Send tasks until every worker has ``QUEUED`` (starting workers up to ``size``)."""
        while pending:
            worker = min(self.workers, key=lambda w: len(w.tasks), default=None)
            if worker is None or (worker.tasks and len(self.workers) < self.size):
                worker = self._start()  # a new worker first: all of them busy before any queue
            elif len(worker.tasks) >= QUEUED:
                return
            task = pending[0]
            try:
                worker.conn.send(task)
            except OSError:  # the worker died: report its current task, replace it, try again
                worker.process.join(1)
                self._lost(worker, pending, crash_text(worker.process.exitcode), failed)
                continue
            pending.popleft()
            if not worker.tasks:
                worker.started = time.monotonic()
            worker.tasks.append(task)

    def _check(
        self,
        worker: _Worker,
        pending: deque[tuple[str, Any]],
        done: Callable[[tuple[str, Any], Any], None],
        failed: Callable[[tuple[str, Any], str], None],
    ) -> None:
        """Take every reply the worker has sent; then see whether it died or passed the time limit."""
        died = self._collect(worker, done)
        if not worker.tasks:
            return
        if died or not worker.process.is_alive():
            worker.process.join(1)
            self._lost(worker, pending, crash_text(worker.process.exitcode), failed)
        elif time.monotonic() - worker.started > self.timeout:
            self._lost(
                worker,
                pending,
                f"处理超过 {self.timeout:g} 秒仍未完成，已停止处理该文件（其他文件不受影响）。"
                "请用 gaigen render 单独处理该文件查看原因，或用 --timeout 放宽时限。",
                failed,
            )

    def _collect(self, worker: _Worker, done: Callable[[tuple[str, Any], Any], None]) -> bool:
        """Pass on every reply the worker has sent; return True when its pipe closed (it is gone)."""
        while worker.tasks and worker.conn.poll():
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError):
                return True
            task = worker.tasks.popleft()
            worker.started = time.monotonic()  # the worker went on to the next at once
            done(task, reply)
        return False

    def _lost(
        self,
        worker: _Worker,
        pending: deque[tuple[str, Any]],
        why: str,
        failed: Callable[[tuple[str, Any], str], None],
    ) -> None:
        """End a worker; report its current task as failed (``why``); its queued tasks go back first in line."""
        tasks = list(worker.tasks)
        worker.tasks.clear()
        self._end(worker)
        if tasks:
            failed(tasks.pop(0), why)
        pending.extendleft(reversed(tasks))

    def _end(self, worker: _Worker, gently: bool = False) -> None:
        """End a worker (SIGTERM first when ``gently``, so it closes its LibreOffice), and reap it."""
        if worker in self.workers:
            self.workers.remove(worker)
        if worker.process.is_alive():
            if gently:
                worker.process.terminate()
                worker.process.join(_STOP_GRACE)
            if worker.process.is_alive():
                worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def shrink(self, size: int) -> None:
        """Keep at most ``size`` workers from now on: idle ones beyond it are told to finish."""
        self.size = max(1, size)
        for worker in [w for w in self.workers if not w.tasks][: max(0, len(self.workers) - self.size)]:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            self._end(worker, gently=True)

    def abort(self) -> None:
        """End every worker at once (the run failed or was interrupted from outside)."""
        for worker in list(self.workers):
            self._end(worker)

    def close(self) -> None:
        """Tell idle workers to finish, and end any that do not."""
        for worker in list(self.workers):
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + _STOP_GRACE
        for worker in list(self.workers):
            worker.process.join(max(0.0, deadline - time.monotonic()))
            self._end(worker, gently=True)


def crash_text(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        how = f"被信号 {name} 终止"
    else:
        how = f"意外退出（退出码 {code}）"
    return f"处理该文件时工作进程{how}，已跳过该文件（其他文件不受影响）。请用 gaigen render 单独处理该文件查看原因。"
