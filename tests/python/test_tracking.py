"""The ledger from Python: rosters, DataFrame ingest, statuses, reports."""

from __future__ import annotations

import datetime
import pickle

import numpy as np
import pandas as pd
import pytest
from conftest import REGISTRATION_IDS

import balai
from balai import tracking


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def completing_events() -> pd.DataFrame:
    """REG-0001 completes everything by 2027-02-01; REG-0002 attends one session; REG-0003
    enrols only."""
    rows: list[dict[str, object]] = []

    def add(**row: object) -> None:
        rows.append({"id": len(rows) + 1, "actor": "instructor-1", **row})

    for r in (0, 1, 2):
        add(kind="enrolled", registration=REGISTRATION_IDS[r], time=utc("2027-01-03T01:00"))
    for session in range(1, 5):
        day = f"2027-01-{4 + 7 * (session - 1):02d}T03:00"
        add(
            kind="attended",
            registration=REGISTRATION_IDS[0],
            module="ENT-101",
            session=session,
            time=utc(day),
        )
        add(
            kind="attended",
            registration=REGISTRATION_IDS[0],
            module="FIN-101",
            session=session,
            time=utc(day),
        )
    add(
        kind="assessed",
        registration=REGISTRATION_IDS[0],
        module="FIN-101",
        score=82.5,
        time=utc("2027-01-30T03:00"),
    )
    add(
        kind="assessed",
        registration=REGISTRATION_IDS[0],
        module="DIG-201",
        score=75.0,
        time=utc("2027-02-01T03:00"),
    )
    add(
        kind="attended",
        registration=REGISTRATION_IDS[1],
        module="ENT-101",
        session=1,
        time=utc("2027-01-04T03:00"),
    )
    return pd.DataFrame(rows)


@pytest.fixture
def ledger(roster: balai.Roster) -> balai.Ledger:
    ledger = balai.Ledger(roster)
    result = ledger.append_frame(completing_events())
    assert (result.added, result.duplicates) == (14, 0)
    return ledger


def test_roster_resolves_and_reports_every_problem(
    dataset: balai.Dataset, cohorts: list[balai.Cohort]
) -> None:
    bad = [
        balai.Registration("not-a-uuid", trainee="REG-0001", cohorts=["C-ENT"]),
        balai.Registration(REGISTRATION_IDS[1], trainee="NOBODY", cohorts=["C-NONE"]),
        balai.Registration(REGISTRATION_IDS[2], trainee="REG-0002", cohorts=["C-DIG"]),
    ]
    with pytest.raises(balai.ValidationError) as error:
        balai.Roster(dataset, cohorts, bad)
    message = str(error.value)
    for part in ("not-a-uuid", "must be a UUID", "NOBODY", "C-NONE", "DIG-201 is not required"):
        assert part in message
    assert isinstance(error.value, ValueError)


def test_roster_from_frames(dataset: balai.Dataset, roster: balai.Roster) -> None:
    cohorts = pd.DataFrame(
        {
            "code": [c.code for c in roster.cohorts],
            "module": [c.module for c in roster.cohorts],
            "facility": [c.facility for c in roster.cohorts],
            "sessions": [c.sessions for c in roster.cohorts],
            "deadline": [c.deadline for c in roster.cohorts],
        }
    )
    registrations = pd.DataFrame(
        {
            "id": [r.id for r in roster.registrations],
            "trainee": [r.trainee for r in roster.registrations],
            "cohorts": [r.cohorts for r in roster.registrations],
        }
    )
    assert balai.Roster(dataset, cohorts, registrations) == roster
    assert len(roster) == 3
    assert roster.digest() == balai.Roster(dataset, cohorts, registrations).digest()


def test_status_frame(ledger: balai.Ledger) -> None:
    frame = ledger.status_frame()
    assert list(frame.columns) == [
        "registration_id", "trainee_id", "track", "gender", "province", "regency",
        "facility_id", "status", "enrolled_at", "completed_at", "withdrew_at", "overridden",
    ]  # fmt: skip
    assert frame["status"].tolist() == ["completed", "in_progress", "enrolled"]
    assert frame["completed_at"].iloc[0] == utc("2027-02-01T03:00")
    assert pd.isna(frame["completed_at"].iloc[1])
    assert frame["facility_id"].iloc[0] == "UPTD-3273-001"
    assert str(frame["enrolled_at"].dtype) == "datetime64[s, UTC]"


