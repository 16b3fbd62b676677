"""What the ``balai`` command's subcommands share: the error for input a command refuses
before balai sees it, the ledger of a planned pilot's journal, and instants given on the
command line."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from balai import Journal, Ledger, io, pilot


class UsageError(Exception):
    """Input the command refuses before handing it to balai."""


def add_journal_arguments(parser: argparse.ArgumentParser) -> None:
    """--plan and --journal, the planned pilot and its events that journal_ledger reads."""
    parser.add_argument(
        "--plan", type=Path, required=True, metavar="DIR", help="balai pilot's folder"
    )
    parser.add_argument("--journal", type=Path, required=True, metavar="FILE", help="the events")


def journal_ledger(plan_folder: Path, journal_path: Path) -> Ledger:
    """The ledger of the events a journal recorded for the pilot balai pilot planned in
    `plan_folder` (its roster)."""
    for name in ("plan.json", "dataset.snapshot"):
        if not (plan_folder / name).is_file():
            raise UsageError(f"{plan_folder} has no {name}: give the folder balai pilot wrote")
    if not journal_path.is_file():
        raise UsageError(f"no such journal: {journal_path}")
    dataset = io.load_snapshot(plan_folder / "dataset.snapshot")
    roster = pilot.load_roster(plan_folder / "plan.json", dataset)
    with Journal(journal_path, roster, create=False) as journal:
        return journal.snapshot()


def instant_or_now(seconds: int | None) -> int:
    """An --instant option's value, or the current time when it was not given."""
    return int(time.time()) if seconds is None else seconds


def instant(text: str) -> int:
    """Unix seconds of an RFC 3339 date-time with its offset ("2027-03-01T09:00:00+07:00",
    "2027-03-01T02:00:00Z"), an argparse type: a time without an offset is refused rather
    than read in the machine's own zone."""
    normal = text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text  # Python 3.10
    try:
        moment = dt.datetime.fromisoformat(normal)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in text.upper():
        raise ValueError(f"not a date-time with its offset: {text!r}")
    return int(moment.timestamp())
