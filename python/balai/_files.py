"""Files and folders the package writes whole, so that a reader or a crash sees the old
content or the whole new one, never a part.

A file is written to a temporary file beside it, synced and renamed over it. A folder of
outputs is written to a staging folder beside it (``.<name>.balai-new``), synced, and
swapped in by two renames: the old folder to a backup (``.<name>.balai-old``), the new one
to its place; then the backup is removed. The next write to the folder first finishes or
undoes a swap a crash interrupted (:func:`recover_folder`), so the folder holds either
the complete old set or the complete new one. A lock file (``.<name>.balai-lock``) keeps
two writers of one folder apart.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import stat
import threading
import uuid
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from balai._core import Error

P = ParamSpec("P")
R = TypeVar("R")

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, one writer assumed
    fcntl = None  # type: ignore[assignment]


def file_errors(function: Callable[P, R]) -> Callable[P, R]:
    """`function` with any OSError it raises turned into balai.Error naming the path and the
    reason: every filesystem failure of a public function is a balai.Error, as
    docs/errors.md promises, not sometimes an OSError."""

    @functools.wraps(function)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except OSError as error:
            paths = [str(p) for p in (error.filename, error.filename2) if p is not None]
            where = " -> ".join(f"'{path}'" for path in paths) or "a file"
            raise Error(f"cannot use {where}: {error.strerror or error}") from error

    return checked


def write_atomically(path: Path, data: bytes) -> None:
    """Writes `data` to a temporary file beside `path`, syncs it and renames it over
    `path`; a failure leaves no temporary file behind."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    # os.open with a mode (not mkstemp's 0600) so the file gets the usual permissions.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# What an interrupted atomic write leaves: write_atomically's temporary files and those of
# the C++ writers (<name>.tmp).
_TEMPORARY = re.compile(r"\.(?P<hidden>.+)\.[0-9a-f]{32}\.tmp|(?P<plain>.+)\.tmp")


def _staging(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.balai-new")


def _backup(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.balai-old")


def _target(folder: str | os.PathLike[str]) -> Path:
    """`folder` with its symbolic links resolved: the swap replaces the real folder, not a
    link to it."""
    target = Path(os.path.realpath(folder))
    if target.parent == target:
        raise Error(f"{folder}: cannot replace a file system's root")
    return target


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Holds the lock of `path`, a folder or a file replaced by renames (so the lock is a
    file beside it), for the block; Error at once if another process holds it."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.balai-lock")
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Error(f"{path}: another process is writing it") from None
        yield
    finally:
        os.close(descriptor)  # releases the lock


def recover_folder(folder: str | os.PathLike[str]) -> None:
    """Completes or undoes a folder swap that a crash or kill interrupted, and removes
    what it left: afterwards `folder` holds the complete old set of files or the complete
    new one, and no staging folder or backup remains beside it."""
    target = _target(folder)
    with locked(target):
        _recover(target)


def _recover(target: Path) -> None:
    staging, backup = _staging(target), _backup(target)
    if os.path.lexists(backup) and not os.path.lexists(target):
        # Stopped between the two renames. The staging folder was complete and synced
        # before the old folder moved, so it goes in place; without it, the old returns.
        os.rename(staging if staging.is_dir() else backup, target)
        _sync_folder(target.parent)
    if os.path.lexists(backup):
        _remove(backup)
    if os.path.lexists(staging):
        _remove(staging)  # a write that never reached the swap: the folder is the old one


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def check_replaceable(folder: str | os.PathLike[str], ours: Callable[[str], bool]) -> None:
    """Raises Error unless `folder` is missing, or a folder whose entries are all files
    for which `ours(name)` holds (or their temporary files), and is not the folder the
    process runs in (or one holding it)."""
    target = _target(folder)
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise Error(f"{folder}: exists and is not a folder")
    here = Path.cwd().resolve()
    if here == target or target in here.parents:
        raise Error(
            f"{folder}: is the current directory or holds it; "
            "give an output folder outside the one the command runs in"
        )
    foreign = sorted(
        entry.name
        for entry in os.scandir(target)
        if not (entry.is_file(follow_symlinks=False) and _is_ours(entry.name, ours))
    )
    if foreign:
        shown = ", ".join(foreign[:5]) + (
            f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        )
        raise Error(
            f"{folder}: holds files balai did not write ({shown}); the output folder is "
            "replaced as a whole, so move them out or choose another folder"
        )


def _is_ours(name: str, ours: Callable[[str], bool]) -> bool:
    temporary = _TEMPORARY.fullmatch(name)
    if temporary is not None:
        name = temporary["hidden"] or temporary["plain"]
    return ours(name)


def names_in(names: Collection[str]) -> Callable[[str], bool]:
    """`ours` for check_replaceable and replaced_folder: the names in `names`."""
    return frozenset(names).__contains__


@contextlib.contextmanager
def replaced_folder(folder: str | os.PathLike[str], ours: Callable[[str], bool]) -> Iterator[Path]:
    """A new, empty staging folder to write into; when the block ends normally, its
    files are synced and it replaces `folder` (created with its parents if missing). If
    the block raises, `folder` is left as it was. `folder`, if it exists, must pass
    check_replaceable with `ours`, before the block and again just before the swap."""
    target = _target(folder)
    with locked(target):
        _recover(target)
        check_replaceable(target, ours)
        staging = _staging(target)
        staging.mkdir()
        try:
            yield staging
            _sync_files(staging)
            check_replaceable(target, ours)  # nothing may have appeared meanwhile
            with _interrupts_deferred():
                _swap(staging, target)
        except BaseException:
            if os.path.lexists(staging):
                shutil.rmtree(staging, ignore_errors=True)
            raise


def _swap(staging: Path, target: Path) -> None:
    backup = _backup(target)
    if os.path.lexists(target):
        os.chmod(staging, stat.S_IMODE(os.stat(target).st_mode))
        os.rename(target, backup)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(backup, target)
            raise
        _sync_folder(target.parent)
        shutil.rmtree(backup)
    else:
        os.rename(staging, target)
        _sync_folder(target.parent)


def _sync_files(folder: Path) -> None:
    """Flushes every file in `folder`, and the folder's entries, to disk."""
    for entry in os.scandir(folder):
        descriptor = os.open(entry.path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - folders cannot be opened for fsync there
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Holds back Ctrl-C (SIGINT) for the block and delivers it after: the swap is a few
    system calls that a KeyboardInterrupt must not split. Only the main thread can set
    signal handlers; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(number: int, _: Any) -> None:
        received.append(number)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            if callable(previous):
                previous(signal.SIGINT, None)
            elif previous != signal.SIG_IGN:
                signal.raise_signal(signal.SIGINT)
