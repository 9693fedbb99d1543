"""The parent side of a batch: a pool of worker processes, each watched for its time limit and death.

The parent hands out one file at a time; a worker past the time limit is ended, one that dies is
replaced, and its file is reported; the other files go on. SIGINT and SIGTERM stop the run.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
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


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of the chosen context
    conn: Connection
    task: tuple[str, Any] | None = None
    started: float = 0.0


def _context() -> Any:
    """Return the process start method: forkserver where there is one (safe with threads), else spawn."""
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
    ) -> list[tuple[str, Any]]:
        """Run ``tasks``; call ``done`` with each reply or ``failed`` with why there is none.

        Return the tasks not done because the run was stopped.
        """
        pending = deque(tasks)
        while pending or any(w.task is not None for w in self.workers):
            if self.stop.signal is not None:
                break
            self._dispatch(pending)
            busy = [w for w in self.workers if w.task is not None]
            if not busy:
                continue
            now = time.monotonic()
            wait_for = min(_POLL, max(0.0, min(w.started + self.timeout for w in busy) - now))
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for)
            for worker in busy:
                self._check(worker, done, failed)
        left = list(pending)
        for worker in self.workers:
            if worker.task is not None and worker.conn.poll():
                self._check(worker, done, failed)  # finished just as the stop came: keep it
            if worker.task is not None:
                left.append(worker.task)
                worker.task = None
                self._end(worker, gently=True)
        return left

    def _dispatch(self, pending: deque[tuple[str, Any]]) -> None:
        idle = [w for w in self.workers if w.task is None]
        while pending:
            if not idle:
                if len(self.workers) >= self.size:
                    return
                idle.append(self._start())
            worker = idle.pop()
            task = pending[0]
            try:
                worker.conn.send(task)
            except OSError:  # the worker died while idle: replace it and try again
                self._end(worker)
                continue
            pending.popleft()
            worker.task, worker.started = task, time.monotonic()

    def _check(
        self,
        worker: _Worker,
        done: Callable[[tuple[str, Any], Any], None],
        failed: Callable[[tuple[str, Any], str], None],
    ) -> None:
        task = worker.task
        assert task is not None
        died = False
        if worker.conn.poll():
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError):
                died = True  # the pipe closed without a reply: the worker is gone
            else:
                worker.task = None
                done(task, reply)
                return
        if died or not worker.process.is_alive():
            worker.process.join(1)
            code = worker.process.exitcode
            self._end(worker)
            failed(task, crash_text(code))
        elif time.monotonic() - worker.started > self.timeout:
            self._end(worker)
            failed(
                task,
                f"处理超过 {self.timeout:g} 秒仍未完成，已停止处理该文件（其他文件不受影响）。"
                "请用 gaigen render 单独处理该文件查看原因，或用 --timeout 放宽时限。",
            )

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
