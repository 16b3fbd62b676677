"""Tracking: who is on track, who completed, and whether the target will be met.

>>> import balai
>>> roster = balai.Roster(dataset, cohorts, registrations)
>>> ledger = balai.Ledger(roster)
>>> ledger.append_frame(events)          # a DataFrame, validated in C++ as a whole
>>> ledger.status_frame()                # one row per registration
>>> ledger.module_frame(as_of="2027-03-01T00:00:00Z")
>>> balai.tracking.report(ledger, by="province")

Events cross to C++ as numpy columns: no Python loop runs per event. docs/tracking.md
describes the events, the completion rules and every column.

Frames (stable column names):

==================== =================== ===================================================
column               dtype               content
==================== =================== ===================================================
**events** (the input of ``append_frame``; optional columns may be left out)
id                   uint64              the event's id, unique in the ledger
kind                 str/category        enrolled, attended, absent, excused, assessed,
                                         waived, withdrew, voided, overridden
registration         str or int          the registration's UUID, or its index
time                 datetime64 (tz) or  when it happened; naive datetimes are refused
                     int64
actor                str                 who recorded it (an account, not personal data)
module               str                 module code (optional)
session              Int64               1-based session of the cohort (optional)
score                float64             assessed: 0-100 (optional)
reason               str                 waived, overridden, withdrew (optional)
target               UInt64              voided: the id of the event cancelled (optional)
result               str                 overridden: the resulting status (optional)
**status_frame** (one row per registration, in roster order)
registration_id      string              the registration's UUID
trainee_id           string              the trainee's id
track, gender        category
province             int64
regency              string              NA when unknown
facility_id          string              the facility of its first cohort; NA without one
status               category            registered, enrolled, in_progress, completed,
                                         failed, withdrew
enrolled_at,         datetime64[s, UTC]  NaT when it has not happened
completed_at,
withdrew_at
overridden           bool                the status was set by an override
**module_frame** (one row per registration and required module)
registration_id      string
module               string              module code
status               category            also passed and waived
sessions             int32               the cohort's sessions on or after enrolment
attended, absent,    int32
excused
attendance           float64             attended / denominator; NaN without sessions
best_score           float64             NaN when not assessed
done_at              datetime64[s, UTC]  when completed, passed, waived or overridden
overridden           bool
==================== =================== ===================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from balai import _core
from balai._core import (
    AppendResult,
    Cohort,
    Event,
    EventKind,
    Journal,
    Ledger,
    Registration,
    ReportBy,
    Status,
    Statuses,
)
from balai._dates import local_date
from balai.dataset import Dataset

__all__ = [
    "AppendResult",
    "Cohort",
    "Event",
    "EventKind",
    "Ledger",
    "Registration",
    "ReportBy",
    "Roster",
    "Status",
    "Statuses",
    "append_frame",
    "funnel",
    "module_frame",
    "progress",
    "report",
    "status_frame",
]


class Roster(_core.Roster):
    """Who is registered and which cohort each registration attends, resolved against a
    Dataset. `cohorts` and `registrations` are lists of values or DataFrames with their
    fields as columns (``sessions`` and ``cohorts`` hold lists). ValidationError lists
    every problem."""

    def __init__(
        self,
        dataset: Dataset,
        cohorts: Sequence[Cohort] | pd.DataFrame,
        registrations: Sequence[Registration] | pd.DataFrame,
    ) -> None:
        if isinstance(cohorts, pd.DataFrame):
            cohorts = [_cohort(row) for row in cohorts.to_dict("records")]
        if isinstance(registrations, pd.DataFrame):
            registrations = [
                Registration(
                    str(row["id"]), trainee=str(row["trainee"]), cohorts=list(row["cohorts"])
                )
                for row in registrations.to_dict("records")
            ]
        super().__init__(dataset._data, list(cohorts), list(registrations))


# balai.Roster is the subclass above, so the C++ class takes the name pickle (and Dask,
# which pickles types too) can find it by.
_core.Roster.__module__ = "balai._core"


def _cohort(row: dict[Any, Any]) -> Cohort:
    deadline = row.get("deadline")
    return Cohort(
        str(row["code"]),
        module=str(row["module"]),
        facility=str(row["facility"]),
        sessions=[local_date(day) for day in row["sessions"]],
        deadline=None if deadline is None or pd.isna(deadline) else local_date(deadline),
    )


_KINDS = [kind.name for kind in EventKind]
_STATUSES = [status.name for status in Status]
_NO_TEXT = 0xFFFFFFFF
_NO_RESULT = 0xFF
_MAX_REPORTED = 10
_NS_PER_SECOND = 1_000_000_000


def append_frame(ledger: Ledger | Journal, events: pd.DataFrame) -> AppendResult:
    """Appends the events of a DataFrame (columns above), all or nothing; through a Journal,
    returns once they are on disk."""
    columns = _event_columns(ledger.roster, events)
    result: AppendResult = ledger.append_columns(**columns)
    return result


def status_frame(ledger: Ledger, as_of: Any = None) -> pd.DataFrame:
    """One row per registration: its program status as of `as_of` (default: the latest event)."""
    statuses = ledger.statuses(_seconds_or_none(as_of))
    roster = _roster_frame(ledger.roster)
    columns = statuses._program_columns()
    frame = roster.assign(
        status=_categories(columns["status"], _STATUSES),
        enrolled_at=_times(columns["enrolled_at"]),
        completed_at=_times(columns["completed_at"]),
        withdrew_at=_times(columns["withdrew_at"]),
        overridden=np.asarray(columns["overridden"], dtype=bool),
    )
    return frame.drop(columns=["trainee", "facility"])


def module_frame(ledger: Ledger, as_of: Any = None) -> pd.DataFrame:
    """One row per registration and module its track requires."""
    statuses = ledger.statuses(_seconds_or_none(as_of))
    columns = ledger._module_columns(statuses)
    ids = np.asarray([r.id for r in ledger.roster.registrations], dtype=object)
    codes = np.asarray(ledger.roster.module_codes, dtype=object)
    return pd.DataFrame(
        {
            "registration_id": pd.array(ids[columns["registration"]], dtype="string"),
            "module": pd.array(codes[columns["module"]], dtype="string"),
            "status": _categories(columns["status"], _STATUSES),
            "sessions": columns["sessions"],
            "attended": columns["attended"],
            "absent": columns["absent"],
            "excused": columns["excused"],
            "attendance": columns["attendance"],
            "best_score": columns["best_score"],
            "done_at": _times(columns["done_at"]),
            "overridden": np.asarray(columns["overridden"], dtype=bool),
        }
    )


def report(ledger: Ledger, by: str | ReportBy = "province", as_of: Any = None) -> pd.DataFrame:
    """Counts and rates per group: one row per province (regency, facility, track, gender,
    module, or ``national``), a count column and a ``<status>_rate`` column per status."""
    if isinstance(by, str) and by not in ReportBy.__members__:
        raise _core._validation_error(
            [
                _core.Problem(
                    field="by",
                    value=by,
                    message="expected one of " + ", ".join(ReportBy.__members__),
                )
            ]
        )
    grouping = ReportBy[by] if isinstance(by, str) else by
    statuses = ledger.statuses(_seconds_or_none(as_of))
    columns = _core._report_columns(ledger.roster, statuses, grouping)
    frame = pd.DataFrame({grouping.name: pd.array(columns["key"], dtype="string")})
    total = np.asarray(columns["total"])
    frame["total"] = total
    for name in _STATUSES:
        frame[name] = np.asarray(columns[name])
    for name in _STATUSES:  # groups are never empty, so total > 0
        frame[name + "_rate"] = frame[name] / total
    return frame


def funnel(ledger: Ledger, as_of: Any = None, certified: int = 0) -> pd.DataFrame:
    """The completion funnel: registered, enrolled, started, completed, certified, each with
    its share of the registered."""
    statuses = ledger.statuses(_seconds_or_none(as_of))
    counts = _core._funnel(statuses, certified)
    stages = ["registered", "enrolled", "started", "completed", "certified"]
    frame = pd.DataFrame({"stage": stages, "count": np.asarray(counts, dtype=np.int64)})
    frame["share"] = frame["count"] / max(int(counts[0]), 1)
    return frame


def progress(ledger: Ledger, as_of: Any = None) -> pd.DataFrame:
    """Completions against the program's target range, as one row: ``still_open`` counts
    the registrations enrolled or in progress, which could still complete."""
    statuses = ledger.statuses(_seconds_or_none(as_of))
    completed, still_open, target_min, target_max = _core._progress(ledger.roster, statuses)
    return pd.DataFrame(
        {
            "completed": [completed],
            "still_open": [still_open],
            "target_min": [target_min],
            "target_max": [target_max],
            "share_of_min": [completed / target_min if target_min else 0.0],
            "met": [completed >= target_min],
            "reachable": [completed + still_open >= target_min],
        }
    )


# ---- conversions -----------------------------------------------------------------------


def _problem(row: int, field: str, value: Any, message: str) -> Any:
    # backslashreplace: a lone surrogate would not cross to C++ and hide the problem.
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    return _core.Problem(where=f"events row {row}", field=field, value=text, message=message)


def _raise_bad(
    frame: pd.DataFrame, field: str, bad: np.ndarray[Any, Any], message: str, problems: list[Any]
) -> None:
    for row in np.flatnonzero(bad)[:_MAX_REPORTED]:
        problems.append(_problem(int(row), field, frame[field].iloc[row], message))


def _codes(
    frame: pd.DataFrame, field: str, known: Sequence[str], missing: int, problems: list[Any]
) -> np.ndarray[Any, Any]:
    """Each cell's position in `known`; `missing` for NA cells; problems for unknown ones."""
    if field not in frame:
        return np.full(len(frame), missing, dtype=np.int64)
    values = frame[field]
    na = values.isna().to_numpy()
    codes = pd.Index(known).get_indexer(pd.Index(values.astype("string").fillna("")))
    _raise_bad(
        frame, field, (codes < 0) & ~na, "expected one of " + ", ".join(known[:12]), problems
    )
    return np.where(na, missing, codes)


