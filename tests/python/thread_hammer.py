"""Run by test_threads.py in a child process, so that a crash fails the test instead of
killing pytest: hammers each thread-capable balai object from 8 Python threads for a few
seconds, then checks that every acknowledged change is there exactly once. Prints what is
wrong and exits 1, or exits 0.

    python thread_hammer.py STATE FOLDER SECONDS

STATE is a pickle of (dataset, roster) as conftest.py makes them."""

from __future__ import annotations

import datetime as dt
import pickle
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import balai
from balai import scenario, space

THREADS = 8
START = 1799020800  # 2027-01-04T00:00:00Z, the first session of the roster's cohorts


def attended(first_id: int, count: int, registrations: int) -> list[balai.Event]:
    """`count` attendance events with the ids from `first_id`, spread over registrations and
    the four sessions of ENT-101."""
    return [
        balai.Event(
            first_id + i,
            kind=balai.EventKind.attended,
            registration=(first_id + i) % registrations,
            module=0,
            session=1 + (first_id + i) % 4,
            time=START + 3600,
            actor="hammer",
        )
        for i in range(count)
    ]


def as_columns(events: list[balai.Event]) -> dict[str, object]:
    """`events` as the keyword arguments of append_columns."""
    return {
        "id": np.array([e.id for e in events], dtype=np.uint64),
        "kind": np.array([e.kind.value for e in events], dtype=np.uint8),
        "registration": np.array([e.registration for e in events], dtype=np.uint32),
        "time": np.array([e.time for e in events], dtype=np.int64),
        "actor": np.zeros(len(events), dtype=np.uint32),
        "texts": ["hammer"],
        "module": np.zeros(len(events), dtype=np.int32),
        "session": np.array([e.session for e in events], dtype=np.int32),
    }


