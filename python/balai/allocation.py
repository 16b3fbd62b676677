"""Which trainee trains where: allocation of trainees to facilities.

>>> import balai
>>> from balai import scenario
>>> world = scenario.indonesia(seed=7, trainees=20_000)
>>> plan = balai.allocate(world, max_distance_km=40, k=16)
>>> plan.objective.placed, plan.objective.unplaced
>>> frame = plan.to_frame(world)                 # one row per trainee
>>> balai.allocation.facility_frame(plan, world)  # one row per facility

``allocate`` runs in C++ with the GIL released and shows a tqdm bar when a solve takes
long. The building blocks are here too, for tests and for planners who want to look
inside: ``allocation_problem`` (the candidate graph as a min-cost flow instance),
``solve_optimal``, ``solve_nearest``, ``solve_stable`` and ``verify``.
docs/allocation.md explains the modes, the options, the objective and the reasons.

Frames (stable column names; see docs/allocation.md):

================ ============ ===========================================================
column           dtype        content
================ ============ ===========================================================
**to_frame** (one row per trainee, in dataset order)
trainee_id       string       the trainee's id
facility_id      string       the facility's id; NA when unplaced
province         int64        the trainee's home province code
distance_km      float64      straight-line distance to the facility; NaN when unplaced
status           category     placed, out_of_range, capacity, quota, no_class (pilot)
**facility_frame** (one row per facility, in dataset order)
facility_id      string       the facility's id
capacity         int64        places in the phase
load             int64        trainees placed there
utilisation      float64      load / capacity; 0 when the capacity is 0
price            Int64        dual price (optimal mode); NA in the other modes
**province_frame** (one row per province with trainees, by code)
province         int64        province code
placed           int64        trainees placed
unplaced         int64        trainees left unplaced
================ ============ ===========================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from balai import _core
from balai._core import (
    Allocation,
    AllocationMode,
    AllocationOptions,
    AllocationProblem,
    AllocationSolution,
    Objective,
    PlacementStatus,
    Priority,
    ProvinceCount,
    ProvinceQuota,
    solve_nearest,
    solve_optimal,
    solve_stable,
    verify,
)
from balai._options import options_or_fields
from balai._progress import Progress, ProgressCallback, Reporter
from balai.dataset import Dataset

__all__ = [
    "PROGRESS_MIN_TRAINEES",
    "Allocation",
    "AllocationMode",
    "AllocationOptions",
    "AllocationProblem",
    "AllocationSolution",
    "Objective",
    "PlacementStatus",
    "Priority",
    "ProgressCallback",
    "ProvinceCount",
    "ProvinceQuota",
    "allocate",
    "allocation_problem",
    "facility_frame",
    "phase_capacity",
    "province_frame",
    "solve_nearest",
    "solve_optimal",
    "solve_stable",
    "to_frame",
    "verify",
]

PROGRESS_MIN_TRAINEES = 50_000
"""With ``progress=True``, datasets with fewer trainees show no bar: they solve in well
under a second. Larger ones show a bar once a solve has taken half a second."""


def allocate(
    dataset: Dataset,
    options: AllocationOptions | None = None,
    *,
    mode: AllocationMode | str = AllocationMode.optimal,
    max_distance_km: float = 50.0,
    k: int = 16,
    same_island_group: bool = True,
    capacity: Sequence[int] | np.ndarray[Any, Any] | None = None,
    phase: str = "pilot",
    teaching_hours_per_week: int = 30,
    quotas: Iterable[ProvinceQuota] = (),
    priority: Priority | None = None,
    rankings: Sequence[Sequence[int]] | None = None,
    scores: Sequence[float] | np.ndarray[Any, Any] | None = None,
    progress: Progress = True,
) -> Allocation:
    """Places every trainee of `dataset` at a facility; see docs/allocation.md.

    Give the options as an :class:`AllocationOptions` or as its keyword arguments (not
    both): ``mode`` ("optimal", "nearest" or "stable"), ``max_distance_km``, ``k``
    candidates per trainee, ``same_island_group``, ``capacity`` per facility (default:
    derived for ``phase`` from seats and ``teaching_hours_per_week``), ``quotas``,
    ``priority`` and, for stable mode, ``rankings`` (facility indices per trainee, best
    first) and ``scores`` (per trainee, higher is preferred by facilities).

    `progress`: True shows a tqdm bar for long solves, False shows none, a callable is
    called as ``progress(stage, done, total)`` and may return False to cancel. Ctrl-C
    cancels too (KeyboardInterrupt). The GIL is released while solving.

    ValidationError names bad options; InfeasibleError names provinces whose quotas
    cannot be met together.
    """
    fields: dict[str, Any] = {
        "mode": mode,
        "max_distance_km": max_distance_km,
        "k": k,
        "same_island_group": same_island_group,
        "capacity": capacity,
        "phase": phase,
        "teaching_hours_per_week": teaching_hours_per_week,
        "quotas": list(quotas),
        "priority": Priority() if priority is None else priority,
        "rankings": None if rankings is None else [list(r) for r in rankings],
        "scores": scores,
    }
    chosen = _options(options, fields)
    with _reporter(progress, dataset) as report, dataset._lock:
        return _core.allocate(dataset._data, chosen, report)


def allocation_problem(
    dataset: Dataset,
    options: AllocationOptions | None = None,
    *,
    progress: Progress = False,
    **fields: Any,
) -> AllocationProblem:
    """The candidate graph, capacities, bonuses and quotas of `dataset`: the min-cost flow
    instance every solver works on. Options and `progress` as for :func:`allocate`
    (keyword options are those of :class:`AllocationOptions`)."""
    chosen = options_or_fields(AllocationOptions, options, fields)
    with _reporter(progress, dataset) as report, dataset._lock:
        return _core.allocation_problem(dataset._data, chosen, report)


def phase_capacity(
    dataset: Dataset, options: AllocationOptions | None = None
) -> np.ndarray[Any, Any]:
    """Places per facility (int32, dataset order) for the options' phase: seats times
    teaching hours per week times the weeks the facility is active in the phase, over
    the longest track's hours."""
    with dataset._lock:
        return _core.phase_capacity(dataset._data, options or AllocationOptions())


