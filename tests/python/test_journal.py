"""The event journal from Python: durable appends, reopening, torn tails, errors."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import balai
from balai import tracking

START = 1799020800  # 2027-01-04T00:00:00Z


def enrolments(roster: balai.Roster) -> list[balai.Event]:
    return [
        balai.Event(
            r + 1, kind=balai.EventKind.enrolled, registration=r, time=START, actor="kiosk-1"
        )
        for r in range(len(roster))
    ]


def attendance(roster: balai.Roster, first_id: int, session: int) -> list[balai.Event]:
    module = roster.module_codes.index("ENT-101")
    return [
        balai.Event(
            first_id + r,
            kind=balai.EventKind.attended,
            registration=r,
            module=module,
            session=session,
            time=START + 3600 * session,
            actor="instructor-1",
        )
        for r in range(len(roster))
    ]


def test_a_journal_reopens_into_the_same_ledger(roster: balai.Roster, tmp_path: Path) -> None:
    path = tmp_path / "events.journal"
    with balai.Journal(path, roster) as journal:
        assert journal.path == path
        assert (journal.recovery.records, journal.recovery.torn_tail) == (0, False)
        assert journal.append(enrolments(roster)).added == 3
        assert journal.append(attendance(roster, 10, 1)).added == 3
        assert journal.append(attendance(roster, 10, 1)).duplicates == 3
        written = journal.snapshot()
    assert len(written) == 6

    with balai.Journal(path, roster) as again:
        assert again.snapshot() == written
        recovery = again.recovery
        assert (recovery.records, recovery.events, recovery.torn_tail) == (2, 6, False)
        assert repr(recovery).startswith("JournalRecovery(records=2, events=6")
        assert repr(again) == f"<Journal '{path}'>"


def test_numpy_columns_and_frames_append(roster: balai.Roster, tmp_path: Path) -> None:
    path = tmp_path / "events.journal"
    module = roster.module_codes.index("ENT-101")
    with balai.Journal(path, roster) as journal:
        assert journal.roster == roster
        journal.append(enrolments(roster))
        result = journal.append_columns(
            id=np.array([10, 11, 12], dtype=np.uint64),
            kind=np.full(3, balai.EventKind.attended.value, dtype=np.uint8),
            registration=np.arange(3, dtype=np.uint32),
            time=np.full(3, START + 60, dtype=np.int64),
            actor=np.zeros(3, dtype=np.uint32),
            texts=["kiosk-2"],
            module=np.full(3, module, dtype=np.int32),
            session=np.ones(3, dtype=np.int32),
        )
        assert result.added == 3
    with balai.Journal(path, roster) as again:
        ledger = again.snapshot()
        position = ledger.find(11)
        assert position is not None
        assert ledger.event(position).actor == "kiosk-2"
        assert tracking.status_frame(ledger).shape[0] == len(roster)


def test_appends_after_close_raise(roster: balai.Roster, tmp_path: Path) -> None:
    journal = balai.Journal(tmp_path / "events.journal", roster)
    journal.close()
    with pytest.raises(balai.Error, match="closed"):
        journal.append(enrolments(roster))


def test_a_torn_tail_is_cut_off_and_reported(roster: balai.Roster, tmp_path: Path) -> None:
    path = tmp_path / "events.journal"
    with balai.Journal(path, roster) as journal:
        journal.append(enrolments(roster))
        size = path.stat().st_size
        journal.append(attendance(roster, 10, 1))
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size - 5)

    with balai.Journal(path, roster) as journal:
        recovery = journal.recovery
        assert recovery.torn_tail
        assert recovery.dropped_records == 1
        assert recovery.records == 1
        assert len(journal.snapshot()) == 3
        assert path.stat().st_size == size


def test_bad_batches_and_foreign_files_raise(
    roster: balai.Roster, dataset: balai.Dataset, cohorts: list[balai.Cohort], tmp_path: Path
) -> None:
    path = tmp_path / "events.journal"
    with balai.Journal(path, roster) as journal:
        journal.append(enrolments(roster))
        size = path.stat().st_size
        with pytest.raises(balai.ValidationError):
            journal.append(attendance(roster, 10, session=9))
        assert path.stat().st_size == size
        with pytest.raises(balai.ConflictError):
            balai.Journal(path, roster)

    other = balai.Roster(dataset, cohorts, [])
    with pytest.raises(balai.FormatError, match="another roster") as error:
        balai.Journal(path, other)
    assert isinstance(error.value, ValueError)
    with pytest.raises(balai.FormatError, match="excused_excluded"):
        balai.Journal(path, roster, excused_excluded=False)
    with pytest.raises(balai.Error):
        balai.Journal(tmp_path / "missing.journal", roster, create=False)


def test_threads_append_at_once(roster: balai.Roster, tmp_path: Path) -> None:
    path = tmp_path / "events.journal"
    with balai.Journal(path, roster) as journal:
        journal.append(enrolments(roster))

        def append(thread: int) -> None:
            for session in range(1, 5):
                journal.append(attendance(roster, 100 * (4 * thread + session), session))

        threads = [threading.Thread(target=append, args=(t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with balai.Journal(path, roster) as journal:
        assert len(journal.snapshot()) == 3 + 4 * 4 * 3


def _exit_code_after(child: Callable[[], int]) -> int:
    """Runs `child` in a process made by os.fork and returns its exit code: the child
    leaves with os._exit, so it runs none of pytest's clean-up."""
    pid = os.fork()
    if pid == 0:
        try:
            os._exit(child())
        except BaseException:  # any surprise is a distinct failure, never a pass
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_forked_child_cannot_append_and_the_parents_records_survive(
    roster: balai.Roster, tmp_path: Path
) -> None:
    path = tmp_path / "events.journal"
    with balai.Journal(path, roster) as journal:
        journal.append(enrolments(roster))

        def child() -> int:
            try:
                journal.append(attendance(roster, 10, 1))
            except balai.WrongProcessError as error:
                named = str(path) in str(error) and str(os.getppid()) in str(error)
                return 0 if named and isinstance(error, RuntimeError) else 2
            return 1  # acknowledged: the fault this test exists for

        assert _exit_code_after(child) == 0
        # The child's own copy of the descriptor closes when its Journal goes away, and
        # the opener writes on as if nothing had happened.
        assert journal.append(attendance(roster, 20, 2)).added == 3
        size = path.stat().st_size
    with balai.Journal(path, roster) as again:
        ledger = again.snapshot()
        assert (again.recovery.records, len(ledger), again.recovery.torn_tail) == (2, 6, False)
        assert ledger.find(10) is None
        assert ledger.find(20) is not None
        assert path.stat().st_size == size


def test_a_forked_child_cannot_snapshot_but_its_ledger_copy_works(
    roster: balai.Roster, tmp_path: Path
) -> None:
    ledger = balai.Ledger(roster)
    ledger.append(enrolments(roster))
    with balai.Journal(tmp_path / "events.journal", roster) as journal:
        journal.append(enrolments(roster))

        def child() -> int:
            # A Ledger is a value: the child's copy answers and takes appends of its own.
            ledger.append(attendance(roster, 10, 1))
            if len(tracking.status_frame(ledger)) != len(roster):
                return 4
            try:
                journal.snapshot()
            except balai.WrongProcessError:
                return 0
            return 1

        assert _exit_code_after(child) == 0
    assert len(ledger) == 3  # the child's append stayed in the child
