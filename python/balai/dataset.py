"""The Dataset: balai's validated, indexed collection of regencies, facilities, modules,
trainees and the program, with its tables as sequences and DataFrames."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from balai import _core, frames, places, summary
from balai._core import Facility, Module, Program, Regency, Track, Trainee
from balai.tables import Table

PICKLE_VERSION = 1
"""The format of a Dataset pickle: ``(PICKLE_VERSION, snapshot bytes)``."""


class Dataset:
    """Everything balai plans with, validated: a Dataset only ever holds data that passed
    every check.

    ``Dataset(regencies, facilities, modules, trainees, program)`` builds one in one batch;
    `regencies` is the regency table that regency codes must then come from (without it,
    they are only checked for their province). Data arrives in batches with ``add``, all
    or nothing: a batch with any problem raises ValidationError listing every problem
    (duplicate ids, unknown references, prerequisite cycles, modules no facility can host)
    and leaves the dataset as it was.

    The tables are read-only, live sequences (``dataset.facilities[0]``,
    ``len(dataset.trainees)``) with a ``to_frame()``; ``to_frames()`` and
    ``from_frames()`` convert the whole dataset.
    Rows are looked up by id with ``facility(id)``, ``module(code)``, ``trainee(id)`` and
    ``regency(code)``. Datasets compare equal when their content is equal, and pickle.
    """

    # `_lock` is held around every call that reads `_data` without the GIL (CSV, snapshots,
    # digests) and around `add`, which changes `_data` in place: see register_dataset.cpp.
    __slots__ = ("_data", "_lock")

    def __init__(
        self,
        regencies: Iterable[Regency] | None = None,
        facilities: Iterable[Facility] = (),
        modules: Iterable[Module] = (),
        trainees: Iterable[Trainee] = (),
        program: Program | None = None,
        *,
        far_from_seat: places.FarFromSeat = "warn",
    ) -> None:
        places.check_option(far_from_seat)
        data = _core._Dataset(
            list(regencies or ()), list(facilities), list(modules), list(trainees), program
        )
        places.report(_core.far_from_seats(data), far_from_seat)
        self._data = data
        self._lock = threading.Lock()

    @classmethod
    def _wrap(cls, data: _core._Dataset) -> Dataset:
        dataset = cls.__new__(cls)
        dataset._data = data
        dataset._lock = threading.Lock()
        return dataset

    def add(
        self,
        *,
        facilities: Iterable[Facility] = (),
        modules: Iterable[Module] = (),
        trainees: Iterable[Trainee] = (),
        program: Program | None = None,
        far_from_seat: places.FarFromSeat = "warn",
    ) -> None:
        """Adds a batch, all or nothing; ValidationError listing every problem otherwise.
        A facility or trainee far from its regency's seat is a PlaceWarning, or with
        ``far_from_seat="refuse"`` a ValidationError (balai.places).

        Another thread reading the dataset meanwhile (writing it to CSV, pickling it) sees
        it whole, before or after the batch.
        """
        places.check_option(far_from_seat)
        batch = (list(facilities), list(modules), list(trainees), program)
        far = _core.far_from_seats_of(batch[0], batch[2])
        if far_from_seat == "refuse":
            places.report(far, far_from_seat)
        with self._lock:
            self._data.add(*batch)
        places.report(far, far_from_seat)

    # ---- tables ------------------------------------------------------------------------

    @property
    def regencies(self) -> Table[Regency]:
        """The regency table, in code order."""
        return Table(
            "regencies",
            lambda: self._data.regency_count(),
            lambda position: self._data.regency_at(position),
            self._columns("regencies"),
        )

    @property
    def facilities(self) -> Table[Facility]:
        return Table(
            "facilities",
            lambda: self._data.facility_count(),
            lambda position: self._data.facility_at(position),
            self._columns("facilities"),
        )

    @property
    def modules(self) -> Table[Module]:
        return Table(
            "modules",
            lambda: self._data.module_count(),
            lambda position: self._data.module_at(position),
            self._columns("modules"),
        )

    @property
    def trainees(self) -> Table[Trainee]:
        return Table(
            "trainees",
            lambda: self._data.trainee_count(),
            lambda position: self._data.trainee_at(position),
            self._columns("trainees"),
        )

    @property
    def program(self) -> Program | None:
        return self._data.program

    def _columns(self, table: str) -> Callable[[list[str] | None], dict[str, Any]]:
        # Through self, so that a view keeps showing the dataset after a batch is added.
        return lambda only: _core.dataset_columns(self._data, table, only)

    def regency(self, code: str) -> Regency:
        """The regency with this code ("32.73"); UnknownReferenceError otherwise."""
        return self._data.regency(code)

    def facility(self, id: str) -> Facility:
        """The facility with this id; UnknownReferenceError otherwise."""
        return self._data.facility(id)

    def module(self, code: str) -> Module:
        """The module with this code; UnknownReferenceError otherwise."""
        return self._data.module(code)

    def trainee(self, id: str) -> Trainee:
        """The trainee with this id; UnknownReferenceError otherwise."""
        return self._data.trainee(id)

    def modules_for(self, track: Track) -> list[Module]:
        """The modules a track requires, prerequisites first."""
        return self._data.modules_for(track)

    def can_host(self, facility: str, module: str) -> bool:
        """Whether the facility offers every feature the module requires."""
        return self._data.can_host(facility, module)

    @property
    def features(self) -> list[str]:
        """Every feature tag of the facilities and modules."""
        return self._data.features()

    # ---- frames ------------------------------------------------------------------------

    def to_frame(self, table: str, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """One table as a DataFrame: "regencies", "facilities", "modules", "trainees",
        "program" (one row, or none) or "phases". Columns and dtypes: :mod:`balai.frames`.
        """
        frames.check_tables([table], where="dataset")
        only = frames.check_selection(table, columns)
        return frames.frame_of(table, _core.dataset_columns(self._data, table, only))

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Every table as a DataFrame, keyed "regencies", "facilities", "modules",
        "trainees", "program" and "phases". Columns and dtypes: :mod:`balai.frames`."""
        return frames.frames_of(self._data)

    @classmethod
    def from_frames(
        cls,
        frames_by_table: Mapping[str, pd.DataFrame],
        regencies: pd.DataFrame | Sequence[Regency] | None = None,
        *,
        far_from_seat: places.FarFromSeat = "warn",
    ) -> Dataset:
        """The Dataset of the frames ``to_frames()`` gives, keyed by table name.

        A table left out is empty (no program without "program"). The regency table is
        ``frames_by_table["regencies"]`` unless `regencies` gives it, as a DataFrame or as
        Regency values (for instance ``balai.read_regencies(path)``). ValidationError lists
        every problem, located by table and row or by id. Places far from their regency's
        seat warn or, with ``far_from_seat="refuse"``, are refused (balai.places).
        """
        places.check_option(far_from_seat)
        frames.check_tables(frames_by_table, where="frames")
        if regencies is None:
            regencies = frames_by_table.get("regencies")
        regency_list: list[Regency]
        if regencies is None:
            regency_list = []
        elif isinstance(regencies, pd.DataFrame):
            regency_list = _core.regencies_from_columns(frames.columns_of("regencies", regencies))
        else:
            regency_list = list(regencies)

        def columns(table: str) -> dict[str, Any] | None:
            frame = frames_by_table.get(table)
            return None if frame is None else frames.columns_of(table, frame)

        data = _core.dataset_from_columns(
            regency_list,
            columns("facilities"),
            columns("modules"),
            columns("trainees"),
            columns("program"),
            columns("phases"),
        )
        places.report(_core.far_from_seats(data), far_from_seat)
        return cls._wrap(data)

    # ---- values ------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        program = self.program
        return (
            f"Dataset(regencies=<{len(self.regencies)} regencies>, "
            f"facilities=<{len(self.facilities)} facilities>, "
            f"modules=<{len(self.modules)} modules>, "
            f"trainees=<{len(self.trainees)} trainees>, "
            f"program={'None' if program is None else f'<Program {program.name!r}>'})"
        )

    def _repr_html_(self) -> str:
        return summary.dataset_html(self)

    def __getstate__(self) -> tuple[int, bytes]:
        with self._lock:
            return (PICKLE_VERSION, _core.to_snapshot_bytes(self._data))

    def __setstate__(self, state: object) -> None:
        version = state[0] if isinstance(state, tuple) and state else state
        if version != PICKLE_VERSION or not isinstance(state, tuple) or len(state) != 2:
            raise _core.FormatError(
                f"cannot unpickle Dataset: pickle format version {version!r} is not "
                f"{PICKLE_VERSION}, the version this balai reads (written by a newer balai?)"
            )
        self._data = _core.from_snapshot_bytes(state[1])
        self._lock = threading.Lock()
