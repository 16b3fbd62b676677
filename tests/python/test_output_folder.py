"""The pilot's output folder is replaced whole (docs/io.md): killed or interrupted at any
moment, `balai pilot` leaves the previous run's complete set of files or its own, never a
mix, and the next run finishes or undoes a swap it interrupted."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import balai
from balai import _files, cli, pilot, report

# Small runs, so that a kill lands in every phase of a run that takes about a second. The
# old and the new run differ in their files (no report, shared space) and their content.
OLD = ["--seed", "3", "--no-report", "--space-requests", "40"]
NEW = ["--seed", "4", "--space-requests", "0"]
COMMON = ["--trainees", "150", "--sites", "12", "--per-province", "0", "--replications", "3"]


def _command(out: Path, options: list[str]) -> list[str]:
    return [sys.executable, "-m", "balai", "pilot", *COMMON, *options, "--quiet", "--out", str(out)]


def _run(out: Path, options: list[str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        _command(out, options), capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result


def _contents(folder: Path) -> dict[str, str]:
    """Each file's name and digest; a folder inside is listed as one, so it differs."""
    return {
        entry.name: (
            hashlib.sha256(entry.read_bytes()).hexdigest() if entry.is_file() else "folder"
        )
        for entry in folder.iterdir()
    }


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """The old run's folder, the new run's and how long the new run takes."""
    base = tmp_path_factory.mktemp("references")
    _run(base / "old", OLD)
    start = time.monotonic()
    _run(base / "new", NEW)
    seconds = time.monotonic() - start
    _run(base / "again", NEW)
    assert _contents(base / "again") == _contents(base / "new")  # a run writes the same bytes
    assert _contents(base / "old").keys() != _contents(base / "new").keys()
    return base / "old", base / "new", seconds