def test_module_frame_and_as_of(ledger: balai.Ledger) -> None:
    modules = ledger.module_frame()
    first = modules[modules["registration_id"] == REGISTRATION_IDS[0]]
    assert first["module"].tolist() == ["ENT-101", "FIN-101", "DIG-201"]
    assert first["status"].tolist() == ["completed", "passed", "passed"]
    assert first["attendance"].tolist()[:2] == [1.0, 1.0]
    earlier = ledger.module_frame(as_of="2027-01-12T00:00:00Z")
    ent = earlier[
        (earlier["registration_id"] == REGISTRATION_IDS[0]) & (earlier["module"] == "ENT-101")
    ]
    assert ent["attended"].item() == 2
    assert ent["status"].item() == "in_progress"
    with pytest.raises(balai.ValidationError, match="timezone-aware"):
        ledger.module_frame(as_of="2027-01-12")


def test_append_is_idempotent_and_all_or_nothing(ledger: balai.Ledger) -> None:
    size = len(ledger)
    again = ledger.append_frame(completing_events())
    assert (again.added, again.duplicates) == (0, size)
    conflicting = completing_events().head(2).assign(actor="someone-else")
    with pytest.raises(balai.ConflictError):
        ledger.append_frame(conflicting)
    bad = pd.DataFrame(
        {
            "id": [100, 101, 102],
            "kind": ["attended", "assessed", "attended"],
            "registration": [REGISTRATION_IDS[1]] * 3,
            "module": ["ENT-101", "FIN-101", "ENT-101"],
            "session": [2, None, 9],
            "score": [None, 140.0, None],
            "time": [utc("2027-01-11T03:00")] * 3,
            "actor": ["instructor-1"] * 3,
        }
    )
    with pytest.raises(balai.ValidationError) as error:
        ledger.append_frame(bad)
    message = str(error.value)
    assert "event 1 (id 101)" in message
    assert "140" in message
    assert "event 2 (id 102)" in message
    assert "outside the cohort's sessions 1-4" in message
    assert len(ledger) == size
    assert ledger.find(100) is None


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("kind", "graduated", "expected one of"),
        ("registration", "5f0c6f0e-2d4b-4c1a-9a53-00000000ffff", "not a registration"),
        ("module", "XYZ-999", "expected one of"),
        ("time", "2027-01-11", "timezone-aware"),
        ("session", 1.5, "whole number"),
        ("id", None, "missing"),
    ],
)
def test_bad_cells_are_named_before_anything_is_appended(
    ledger: balai.Ledger, column: str, value: object, expected: str
) -> None:
    size = len(ledger)
    frame = pd.DataFrame(
        {
            "id": [200],
            "kind": ["attended"],
            "registration": [REGISTRATION_IDS[1]],
            "module": ["ENT-101"],
            "session": [2],
            "time": [utc("2027-01-11T03:00")],
            "actor": ["instructor-1"],
        }
    )
    frame[column] = pd.Series([value], dtype=object)
    with pytest.raises(balai.ValidationError, match=expected):
        ledger.append_frame(frame)
    assert len(ledger) == size


def test_unknown_and_missing_columns(ledger: balai.Ledger) -> None:
    with pytest.raises(balai.ValidationError, match="not an event column"):
        ledger.append_frame(completing_events().assign(colour="red"))
    with pytest.raises(balai.ValidationError, match="missing column"):
        ledger.append_frame(completing_events().drop(columns=["actor"]))
    with pytest.raises(TypeError):
        ledger.append_frame([1, 2, 3])  # type: ignore[arg-type]


def test_integer_registrations_and_seconds(roster: balai.Roster) -> None:
    ledger = balai.Ledger(roster)
    frame = pd.DataFrame(
        {
            "id": np.array([2**63 + 5, 2**63 + 6], dtype=np.uint64),
            "kind": ["enrolled", "attended"],
            "registration": [1, 1],
            "module": [None, "ENT-101"],
            "session": pd.array([None, 1], dtype="Int64"),
            "time": [
                int(utc("2027-01-03T01:00").timestamp()),
                int(utc("2027-01-04T03:00").timestamp()),
            ],
            "actor": ["op", "op"],
        }
    )
    assert ledger.append_frame(frame).added == 2
    assert ledger.find(2**63 + 6) == 1
    event = ledger.event(1)
    assert event.kind == balai.EventKind.attended
    assert event.session == 1
    assert event.module == 0