def _registration_codes(roster: _core.Roster, frame: pd.DataFrame, problems: list[Any]) -> Any:
    values = frame["registration"]
    if pd.api.types.is_integer_dtype(values.dtype):
        # Checked here: a position past uint32 would wrap into a valid one on the way to C++.
        # As float64, exact for every valid position; NA (nullable Int64) is -1, so bad.
        numbers = values.to_numpy(dtype=np.float64, na_value=-1)
        bad = (numbers < 0) | (numbers >= len(roster))
        _raise_bad(frame, "registration", bad, "not a registration of the roster", problems)
        return np.where(bad, 0, numbers).astype(np.int64)
    ids = [r.id for r in roster.registrations]
    codes = pd.Index(ids).get_indexer(pd.Index(values.astype("string").str.lower().fillna("")))
    _raise_bad(frame, "registration", codes < 0, "not a registration of the roster", problems)
    return codes


def _seconds(frame: pd.DataFrame, problems: list[Any]) -> np.ndarray[Any, Any]:
    values = frame["time"]
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.to_numpy(dtype=np.int64)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        utc = values.dt.tz_convert("UTC").dt.tz_localize(None)
        seconds: np.ndarray[Any, Any] = utc.to_numpy(dtype="datetime64[s]").astype(np.int64)
        return seconds
    problems.append(
        _core.Problem(
            where="events",
            field="time",
            value=str(values.dtype),
            message="must be timezone-aware datetimes or Unix seconds (int64)",
        )
    )
    return np.zeros(len(frame), dtype=np.int64)


