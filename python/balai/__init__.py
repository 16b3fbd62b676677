"""balai: plan and track Indonesia's national entrepreneurship-training program.

The values (GeoPoint, Facility, Module, Trainee, Program, ...) are validated when they
are made, compare by content, pickle, and have a repr that reads like the call that
makes them. A Dataset holds them, validated together; its tables convert to and from
pandas DataFrames (:mod:`balai.frames`), CSV directories and snapshots (:mod:`balai.io`).
``allocate`` places trainees at facilities (:mod:`balai.allocation`); a ``Ledger`` of
events tracks who completed (:mod:`balai.tracking`).
Every error balai raises is a :class:`balai.Error`, and also the closest built-in
exception (ValueError, KeyError, RuntimeError).
"""

from __future__ import annotations

try:
    from balai import _core
except ImportError as error:  # pragma: no cover - only without a built extension
    raise ImportError(
        "balai's compiled extension balai._core is missing: install the package with "
        "'pip install .' from a checkout (or run the README's commands) instead of "
        "importing the source tree directly"
    ) from error

from balai import allocation, tracking
from balai._core import (
    Allocation,
    AllocationMode,
    AllocationOptions,
    AllocationProblem,
    AllocationSolution,
    AppendResult,
    BlkGrade,
    CancelledError,
    Cohort,
    CompletionRule,
    ConflictError,
    DateRange,
    Error,
    Event,
    EventKind,
    Facility,
    FacilityKind,
    FormatError,
    Gender,
    GeoPoint,
    InfeasibleError,
    Kbli,
    KbliVersion,
    Ledger,
    Module,
    MoveOnRule,
    Need,
    NikKey,
    Objective,
    OwnerLevel,
    ParseError,
    Phase,
    PlacementStatus,
    Priority,
    Problem,
    Program,
    ProtectedNik,
    Province,
    ProvinceCount,
    ProvinceQuota,
    Regency,
    Registration,
    ReportBy,
    Status,
    Statuses,
    TimeZone,
    Track,
    Trainee,
    UmkmClass,
    UnknownReferenceError,
    ValidationError,
    haversine_km,
    mask_nik,
    protect_nik,
    province,
    read_facilities,
    read_modules,
    read_program,
    read_regencies,
    read_trainees,
    solve_nearest,
    solve_optimal,
    solve_stable,
    umkm_class_by_capital,
    umkm_class_by_sales,
    utc_offset_hours,
    verify,
    write_facilities,
    write_modules,
    write_program,
    write_regencies,
    write_trainees,
)
from balai.allocation import allocate, allocation_problem
from balai.dataset import Dataset
from balai.io import (
    from_snapshot_bytes,
    load_snapshot,
    read_csv,
    save_snapshot,
    to_snapshot_bytes,
    write_csv,
)
from balai.tables import Table
from balai.tracking import Roster

__version__: str = _core.__version__


def provinces() -> Table[Province]:
    """The 38 provinces in code order, as a read-only table with ``to_frame()``."""
    rows = _core.provinces()
    return Table("provinces", lambda: len(rows), rows.__getitem__, _core.province_columns)


__all__ = [
    "Allocation",
    "AllocationMode",
    "AllocationOptions",
    "AllocationProblem",
    "AllocationSolution",
    "AppendResult",
    "BlkGrade",
    "CancelledError",
    "Cohort",
    "CompletionRule",
    "ConflictError",
    "Dataset",
    "DateRange",
    "Error",
    "Event",
    "EventKind",
    "Facility",
    "FacilityKind",
    "FormatError",
    "Gender",
    "GeoPoint",
    "InfeasibleError",
    "Kbli",
    "KbliVersion",
    "Ledger",
    "Module",
    "MoveOnRule",
    "Need",
    "NikKey",
    "Objective",
    "OwnerLevel",
    "ParseError",
    "Phase",
    "PlacementStatus",
    "Priority",
    "Problem",
    "Program",
    "ProtectedNik",
    "Province",
    "ProvinceCount",
    "ProvinceQuota",
    "Regency",
    "Registration",
    "ReportBy",
    "Roster",
    "Status",
    "Statuses",
    "Table",
    "TimeZone",
    "Track",
    "Trainee",
    "UmkmClass",
    "UnknownReferenceError",
    "ValidationError",
    "allocate",
    "allocation",
    "allocation_problem",
    "from_snapshot_bytes",
    "haversine_km",
    "load_snapshot",
    "mask_nik",
    "protect_nik",
    "province",
    "provinces",
    "read_csv",
    "read_facilities",
    "read_modules",
    "read_program",
    "read_regencies",
    "read_trainees",
    "save_snapshot",
    "solve_nearest",
    "solve_optimal",
    "solve_stable",
    "to_snapshot_bytes",
    "tracking",
    "umkm_class_by_capital",
    "umkm_class_by_sales",
    "utc_offset_hours",
    "verify",
    "write_csv",
    "write_facilities",
    "write_modules",
    "write_program",
    "write_regencies",
    "write_trainees",
    "__version__",
]
