"""Tables as pandas DataFrames, both ways.

Every table of a Dataset, and the province table, has a fixed set of columns with the
names of its CSV layout (``balai/io/tables.hpp``), so a frame and a CSV file read alike.
The columns are built in C++ in one pass and handed over as numpy arrays and lists of
``str``; reading a frame back passes whole columns to C++, which builds and validates
the rows. No Python loop runs per row in either direction.

Dtypes:

=============== =======================================================================
dtype            used for
=============== =======================================================================
string           text (``pd.StringDtype()``; a missing value is ``pd.NA``)
category         enumerations; the categories are the names CSV files use
int64            whole numbers that are never missing
float64          real numbers; a missing one is ``NaN``
datetime64[s]    days; a missing one is ``NaT``
=============== =======================================================================

Lists (features, prerequisites, tracks, needs, ministries) are one ``string`` cell with
the items joined by ``;`` (empty when there are none), as in CSV files.

Columns:

============ ================= ============= =================================================
table        column            dtype         content
============ ================= ============= =================================================
regencies    code              string        Kemendagri code ``NN.NN``
regencies    province_code     int64         the province's code
regencies    name              string        "Kabupaten …" or "Kota …"
regencies    lat               float64       latitude of the seat
regencies    lng               float64       longitude of the seat
regencies    population_2024   int64         residents, second half of 2024
facilities   id                string        external id
facilities   name              string        display name
facilities   kind              category      uptp, uptd, blk_komunitas, plut, rpb
facilities   owner             category      central, province, regency, community
facilities   grade             category      tumbuh, berkembang, mandiri (BLK Komunitas only)
facilities   lat               float64       latitude
facilities   lng               float64       longitude
facilities   province          int64         province code
facilities   regency           string        regency code ``NN.NN`` or NA
facilities   rooms             int64         training rooms
facilities   seats             int64         training seats over all rooms
facilities   features          string        feature tags, ``;``-joined
facilities   active_from       datetime64[s] first day it can be used, or NaT (always)
facilities   active_to         datetime64[s] last day it can be used, or NaT (always)
modules      code              string        external id
modules      title             string        display title
modules      hours_jp          int64         lessons of 45 minutes
modules      prerequisites     string        module codes, ``;``-joined
modules      required_features string        facility feature tags, ``;``-joined
modules      tracks            string        the tracks that require it, ``;``-joined
modules      min_attendance    float64       fraction of sessions to attend
modules      pass_mark         float64       score out of 100, or NaN
modules      move_on           category      completed, passed, completed_and_passed, ...
trainees     id                string        external id
trainees     nik_digest        string        HMAC-SHA256 of the NIK (64 hex digits) or NA
trainees     nik_masked        string        masked NIK ``3201********0001`` or NA
trainees     gender            category      female, male
trainees     birth_year        int64         year of birth
trainees     province          int64         province code
trainees     regency           string        regency code ``NN.NN`` or NA
trainees     lat               float64       latitude of home
trainees     lng               float64       longitude of home
trainees     track             category      umkm_owner, new_entrepreneur
trainees     umkm_class        category      micro, small, medium
trainees     kbli_version      category      2020, 2025
trainees     kbli_code         string        KBLI section letter or 2-5 digits
trainees     needs             string        mobility, visual, hearing, other; ``;``-joined
program      name              string        the program's name (one row, or none)
program      ministries        string        owning ministries, ``;``-joined
program      target_min        int64         trainees to complete, lower bound
program      target_max        int64         trainees to complete, upper bound
phases       name              string        "pilot", "rollout", ...
phases       first             datetime64[s] first day of the phase
phases       last              datetime64[s] last day of the phase
provinces    code              int64         Kemendagri code, 11..96
provinces    name              string        province name
provinces    capital           string        capital city
provinces    capital_lat       float64       latitude of the capital
provinces    capital_lng       float64       longitude of the capital
provinces    time_zone         category      WIB, WITA, WIT
provinces    population_2024   int64         residents, second half of 2024
provinces    area_km2          float64       land area
provinces    island_group      category      Sumatra, Java, ..., Papua
============ ================= ============= =================================================

When reading frames back, the columns may come in any order and with any dtype that
converts (numbers as text, dates as text or datetimes, enumerations as text or
categories); columns that may hold missing values may also be left out. A day given as a
timezone-aware datetime is its calendar date in its own zone (2027-01-01 00:00 WIB is
2027-01-01, not the UTC date), a naive one's is taken as it stands, and the time of day
is dropped. A column that is
not in the table is an error, so a misspelt name is not silently dropped. Problems with
cells are reported all at once in a ValidationError whose problems say
``"<table> row <n>"``, counting rows from 0 as ``iloc`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from balai import _core
from balai._dates import local_days

Dtype = Literal["string", "category", "int64", "float64", "datetime64[s]"]

TABLES = ("regencies", "facilities", "modules", "trainees", "program", "phases")
"""The tables of a Dataset, in the order ``Dataset.to_frames()`` gives them."""


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, its dtype and whether it may hold missing values."""

    name: str
    dtype: Dtype
    nullable: bool = False