def _texts(
    frame: pd.DataFrame, fields: Sequence[str], problems: list[Any]
) -> tuple[dict[str, np.ndarray[Any, Any]], list[str]]:
    """Codes into one shared text table for each of `fields`; NA is _NO_TEXT. A text
    that is not Unicode (a lone surrogate, as undecodable bytes become) is a problem."""
    texts: list[str] = []
    codes: dict[str, np.ndarray[Any, Any]] = {}
    for field in fields:
        if field not in frame:
            codes[field] = np.full(len(frame), _NO_TEXT, dtype=np.uint32)
            continue
        values = frame[field]
        values = values.mask(values == "")  # an empty reason is no reason
        # Factorized as they are: pandas' string dtype cannot hold a lone surrogate.
        local, uniques = pd.factorize(values, use_na_sentinel=True)
        names = [str(u) for u in uniques]
        unencodable = [i for i, text in enumerate(names) if not _is_unicode(text)]
        _raise_bad(frame, field, np.isin(local, unencodable), "not valid UTF-8 text", problems)
        offset = len(texts)
        texts.extend(names)
        codes[field] = np.where(local < 0, _NO_TEXT, local + offset).astype(np.uint32)
    return codes, texts


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _event_columns(roster: _core.Roster, frame: pd.DataFrame) -> dict[str, Any]:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"events must be a pandas DataFrame, not {type(frame).__name__}")
    problems: list[Any] = []
    required = ["id", "kind", "registration", "time", "actor"]
    for name in required:
        if name not in frame:
            problems.append(_core.Problem(where="events", field=name, message="missing column"))
    known = set(required) | {"module", "session", "score", "reason", "target", "result"}
    for name in frame.columns:
        if str(name) not in known:
            problems.append(
                _core.Problem(where="events", field=str(name), message="not an event column")
            )
    if problems:
        raise _core._validation_error(problems)

    kind = _codes(frame, "kind", _KINDS, -1, problems)
    _raise_bad(frame, "kind", frame["kind"].isna().to_numpy(), "missing", problems)
    registration = _registration_codes(roster, frame, problems)
    module = _codes(frame, "module", roster.module_codes, -1, problems)
    result = _codes(frame, "result", _STATUSES, _NO_RESULT, problems)
    time = _seconds(frame, problems)
    ids = _whole(frame, "id", problems, default=None)
    session = _whole(frame, "session", problems, default=-1)
    target = _whole(frame, "target", problems, default=0)
    score = (
        pd.to_numeric(frame["score"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        if "score" in frame
        else np.full(len(frame), np.nan)
    )
    text_codes, texts = _texts(frame, ["actor", "reason"], problems)
    if problems:
        raise _core._validation_error(problems)
    return {
        "id": ids.astype(np.uint64),
        "kind": kind.astype(np.uint8),
        "registration": registration.astype(np.uint32),
        "module": module.astype(np.int32),
        "session": session.astype(np.int32),
        "time": time,
        "actor": text_codes["actor"],
        "score": score,
        "reason": text_codes["reason"],
        "target": target.astype(np.uint64),
        "result": result.astype(np.uint8),
        "texts": texts,
    }


def _whole(
    frame: pd.DataFrame, field: str, problems: list[Any], default: int | None
) -> np.ndarray[Any, Any]:
    """A column of whole numbers as uint64 for ids and targets (0 to 2^64 - 1), int64 for
    sessions (-1, none, to 2^31 - 1); NA cells take `default` (a problem when None).
    Integer columns convert exactly, whatever their size; a number outside the range is a
    problem rather than wrapping into another id or session."""
    ids = field in ("id", "target")
    dtype = np.uint64 if ids else np.int64
    low, high = (0, 2**64 - 1) if ids else (-1, 2**31 - 1)
    if field not in frame:
        return np.full(len(frame), default or 0, dtype=dtype)
    values = frame[field]
    na = values.isna().to_numpy()
    if default is None:
        _raise_bad(frame, field, na, "missing", problems)
    filled = values.fillna(default or 0) if na.any() else values
    if pd.api.types.is_integer_dtype(filled.dtype):
        numbers = filled.to_numpy()
        bad = (numbers < low) | (numbers > high)
        _raise_bad(frame, field, bad, f"must be a whole number in [{low}, {high}]", problems)
        return np.where(bad, 0, numbers).astype(dtype)
    reals = pd.to_numeric(filled, errors="coerce").to_numpy(dtype=np.float64)
    # 2.0**64 is the first float past the uint64 range (2**64 - 1 rounds up to it).
    bad = ~np.isfinite(reals) | (reals % 1 != 0) | (reals < low) | (reals >= float(high) + 1)
    _raise_bad(frame, field, bad, f"must be a whole number in [{low}, {high}]", problems)
    return np.where(bad, 0, reals).astype(dtype)


def _seconds_or_none(as_of: Any) -> int | None:
    if as_of is None:
        return None
    if isinstance(as_of, (int, np.integer)):
        return int(as_of)
    stamp = pd.Timestamp(as_of)
    if stamp.tzinfo is None:
        raise _core._validation_error(
            [
                _core.Problem(
                    field="as_of",
                    value=str(as_of),
                    message="must be timezone-aware (e.g. '2027-03-01T00:00:00Z') or Unix seconds",
                )
            ]
        )
    return int(stamp.value // _NS_PER_SECOND)


def _categories(codes: Any, names: Sequence[str]) -> Any:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=pd.Index(names))


def _times(seconds: Any) -> pd.Series:
    values = np.asarray(seconds, dtype=np.int64)
    times = values.astype("datetime64[s]")
    times[values == np.iinfo(np.int64).min] = np.datetime64("NaT")
    return pd.Series(times).dt.tz_localize("UTC")


def _roster_frame(roster: _core.Roster) -> pd.DataFrame:
    columns = roster._columns()
    facilities = np.asarray([*roster.facility_ids, None], dtype=object)
    return pd.DataFrame(
        {
            "registration_id": pd.array(columns["registration_id"], dtype="string"),
            "trainee_id": pd.array(columns["trainee_id"], dtype="string"),
            "trainee": columns["trainee"],
            "track": _categories(columns["track"], [t.name for t in _core.Track]),
            "gender": _categories(columns["gender"], [g.name for g in _core.Gender]),
            "province": np.asarray(columns["province"], dtype=np.int64),
            "regency": pd.array(columns["regency"], dtype="string"),
            "facility": columns["facility"],
            "facility_id": pd.array(facilities[columns["facility"]], dtype="string"),
        }
    )


def _attach() -> None:
    """Ledger methods for the DataFrame surface."""

    def append_frame_method(self: Ledger | Journal, events: pd.DataFrame) -> AppendResult:
        return append_frame(self, events)

    def status_frame_method(self: Ledger, as_of: Any = None) -> pd.DataFrame:
        return status_frame(self, as_of)

    def module_frame_method(self: Ledger, as_of: Any = None) -> pd.DataFrame:
        return module_frame(self, as_of)

    for name, method, doc in [
        ("append_frame", append_frame_method, append_frame.__doc__),
        ("status_frame", status_frame_method, status_frame.__doc__),
        ("module_frame", module_frame_method, module_frame.__doc__),
    ]:
        method.__name__ = name
        method.__qualname__ = "Ledger." + name
        method.__doc__ = doc
        setattr(Ledger, name, method)
    Journal.append_frame = append_frame_method  # type: ignore[method-assign]


_attach()
