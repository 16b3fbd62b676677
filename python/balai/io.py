"""Datasets on disk: a directory of CSV tables (the layouts are in
``include/balai/io/tables.hpp`` and :mod:`balai.frames`) and binary snapshots. Every call
releases the GIL while it reads or writes."""

from __future__ import annotations

import os

from balai import _core, places
from balai._core import NikKey
from balai.dataset import Dataset

PathLike = str | os.PathLike[str]


def read_csv(
    directory: PathLike,
    nik_key: NikKey | None = None,
    *,
    far_from_seat: places.FarFromSeat = "warn",
) -> Dataset:
    """The Dataset of a directory written by ``write_csv``; a missing file is an empty
    table, but trainees.csv must be there. With `nik_key`, trainees.csv may carry clear
    NIKs in a ``nik`` column, which are protected on load and never kept. ParseError names
    the file, line, column and field of a bad cell; ValidationError lists what the Dataset
    rejects. Places far from their regency's seat warn or, with
    ``far_from_seat="refuse"``, are refused (balai.places)."""
    places.check_option(far_from_seat)
    data = _core.read_csv(directory, nik_key)
    places.report(_core.far_from_seats(data), far_from_seat)
    return Dataset._wrap(data)


def write_csv(dataset: Dataset, directory: PathLike) -> None:
    """Writes every table of `dataset` into `directory` (created if needed), so that it
    reads back as an equal Dataset."""
    with dataset._lock:
        _core.write_csv(dataset._data, directory)


def save_snapshot(dataset: Dataset, path: PathLike) -> None:
    """Writes `dataset` to a binary snapshot, atomically."""
    with dataset._lock:
        _core.save_snapshot(dataset._data, path)


def load_snapshot(path: PathLike) -> Dataset:
    """The Dataset in a snapshot file; FormatError if the file is not one this balai reads."""
    return Dataset._wrap(_core.load_snapshot(path))


def to_snapshot_bytes(dataset: Dataset) -> bytes:
    """The snapshot of `dataset` as bytes."""
    with dataset._lock:
        return _core.to_snapshot_bytes(dataset._data)


def from_snapshot_bytes(data: bytes) -> Dataset:
    """The Dataset in snapshot bytes; FormatError if they hold none."""
    return Dataset._wrap(_core.from_snapshot_bytes(data))
