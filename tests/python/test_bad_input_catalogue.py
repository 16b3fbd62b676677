"""The bad-input catalogue: malformed inputs across the public API and the loaders, one
row each, every one raising its documented error with a message that names the problem
and leaving the dataset, the ledger, the journal, the space book and the files on disk as
they were. docs/errors.md lists the same cases in the same order.

A case passes only when the error's type is exactly the one listed, its message matches
the pattern (the field, the value, for files the line) and nothing changed. Cases marked
`bug` are known defects, kept as strict xfails until they are fixed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import REGISTRATION_IDS

import balai
from balai import (
    AllocationOptions,
    CompletionRule,
    Event,
    EventKind,
    Facility,
    FacilityKind,
    GeoPoint,
    Module,
    OwnerLevel,
    Trainee,
    pilot,
    scenario,
    space,
)
from balai.pilot import ForecastOptions, SiteSelectionOptions, TimetableOptions
from balai.space import (
    Booking,
    Resource,
    SpaceBook,
    SpaceInventory,
    SpaceOptions,
    SpaceRequest,
    SpaceSite,
)

START = 1799020800  # 2027-01-04T00:00:00Z
BANDUNG = GeoPoint(-6.9175, 107.6191)
INVALID_TEXT = "BLK\udcff"  # a lone surrogate: what undecodable bytes become in Python


# ---- the world every case runs against ---------------------------------------------------


@dataclasses.dataclass
class World:
    """A valid dataset, a roster, a ledger and a journal holding the same five events, a
    space book with one booking, the dataset as CSV files, and a folder for the files a
    case reads (`inputs`)."""

    dataset: balai.Dataset
    roster: balai.Roster
    ledger: balai.Ledger
    journal: Path
    book: SpaceBook
    csv: Path
    inputs: Path
    written: dict[Path, bytes] = dataclasses.field(default_factory=dict)
    """Every input file a case wrote, with its bytes: reading must leave them so."""

    def write(self, name: str, data: bytes) -> Path:
        path = self.inputs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.written[path] = data
        return path

    def table(self, name: str) -> bytes:
        """A table of the dataset as CSV, as balai writes it."""
        return (self.csv / name).read_bytes()

    def csv_with(self, name: str, data: bytes) -> Path:
        """A copy of the dataset's CSV directory with one file replaced."""
        for table in self.csv.iterdir():
            self.write(f"dataset/{table.name}", table.read_bytes())
        self.write(f"dataset/{name}", data)
        return self.inputs / "dataset"


def events() -> list[Event]:
    """Every registration enrolled, then ENT-101 session 1 attended by the first two."""
    enrolled = [
        Event(r + 1, kind=EventKind.enrolled, registration=r, time=START, actor="kiosk-1")
        for r in range(3)
    ]
    attended = [
        Event(
            10 + r,
            kind=EventKind.attended,
            registration=r,
            module=0,
            session=1,
            time=START + 3600,
            actor="instructor-1",
        )
        for r in range(2)
    ]
    return enrolled + attended


@pytest.fixture
def world(dataset: balai.Dataset, roster: balai.Roster, tmp_path: Path) -> World:
    ledger = balai.Ledger(roster)
    ledger.append(events())
    journal = tmp_path / "events.journal"
    with balai.Journal(journal, roster) as open_journal:
        for batch in (events()[:3], events()[3:4], events()[4:]):
            open_journal.append(batch)
    inventory = SpaceInventory(
        start=dt.date(2027, 1, 4),
        weeks=3,
        sites=[SpaceSite(facility="UPTD-3273-001", kind="uptd", location=BANDUNG, province=32)],
        resources=[Resource(site=0, kind="storage", capacity=[50] * 3)],
    )
    book = SpaceBook(inventory)
    book.add([Booking(id="R-1/1", request="R-1", resource=0, amount=10, distance_km=1.5)])
    csv = tmp_path / "csv"
    balai.write_csv(dataset, csv)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    return World(dataset, roster, ledger, journal, book, csv, inputs)


def fingerprint(world: World) -> dict[str, Any]:
    """Everything a failed call must leave as it was."""
    data = world.dataset._data
    with balai.Journal(world.journal, world.roster) as journal:
        replayed = journal.snapshot()
    return {
        "dataset": (
            balai._core.dataset_digest(data),
            data.regency_count(),
            data.facility_count(),
            data.module_count(),
            data.trainee_count(),
            data.program,
        ),
        "ledger": [world.ledger.event(i) for i in range(len(world.ledger))],
        "statuses": world.ledger.status_frame().to_csv(),
        "modules": world.ledger.module_frame().to_csv(),
        "journal": [replayed.event(i) for i in range(len(replayed))],
        "book": world.book.bookings,
        "files": {
            str(path.relative_to(world.csv.parent)): path.read_bytes()
            for path in sorted(world.csv.parent.rglob("*"))
            if path.is_file() and world.inputs not in path.parents
        },
    }


def inputs_as_written(world: World) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in world.written}


# ---- inputs ------------------------------------------------------------------------------


def facility(**changes: Any) -> Facility:
    fields: dict[str, Any] = {
        "name": "BLK Uji",
        "kind": FacilityKind.uptd,
        "owner": OwnerLevel.province,
        "location": BANDUNG,
        "province": 32,
        "rooms": 1,
        "seats": 20,
        "features": ["classroom"],
    }
    return Facility("BLK-UJI", **{**fields, **changes})


def module(code: str, **changes: Any) -> Module:
    fields: dict[str, Any] = {"title": "Modul uji", "hours_jp": 8}
    return Module(code, **{**fields, **changes})


def trainee(world: World, id: str, **changes: Any) -> Trainee:
    """A copy of the dataset's first trainee under another id."""
    first = world.dataset.trainees[0]
    fields: dict[str, Any] = {
        "gender": first.gender,
        "birth_year": first.birth_year,
        "regency": first.regency,
        "location": first.location,
        "track": first.track,
        "umkm_class": first.umkm_class,
        "sector": first.sector,
    }
    return Trainee(id, **{**fields, **changes})


def event(id: int, kind: EventKind = EventKind.withdrew, **fields: Any) -> Event:
    values: dict[str, Any] = {"registration": 0, "time": START + 7200, "actor": "kiosk-1"}
    return Event(id, kind=kind, **{**values, **fields})


def events_frame(**columns: Any) -> pd.DataFrame:
    """One withdrawal of the first registration, with `columns` changed."""
    values: dict[str, Any] = {
        "id": [50],
        "kind": ["withdrew"],
        "registration": [REGISTRATION_IDS[0]],
        "time": [START + 7200],
        "actor": ["kiosk-1"],
    }
    return pd.DataFrame({**values, **columns})