class Hammer:
    """Runs `work(thread, round)` from THREADS threads until `seconds` have passed; collects
    whatever a thread raises, which is a failure."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.failures: list[str] = []

    def run(self, name: str, work: Callable[[int, int], None]) -> None:
        deadline = time.monotonic() + self.seconds

        def loop(thread: int) -> None:
            round_ = 0
            try:
                while time.monotonic() < deadline:
                    work(thread, round_)
                    round_ += 1
            except Exception as error:
                self.failures.append(f"{name}, thread {thread}: {type(error).__name__}: {error}")

        threads = [threading.Thread(target=loop, args=(t,)) for t in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def check(self, name: str, condition: bool, detail: str) -> None:
        if not condition:
            self.failures.append(f"{name}: {detail}")


def enrol(roster: balai.Roster) -> list[balai.Event]:
    return [
        balai.Event(r + 1, kind=balai.EventKind.enrolled, registration=r, time=START, actor="k")
        for r in range(len(roster.registrations))
    ]


def hammer_ledger(hammer: Hammer, roster: balai.Roster) -> None:
    """Appends (as Event values and as numpy columns) from every thread while the others
    read statuses and exports."""
    ledger = balai.Ledger(roster)
    ledger.append(enrol(roster))
    registrations = len(roster.registrations)
    acknowledged: list[list[int]] = [[] for _ in range(THREADS)]

    def work(thread: int, round_: int) -> None:
        first = 1_000_000 * (thread + 1) + 10 * round_
        events = attended(first, 10, registrations)
        if round_ % 2:
            ledger.append_columns(**as_columns(events))  # type: ignore[arg-type]
        else:
            ledger.append(events)
        acknowledged[thread] += [e.id for e in events]
        ledger.statuses()
        ledger.statuses(START + 7200)
        balai.xapi_statements(
            ledger, base_iri="https://balai.example", home_page="https://balai.example"
        )
        len(ledger)

    hammer.run("ledger", work)
    ids = [i for ids in acknowledged for i in ids]
    hammer.check("ledger", len(ids) > 0, "no append was acknowledged")
    missing = [i for i in ids if ledger.find(i) is None]
    hammer.check("ledger", not missing, f"{len(missing)} acknowledged events are missing")
    expected = len(ids) + registrations
    hammer.check("ledger", len(ledger) == expected, f"{len(ledger)} events, not {expected}")


def hammer_journal(hammer: Hammer, roster: balai.Roster, folder: Path) -> None:
    """Appends from every thread while the others take snapshots; the reopened journal
    holds every acknowledged event once."""
    path = folder / "hammer.journal"
    registrations = len(roster.registrations)
    acknowledged: list[list[int]] = [[] for _ in range(THREADS)]
    with balai.Journal(path, roster) as journal:
        journal.append(enrol(roster))

        def work(thread: int, round_: int) -> None:
            events = attended(1_000_000 * (thread + 1) + 10 * round_, 10, registrations)
            journal.append(events)
            acknowledged[thread] += [e.id for e in events]
            journal.snapshot().statuses()

        hammer.run("journal", work)
    ids = [i for ids in acknowledged for i in ids]
    with balai.Journal(path, roster) as journal:
        ledger = journal.snapshot()
    missing = [i for i in ids if ledger.find(i) is None]
    hammer.check("journal", not missing, f"{len(missing)} acknowledged events are missing")
    expected = len(ids) + registrations
    hammer.check("journal", len(ledger) == expected, f"{len(ledger)} events, not {expected}")


def hammer_dataset(hammer: Hammer, dataset: balai.Dataset, folder: Path) -> None:
    """Adds trainees from every thread while the others write frames and CSV."""
    first = dataset.trainees[0]
    added: list[list[str]] = [[] for _ in range(THREADS)]

    def work(thread: int, round_: int) -> None:
        trainee_id = f"HAM-{thread}-{round_}"
        copy = balai.Trainee(
            trainee_id,
            gender=first.gender,
            birth_year=first.birth_year,
            regency=first.regency,
            location=first.location,
            track=first.track,
            umkm_class=first.umkm_class,
            sector=first.sector,
        )
        dataset.add(trainees=[copy])
        added[thread].append(trainee_id)
        dataset.to_frames()
        balai.write_csv(dataset, folder / f"csv-{thread}")

    before = len(dataset.trainees)
    hammer.run("dataset", work)
    count = sum(len(ids) for ids in added)
    hammer.check(
        "dataset",
        len(dataset.trainees) == before + count,
        f"{len(dataset.trainees)} trainees, not {before + count}",
    )


def hammer_space_book(hammer: Hammer) -> None:
    """Books and cancels from every thread while the others read availability; what is left
    is what was booked and not cancelled."""
    inventory = space.SpaceInventory(
        start=dt.date(2027, 1, 4),
        weeks=4,
        sites=[
            space.SpaceSite(
                facility="UPTD-3273-001",
                kind="uptd",
                location=balai.GeoPoint(-6.9175, 107.6191),
                province=32,
            )
        ],
        resources=[space.Resource(site=0, kind="storage", capacity=[10**6] * 4)],
    )
    book = space.SpaceBook(inventory)
    kept: list[list[str]] = [[] for _ in range(THREADS)]

    def work(thread: int, round_: int) -> None:
        ids = [f"Q-{thread}-{round_}/{i}" for i in range(2)]
        book.add([space.Booking(id=i, request=i, resource=0, amount=1) for i in ids])
        book.cancel(ids[1])
        kept[thread].append(ids[0])
        book.available(0, 0)

    hammer.run("space book", work)
    expected = sorted(i for ids in kept for i in ids)
    found = sorted(b.id for b in book.bookings)
    hammer.check("space book", found == expected, f"{len(found)} bookings, not {len(expected)}")


def hammer_builder(hammer: Hammer) -> None:
    """Builds while other threads add to the same builder."""
    builder = scenario.ScenarioBuilder(scenario.ScenarioOptions(seed=5))
    builder.facility(balai.FacilityKind.uptd, province=32)
    builder.trainees(5, province=32)
    sizes: list[int] = []

    def work(thread: int, round_: int) -> None:
        if thread % 2:
            builder.trainees(1, province=32)
        else:
            sizes.append(len(builder.build().trainees))

    hammer.run("builder", work)
    hammer.check("builder", bool(sizes) and min(sizes) >= 5, f"built sizes {sizes[:5]}...")


def main() -> int:
    state, folder, seconds = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    dataset, roster = pickle.loads(state.read_bytes())
    hammer = Hammer(seconds)
    hammer_ledger(hammer, roster)
    hammer_journal(hammer, roster, folder)
    hammer_dataset(hammer, dataset, folder)
    hammer_space_book(hammer)
    hammer_builder(hammer)
    for failure in hammer.failures:
        print(failure)
    return 1 if hammer.failures else 0


if __name__ == "__main__":
    sys.exit(main())
