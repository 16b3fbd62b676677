"""Read-only sequence views of tables: a Dataset's regencies, facilities, modules and
trainees, and the 38 provinces. A view reads through to its source (no copy of the
table is made), hands out each row as a value, and turns the whole table into a
DataFrame with ``to_frame()``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar, overload

import pandas as pd

from balai import frames

T = TypeVar("T")


class Table(Sequence[T]):
    """A read-only view of one table; indexing and slicing as for a list."""

    __slots__ = ("_at", "_columns", "_name", "_size")

    def __init__(
        self,
        name: str,
        size: Callable[[], int],
        at: Callable[[int], T],
        columns: Callable[[list[str] | None], dict[str, Any]],
    ) -> None:
        self._name = name
        self._size = size
        self._at = at
        self._columns = columns

    @property
    def name(self) -> str:
        """The table's name: "facilities", "provinces", ..."""
        return self._name

    def __len__(self) -> int:
        return self._size()

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        size = self._size()
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(size))]
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            raise IndexError(f"{self._name} index {index} out of range for {size} rows")
        return self._at(position)

    def __iter__(self) -> Iterator[T]:
        for position in range(self._size()):
            yield self._at(position)

    def __repr__(self) -> str:
        return f"<balai.Table {self._name}: {len(self)} rows>"

    def to_frame(self, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """The table as a DataFrame, with all columns or those named in `columns`.

        Column names and dtypes are listed in :mod:`balai.frames`.
        """
        return frames.frame_of(
            self._name, self._columns(frames.check_selection(self._name, columns))
        )