def _columns(*specs: tuple[str, Dtype] | tuple[str, Dtype, bool]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "regencies": _columns(
        ("code", "string"),
        ("province_code", "int64"),
        ("name", "string"),
        ("lat", "float64"),
        ("lng", "float64"),
        ("population_2024", "int64"),
    ),
    "facilities": _columns(
        ("id", "string"),
        ("name", "string"),
        ("kind", "category"),
        ("owner", "category"),
        ("grade", "category", True),
        ("lat", "float64"),
        ("lng", "float64"),
        ("province", "int64"),
        ("regency", "string", True),
        ("rooms", "int64"),
        ("seats", "int64"),
        ("features", "string", True),
        ("active_from", "datetime64[s]", True),
        ("active_to", "datetime64[s]", True),
    ),
    "modules": _columns(
        ("code", "string"),
        ("title", "string"),
        ("hours_jp", "int64"),
        ("prerequisites", "string", True),
        ("required_features", "string", True),
        ("tracks", "string", True),
        ("min_attendance", "float64"),
        ("pass_mark", "float64", True),
        ("move_on", "category"),
    ),
    "trainees": _columns(
        ("id", "string"),
        ("nik_digest", "string", True),
        ("nik_masked", "string", True),
        ("gender", "category"),
        ("birth_year", "int64"),
        ("province", "int64"),
        ("regency", "string", True),
        ("lat", "float64"),
        ("lng", "float64"),
        ("track", "category"),
        ("umkm_class", "category"),
        ("kbli_version", "category"),
        ("kbli_code", "string"),
        ("needs", "string", True),
    ),
    "program": _columns(
        ("name", "string"),
        ("ministries", "string", True),
        ("target_min", "int64"),
        ("target_max", "int64"),
    ),
    "phases": _columns(
        ("name", "string"),
        ("first", "datetime64[s]"),
        ("last", "datetime64[s]"),
    ),
    "provinces": _columns(
        ("code", "int64"),
        ("name", "string"),
        ("capital", "string"),
        ("capital_lat", "float64"),
        ("capital_lng", "float64"),
        ("time_zone", "category"),
        ("population_2024", "int64"),
        ("area_km2", "float64"),
        ("island_group", "category"),
    ),
}
"""The columns of every table, in order."""


def _series(column: Column, values: Any) -> Any:
    if column.dtype == "string":
        return pd.array(values, dtype="string")
    if column.dtype == "category":
        codes, categories = values
        return pd.Categorical.from_codes(codes, categories=categories)
    if column.dtype == "datetime64[s]":
        return values.astype("datetime64[s]")
    return values


def frame_of(table: str, columns: Mapping[str, Any]) -> pd.DataFrame:
    """The DataFrame of the columns C++ built for `table` (in schema order)."""
    data = {
        column.name: _series(column, columns[column.name])
        for column in SCHEMAS[table]
        if column.name in columns
    }
    return pd.DataFrame(data, index=pd.RangeIndex(_row_count(columns)))


def _row_count(columns: Mapping[str, Any]) -> int:
    for values in columns.values():
        return len(values[0] if isinstance(values, tuple) else values)
    return 0


def check_tables(names: Iterable[str], where: str) -> None:
    """Raises ValidationError unless every one of `names` is one of TABLES."""
    problems = [
        _core.Problem(
            where=where,
            field="table",
            value=name,
            message="expected one of " + ", ".join(TABLES),
        )
        for name in names
        if name not in TABLES
    ]
    if problems:
        raise _core._validation_error(problems)


