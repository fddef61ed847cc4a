"""Bounded rendering: each render runs in a child process with a memory cap (RLIMIT_AS) and a
time limit, so a render that runs away fails its delivery instead of hanging or sinking the
worker.

A ``RenderPool`` keeps a few pre-started child processes (one per worker thread). Each child
imports WeasyPrint once and keeps one ``PdfRenderer`` (one ``FontConfiguration``, one parsed
stylesheet) for its whole life and renders one document at a time, so WeasyPrint's font
state is never shared between threads. A worker thread checks a child out, sends it the
template context, and waits at most ``RenderLimits.seconds``; past that the child is killed
and replaced. The cost is a pickled context one way and the PDF bytes back (about 1 ms for a
3-page report; see ``bench/bench_reports.py --bounded``).

Children are started with ``spawn``: the worker process has threads, and forking a threaded
process can copy a lock held by another thread.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import queue
import resource
import signal
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KINDS = ("report", "dossier")
#: How long a new child may take to import WeasyPrint and load its fonts.
START_TIMEOUT = 120.0


class RenderError(Exception):
    """A render that did not produce a PDF. ``permanent``: trying again cannot help."""

    permanent = False


class RenderLimitError(RenderError):
    """A render that exceeded its time or memory bound and was stopped."""

    permanent = True


@dataclass(frozen=True)
class RenderLimits:
    """The bound on each render: wall-clock seconds and the child's address space in MB.

    A 3-page report takes about 0.5 s and a child peaks near 300 MB of address space (CJK
    fonts are memory-mapped), so the defaults leave ample room for honest documents."""

    seconds: float = 30.0
    memory_mb: int = 1024

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RenderLimits:
        return cls(
            float(config.get("RENDER_TIMEOUT_SECONDS") or cls.seconds),
            int(config.get("RENDER_MEMORY_MB") or cls.memory_mb),
        )


def _child_main(
    connection: Connection, templates_dir: str, assets_dir: str, memory_mb: int
) -> None:
    """The child's loop: render each (kind, context) it receives, answer (status, payload)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the worker, which stops us
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from .render import PdfRenderer  # WeasyPrint is imported here, once per child

    renderer = PdfRenderer(templates_dir, assets_dir)
    connection.send(("ready", None))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):  # the worker went away
            return
        if request is None:
            return
        kind, context = request
        try:
            render = renderer.render_report if kind == "report" else renderer.render_dossier
            answer = ("ok", render(context))
        except MemoryError:
            # Tell the parent, then exit: after a MemoryError the heap may be in a poor state.
            connection.send(("memory", None))
            return
        except Exception as exc:  # reported to the parent, which records it on the delivery
            answer = ("error", f"{type(exc).__name__}: {exc}")
        connection.send(answer)


