"""Plausible places: a facility's or trainee's point lies near the seat of the regency it
names. A point outside Indonesia's bounding region is refused by the model's own checks,
wherever it enters; a point farther than ``MAX_KM_FROM_REGENCY_SEAT`` (400 km) from its
regency's seat is suspicious rather than impossible (regencies are large and seats
approximate), so it is a ``PlaceWarning`` by default and a ``ValidationError`` with
``far_from_seat="refuse"``."""

from __future__ import annotations

import warnings
from typing import Literal

from balai import _core
from balai._core import Problem

FarFromSeat = Literal["warn", "refuse"]
"""What a place far from its regency's seat does: warn (the default) or refuse."""

MAX_KM_FROM_REGENCY_SEAT: float = _core.MAX_KM_FROM_REGENCY_SEAT


class PlaceWarning(UserWarning):
    """Facilities or trainees lying far from the seat of the regency they name: a
    misplaced point, a latitude with its sign flipped, or the wrong regency code."""


def check_option(far_from_seat: str) -> None:
    """ValidationError unless `far_from_seat` is one of the values FarFromSeat allows,
    checked before any work so that a misspelt option never passes silently."""
    if far_from_seat not in ("warn", "refuse"):
        problem = Problem(
            field="far_from_seat", value=repr(far_from_seat), message="must be 'warn' or 'refuse'"
        )
        raise _core._validation_error([problem])


def report(problems: list[Problem], far_from_seat: FarFromSeat) -> None:
    """Refuses `problems` (far_from_seat's) with their ValidationError, or warns with its
    message; nothing when there are none."""
    if not problems:
        return
    error = _core._validation_error(problems)
    if far_from_seat == "refuse":
        raise error
    warnings.warn(PlaceWarning(str(error)), stacklevel=3)
