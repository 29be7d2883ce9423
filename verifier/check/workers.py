"""Child processes that can be killed: the only sound way to bound SymPy's work.

SymPy cannot be interrupted inside a thread and SIGALRM works only in the main thread, so bounded
work runs in a child forked after the imports (a fresh interpreter would cost ~0.45 s). The
parent watches the clock and kills; the child also caps its own CPU time and memory, so it
cannot outlive a parent that died.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
from collections.abc import Callable
from multiprocessing.connection import Connection


def fork_context():
    """The fork context where the platform has one (Linux, macOS), else None."""
    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None


def start_child(
    target: Callable[..., None], *args, daemon: bool = True
) -> tuple[mp.Process, Connection]:
    """Fork ``target(conn, *args)``; the parent keeps the other end of the pipe. A child that
    forks children of its own must not be a daemon (multiprocessing forbids it)."""
    ctx = fork_context()
    assert ctx is not None
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_run, args=(target, child, parent, *args), daemon=daemon)
    proc.start()
    child.close()
    return proc, parent


def _run(target: Callable[..., None], conn: Connection, parent_end: Connection, *args) -> None:
    # The parent's end must not stay open here, or this child never sees the pipe close; and
    # a child never writes to the terminal, so an orphan cannot hold the caller's output open.
    parent_end.close()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    try:
        target(conn, *args)
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass  # the parent went away or killed the pipe: nothing to report to
    finally:
        os._exit(0)  # skip atexit handlers inherited from the parent


def stop(proc: mp.Process | None) -> None:
    if proc is not None and proc.is_alive():
        proc.kill()
    if proc is not None:
        proc.join(1)


def limit_resources(cpu_seconds: float | None, memory_mb: int | None) -> None:
    """Cap this process's CPU time and address space (where the platform enforces them)."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return
    # Soft limits only: a long-lived worker sets them again, higher, for its next document.
    unlimited = resource.RLIM_INFINITY
    if cpu_seconds:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(usage.ru_utime + usage.ru_stime + cpu_seconds) + 1
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (soft, unlimited))
    if memory_mb and hasattr(resource, "RLIMIT_AS"):
        limit = _address_space() + memory_mb * 2**20
        # macOS refuses RLIMIT_AS; the wall-clock limit still applies there.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, unlimited))


def _address_space() -> int:
    """Current virtual size: the limit is added on top of what the imports already mapped."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0