class RenderProcess:
    """One child process that renders, started on first use and replaced after a kill."""

    def __init__(self, templates_dir: Path, assets_dir: Path, limits: RenderLimits):
        self.templates_dir, self.assets_dir, self.limits = templates_dir, assets_dir, limits
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the child and wait until it has loaded WeasyPrint and its fonts."""
        if self._process is not None:
            return
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        process = context.Process(
            target=_child_main,
            args=(child_end, str(self.templates_dir), str(self.assets_dir), self.limits.memory_mb),
            name="qualify-render",
            daemon=True,
        )
        process.start()
        child_end.close()
        self._process, self._connection = process, parent_end
        if not parent_end.poll(START_TIMEOUT):
            self.stop()
            raise RenderError(f"the render process did not start within {START_TIMEOUT:g} s")
        try:
            parent_end.recv()
        except EOFError as exc:
            process.join(5)
            code = process.exitcode
            self.stop()
            raise RenderError(
                f"the render process could not start ({describe_exit(code)})"
            ) from exc

    def render(self, kind: str, context: Mapping[str, Any]) -> bytes:
        """The PDF for ``kind``; ``RenderLimitError`` when the render exceeds its bounds."""
        if kind not in KINDS:
            raise ValueError(f"unknown document kind {kind!r}")
        self.start()
        connection = self._connection
        try:
            connection.send((kind, dict(context)))
            if not connection.poll(self.limits.seconds):
                self.stop()
                raise RenderLimitError(
                    f"render stopped: {kind} took longer than {self.limits.seconds:g} s"
                )
            status, payload = connection.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
            exitcode = self._reap()
            raise RenderLimitError(
                f"render stopped: the {kind} render process died ({describe_exit(exitcode)}),"
                f" most likely over its {self.limits.memory_mb} MB memory bound"
            ) from exc
        if status == "ok":
            return payload
        if status == "memory":
            self._reap()
            raise RenderLimitError(
                f"render stopped: {kind} needed more than {self.limits.memory_mb} MB"
            )
        raise RenderError(f"render failed: {payload}")

    def _reap(self) -> int | None:
        process = self._process
        if process is not None:
            process.join(5)
        exitcode = process.exitcode if process is not None else None
        self.stop()
        return exitcode

    def stop(self) -> None:
        """Stop the child now (SIGKILL if it does not leave at once)."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            with contextlib.suppress(OSError):  # the child may be gone already
                connection.send(None)
            connection.close()
        if process is not None:
            process.join(0.5)
            if process.is_alive():
                process.kill()
                process.join(5)
            process.close()


def describe_exit(exitcode: int | None) -> str:
    """``killed by signal 9`` / ``exit 1``, as a reason a console reader understands."""
    if exitcode is None:
        return "no exit status"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit {exitcode}"


class RenderPool:
    """A few ``RenderProcess`` children shared by a worker's threads, one render each at a time."""

    def __init__(
        self,
        templates_dir: str | Path,
        assets_dir: str | Path | None = None,
        limits: RenderLimits = RenderLimits(),
        size: int = 1,
    ):
        self.templates_dir = Path(templates_dir).resolve()
        self.assets_dir = Path(assets_dir or self.templates_dir / "assets").resolve()
        self.limits = limits
        self._processes: list[RenderProcess] = []
        self._idle: queue.LifoQueue[RenderProcess] = queue.LifoQueue()
        self._lock = threading.Lock()
        self.grow(size)

    @property
    def size(self) -> int:
        return len(self._processes)

    def grow(self, size: int) -> None:
        """Have at least ``size`` children (one per thread that renders at the same time)."""
        with self._lock:
            while len(self._processes) < size:
                process = RenderProcess(self.templates_dir, self.assets_dir, self.limits)
                self._processes.append(process)
                self._idle.put(process)

    def start(self) -> None:
        """Start every child now (the worker does this before its first job)."""
        for process in list(self._processes):
            process.start()

    def render(self, kind: str, context: Mapping[str, Any]) -> bytes:
        """Render ``kind`` ("report" or "dossier") in the first free child."""
        process = self._idle.get()
        try:
            return process.render(kind, context)
        finally:
            self._idle.put(process)

    def close(self) -> None:
        for process in self._processes:
            process.stop()


_pools: dict[tuple[Path, Path, RenderLimits], RenderPool] = {}
_pools_lock = threading.Lock()


def shared_pool(
    templates_dir: str | Path, assets_dir: str | Path | None, limits: RenderLimits, size: int = 1
) -> RenderPool:
    """The process's pool for these templates and limits, with at least ``size`` children.

    Shared by every app in the process (tests build many apps; a worker builds one), so
    children are started once and reused."""
    templates = Path(templates_dir).resolve()
    assets = Path(assets_dir or templates / "assets").resolve()
    key = (templates, assets, limits)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = RenderPool(templates, assets, limits, size)
    pool.grow(size)
    return pool


@atexit.register
def _close_pools() -> None:
    for pool in list(_pools.values()):
        pool.close()