@pytest.mark.slow
def test_kills_leave_the_old_or_the_new_folder(
    references: tuple[Path, Path, float], tmp_path: Path
) -> None:
    old_reference, new_reference, seconds = references
    old, new = _contents(old_reference), _contents(new_reference)
    generator = random.Random(17)
    outcomes: dict[str, int] = {"old": 0, "new": 0, "between renames": 0, "interrupted": 0}
    for attempt in range(30):
        parent = tmp_path / f"run-{attempt}"
        out = parent / "out"
        shutil.copytree(old_reference, out)
        kill = signal.SIGINT if attempt % 2 else signal.SIGKILL
        process = subprocess.Popen(
            _command(out, NEW), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        if attempt == 0:
            process.wait()  # the kill comes too late: the new folder, whatever the load
        elif attempt == 1:
            # Ctrl-C while writing, whatever the load: once the lock is taken.
            while not (parent / ".out.balai-lock").exists() and process.poll() is None:
                time.sleep(0.005)
        else:
            time.sleep(generator.uniform(0.0, 1.1 * seconds))
        process.send_signal(kill)
        stdout, stderr = process.communicate(timeout=120)
        started = True
        if kill == signal.SIGINT and process.returncode == 130:
            outcomes["interrupted"] += 1
            assert stderr.splitlines()[-1:] == ["balai: interrupted"], stderr
            assert "Traceback" not in stderr
        elif kill == signal.SIGINT and process.returncode != 0 and "Wrote " not in stdout:
            # Ctrl-C while Python was still importing numpy, pandas and balai, before the
            # command ran: Python's own traceback (docs/io.md), and nothing written.
            assert stdout == "", (process.returncode, stdout, stderr)
            assert ", in main\n" not in stderr, stderr
            started = False
        else:
            # Done, killed, or Ctrl-C while the interpreter shut down after the command.
            assert process.returncode in (0, -kill) or "Wrote " in stdout, stderr

        if not started:
            assert _contents(out) == old
        elif out.exists():
            assert _contents(out) in (old, new), f"attempt {attempt}: a mix"
        else:
            # Killed between the two renames: the complete sets wait beside the folder.
            outcomes["between renames"] += 1
            backup = parent / ".out.balai-old"
            assert _contents(backup) == old

        _files.recover_folder(out)  # what the next run does first
        state = _contents(out)
        assert state in (old, new), f"attempt {attempt}: a mix after recovery"
        outcomes["old" if state == old else "new"] += 1
        assert {entry.name for entry in parent.iterdir()} <= {"out", ".out.balai-lock"}
    assert outcomes["old"] > 0
    assert outcomes["new"] > 0
    assert outcomes["interrupted"] > 0, outcomes


def test_recovery_finishes_or_undoes_an_interrupted_swap(tmp_path: Path) -> None:
    out = tmp_path / "out"
    staging, backup = tmp_path / ".out.balai-new", tmp_path / ".out.balai-old"

    def make(folder: Path, content: str) -> None:
        folder.mkdir()
        (folder / "plan.json").write_text(content, encoding="utf-8")

    # Killed while writing: the staging folder goes, the folder stays.
    make(out, "old")
    make(staging, "part")
    _files.recover_folder(out)
    assert (out / "plan.json").read_text(encoding="utf-8") == "old"
    assert not staging.exists()
    # Between the renames: the complete new set goes in place.
    out.rename(backup)
    make(staging, "new")
    _files.recover_folder(out)
    assert (out / "plan.json").read_text(encoding="utf-8") == "new"
    assert not backup.exists()
    assert not staging.exists()
    # While removing the backup: the rest of it goes.
    make(backup, "old")
    _files.recover_folder(out)
    assert (out / "plan.json").read_text(encoding="utf-8") == "new"
    assert not backup.exists()
    # A backup without a staging folder or folder: the old set returns.
    out.rename(backup)
    _files.recover_folder(out)
    assert (out / "plan.json").read_text(encoding="utf-8") == "new"
    assert not backup.exists()


@pytest.fixture(scope="module")
def small() -> tuple[balai.Dataset, pilot.PilotPlan]:
    dataset = balai.scenario.indonesia(seed=3, trainees=150)
    options = pilot.PilotOptions(
        sites=pilot.PilotOptions().sites.replace(sites=12),
        min_sites_per_province=0,
        forecast=pilot.ForecastOptions(replications=3),
    )
    return dataset, pilot.plan(dataset, options, progress=False)


def test_a_failure_while_writing_leaves_the_old_folder(
    small: tuple[balai.Dataset, pilot.PilotPlan], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset, plan = small
    out = tmp_path / "out"
    pilot.write_outputs(plan, dataset, out, report=False, excel=False)
    before = _contents(out)

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(report, "write_report", fail)
    with pytest.raises(balai.Error, match="disk full"):
        pilot.write_outputs(plan, dataset, out)
    assert _contents(out) == before
    assert sorted(entry.name for entry in tmp_path.iterdir()) == [".out.balai-lock", "out"]


def test_a_folder_with_files_balai_did_not_write_is_refused(
    small: tuple[balai.Dataset, pilot.PilotPlan], tmp_path: Path
) -> None:
    dataset, plan = small
    out = tmp_path / "out"
    written = pilot.write_outputs(plan, dataset, out, report=False, excel=False)
    assert [path.parent for path in written] == [out] * len(written)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "plan.json.tmp").write_bytes(b"{")  # what an older, interrupted balai left: ours
    before = _contents(out)
    with pytest.raises(balai.Error, match=r"out: holds files balai did not write \(notes\.txt\)"):
        pilot.write_outputs(plan, dataset, out)
    assert _contents(out) == before
    (out / "notes.txt").unlink()
    (out / "extra").mkdir()
    with pytest.raises(balai.Error, match=r"\(extra\)"):
        pilot.check_output_folder(out)
    (out / "extra").rmdir()
    pilot.write_outputs(plan, dataset, out)  # only balai's files: replaced
    assert "plan.json.tmp" not in _contents(out)

    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(balai.Error, match="exists and is not a folder"):
        pilot.check_output_folder(tmp_path / "file")


def test_the_folder_a_command_runs_in_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text("{}", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "balai", "pilot", "--trainees", "10", "--out", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("balai: error: ")
    assert "current directory" in result.stderr
    assert [entry.name for entry in tmp_path.iterdir()] == ["plan.json"]


def test_another_writer_of_the_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with _files.locked(out), pytest.raises(balai.Error, match="another process is writing"):
        pilot.check_output_folder(out)
    pilot.check_output_folder(out)


def test_the_command_refuses_a_foreign_folder_before_planning(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "balai", "pilot", "--quiet", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""  # refused before the plan was made and printed
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("balai: error: ")
    assert "notes.txt" in lines[0]
    assert [entry.name for entry in out.iterdir()] == ["notes.txt"]


def test_ctrl_c_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pilot, "plan", interrupted)
    code = cli.main(["pilot", "--trainees", "10", "--quiet", "--out", str(tmp_path / "out")])
    assert code == 130
    captured = capsys.readouterr()
    assert captured.err == "balai: interrupted\n"


def test_ctrl_c_during_the_swap_waits_for_it(tmp_path: Path) -> None:
    """SIGINT arriving between the two renames is held until both are done."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.json").write_text("old", encoding="utf-8")
    rename = os.rename
    calls = []

    def rename_and_interrupt(source: object, target: object) -> None:
        calls.append(target)
        rename(source, target)  # type: ignore[arg-type]
        if len(calls) == 1:
            signal.raise_signal(signal.SIGINT)

    def write() -> None:
        with _files.replaced_folder(out, _files.names_in(["plan.json"])) as staging:
            (staging / "plan.json").write_text("new", encoding="utf-8")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "rename", rename_and_interrupt)
        with pytest.raises(KeyboardInterrupt):
            write()
    assert len(calls) == 2
    assert (out / "plan.json").read_text(encoding="utf-8") == "new"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == [".out.balai-lock", "out"]
