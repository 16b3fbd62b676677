"""Python threads sharing balai objects: the interpreter survives 8 threads hammering each
thread-capable object, and every acknowledged change is there exactly once
(thread_hammer.py, run in a child process so that a crash is a failure here)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import balai

HAMMER = Path(__file__).with_name("thread_hammer.py")


def test_eight_threads_hammering_each_object_crash_nothing_and_lose_nothing(
    dataset: balai.Dataset, roster: balai.Roster, tmp_path: Path
) -> None:
    state = tmp_path / "state.pickle"
    state.write_bytes(pickle.dumps((dataset, roster)))
    child = subprocess.run(
        [sys.executable, str(HAMMER), str(state), str(tmp_path), "2"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # A negative return code is the signal that killed the child (SIGSEGV, SIGABRT).
    assert child.returncode == 0, f"exit {child.returncode}\n{child.stdout}\n{child.stderr}"