def test_events_as_values(roster: balai.Roster) -> None:
    ledger = balai.Ledger(roster)
    enrol = balai.Event(
        1, kind=balai.EventKind.enrolled, registration=0, time=1_799_000_000, actor="op"
    )
    voided = balai.Event(
        2, kind=balai.EventKind.voided, registration=0, time=1_799_000_100, actor="op", target=1
    )
    assert ledger.append([enrol, voided]).added == 2
    assert ledger.event(0) == enrol
    assert ledger.is_voided(0)
    assert "target=1" in repr(ledger.event(1))
    assert ledger.status_frame()["status"].iloc[0] == "registered"
    other = balai.Event(
        3, kind=balai.EventKind.enrolled, registration=1, time=1_799_000_200, actor="op"
    )
    ledger.append([other])
    assert ledger.positions_of(0) == [0, 1]  # from the index, voided ones included
    assert ledger.positions_of(1) == [2]
    with pytest.raises(balai.UnknownReferenceError):
        ledger.positions_of(len(roster))


def test_reports(ledger: balai.Ledger) -> None:
    by_province = tracking.report(ledger, by="province")
    assert by_province["province"].tolist() == ["32", "35"]
    assert by_province["total"].tolist() == [2, 1]
    assert by_province["completed"].tolist() == [1, 0]
    assert by_province["completed_rate"].tolist() == [0.5, 0.0]
    by_module = tracking.report(ledger, by="module")
    assert set(by_module["module"]) == {"ENT-101", "FIN-101", "DIG-201"}
    assert by_module["total"].sum() == 3 + 2 + 3
    for by in ("national", "regency", "facility", "track", "gender"):
        frame = tracking.report(ledger, by=by)
        assert frame["total"].sum() == 3
    with pytest.raises(balai.ValidationError, match="expected one of national"):
        tracking.report(ledger, by="island")
    funnel = tracking.funnel(ledger, certified=1)
    assert funnel["count"].tolist() == [3, 3, 2, 1, 1]
    progress = tracking.progress(ledger)
    assert progress["completed"].item() == 1
    assert progress["target_min"].item() == 5000
    assert not progress["met"].item()


def test_values_pickle_and_repr(cohorts: list[balai.Cohort], namespace: dict[str, object]) -> None:
    for value in [
        *cohorts,
        balai.Registration(REGISTRATION_IDS[0], trainee="REG-0001", cohorts=["C-ENT"]),
    ]:
        assert pickle.loads(pickle.dumps(value)) == value
        assert eval(repr(value), namespace) == value
    assert cohorts[1].deadline == datetime.date(2027, 3, 31)


def test_statuses_release_the_gil_and_compare(ledger: balai.Ledger) -> None:
    assert ledger.statuses() == ledger.statuses(ledger.statuses().as_of)
    assert len(ledger.statuses()) == 3
    assert ledger.memory_bytes > 0


def test_append_columns_from_numpy(roster: balai.Roster) -> None:
    ledger = balai.Ledger(roster)
    enrol = int(utc("2027-01-03T01:00").timestamp())
    result = ledger.append_columns(
        id=np.arange(1, 4, dtype=np.uint64),
        kind=np.array([0, 0, 1], dtype=np.uint8),
        registration=np.array([0, 1, 1], dtype=np.uint32),
        time=np.array([enrol, enrol, enrol + 86400], dtype=np.int64),
        actor=np.zeros(3, dtype=np.uint32),
        texts=["operator-1"],
        module=np.array([-1, -1, 0], dtype=np.int32),
        session=np.array([-1, -1, 1], dtype=np.int32),
    )
    assert (result.added, result.duplicates) == (3, 0)
    assert ledger.event(2).actor == "operator-1"
    with pytest.raises(balai.ValidationError, match="column has 2 entries for 3 events"):
        ledger.append_columns(
            id=np.arange(10, 13, dtype=np.uint64),
            kind=np.zeros(2, dtype=np.uint8),
            registration=np.zeros(3, dtype=np.uint32),
            time=np.full(3, enrol, dtype=np.int64),
            actor=np.zeros(3, dtype=np.uint32),
            texts=["operator-1"],
        )
    assert len(ledger) == 3