def check_selection(table: str, names: Iterable[str] | None) -> list[str] | None:
    """`names` as a list after checking each names a column of `table`."""
    if names is None:
        return None
    selected = list(names)
    known = {column.name for column in SCHEMAS[table]}
    problems = [
        _core.Problem(where=table, field=name, value=name, message="not a column of the table")
        for name in selected
        if name not in known
    ]
    if problems:
        raise _core._validation_error(problems)
    return selected


def _bad_cells(
    table: str, name: str, frame: pd.DataFrame, bad: np.ndarray[Any, Any], message: str
) -> list[Any]:
    rows = np.flatnonzero(bad)
    return [
        _core.Problem(
            where=f"{table} row {row}",
            field=name,
            # backslashreplace: a lone surrogate would not cross to C++ and hide the problem.
            value=str(frame[name].iloc[row]).encode("utf-8", "backslashreplace").decode(),
            message=message,
        )
        for row in rows[:10]
    ]


def _not_unicode(series: pd.Series) -> np.ndarray[Any, Any]:
    """Which cells are texts that are not Unicode (lone surrogates, as undecodable bytes
    become). A loop per cell, run only once converting the column has failed."""

    def bad(value: object) -> bool:
        try:
            str(value).encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False

    return np.array([bad(value) for value in series], dtype=bool)


def columns_of(table: str, frame: pd.DataFrame) -> dict[str, Any]:
    """The columns of `frame` in the form C++ reads them for `table`.

    Text and categories become lists of ``str`` (``None`` when missing), numbers float64
    arrays (``NaN`` when missing), days datetime64[D] arrays (``NaT`` when missing).
    Raises ValidationError for an unknown or missing column and for cells that are not
    numbers or dates.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"the {table} table must be a pandas DataFrame, not {type(frame).__name__}")
    schema = SCHEMAS[table]
    known = {column.name for column in schema}
    present = {str(name) for name in frame.columns}
    problems = [
        _core.Problem(where=table, field=name, value=name, message="not a column of the table")
        for name in sorted(present - known)
    ]
    problems += [
        _core.Problem(where=table, field=column.name, message="missing column")
        for column in schema
        if column.name not in present and not column.nullable
    ]
    if problems:
        raise _core._validation_error(problems)

    rows = len(frame)
    columns: dict[str, Any] = {}
    for column in schema:
        if column.name not in present:
            columns[column.name] = _missing(column.dtype, rows)
            continue
        series = frame[column.name]
        if column.dtype in ("string", "category"):
            try:
                # Pyarrow-backed strings refuse lone surrogates here; Python-backed ones
                # take them, so the join below checks them in one pass either way.
                text = series.astype("string")
                missing = text.isna().to_numpy()
                # A copy: the array may be the series' own storage, which must stay intact.
                values = text.to_numpy(dtype=object, copy=True)
                "".join(values[~missing]).encode("utf-8")
            except UnicodeEncodeError:
                bad = _not_unicode(series)
                problems += _bad_cells(table, column.name, frame, bad, "not valid UTF-8 text")
                continue
            values[missing] = None
            columns[column.name] = values.tolist()
        elif column.dtype == "datetime64[s]":
            days, bad = local_days(series)
            problems += _bad_cells(table, column.name, frame, bad, "not a date")
            columns[column.name] = days
        else:
            numbers = pd.to_numeric(series, errors="coerce")
            bad = numbers.isna().to_numpy() & series.notna().to_numpy()
            problems += _bad_cells(table, column.name, frame, bad, "not a number")
            columns[column.name] = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    if problems:
        raise _core._validation_error(problems)
    return columns


def _missing(dtype: Dtype, rows: int) -> Any:
    if dtype in ("string", "category"):
        return [None] * rows
    if dtype == "datetime64[s]":
        return np.full(rows, np.datetime64("NaT"), dtype="datetime64[D]")
    return np.full(rows, np.nan)


def frames_of(dataset: _core._Dataset, tables: Sequence[str] = TABLES) -> dict[str, pd.DataFrame]:
    """The DataFrame of each of `tables` of `dataset`."""
    return {table: frame_of(table, _core.dataset_columns(dataset, table)) for table in tables}