# ---- frames ------------------------------------------------------------------------------


def to_frame(allocation: Allocation, dataset: Dataset) -> pd.DataFrame:
    """One row per trainee, in dataset order: trainee_id, facility_id (NA when unplaced),
    province, distance_km (NaN when unplaced), status (categorical). `dataset` is the one
    allocated; its ids name the rows."""
    _check_sizes(allocation, dataset)
    trainees = dataset.trainees.to_frame(columns=["id", "province"])
    facility_ids = _facility_ids(dataset)
    index = allocation.facility.astype(np.intp)
    placed = index >= 0
    facility_id = np.full(len(index), None, dtype=object)
    facility_id[placed] = facility_ids[index[placed]]
    return pd.DataFrame(
        {
            "trainee_id": trainees["id"],
            "facility_id": pd.array(facility_id, dtype="string"),
            "province": trainees["province"].astype(np.int64),
            "distance_km": np.array(allocation.distance_km, dtype=np.float64),
            "status": pd.Categorical.from_codes(
                allocation.status.astype(np.int8), categories=pd.Index(Allocation.status_names)
            ),
        },
        index=pd.RangeIndex(len(index)),
    )


def facility_frame(allocation: Allocation, dataset: Dataset) -> pd.DataFrame:
    """One row per facility, in dataset order: facility_id, capacity, load, utilisation
    (0 for no capacity) and price (the dual price in optimal mode; NA otherwise)."""
    _check_sizes(allocation, dataset)
    price = allocation.price
    return pd.DataFrame(
        {
            "facility_id": pd.array(_facility_ids(dataset), dtype="string"),
            "capacity": allocation.capacity.astype(np.int64),
            "load": allocation.load.astype(np.int64),
            "utilisation": np.array(allocation.utilisation, dtype=np.float64),
            "price": pd.array(np.array(price, dtype=np.int64), dtype="Int64")
            if len(price)
            else pd.array([None] * allocation.facilities, dtype="Int64"),
        },
        index=pd.RangeIndex(allocation.facilities),
    )


def province_frame(allocation: Allocation) -> pd.DataFrame:
    """One row per province with trainees, by code: province, placed, unplaced."""
    counts = allocation.provinces
    return pd.DataFrame(
        {
            "province": np.array([c.province for c in counts], dtype=np.int64),
            "placed": np.array([c.placed for c in counts], dtype=np.int64),
            "unplaced": np.array([c.unplaced for c in counts], dtype=np.int64),
        },
        index=pd.RangeIndex(len(counts)),
    )


def _allocation_to_frame(self: Allocation, dataset: Dataset) -> pd.DataFrame:
    return to_frame(self, dataset)


_allocation_to_frame.__doc__ = to_frame.__doc__
_allocation_to_frame.__name__ = "to_frame"
_allocation_to_frame.__qualname__ = "Allocation.to_frame"
Allocation.to_frame = _allocation_to_frame  # type: ignore[method-assign]


def _facility_ids(dataset: Dataset) -> np.ndarray[Any, Any]:
    ids = dataset.facilities.to_frame(columns=["id"])["id"]
    return ids.to_numpy(dtype=object)


def _check_sizes(allocation: Allocation, dataset: Dataset) -> None:
    trainees, facilities = len(dataset.trainees), len(dataset.facilities)
    if allocation.trainees != trainees or allocation.facilities != facilities:
        raise _core._validation_error(
            [
                _core.Problem(
                    where="allocation",
                    field="dataset",
                    value=f"{trainees} trainees, {facilities} facilities",
                    message=(
                        f"not the dataset allocated ({allocation.trainees} trainees, "
                        f"{allocation.facilities} facilities)"
                    ),
                )
            ]
        )


# ---- options and progress ----------------------------------------------------------------


def _options(options: AllocationOptions | None, fields: dict[str, Any]) -> AllocationOptions:
    if options is None:
        return AllocationOptions(**fields)
    defaults = AllocationOptions()
    changed = sorted(
        name for name, value in fields.items() if not _is_default(defaults, name, value)
    )
    if changed:
        raise TypeError(
            "give the allocation options either as an AllocationOptions or as keyword "
            f"arguments, not both (got {', '.join(changed)})"
        )
    return options


def _is_default(defaults: AllocationOptions, name: str, value: Any) -> bool:
    if value is None or (isinstance(value, list) and not value):
        return True
    default = getattr(defaults, name)
    if name == "mode" and isinstance(value, str):
        return bool(value == default.name)
    if isinstance(default, np.ndarray):
        return False
    return bool(value == default)


def _reporter(progress: Progress, dataset: Dataset) -> Reporter:
    return Reporter(progress, bar=len(dataset.trainees) >= PROGRESS_MIN_TRAINEES)