def request(**changes: Any) -> SpaceRequest:
    fields: dict[str, Any] = {
        "id": "Q-1",
        "business": "UMKM-1",
        "kind": "storage",
        "amount": 5,
        "location": BANDUNG,
        "province": 32,
    }
    return SpaceRequest(**{**fields, **changes})


def facilities_with(world: World, row: int, column: str, value: Any) -> pd.DataFrame:
    frame = world.dataset.to_frame("facilities").astype({column: object})
    frame.loc[row, column] = value
    return frame


def from_frames(world: World, table: str, frame: Any) -> balai.Dataset:
    return balai.Dataset.from_frames({**world.dataset.to_frames(), table: frame})


def journal_append(world: World, batch: list[Event]) -> None:
    with balai.Journal(world.journal, world.roster) as journal:
        journal.append(batch)


def journal_bytes(world: World) -> bytes:
    return world.journal.read_bytes()


def record_offsets(data: bytes) -> list[int]:
    """Where each record of a journal starts: after the 52-byte header, each is a 20-byte
    frame header, whose first field is the payload's length, and the payload
    (docs/journal.md)."""
    offsets = []
    offset = 52
    while offset < len(data):
        offsets.append(offset)
        offset += 20 + int.from_bytes(data[offset : offset + 4], "little")
    return offsets


def damaged_journal(world: World) -> Path:
    """The journal with a payload byte of its middle record flipped: a record written
    after it follows, so this is corruption, not a torn tail."""
    data = journal_bytes(world)
    damaged = bytearray(data)
    damaged[record_offsets(data)[1] + 20 + 4] ^= 0xFF
    return world.write("damaged.journal", bytes(damaged))


def foreign_journal_cut_short(world: World) -> Path:
    """The first 40 bytes of a journal of another roster: a header cut short that is not
    this roster's."""
    other = balai.Roster(world.dataset, world.roster.cohorts, [])
    path = world.inputs / "other.journal"
    with balai.Journal(path, other):
        pass
    return world.write("other.journal", path.read_bytes()[:40])


def plan_document(world: World) -> dict[str, Any]:
    """What pilot.write_snapshot writes for the world's roster (the parts load_roster reads)."""
    return {
        "format": pilot.SNAPSHOT_FORMAT,
        "dataset_digest": balai._core.dataset_digest(world.dataset._data),
        "cohorts": [
            {
                "code": c.code,
                "module": c.module,
                "facility": c.facility,
                "sessions": [day.isoformat() for day in c.sessions],
                "deadline": None if c.deadline is None else c.deadline.isoformat(),
            }
            for c in world.roster.cohorts
        ],
        "registrations": [
            {"id": r.id, "trainee": r.trainee, "cohorts": list(r.cohorts)}
            for r in world.roster.registrations
        ],
    }


def plan_file(world: World, data: bytes) -> balai.Roster:
    return pilot.load_roster(world.write("plan.json", data), world.dataset)


def plan_with(world: World, **changes: Any) -> balai.Roster:
    document = {**plan_document(world), **changes}
    return plan_file(world, json.dumps(document).encode())


def first_row_cut(world: World) -> bytes:
    """facilities.csv ending after the fifth field of its first row."""
    header, row = world.table("facilities.csv").split(b"\n")[:2]
    return header + b"\n" + b",".join(row.split(b",")[:5])


def snapshot_file(world: World, cut: int) -> Path:
    data = balai.to_snapshot_bytes(world.dataset)
    return world.write("dataset.snapshot", data[: len(data) - cut])


NIK = "3273015203880001"  # a valid NIK: it must never come back in a message
CERTIFICATE_KEY = b"k" * 32


def with_trainee_cell(world: World, column: str, value: str) -> Path:
    """The dataset's CSV directory with one cell of the first trainee's row replaced."""
    header, row, *rest = world.table("trainees.csv").decode().split("\n")
    cells = row.split(",")
    cells[header.split(",").index(column)] = value
    return world.csv_with("trainees.csv", "\n".join([header, ",".join(cells), *rest]).encode())


def trainees_frame_with(world: World, column: str, value: str) -> pd.DataFrame:
    frame = world.dataset.to_frame("trainees")
    frame.loc[0, column] = value
    return frame


def sealed_records(world: World) -> list[balai.CertificateRecord]:
    """A registry's records: the first registration's certificate, revoked an hour after
    it was issued (its program completed by an override, as a recognition of prior
    learning would)."""
    ledger = balai.Ledger(world.roster)
    ledger.append(events()[:1])
    ledger.append([event(60, EventKind.overridden, reason="RPL", result=balai.Status.completed)])
    registry = balai.CertificateRegistry(CERTIFICATE_KEY)
    certificate = registry.issue(ledger, 0, now=START + 86400)
    registry.revoke(certificate.serial, reason="fraud", time=START + 90000)
    return registry.records()


def restored_with_revocation(
    world: World, revocation: Callable[[balai.Revocation], balai.Revocation | None]
) -> balai.CertificateRegistry:
    """A registry restored from sealed records whose revocation was edited."""
    (record,) = sealed_records(world)
    assert record.revocation is not None
    tampered = balai.CertificateRecord(
        record.certificate, revocation=revocation(record.revocation), seal=record.seal
    )
    return balai.CertificateRegistry(CERTIFICATE_KEY, records=[tampered])


def booking(**changes: Any) -> Booking:
    fields: dict[str, Any] = {"id": "Q-1/1", "request": "Q-1", "resource": 0, "amount": 1}
    return Booking(**{**fields, **changes})


def without(world: World, name: str, folder: str) -> Path:
    """A copy of the dataset's CSV directory, named `folder`, without the table `name`."""
    for table in world.csv.iterdir():
        if table.name != name:
            world.write(f"{folder}/{table.name}", table.read_bytes())
    return world.inputs / folder


def misnamed_trainees(world: World) -> Path:
    """The dataset's CSV directory with trainees.csv saved as Trainees.csv."""
    folder = without(world, "trainees.csv", "misnamed")
    world.write("misnamed/Trainees.csv", world.table("trainees.csv"))
    return folder


def symlink_loop(world: World, name: str) -> Path:
    """The dataset's CSV directory whose table `name` is a symbolic link to itself."""
    folder = without(world, name, "looped")
    (folder / name).symlink_to(name)
    return folder


