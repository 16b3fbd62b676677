"""Race balai's event ledger against sqlite3 (ingest) and pandas (statuses).

One synthetic program: R registrations (half per track), three required modules each with
a 32-session cohort, and per registration 100 events: an enrolment, 96 attendance records
(90% attended) and three assessments. 10^7 events at the default R = 100,000. The events
arrive in time order, one class session after another, in batches of 65,536.

In one process, on the same numpy columns:

* balai, in memory: ``Ledger.append_columns`` per batch (validation, idempotency index,
  enrolment checks), then the statuses of every registration (rule evaluation);
* balai, durable: the same through a ``Journal`` (one record and one fdatasync per
  batch), when the installed package has ``balai.Journal``;
* sqlite3 with WAL: one table with a unique event id, ``executemany`` in one transaction;
* pandas: the same statuses computed with ``groupby`` from the same columns (attendance
  share, best score, each module's rule, all modules done), checked equal to balai's.

Memory per event is the ledger's own accounting (``memory_bytes``) and the growth of the
process's resident set while the ledger ingests.

    .venv/bin/python bench/bench_tracking.py [--registrations 100000] [--sqlite-events N]
"""

from __future__ import annotations

import argparse
import datetime
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import balai

SESSIONS = 32
BATCH = 65_536
START = datetime.date(2027, 1, 4)
# Modules: (code, tracks, min_attendance, pass_mark, move_on)
MODULES = [
    ("BASIC", [balai.Track.umkm_owner, balai.Track.new_entrepreneur], 0.75, None, "completed"),
    (
        "FIN",
        [balai.Track.umkm_owner, balai.Track.new_entrepreneur],
        0.8,
        60.0,
        "completed_and_passed",
    ),
    ("MKT", [balai.Track.umkm_owner], 0.5, 70.0, "completed_or_passed"),
    ("ORIENT", [balai.Track.new_entrepreneur], 0.9, None, "completed"),
]
TRACK_MODULES = [[0, 1, 2], [0, 1, 3]]  # module indices per track, in requirement order


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def world(registrations: int) -> balai.Roster:
    facility = balai.Facility(
        "BLK-3273-001",
        name="BLK Bandung",
        kind=balai.FacilityKind.uptd,
        owner=balai.OwnerLevel.province,
        location=balai.GeoPoint(-6.9175, 107.6191),
        province=32,
        rooms=40,
        seats=4000,
        features=["classroom"],
    )
    modules = [
        balai.Module(
            code,
            title=code,
            hours_jp=64,
            required_features=["classroom"],
            tracks=tracks,
            rule=balai.CompletionRule(
                min_attendance=share, pass_mark=mark, move_on=balai.MoveOnRule[move_on]
            ),
        )
        for code, tracks, share, mark, move_on in MODULES
    ]
    trainees = [
        balai.Trainee(
            f"T-{r}",
            gender=balai.Gender.female if r % 3 else balai.Gender.male,
            birth_year=1990,
            province=32,
            location=balai.GeoPoint(-6.90, 107.62),
            track=balai.Track.umkm_owner if r % 2 == 0 else balai.Track.new_entrepreneur,
            umkm_class=balai.UmkmClass.micro,
            sector=balai.Kbli(balai.KbliVersion.kbli2020, "10792"),
        )
        for r in range(registrations)
    ]
    dataset = balai.Dataset([], [facility], modules, trainees)
    sessions = [START + datetime.timedelta(days=(7 * s) // 2) for s in range(SESSIONS)]
    cohorts = [
        balai.Cohort(f"C-{code}", module=code, facility=facility.id, sessions=sessions)
        for code, *_ in MODULES
    ]
    regs = [
        balai.Registration(
            f"00000000-0000-4000-8000-{r:012x}",
            trainee=f"T-{r}",
            cohorts=[f"C-{MODULES[m][0]}" for m in TRACK_MODULES[r % 2]],
        )
        for r in range(registrations)
    ]
    return balai.Roster(dataset, cohorts, regs)


def events(registrations: int, seed: int = 2027) -> dict[str, Any]:
    """The event columns, in arrival (time) order."""
    rng = np.random.default_rng(seed)
    r = np.arange(registrations, dtype=np.uint32)
    track = r % 2
    modules = np.array(TRACK_MODULES, dtype=np.int32)[track]  # (R, 3)
    day0 = int(pd.Timestamp(START, tz="UTC").timestamp())
    session_time = day0 + 2 * 3600 + (np.arange(SESSIONS) * 7 * 86400) // 2 // 86400 * 86400
    # Enrolments, the day before the first session.
    parts = [
        dict(
            kind=0, registration=r, module=-1, session=-1, time=np.full(registrations, day0 - 86400)
        ),
    ]
    for s in range(SESSIONS):
        for k in range(3):
            attended = rng.random(registrations) < 0.9
            parts.append(
                dict(
                    kind=np.where(attended, 1, 2),
                    registration=r,
                    module=modules[:, k],
                    session=s + 1,
                    time=np.full(registrations, session_time[s] + 3600 * k),
                )
            )
    for k in range(3):
        parts.append(
            dict(
                kind=4,
                registration=r,
                module=modules[:, k],
                session=-1,
                time=np.full(registrations, session_time[-1] + 86400 + 3600 * k),
                score=np.round(rng.normal(72, 12, registrations).clip(0, 100), 1),
            )
        )
    n = registrations * len(parts)
    columns: dict[str, Any] = {
        "id": np.arange(1, n + 1, dtype=np.uint64),
        "kind": np.concatenate([np.broadcast_to(p["kind"], registrations) for p in parts]).astype(
            np.uint8
        ),
        "registration": np.tile(r, len(parts)),
        "module": np.concatenate(
            [np.broadcast_to(p["module"], registrations) for p in parts]
        ).astype(np.int32),
        "session": np.concatenate(
            [np.broadcast_to(p["session"], registrations) for p in parts]
        ).astype(np.int32),
        "time": np.concatenate([p["time"] for p in parts]).astype(np.int64),
        "actor": np.zeros(n, dtype=np.uint32),
        "score": np.concatenate([p.get("score", np.full(registrations, np.nan)) for p in parts]),
        "reason": np.full(n, 0xFFFFFFFF, dtype=np.uint32),
        "target": np.zeros(n, dtype=np.uint64),
        "result": np.full(n, 0xFF, dtype=np.uint8),
    }
    return columns


def batches(columns: dict[str, Any], size: int) -> Iterator[dict[str, Any]]:
    n = len(columns["id"])
    for begin in range(0, n, size):
        yield {name: values[begin : begin + size] for name, values in columns.items()}


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def ingest(sink: Any, columns: dict[str, Any]) -> None:
    texts = ["instructor-1"]
    for batch in batches(columns, BATCH):
        sink.append_columns(**batch, texts=texts)


def pandas_statuses(columns: dict[str, Any], registrations: int) -> np.ndarray[Any, Any]:
    """Completed registrations by the same rules, with groupby; a bool per registration."""
    frame = pd.DataFrame(
        {
            "registration": columns["registration"],
            "module": columns["module"],
            "attended": columns["kind"] == 1,
            "score": columns["score"],
        }
    )
    per_module = (
        frame[frame["module"] >= 0]
        .groupby(["registration", "module"])
        .agg(attended=("attended", "sum"), best=("score", "max"))
    )
    module = per_module.index.get_level_values("module").to_numpy()
    share = np.array([m[2] for m in MODULES])[module]
    mark = np.array([np.nan if m[3] is None else m[3] for m in MODULES])[module]
    completed = per_module["attended"].to_numpy() >= share * SESSIONS - 1e-9
    passed = per_module["best"].to_numpy() >= mark
    rule = np.array([m[4] for m in MODULES])[module]
    done = np.select(
        [rule == "completed", rule == "completed_and_passed", rule == "completed_or_passed"],
        [completed, completed & passed, completed | passed],
    )
    all_done = pd.Series(done, index=per_module.index).groupby(level="registration").all()
    return all_done.reindex(range(registrations), fill_value=False).to_numpy()


def sqlite_ingest(columns: dict[str, Any], limit: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "events.db")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, kind INTEGER, registration INTEGER, "
            "module INTEGER, session INTEGER, time INTEGER, actor TEXT, score REAL)"
        )
        rows = zip(
            columns["id"][:limit].tolist(),
            columns["kind"][:limit].tolist(),
            columns["registration"][:limit].tolist(),
            columns["module"][:limit].tolist(),
            columns["session"][:limit].tolist(),
            columns["time"][:limit].tolist(),
            ["instructor-1"] * limit,
            columns["score"][:limit].tolist(),
            strict=True,
        )
        start = time.perf_counter()
        with db:
            db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        seconds = time.perf_counter() - start
        db.close()
    return seconds


def race_balai(
    roster: balai.Roster, columns: dict[str, Any]
) -> tuple[list[tuple[str, float, int]], np.ndarray[Any, Any], str]:
    """balai in memory: sequential ids, then a re-append, then ids in random order."""
    n = len(columns["id"])
    rows: list[tuple[str, float, int]] = []
    ledger = balai.Ledger(roster)
    rss_before = rss_bytes()
    append_s, _ = timed(lambda: ingest(ledger, columns))
    rss_growth = rss_bytes() - rss_before
    status_s, statuses = timed(ledger.statuses)
    completed = statuses._program_columns()["status"] == balai.Status.completed.value
    rows.append(("balai in memory: append", append_s, n))
    rows.append(("balai: statuses", status_s, n))
    rows.append(("balai in memory: append + statuses", append_s + status_s, n))
    duplicate_s, _ = timed(lambda: ingest(ledger, columns))
    rows.append(("balai: re-append (all duplicates)", duplicate_s, n))
    per_event = ledger.memory_bytes / n

    # A service's pattern: a small batch, then the statuses, which the ledger brings up to
    # date rather than evaluating afresh.
    more = 100
    ledger.append_columns(
        id=np.arange(n + 1, n + 1 + more, dtype=np.uint64),
        kind=np.ones(more, dtype=np.uint8),  # attended
        registration=np.arange(more, dtype=np.uint32),
        module=np.zeros(more, dtype=np.int32),  # BASIC, on both tracks
        session=np.ones(more, dtype=np.int32),
        time=np.full(more, int(columns["time"].max()) + 60, dtype=np.int64),
        actor=np.zeros(more, dtype=np.uint32),
        texts=["instructor-1"],
    )
    updated_s, updated = timed(ledger.statuses)
    fresh_s, fresh = timed(lambda: ledger.statuses(updated.as_of))
    assert updated == fresh
    print(
        f"statuses after {more} more events: {updated_s:.3f} s brought up to date, "
        f"{fresh_s:.3f} s evaluated afresh (equal)"
    )

    # Ids that do not rise (many producers, hashed UUIDs) take the hash index path.
    shuffled = dict(columns, id=np.random.default_rng(1).permutation(columns["id"]))
    hashed = balai.Ledger(roster)
    hashed_s, _ = timed(lambda: ingest(hashed, shuffled))
    rows.append(("balai in memory: append, ids in random order", hashed_s, n))
    memory = (
        f"memory: {per_event:.1f} bytes/event (ledger accounting), "
        f"{rss_growth / n:.1f} bytes/event (resident set growth during ingest); "
        f"{hashed.memory_bytes / n:.1f} bytes/event with ids in random order"
    )
    return rows, completed, memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument(
        "--sqlite-events", type=int, default=0, help="events sqlite3 ingests (default: all)"
    )
    args = parser.parse_args()

    setup, roster = timed(lambda: world(args.registrations))
    columns = events(args.registrations)
    n = len(columns["id"])
    print(f"{n:,} events for {args.registrations:,} registrations (setup {setup:.1f} s)")
    rows: list[tuple[str, float, int]] = []

    balai_rows, balai_completed, memory = race_balai(roster, columns)
    rows += balai_rows
    status_s = next(seconds for name, seconds, _ in rows if name == "balai: statuses")

    if hasattr(balai, "Journal"):
        with tempfile.TemporaryDirectory() as folder:
            journal = balai.Journal(Path(folder) / "events.journal", roster)
            durable_s, _ = timed(lambda: ingest(journal, columns))
            journal.close()
        rows.append(("balai journal: append (fdatasync per 64k)", durable_s, n))

    sqlite_n = args.sqlite_events or n
    sqlite_s = sqlite_ingest(columns, sqlite_n)
    rows.append(("sqlite3 WAL: executemany, one transaction", sqlite_s, sqlite_n))

    pandas_s, pandas_completed = timed(lambda: pandas_statuses(columns, args.registrations))
    rows.append(("pandas groupby: statuses", pandas_s, n))
    if not np.array_equal(pandas_completed, balai_completed):
        print("MISMATCH: pandas and balai disagree on who completed")
        return 1

    print(f"completed: {int(balai_completed.sum()):,} of {args.registrations:,} (pandas agrees)")
    print(memory)
    print(f"{'':44} {'seconds':>8} {'events/s':>12}")
    for name, seconds, count in rows:
        print(f"{name:44} {seconds:8.2f} {count / seconds:12,.0f}")
    rate = {name: count / seconds for name, seconds, count in rows}
    sqlite_rate = rate["sqlite3 WAL: executemany, one transaction"]
    for name in [row[0] for row in rows if "append" in row[0]]:
        print(f"{name} / sqlite3: {rate[name] / sqlite_rate:.1f}x")
    print(f"statuses, pandas / balai (evaluation alone): {pandas_s / status_s:.1f}x")
    goals = [  # issue 20's, for this benchmark's rows
        (
            "ids in random order, M events/s",
            rate["balai in memory: append, ids in random order"] / 1e6,
            10,
        ),
        ("statuses, pandas / balai", pandas_s / status_s, 20),
    ]
    if "balai journal: append (fdatasync per 64k)" in rate:
        journal_rate = rate["balai journal: append (fdatasync per 64k)"]
        goals.append(("journal / sqlite3", journal_rate / sqlite_rate, 10))
    for name, value, goal in goals:
        met = "met" if value >= goal else "NOT met"
        print(f"goal, {name}: {value:.1f}, at least {goal}: {met}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
