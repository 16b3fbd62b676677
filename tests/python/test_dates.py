"""Dates from timezone-aware values: the date of an aware value is its calendar date in its
own zone, a naive value's is taken as it stands (docs/io.md). Every entry point that reads
a date from pandas, numpy or Python values follows the rule: Dataset.from_frames, a Roster
from DataFrames, and the report's dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

import balai
from balai import Dataset, _html
from balai._dates import local_date, local_days

# WIB, WITA and WIT, and zones far from Indonesia on both sides of UTC.
ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "America/New_York", "Pacific/Kiritimati"]
# Just after midnight, and late in the evening: the UTC date differs from the local one at
# one of the two in every zone above.
CLOCKS = ["00:30", "23:30"]
DAY_COLUMNS = {"facilities": ["active_from", "active_to"], "phases": ["first", "last"]}


def _with_active_days(dataset: Dataset) -> dict[str, pd.DataFrame]:
    tables = dataset.to_frames()
    facilities = tables["facilities"]
    facilities["active_from"] = pd.Timestamp("2027-01-01")
    facilities["active_to"] = pd.Timestamp("2027-12-31")
    return tables


def _aware(tables: dict[str, pd.DataFrame], zone: str, clock: str) -> dict[str, pd.DataFrame]:
    """The tables with every day as an aware datetime at `clock` on that day in `zone`."""
    aware = {table: frame.copy() for table, frame in tables.items()}
    for table, columns in DAY_COLUMNS.items():
        for column in columns:
            naive = pd.to_datetime(aware[table][column]) + pd.Timedelta(f"{clock}:00")
            aware[table][column] = naive.dt.tz_localize(zone)
    return aware


def _days(dataset: Dataset) -> list[dt.date]:
    program = dataset.program
    assert program is not None
    days = [d for phase in program.phases for d in (phase.window.first, phase.window.last)]
    for facility in dataset.facilities:
        assert facility.active is not None
        days += [facility.active.first, facility.active.last]
    return days


@pytest.mark.parametrize("clock", CLOCKS)
@pytest.mark.parametrize("zone", ZONES)
def test_from_frames_takes_an_aware_day_at_its_local_date(
    dataset: Dataset, zone: str, clock: str
) -> None:
    tables = _with_active_days(dataset)
    expected = Dataset.from_frames(tables)
    assert _days(expected)[:2] == [dt.date(2027, 1, 4), dt.date(2027, 4, 4)]
    read = Dataset.from_frames(_aware(tables, zone, clock))
    assert _days(read) == _days(expected)
    assert read == expected


@pytest.mark.parametrize("zone", ZONES)
def test_from_frames_takes_aware_text_at_its_local_date(dataset: Dataset, zone: str) -> None:
    tables = _with_active_days(dataset)
    expected = Dataset.from_frames(tables)
    aware = _aware(tables, zone, "00:30")
    for table, columns in DAY_COLUMNS.items():
        for column in columns:
            aware[table][column] = aware[table][column].map(pd.Timestamp.isoformat)
    assert aware["phases"]["first"][0].startswith("2027-01-04T00:30:00")
    assert Dataset.from_frames(aware) == expected


def test_from_frames_takes_each_value_in_its_own_zone(dataset: Dataset) -> None:
    """One column mixing zones, offsets in text, and aware beside naive values: pandas
    cannot convert such a column as one (it makes NaT of some or raises), so each value
    is read on its own, by the same rule."""
    tables = _with_active_days(dataset)
    expected = Dataset.from_frames(tables)
    phases = tables["phases"].astype({"first": object, "last": object})
    phases.loc[0, "first"] = dt.datetime(2027, 1, 4, 0, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    phases.loc[1, "first"] = dt.datetime(2027, 4, 5, 6, 0, tzinfo=ZoneInfo("Asia/Jayapura"))
    phases.loc[0, "last"] = "2027-04-04T23:30:00-05:00"
    phases.loc[1, "last"] = dt.date(2027, 12, 31)
    tables["phases"] = phases
    assert Dataset.from_frames(tables) == expected

    phases.loc[1, "last"] = "someday"
    with pytest.raises(balai.ValidationError) as caught:
        Dataset.from_frames(tables)
    assert [(p.where, p.field, p.value) for p in caught.value.problems] == [
        ("phases row 1", "last", "someday")
    ]


@pytest.mark.parametrize("zone", ZONES)
def test_roster_from_frames_takes_aware_sessions_at_their_local_dates(
    dataset: Dataset, roster: balai.Roster, zone: str
) -> None:
    def aware(day: dt.date) -> pd.Timestamp:
        return pd.Timestamp(f"{day.isoformat()} 00:30", tz=zone)

    cohorts = pd.DataFrame(
        {
            "code": [c.code for c in roster.cohorts],
            "module": [c.module for c in roster.cohorts],
            "facility": [c.facility for c in roster.cohorts],
            "sessions": [[aware(day) for day in c.sessions] for c in roster.cohorts],
            "deadline": [None if c.deadline is None else aware(c.deadline) for c in roster.cohorts],
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


@pytest.mark.parametrize("zone", ZONES)
def test_report_dates_are_local_dates(zone: str) -> None:
    assert _html.date(pd.Timestamp("2027-01-01 00:30", tz=zone)) == "2027-01-01"
    assert _html.date(pd.Timestamp("2027-01-01 23:30", tz=zone)) == "2027-01-01"
    assert _html.date(np.datetime64("2027-01-01T23:30")) == "2027-01-01"
    assert _html.date(pd.NaT) == _html.MISSING


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2027, 1, 1), dt.date(2027, 1, 1)),
        (dt.datetime(2027, 1, 1, 0, 30), dt.date(2027, 1, 1)),
        (dt.datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Jakarta")), dt.date(2027, 1, 1)),
        (pd.Timestamp("2027-01-01 23:30", tz="America/New_York"), dt.date(2027, 1, 1)),
        (np.datetime64("2027-01-01T23:59:59"), dt.date(2027, 1, 1)),
        ("2027-01-01T00:30+09:00", dt.date(2027, 1, 1)),
        ("2027-01-01", dt.date(2027, 1, 1)),
        (dt.date(1, 1, 1), dt.date(1, 1, 1)),
    ],
)
def test_local_date(value: object, expected: dt.date) -> None:
    assert local_date(value) == expected


@pytest.mark.parametrize("value", [None, pd.NaT, np.datetime64("NaT"), "someday", 3.5j])
def test_local_date_refuses_what_is_no_date(value: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        local_date(value)


def test_local_days_of_every_kind_of_column() -> None:
    expected = np.array(["2027-01-01", "NaT"], dtype="datetime64[D]")
    columns = [
        pd.Series(pd.to_datetime(pd.Series(["2027-01-01 23:30", None]))),
        pd.to_datetime(pd.Series(["2027-01-01 00:30", None])).dt.tz_localize("Asia/Jayapura"),
        pd.Series(["2027-01-01T00:30+07:00", None]),
        pd.Series(["2027-01-01", None], dtype="string"),
        pd.Series([dt.date(2027, 1, 1), None], dtype=object),
    ]
    for column in columns:
        days, bad = local_days(column)
        np.testing.assert_array_equal(days, expected, err_msg=str(column.dtype))
        assert not bad.any()
    days, bad = local_days(pd.Series(["2027-01-01", "soon", None], dtype=object))
    assert list(bad) == [False, True, False]
    assert days[0] == np.datetime64("2027-01-01")