# ---- the catalogue -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    """One malformed input: `call` makes it against the world and must raise exactly
    `error` with a message matching `match` (re.search)."""

    id: str
    category: str
    call: Callable[[World], object]
    error: type[Exception]
    match: str
    bug: str | None = None


WRONG_TYPE = "wrong type"
NAN = "NaN or infinity"
EMPTY = "empty table"
HUGE = "huge value"
UNKNOWN = "unknown id"
CYCLE = "cycle"
DUPLICATE = "duplicate id"
TRUNCATED = "truncated file"
ENCODING = "wrong encoding"
LOADER = "loader"
PLACE = "implausible place"
PERSONAL = "personal data"
TAMPERED = "tampered records"
SOLVER = "unchecked solver input"

CASES = [
    # -- wrong types ----------------------------------------------------------------------
    Case(
        "geopoint-lat-as-str",
        WRONG_TYPE,
        lambda w: GeoPoint("-6.9", 107.6),  # type: ignore[arg-type]
        TypeError,
        r"incompatible constructor arguments(?s:.*)Invoked with: '-6\.9', 107\.6",
    ),
    Case(
        "facility-rooms-as-str",
        WRONG_TYPE,
        lambda w: facility(rooms="6"),
        TypeError,
        r"incompatible constructor arguments(?s:.*)rooms='6'",
    ),
    Case(
        "module-prerequisites-none",
        WRONG_TYPE,
        lambda w: module("M-1", prerequisites=None),
        TypeError,
        r"incompatible constructor arguments(?s:.*)prerequisites=None",
    ),
    Case(
        "module-tracks-as-names",
        WRONG_TYPE,
        lambda w: module("M-1", tracks=["umkm_owner"]),
        TypeError,
        r"incompatible constructor arguments(?s:.*)tracks=\['umkm_owner'\]",
    ),
    Case(
        "dataset-add-facilities-as-trainees",
        WRONG_TYPE,
        lambda w: w.dataset.add(trainees=[facility()]),  # type: ignore[list-item]
        TypeError,
        r"incompatible function arguments(?s:.*)\[Facility\(id='BLK-UJI'",
    ),
    Case(
        "ledger-append-ints",
        WRONG_TYPE,
        lambda w: w.ledger.append([1, 2]),  # type: ignore[list-item]
        TypeError,
        r"incompatible function arguments(?s:.*)Invoked with: <Ledger.*>, \[1, 2\]",
    ),
    Case(
        "forecast-replications-as-str",
        WRONG_TYPE,
        lambda w: ForecastOptions(replications="40"),  # type: ignore[arg-type]
        balai.ValidationError,
        r"replications = ''40'': has the wrong type: expected int",
    ),
    Case(
        "space-options-k-none",
        WRONG_TYPE,
        lambda w: SpaceOptions(k=None),  # type: ignore[arg-type]
        balai.ValidationError,
        r"k = 'None': has the wrong type: expected int",
    ),
    Case(
        "timetable-holidays-as-text",
        WRONG_TYPE,
        lambda w: TimetableOptions(holidays=["2027-01-01"]),  # type: ignore[list-item]
        balai.ValidationError,
        r"holidays\[0\] = ''2027-01-01'': has the wrong type",
    ),
    Case(
        "allocation-k-as-str",
        WRONG_TYPE,
        lambda w: balai.allocate(w.dataset, k="many"),  # type: ignore[arg-type]
        balai.ValidationError,
        r"k = ''many'': has the wrong type",
    ),
    Case(
        "scenario-options-trainees-as-str",
        WRONG_TYPE,
        lambda w: scenario.ScenarioOptions(trainees="many"),  # type: ignore[arg-type]
        balai.ValidationError,
        r"scenario options: trainees = ''many'': has the wrong type: expected int",
    ),
    Case(
        "pilot-options-max-rounds-as-str",
        WRONG_TYPE,
        lambda w: pilot.PilotOptions(max_rounds="3"),  # type: ignore[arg-type]
        balai.ValidationError,
        r"pilot options: max_rounds = ''3'': has the wrong type: expected int",
    ),
    Case(
        "events-frame-not-a-frame",
        WRONG_TYPE,
        lambda w: w.ledger.append_frame([1]),  # type: ignore[arg-type]
        TypeError,
        r"events must be a pandas DataFrame, not list",
    ),
    Case(
        "from-frames-table-as-list",
        WRONG_TYPE,
        lambda w: from_frames(w, "facilities", [1]),
        TypeError,
        r"the facilities table must be a pandas DataFrame, not list",
    ),
    # -- NaN and infinity -----------------------------------------------------------------
    Case(
        "geopoint-lat-nan",
        NAN,
        lambda w: GeoPoint(float("nan"), 107.6),
        balai.ValidationError,
        r"lat = 'nan': must be a finite number of degrees",
    ),
    Case(
        "geopoint-lng-inf",
        NAN,
        lambda w: GeoPoint(-6.9, float("inf")),
        balai.ValidationError,
        r"lng = 'inf': must be a finite number of degrees",
    ),
    Case(
        "completion-rule-attendance-nan",
        NAN,
        lambda w: CompletionRule(min_attendance=float("nan")),
        balai.ValidationError,
        r"min_attendance = 'nan': must be a fraction between 0 and 1",
    ),
    Case(
        "allocation-max-distance-nan",
        NAN,
        lambda w: AllocationOptions(max_distance_km=float("nan")),
        balai.ValidationError,
        r"max_distance_km = 'nan': must be a distance above 0",
    ),
    Case(
        "allocation-scores-nan",
        NAN,
        lambda w: AllocationOptions(scores=np.array([0.5, np.nan])),
        balai.ValidationError,
        r"scores\[1\] = 'nan': must be a finite number",
    ),
    Case(
        "site-radius-inf",
        NAN,
        lambda w: SiteSelectionOptions(radius_km=float("inf")),
        balai.ValidationError,
        r"radius_km = 'inf': must be a distance above 0",
    ),
    Case(
        "event-score-nan",
        NAN,
        lambda w: w.ledger.append([event(60, EventKind.assessed, module=1, score=float("nan"))]),
        balai.ValidationError,
        r"event 0 \(id 60\): score = 'nan': an assessment scores between 0 and 100",
    ),
    Case(
        "events-frame-score-inf",
        NAN,
        lambda w: w.ledger.append_frame(
            events_frame(kind=["assessed"], module=["FIN-101"], score=[np.inf])
        ),
        balai.ValidationError,
        r"score = 'inf': an assessment scores between 0 and 100",
    ),
    Case(
        "facilities-csv-lat-nan",
        NAN,
        lambda w: balai.read_facilities(
            w.write("facilities.csv", w.table("facilities.csv").replace(b"-6.9175", b"nan"))
        ),
        balai.ParseError,
        r"facilities\.csv:2:6: field 'lat': 'nan' is not a finite decimal number",
    ),
    Case(
        "facilities-frame-lat-nan",
        NAN,
        lambda w: from_frames(w, "facilities", facilities_with(w, 0, "lat", np.nan)),
        balai.ValidationError,
        r"facilities row 0: lat = '': missing value",
    ),
    Case(
        "space-request-distance-nan",
        NAN,
        lambda w: request(max_distance_km=float("nan")),
        balai.ValidationError,
        r"request Q-1: max_distance_km = 'nan': must be a distance above 0 km",
    ),
    Case(
        "booking-distance-nan",
        NAN,
        lambda w: w.book.add([booking(distance_km=float("nan"))]),
        balai.ValidationError,
        r"distance_km = 'nan'",
    ),
    # -- empty tables ---------------------------------------------------------------------
    Case(
        "facilities-csv-no-bytes",
        EMPTY,
        lambda w: balai.read_facilities(w.write("facilities.csv", b"")),
        balai.ParseError,
        r"facilities\.csv:1: empty file: expected a header row",
    ),
    Case(
        "dataset-dir-trainees-no-bytes",
        EMPTY,
        lambda w: balai.read_csv(w.csv_with("trainees.csv", b"")),
        balai.ParseError,
        r"trainees\.csv:1: empty file: expected a header row",
    ),
    Case(
        "program-csv-header-only",
        EMPTY,
        lambda w: balai.read_csv(
            w.csv_with("program.csv", w.table("program.csv").split(b"\n")[0] + b"\n")
        ),
        balai.ParseError,
        r"program\.csv:1: expected one program row below the header, found none",
    ),
    Case(
        "facilities-frame-no-columns",
        EMPTY,
        lambda w: from_frames(w, "facilities", pd.DataFrame()),
        balai.ValidationError,
        r"facilities: id = '': missing column",
    ),
    Case(
        "events-frame-no-columns",
        EMPTY,
        lambda w: w.ledger.append_frame(pd.DataFrame()),
        balai.ValidationError,
        r"events: id = '': missing column",
    ),
    Case(
        "requests-frame-no-columns",
        EMPTY,
        lambda w: space.requests_from_frame(pd.DataFrame()),
        balai.ValidationError,
        r"requests frame: id, business, kind, amount, lat, lng, province = '': required",
    ),
    # -- huge values ----------------------------------------------------------------------
    Case(
        "facility-seats-1e12",
        HUGE,
        lambda w: facility(seats=10**12),
        balai.ValidationError,
        r"seats = '1000000000000': must be a whole number in \[-2147483648, 2147483647\]",
    ),
    Case(
        "module-hours-2e64",
        HUGE,
        lambda w: module("BIG", hours_jp=2**64),
        balai.ValidationError,
        r"hours_jp = '18446744073709551616': must be a whole number in \[",
    ),
    Case(
        "facilities-csv-seats-1e12",
        HUGE,
        lambda w: balai.read_facilities(
            w.write(
                "facilities.csv",
                w.table("facilities.csv").replace(b",120,", b",1000000000000,"),
            )
        ),
        balai.ParseError,
        r"facilities\.csv:2:11: field 'seats': '1000000000000' is outside 0\.\.2147483647",
    ),
    Case(
        "facilities-csv-seats-past-int64",
        HUGE,
        lambda w: balai.read_facilities(
            w.write(
                "facilities.csv",
                w.table("facilities.csv").replace(b",120,", b",99999999999999999999,"),
            )
        ),
        balai.ParseError,
        r"facilities\.csv:2:11: field 'seats': '99999999999999999999' is outside 0\.\.2147483647",
    ),
    Case(
        "facilities-frame-seats-1e12",
        HUGE,
        lambda w: from_frames(w, "facilities", facilities_with(w, 0, "seats", 10**12)),
        balai.ValidationError,
        r"facilities row 0: seats = '1000000000000': must be a whole number in range",
    ),
    Case(
        "geopoint-lat-1e300",
        HUGE,
        lambda w: GeoPoint(1e300, 107.6),
        balai.ValidationError,
        r"lat = '1e\+300': must be a finite number of degrees",
    ),
    Case(
        "forecast-replications-past-limit",
        HUGE,
        lambda w: ForecastOptions(replications=1_000_001),
        balai.ValidationError,
        r"replications = '1000001': must be between 1 and 1000000",
    ),
    Case(
        "forecast-seed-past-uint64",
        HUGE,
        lambda w: ForecastOptions(seed=2**64),
        balai.ValidationError,
        r"seed = '18446744073709551616': must be a whole number in \[0, 18446744073709551615\]",
    ),
    Case(
        "allocation-capacity-past-int32",
        HUGE,
        lambda w: AllocationOptions(capacity=[10**12]),
        balai.ValidationError,
        r"capacity\[0\] = '1000000000000': must be a whole number in \[-2147483648, 2147483647\]",
    ),
    Case(
        "booking-amount-past-int32",
        HUGE,
        lambda w: w.book.add([booking(amount=10**12)]),
        balai.ValidationError,
        r"amount = '1000000000000': must be a whole number in \[-2147483648, 2147483647\]",
    ),
    Case(
        "event-time-2e62",
        HUGE,
        lambda w: w.ledger.append([event(61, time=2**62)]),
        balai.ValidationError,
        r"time = '4611686018427387904': must lie between 2000-01-01 and 2136-02-07",
    ),
    Case(
        "events-frame-id-past-uint64",
        HUGE,
        lambda w: w.ledger.append_frame(events_frame(id=[2.0**70])),
        balai.ValidationError,
        r"events row 0: id = '1\.18\d*e\+21': must be a whole number in "
        r"\[0, 18446744073709551615\]",
    ),
    Case(
        "events-frame-registration-past-uint32",
        HUGE,
        lambda w: w.ledger.append_frame(events_frame(registration=[2**32])),
        balai.ValidationError,
        r"events row 0: registration = '4294967296': not a registration of the roster",
    ),
    Case(
        "events-frame-session-past-int32",
        HUGE,
        lambda w: w.ledger.append_frame(
            events_frame(kind=["attended"], module=["ENT-101"], session=[2**32 + 2])
        ),
        balai.ValidationError,
        r"events row 0: session = '4294967298': must be a whole number in \[-1, 2147483647\]",
    ),
    # -- unknown ids ----------------------------------------------------------------------
    Case(
        "event-unknown-registration",
        UNKNOWN,
        lambda w: w.ledger.append([event(62, registration=7)]),
        balai.ValidationError,
        r"event 0 \(id 62\): registration = '7': unknown registration",
    ),
    Case(
        "events-frame-unknown-registration",
        UNKNOWN,
        lambda w: w.ledger.append_frame(
            events_frame(registration=["5f0c6f0e-2d4b-4c1a-9a53-00000000ffff"])
        ),
        balai.ValidationError,
        r"registration = '5f0c6f0e-2d4b-4c1a-9a53-00000000ffff': not a registration",
    ),
    Case(
        "event-void-unknown-target",
        UNKNOWN,
        lambda w: w.ledger.append([event(63, EventKind.voided, target=999)]),
        balai.ValidationError,
        r"target = '999': no recorded event has this id",
    ),
    Case(
        "trainee-unknown-regency",
        UNKNOWN,
        lambda w: w.dataset.add(trainees=[trainee(w, "REG-0100", regency="32.99")]),
        balai.ValidationError,
        r"trainee REG-0100: regency = '32\.99': not in the dataset's regency table",
    ),
    Case(
        "trainees-csv-unknown-regency",
        UNKNOWN,
        lambda w: balai.read_csv(
            w.csv_with("trainees.csv", w.table("trainees.csv").replace(b"32.04", b"32.99"))
        ),
        balai.ValidationError,
        r"trainees\.csv line 3 \(trainee REG-0002\): regency = '32\.99': not in the",
    ),
    Case(
        "module-unknown-prerequisite",
        UNKNOWN,
        lambda w: w.dataset.add(
            modules=[module("M-1", prerequisites=["M-0"], required_features=["classroom"])]
        ),
        balai.ValidationError,
        r"module M-1: prerequisites = 'M-0': unknown module",
    ),
    Case(
        "cohort-unknown-facility",
        UNKNOWN,
        lambda w: balai.Roster(
            w.dataset,
            [
                balai.Cohort(
                    "C-X", module="ENT-101", facility="BLK-9", sessions=[dt.date(2027, 1, 4)]
                )
            ],
            [],
        ),
        balai.ValidationError,
        r"cohort 0 \(C-X\): facility = 'BLK-9': unknown facility",
    ),
    Case(
        "registration-unknown-trainee",
        UNKNOWN,
        lambda w: balai.Roster(
            w.dataset,
            w.roster.cohorts,
            [balai.Registration(REGISTRATION_IDS[0], trainee="REG-9999", cohorts=["C-ENT"])],
        ),
        balai.ValidationError,
        r"trainee = 'REG-9999': unknown trainee",
    ),
    Case(
        "dataset-unknown-facility",
        UNKNOWN,
        lambda w: w.dataset.facility("BLK-9"),
        balai.UnknownReferenceError,
        r"^unknown facility 'BLK-9'$",
    ),
    Case(
        "book-cancel-unknown-booking",
        UNKNOWN,
        lambda w: w.book.cancel("Q-9/1"),
        balai.UnknownReferenceError,
        r"^unknown booking 'Q-9/1'$",
    ),
    Case(
        "book-unknown-resource",
        UNKNOWN,
        lambda w: w.book.add([booking(resource=5)]),
        balai.ValidationError,
        r"booking Q-1/1: resource = '5': names no resource \(1 resources\)",
    ),
    # -- cycles ---------------------------------------------------------------------------
    Case(
        "modules-prerequisite-cycle",
        CYCLE,
        lambda w: w.dataset.add(
            modules=[module("A-1", prerequisites=["B-1"]), module("B-1", prerequisites=["A-1"])]
        ),
        balai.ValidationError,
        r"prerequisites = 'A-1 -> B-1 -> A-1': prerequisite cycle",
    ),
    Case(
        "module-requires-itself",
        CYCLE,
        lambda w: w.dataset.add(modules=[module("A-1", prerequisites=["A-1"])]),
        balai.ValidationError,
        r"module A-1: prerequisites = 'A-1': a module cannot require itself",
    ),
    Case(
        "modules-csv-cycle",
        CYCLE,
        lambda w: balai.read_csv(
            w.csv_with(
                "modules.csv",
                w.table("modules.csv").replace(
                    b"ENT-101,Pola pikir wirausaha,16,,",
                    b"ENT-101,Pola pikir wirausaha,16,FIN-101,",
                ),
            )
        ),
        balai.ValidationError,
        r"modules\.csv line 2 \(module ENT-101\): prerequisites = "
        r"'ENT-101 -> FIN-101 -> ENT-101': prerequisite cycle",
    ),
    # -- duplicate ids --------------------------------------------------------------------
    Case(
        "trainees-duplicate-in-batch",
        DUPLICATE,
        lambda w: w.dataset.add(trainees=[trainee(w, "REG-0100"), trainee(w, "REG-0100")]),
        balai.ValidationError,
        r"trainee REG-0100: id = 'REG-0100': duplicate: also used by entry #0",
    ),
    Case(
        "trainee-duplicates-dataset",
        DUPLICATE,
        lambda w: w.dataset.add(trainees=[trainee(w, "REG-0001")]),
        balai.ValidationError,
        r"trainee REG-0001: id = 'REG-0001': already in the dataset",
    ),
    Case(
        "facilities-csv-duplicate-row",
        DUPLICATE,
        lambda w: balai.read_csv(
            w.csv_with(
                "facilities.csv",
                w.table("facilities.csv") + w.table("facilities.csv").split(b"\n")[1] + b"\n",
            )
        ),
        balai.ValidationError,
        r"facilities\.csv lines 2, 5 \(facility UPTD-3273-001\): id = 'UPTD-3273-001': duplicate",
    ),
    Case(
        "event-id-other-payload",
        DUPLICATE,
        lambda w: w.ledger.append([event(1, EventKind.enrolled, registration=1, time=START)]),
        balai.ConflictError,
        r"event 0 \(id 1\): id = '1': already recorded with a different payload",
    ),
    Case(
        "event-id-twice-in-batch",
        DUPLICATE,
        lambda w: w.ledger.append([event(64), event(64, registration=1)]),
        balai.ConflictError,
        r"event 1 \(id 64\): id = '64': already recorded with a different payload",
    ),
    Case(
        "journal-event-id-other-payload",
        DUPLICATE,
        lambda w: journal_append(w, [event(11, EventKind.enrolled, registration=2, time=START)]),
        balai.ConflictError,
        r"event 0 \(id 11\): id = '11': already recorded with a different payload",
    ),
    Case(
        "registration-duplicate-id",
        DUPLICATE,
        lambda w: balai.Roster(
            w.dataset,
            w.roster.cohorts,
            [
                balai.Registration(REGISTRATION_IDS[0], trainee="REG-0001"),
                balai.Registration(REGISTRATION_IDS[0], trainee="REG-0002"),
            ],
        ),
        balai.ValidationError,
        rf"registration 1 \({REGISTRATION_IDS[0]}\): id = '.*': duplicate registration id",
    ),
    Case(
        "space-requests-duplicate-id",
        DUPLICATE,
        lambda w: space.allocate_space(w.book.inventory, [request(), request()], progress=False),
        balai.ValidationError,
        r"request 1 \(Q-1\): id = 'Q-1': appears twice among the requests",
    ),
    Case(
        "bookings-duplicate-id",
        DUPLICATE,
        lambda w: w.book.add([booking(), booking()]),
        balai.ValidationError,
        r"booking Q-1/1: id = 'Q-1/1': also the id of booking #1",
    ),
    # -- truncated files ------------------------------------------------------------------
    Case(
        "facilities-csv-cut-mid-record",
        TRUNCATED,
        lambda w: balai.read_facilities(w.write("facilities.csv", first_row_cut(w))),
        balai.ParseError,
        r"facilities\.csv:2: expected 14 fields as in the header, found 5",
    ),
    Case(
        "facilities-csv-cut-mid-quote",
        TRUNCATED,
        lambda w: balai.read_facilities(
            w.write(
                "facilities.csv",
                w.table("facilities.csv").split(b"\n")[0] + b'\nBLK-UJI,"BLK Uji di Band',
            )
        ),
        balai.ParseError,
        r"facilities\.csv:2:2: field 'name': unterminated quoted field",
    ),
    Case(
        "snapshot-file-cut-short",
        TRUNCATED,
        lambda w: balai.load_snapshot(snapshot_file(w, cut=10)),
        balai.FormatError,
        r"snapshot '.*dataset\.snapshot': truncated: expected \d+ payload bytes, found \d+",
    ),
    Case(
        "snapshot-bytes-cut-in-header",
        TRUNCATED,
        lambda w: balai.from_snapshot_bytes(balai.to_snapshot_bytes(w.dataset)[:20]),
        balai.FormatError,
        r"snapshot: truncated: the header needs 28 bytes, found 20",
    ),
    Case(
        "journal-damaged-middle-record",
        TRUNCATED,
        lambda w: balai.Journal(damaged_journal(w), w.roster),
        balai.FormatError,
        r"damaged\.journal': the record at byte offset \d+ is damaged .* a record written "
        r"after it follows at byte offset \d+: that is corruption",
    ),
    Case(
        "journal-foreign-header-cut-short",
        TRUNCATED,
        lambda w: balai.Journal(foreign_journal_cut_short(w), w.roster),
        balai.FormatError,
        r"other\.journal': a header cut short at 40 of 52 bytes that is not this roster's",
    ),
    Case(
        "plan-json-cut-short",
        TRUNCATED,
        lambda w: plan_file(w, json.dumps(plan_document(w)).encode()[:300]),
        balai.FormatError,
        r"plan\.json: not a balai plan snapshot \(.*line 1 column \d+",
    ),
    # -- wrong encodings ------------------------------------------------------------------
    Case(
        "facilities-csv-latin-1",
        ENCODING,
        lambda w: balai.read_facilities(
            w.write(
                "facilities.csv",
                w.table("facilities.csv").replace(b"Pesantren", "Pesantrén".encode("latin-1")),
            )
        ),
        balai.ParseError,
        r"facilities\.csv:3:2: field 'name': not valid UTF-8",
    ),
    Case(
        "facilities-csv-utf-16",
        ENCODING,
        lambda w: balai.read_facilities(
            w.write("facilities.csv", w.table("facilities.csv").decode().encode("utf-16"))
        ),
        balai.ParseError,
        r"facilities\.csv:1:1: not valid UTF-8",
    ),
    Case(
        "facilities-csv-bom-before-a-row",
        ENCODING,
        lambda w: balai.read_facilities(
            w.write(
                "facilities.csv",
                w.table("facilities.csv").replace(b"\nUPTD-", b"\n\xef\xbb\xbfUPTD-"),
            )
        ),
        balai.ParseError,
        r"facilities\.csv:2:1: field 'id': '\ufeffUPTD-3273-001': must be 1-64 printable ASCII",
    ),
    Case(
        "facility-name-invalid-utf8",
        ENCODING,
        lambda w: facility(name=INVALID_TEXT),
        balai.ValidationError,
        r"Facility\(\): name = 'BLK\\udcff': not valid UTF-8 text",
    ),
    Case(
        "facilities-frame-invalid-utf8",
        ENCODING,
        lambda w: from_frames(w, "facilities", facilities_with(w, 1, "name", INVALID_TEXT)),
        balai.ValidationError,
        r"facilities row 1: name = 'BLK\\udcff': not valid UTF-8 text",
    ),
    Case(
        "events-frame-invalid-utf8",
        ENCODING,
        lambda w: w.ledger.append_frame(
            events_frame(actor=pd.Series([INVALID_TEXT], dtype=object))
        ),
        balai.ValidationError,
        r"events row 0: actor = 'BLK\\udcff': not valid UTF-8 text",
    ),
    Case(
        "plan-json-latin-1",
        ENCODING,
        lambda w: plan_file(
            w,
            json.dumps(plan_document(w))
            .encode()
            .replace(b"REG-0001", "REG-0001é".encode("latin-1")),
        ),
        balai.FormatError,
        r"plan\.json: not a balai plan snapshot \('utf-8' codec can't decode byte 0xe9",
    ),
    # -- loaders --------------------------------------------------------------------------
    Case(
        "plan-json-cohorts-not-a-list",
        LOADER,
        lambda w: plan_with(w, cohorts="C-ENT"),
        balai.FormatError,
        r"plan\.json: not a balai plan snapshot \('cohorts' is a string, not a list\)",
    ),
    Case(
        "plan-json-registrations-null",
        LOADER,
        lambda w: plan_with(w, registrations=None),
        balai.FormatError,
        r"plan\.json: not a balai plan snapshot \('registrations' is a null, not a list\)",
    ),
    Case(
        "plan-json-session-not-a-date",
        LOADER,
        lambda w: plan_with(
            w, cohorts=[{**plan_document(w)["cohorts"][0], "sessions": ["2027-13-45"]}]
        ),
        balai.FormatError,
        r"cohorts\[0\]\.sessions: '2027-13-45' is not a date",
    ),
    Case(
        "plan-json-unknown-trainee",
        LOADER,
        lambda w: plan_with(
            w,
            registrations=[{**plan_document(w)["registrations"][0], "trainee": "REG-9999"}],
        ),
        balai.ValidationError,
        r"trainee = 'REG-9999': unknown trainee",
    ),
    Case(
        "requests-frame-amount-as-text",
        LOADER,
        lambda w: space.requests_from_frame(
            space.requests_frame([request()]).assign(amount=["lots"])
        ),
        balai.ValidationError,
        r"row 0: amount = ''lots'': has the wrong type: expected int",
    ),
    Case(
        "requests-frame-lat-nan",
        LOADER,
        lambda w: space.requests_from_frame(space.requests_frame([request()]).assign(lat=[np.nan])),
        balai.ValidationError,
        r"row 0: lat, lng = 'nan, 107\.6\d*': is not a latitude in \[-90, 90\]",
    ),
    Case(
        "requests-frame-not-a-frame",
        LOADER,
        lambda w: space.requests_from_frame([request()]),  # type: ignore[arg-type]
        TypeError,
        r"requests must be a pandas DataFrame, not list",
    ),
    Case(
        "pilot-outputs-folder-holds-other-files",
        LOADER,
        lambda w: pilot.write_outputs(
            pilot.plan(w.dataset, progress=False),
            w.dataset,
            w.write("out/notes.txt", b"mine").parent,
        ),
        balai.Error,
        r"out: holds files balai did not write \(notes\.txt\)",
    ),
    # -- one error style: every integer argument, the exact value, every file failure ----
    Case(
        "event-id-past-uint64",
        HUGE,
        lambda w: event(2**64),
        balai.ValidationError,
        r"Event\(\): id = '18446744073709551616': must be a whole number in "
        r"\[0, 18446744073709551615\]",
    ),
    Case(
        "statuses-as-of-past-int64",
        HUGE,
        lambda w: w.ledger.statuses(2**63),
        balai.ValidationError,
        r"Ledger\.statuses\(\): as_of = '9223372036854775808': must be a whole number in "
        r"\[-9223372036854775808, 9223372036854775807\]",
    ),
    Case(
        "registry-validity-days-past-int32",
        HUGE,
        lambda w: balai.CertificateRegistry(b"k" * 32, validity_days=2**31),
        balai.ValidationError,
        r"validity_days = '2147483648': must be a whole number in \[-2147483648, 2147483647\]",
    ),
    Case(
        "scenario-options-trainees-past-int32",
        HUGE,
        lambda w: scenario.ScenarioOptions(trainees=-(2**40)),
        balai.ValidationError,
        r"trainees = '-1099511627776': must be a whole number in \[-2147483648, 2147483647\]",
    ),
    Case(
        "allocation-k-past-int32",
        HUGE,
        lambda w: AllocationOptions(k=2**31),
        balai.ValidationError,
        r"k = '2147483648': must be a whole number in \[-2147483648, 2147483647\]",
    ),
    Case(
        "site-options-sites-past-int32",
        HUGE,
        lambda w: SiteSelectionOptions(sites=2**40),
        balai.ValidationError,
        r"sites = '1099511627776': must be a whole number in \[-2147483648, 2147483647\]",
    ),
    Case(
        "book-change-amount-past-int32",
        HUGE,
        lambda w: w.book.change("R-1/1", amount=2**31),
        balai.ValidationError,
        r"SpaceBook\.change\(\): amount = '2147483648': must be a whole number in",
    ),
    Case(
        "event-score-just-past-100",
        NAN,
        lambda w: w.ledger.append([event(63, EventKind.assessed, module=1, score=100.0000001)]),
        balai.ValidationError,
        r"event 0 \(id 63\): score = '100\.0000001': an assessment scores between 0 and 100",
    ),
    Case(
        "dataset-dir-no-trainees-table",
        LOADER,
        lambda w: balai.read_csv(without(w, "trainees.csv", "no-trainees")),
        balai.Error,
        r"no-trainees': it has no trainees\.csv",
    ),
    Case(
        "dataset-dir-misnamed-trainees-table",
        LOADER,
        lambda w: balai.read_csv(misnamed_trainees(w)),
        balai.Error,
        r"'Trainees\.csv' is not a table name \(did you mean 'trainees\.csv'\?\)",
    ),
    Case(
        "dataset-dir-symlink-loop",
        LOADER,
        lambda w: balai.read_csv(symlink_loop(w, "facilities.csv")),
        balai.Error,
        r"cannot read '[^']*facilities\.csv': Too many levels of symbolic links",
    ),
    Case(
        "plan-json-missing",
        LOADER,
        lambda w: pilot.load_roster(w.inputs / "missing.json", w.dataset),
        balai.Error,
        r"cannot use '[^']*missing\.json': No such file or directory",
    ),
    Case(
        "pilot-outputs-folder-under-a-file",
        LOADER,
        lambda w: pilot.check_output_folder(w.write("a-file", b"x") / "out"),
        balai.Error,
        r"cannot use '[^']*a-file': File exists",
    ),
    # -- plausible places -------------------------------------------------------------------
    Case(
        "trainee-at-londons-coordinates",
        PLACE,
        lambda w: trainee(w, "REG-0100", location=GeoPoint(51.5074, -0.1278)),
        balai.ValidationError,
        r"location = '51\.5074, -0\.1278': lies outside Indonesia \(lat -11\.5\.\.6\.5, "
        r"lng 94\.5\.\.141\.5\)",
    ),
    Case(
        "facility-latitude-flipped",
        PLACE,
        lambda w: facility(location=GeoPoint(6.9175, 107.6191)),
        balai.ValidationError,
        r"location = '6\.9175, 107\.6191': lies outside Indonesia",
    ),
    Case(
        "regency-seat-outside-indonesia",
        PLACE,
        lambda w: balai.Regency(
            "32.73", name="Kota Bandung", seat=GeoPoint(51.5074, -0.1278), population=1
        ),
        balai.ValidationError,
        r"regency 32\.73: seat = '51\.5074, -0\.1278': lies outside Indonesia",
    ),
    Case(
        "trainees-csv-outside-indonesia",
        PLACE,
        lambda w: balai.read_csv(
            w.csv_with(
                "trainees.csv",
                w.table("trainees.csv").replace(b"-6.9034,107.6181", b"51.5074,-0.1278"),
            )
        ),
        balai.ParseError,
        r"trainees\.csv:2: .*'51\.5074, -0\.1278': lies outside Indonesia",
    ),
    Case(
        "trainees-frame-outside-indonesia",
        PLACE,
        lambda w: from_frames(
            w, "trainees", w.dataset.to_frame("trainees").assign(lat=[51.5074, -7.0102, -7.2504])
        ),
        balai.ValidationError,
        r"trainee REG-0001: location = '51\.5074, 107\.6181': lies outside Indonesia",
    ),
    Case(
        "trainee-far-from-regency-seat-refused",
        PLACE,
        lambda w: w.dataset.add(
            trainees=[trainee(w, "REG-0100", location=GeoPoint(-8.65, 115.22))],
            far_from_seat="refuse",
        ),
        balai.ValidationError,
        r"trainee REG-0100: location = '-8\.65, 115\.22': \d+ km from the seat of Kota Bandung "
        r"\(32\.73\), more than 400 km",
    ),
    Case(
        "space-request-outside-indonesia",
        PLACE,
        lambda w: request(location=GeoPoint(51.5074, -0.1278)),
        balai.ValidationError,
        r"request Q-1: location = '51\.5074, -0\.1278': lies outside Indonesia",
    ),
    # -- personal data where it does not belong: refused, and never repeated -------------
    Case(
        "protected-nik-masked-in-clear",
        PERSONAL,
        lambda w: balai.ProtectedNik("ab" * 32, NIK),
        balai.ValidationError,
        r"nik_masked = '3273########0001': characters 5-12 of a masked NIK must be '\*'",
    ),
    Case(
        "protected-nik-digest-not-hex",
        PERSONAL,
        lambda w: balai.ProtectedNik(NIK, "3273********0001"),
        balai.ValidationError,
        r"nik_digest = '3273\*{8}0001': a NIK digest is 64 hexadecimal digits",
    ),
    Case(
        "trainees-csv-nik-masked-in-clear",
        PERSONAL,
        lambda w: balai.read_csv(with_trainee_cell(w, "nik_masked", NIK)),
        balai.ParseError,
        r"trainees\.csv:2:3: field 'nik_masked': '3273########0001': characters 5-12",
    ),
    Case(
        "trainees-frame-nik-masked-in-clear",
        PERSONAL,
        lambda w: from_frames(w, "trainees", trainees_frame_with(w, "nik_masked", NIK)),
        balai.ValidationError,
        r"trainees row 0: nik_masked = '3273########0001'",
    ),
    Case(
        "trainee-id-holds-nik",
        PERSONAL,
        lambda w: trainee(w, f"REG-{NIK}"),
        balai.ValidationError,
        r"trainee REG-3273\*{8}0001: id = 'REG-3273\*{8}0001': holds a NIK",
    ),
    Case(
        "trainees-csv-id-holds-nik",
        PERSONAL,
        lambda w: balai.read_csv(with_trainee_cell(w, "id", NIK)),
        balai.ParseError,
        r"trainees\.csv:2:1: field 'id': '3273\*{8}0001': holds a NIK",
    ),
    Case(
        "event-actor-holds-nik",
        PERSONAL,
        lambda w: w.ledger.append([event(60, actor=f"petugas {NIK}")]),
        balai.ValidationError,
        r"event 0 \(id 60\): actor = 'petugas 3273\*{8}0001': holds a NIK",
    ),
    Case(
        "space-request-business-holds-nik",
        PERSONAL,
        lambda w: request(business=NIK),
        balai.ValidationError,
        r"request Q-1: business = '3273\*{8}0001': holds a NIK",
    ),
    # -- records that were tampered with: refused, naming the record -----------------------
    Case(
        "certificate-records-revocation-removed",
        TAMPERED,
        lambda w: restored_with_revocation(w, lambda revocation: None),
        balai.ValidationError,
        r"certificate [0-9a-f-]{36} \(record 0\): seal = '[0-9a-f]{64}': does not match",
    ),
    Case(
        "certificate-records-revocation-postponed",
        TAMPERED,
        lambda w: restored_with_revocation(
            w, lambda revocation: balai.Revocation(revocation.reason, time=revocation.time + 86400)
        ),
        balai.ValidationError,
        r"certificate [0-9a-f-]{36} \(record 0\): seal = '[0-9a-f]{64}': does not match",
    ),
    Case(
        "certificate-records-cut-before-the-sealed-end",
        TAMPERED,
        lambda w: balai.CertificateRegistry(
            CERTIFICATE_KEY,
            records=[],
            seal=balai.CertificateRegistry(CERTIFICATE_KEY, records=sealed_records(w)).seal,
        ),
        balai.ValidationError,
        r"certificate registry: seal = '[0-9a-f]{64}': the 0 records end with another seal",
    ),
    # -- solver-level inputs: every documented invariant checked --------------------------
    Case(
        "allocation-problem-arcs-not-nearest-first",
        SOLVER,
        lambda w: balai.AllocationProblem(
            capacity=[1, 1],
            province=[32],
            first_arc=[0, 2],
            arc_facility=[1, 0],
            arc_cost_m=[5000, 1000],
        ),
        balai.ValidationError,
        r"trainee 0: arc_cost_m = '1000': below the previous candidate's 5000: a trainee's "
        r"arcs are listed nearest first",
    ),
]


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_bad_input_raises_its_error_and_changes_nothing(case: Case, world: World) -> None:
    before = fingerprint(world)
    with pytest.raises(BaseException) as caught:  # noqa: PT011 - the exact type is asserted
        case.call(world)
    assert type(caught.value) is case.error, f"{type(caught.value).__name__}: {caught.value}"
    assert caught.match(case.match)
    assert fingerprint(world) == before
    assert inputs_as_written(world) == world.written


def test_the_catalogue_covers_every_category_with_distinct_cases() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 40
    categories = {case.category for case in CASES}
    assert categories == {
        WRONG_TYPE,
        NAN,
        EMPTY,
        HUGE,
        UNKNOWN,
        CYCLE,
        DUPLICATE,
        TRUNCATED,
        ENCODING,
        LOADER,
        PLACE,
        PERSONAL,
        TAMPERED,
        SOLVER,
    }


def test_docs_list_the_catalogue_in_its_order(repository: Path) -> None:
    guide = (repository / "docs" / "errors.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", guide, re.M)
    assert listed == [case.id for case in CASES]
    known_bugs = re.findall(r"^\| `([a-z0-9-]+)` \|.*\*\*known bug\*\*", guide, re.M)
    assert known_bugs == [case.id for case in CASES if case.bug]


# ---- inputs that look bad but are documented as accepted ---------------------------------


def test_a_torn_journal_tail_is_recovered_not_refused(world: World) -> None:
    """A crash can leave the last write unfinished: opening cuts it off and says so
    (docs/journal.md), keeping every record written before it."""
    data = journal_bytes(world)
    last = record_offsets(data)[-1]
    torn = world.write("torn.journal", data[:-3])
    with balai.Journal(torn, world.roster) as journal:
        recovery = journal.recovery
        replayed = journal.snapshot()
    assert (recovery.torn_tail, recovery.dropped_records, recovery.records) == (True, 1, 2)
    assert recovery.truncated_bytes == len(data) - 3 - last
    assert [replayed.event(i) for i in range(len(replayed))] == events()[:4]
    assert torn.read_bytes() == data[:last]


def test_a_csv_with_only_a_header_is_an_empty_table(world: World) -> None:
    header = world.table("facilities.csv").split(b"\n")[0] + b"\n"
    assert balai.read_facilities(world.write("facilities.csv", header)) == []


def test_an_aware_day_is_its_local_date(world: World) -> None:
    """2027-01-04 00:30 in WIB is 2027-01-04 (in UTC it is still the 3rd), and a column may
    mix zones: each value is its date in its own zone (docs/io.md)."""
    tables = world.dataset.to_frames()
    phases = tables["phases"]
    phases["first"] = [
        pd.Timestamp(f"{day.date()} 00:30", tz=zone)
        for day, zone in zip(phases["first"], ["Asia/Jakarta", "Asia/Jayapura"], strict=True)
    ]
    assert balai.Dataset.from_frames(tables) == world.dataset


def test_a_bom_at_the_start_of_a_csv_is_accepted(world: World) -> None:
    data = b"\xef\xbb\xbf" + world.table("facilities.csv")
    read = balai.read_facilities(world.write("facilities.csv", data))
    assert read == list(world.dataset.facilities)
