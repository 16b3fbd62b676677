"""Calendar dates from the values pandas, numpy and Python hold.

One rule wherever balai reads a date from a value that may carry a time of day: the date
of a timezone-aware value is its calendar date in its own zone (2027-01-01 00:00 in
Asia/Jakarta is 2027-01-01, not the UTC date 2026-12-31), and a naive value's date is
taken as it stands. The time of day is dropped. Instants (event times, ``as_of``) are not
dates and are not read here.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["local_date", "local_days"]


def local_date(value: object) -> dt.date:
    """The calendar date of `value`: a datetime.date, a datetime or pandas Timestamp
    (aware or naive), a numpy datetime64 or ISO 8601 text. ValueError (or TypeError) when
    it is none of these, or missing."""
    if value is pd.NaT:  # a datetime to isinstance, whose date() is NaT again
        raise ValueError("not a date: NaT")
    if isinstance(value, dt.datetime):  # pandas Timestamps too
        return value.date()  # the wall clock's date, in the value's own zone if it has one
    if isinstance(value, dt.date):
        return value
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    if pd.isna(stamp):
        raise ValueError(f"not a date: {value!r}")
    return stamp.date()


def local_days(values: pd.Series) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The calendar date of each value as a datetime64[D] array (NaT where a value is
    missing or not a date), and which present values are not dates.

    Whole columns convert at once (datetime64 columns with or without a zone, text,
    dates); a column that mixes zones, or aware and naive values, which pandas cannot
    convert as one, goes value by value through local_date."""
    present = values.notna().to_numpy()
    try:  # a datetime64 column, with or without a zone, comes back as it is
        with warnings.catch_warnings():
            # Text in several formats: pandas warns that it parses each value on its own.
            warnings.simplefilter("ignore", UserWarning)
            parsed = pd.to_datetime(values, errors="coerce")
    except (ValueError, TypeError, OverflowError):  # mixed zones, out of range
        parsed = None
    # pandas turns a value in another zone than the first, or a naive one among aware
    # ones, into NaT; only a conversion that lost no present value is taken whole.
    if parsed is not None and not (parsed.isna().to_numpy() & present).any():
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_localize(None)  # the wall clock, in the column's zone
        days: np.ndarray[Any, Any] = parsed.to_numpy(dtype="datetime64[D]")
        return days, np.zeros(len(values), dtype=bool)
    days = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    bad = np.zeros(len(values), dtype=bool)
    for row in np.flatnonzero(present):
        try:
            days[row] = np.datetime64(local_date(values.iloc[row]), "D")
        except (ValueError, TypeError, OverflowError):
            bad[row] = True
    return days, bad
