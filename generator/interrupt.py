"""Ctrl+C and termination as a clean end (issue 22).

`handling()` turns SIGINT and SIGTERM into `Interrupted`, raised in the main thread and
caught once in `cli.main`, which says one line and exits 130 or 143. The writer's context
manager then removes the new folder and releases the lock on the way out, as it does for
any error. `held()` defers a signal until its block ends: the swap is never cut in half,
and `site_changed()` tells whether the interrupted build had already swapped its site in.
Nor is a fork (the render workers', the read-ahead helper's): raised inside one, the signal
would leave a process's finalizer half made, which Python calls later and prints.
A signal that lands inside a finalizer (`__del__`, a weakref callback), where Python cannot
raise, would be printed as "Exception ignored … Traceback" and lost: the unraisable hook
sends it again, to be raised at the next point that can; so is one inside a `__set_name__`,
which Python 3.11 would turn into a RuntimeError.
Forked render workers call `worker_start()`: they ignore both signals (only the build
speaks) and, on Linux, die with the process that forked them, however it ends.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import Any

SIGNALS: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A SIGINT or SIGTERM; a BaseException so that no `except Exception` swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what a shell reports for a process ended by the signal


_early: Any = None  # the handler of `early()`: it must not come back once the work is done
_owner = 0  # the process whose handlers these are: a forked child must not raise them
_held = 0
_pending: int | None = None
_changed = False
_finished = False  # the command has returned: a signal now is too late to stop anything


def _handler(signum: int, frame: FrameType | None) -> None:
    global _pending
    if os.getpid() != _owner:
        # a render worker between its fork and `worker_start`, which will ignore it: the
        # build reports the signal and kills its workers. (Ended here, the worker broke the
        # pool under the build, whose BrokenProcessPool could come before its own signal.)
        return
    if _finished:  # raised now it would escape `main` while the handlers are put back
        return
    if _held:
        _pending = signum
        return
    if _naming(frame):
        # Python 3.11 turns what a class's `__set_name__` raises (a dataclass field's, while
        # a module is imported) into a RuntimeError, which any `except Exception` takes
        # for a bug: sent again, as from a finalizer, it is raised once the class is made
        threading.Timer(_RESEND_AFTER, signal.raise_signal, (signum,)).start()
        return
    raise Interrupted(signum)


def _naming(frame: FrameType | None) -> bool:
    """Whether the signal came inside a `__set_name__` (or what it called)."""
    while frame is not None:
        if frame.f_code.co_name == "__set_name__":
            return True
        frame = frame.f_back
    return False


def early() -> None:
    """Before the heavy imports (`build.py` calls it first): a signal while Python is still
    importing the generator ends the process at once with the usual line and exit code,
    not a KeyboardInterrupt traceback from inside an import. Nothing has been touched yet.
    `handling()` takes over in `main`."""
    said: list[bytes] = []  # the line, once its words are imported

    def leave(signum: int, frame: FrameType | None) -> None:
        with suppress(OSError):
            os.write(2, said[0] if said else b"\n")
        os._exit(128 + signum)

    global _early
    _early = leave
    for signum in SIGNALS:  # first: a signal while the words below are imported, too
        signal.signal(signum, leave)
    from generator.problems.messages import say

    argv = sys.argv[1:]
    english = any(
        a == "--lang=en" or (a == "--lang" and argv[i + 1 : i + 2] == ["en"])
        for i, a in enumerate(argv)
    )
    said.append((say("I105", "en" if english else "zh") + "\n").encode("utf-8"))


def _unraisable(info: Any) -> None:
    if isinstance(info.exc_value, Interrupted):
        # Sent again from a thread, a moment later: raised here (or by raise_signal in this
        # thread) it would land in this hook again. The main thread runs the handler at its
        # next bytecode once the hook has returned; a command that has finished by then has
        # its old handlers back, and they decide.
        signum = info.exc_value.signum
        threading.Timer(_RESEND_AFTER, signal.raise_signal, (signum,)).start()
        return
    _previous_unraisable(info)


_RESEND_AFTER = 0.02  # seconds: far longer than the hook takes to return
_previous_unraisable = sys.unraisablehook


@contextmanager
def handling() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` inside the block (main thread only: Python
    runs signal handlers there); the previous handlers come back after it."""
    global _owner, _pending, _changed, _finished, _previous_unraisable
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}
    _owner, _pending, _changed, _finished = os.getpid(), None, False, False
    for signum in SIGNALS:
        previous[signum] = signal.signal(signum, _handler)
    _previous_unraisable, sys.unraisablehook = sys.unraisablehook, _unraisable
    try:
        yield
    finally:
        sys.unraisablehook = _previous_unraisable
        for signum, handler in previous.items():
            # after the command, `early()`'s handler would say I105 for finished work: the
            # process only flushes and exits now, so a late signal is ignored instead
            signal.signal(signum, signal.SIG_IGN if handler is _early else handler)


@contextmanager
def held() -> Iterator[None]:
    """A signal that arrives inside the block is raised when the block has ended."""
    global _held, _pending
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held and _pending is not None and os.getpid() == _owner:
            signum, _pending = _pending, None
            raise Interrupted(signum)


def finished() -> None:
    """The command has returned its exit code: a signal from here on is ignored (the work
    is done and said; raised, it would land outside the `except` that reports it)."""
    global _finished
    _finished = True


def mark_changed() -> None:
    """The output folder now holds the new site: an interrupt from here on did not stop it."""
    global _changed
    _changed = True


def site_changed() -> bool:
    return _changed


_PR_SET_PDEATHSIG = 1


def worker_start(parent: int) -> None:
    """A render worker's first act: ignore SIGINT/SIGTERM (the build reports them and kills
    its workers) and, on Linux, receive SIGKILL when the process that forked it is gone."""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the parent's kill still ends us
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
