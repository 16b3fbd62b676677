"""Shared space: what facilities offer besides classroom seats — workshop hours, PLUT
mentor hours, production slots of shared production houses, storage and display space —
week by week, the part training uses, and the UMKM that book the rest.

>>> from balai import pilot, scenario, space
>>> world = scenario.indonesia(trainees=10_000)
>>> timetable = pilot.plan(world).timetable
>>> shared = space.plan(world, timetable)  # inventory → training → requests → allocation
>>> space.outcomes_frame(shared.requests, shared.allocation)
>>> use = space.utilisation_frame(shared.inventory, shared.allocation.bookings)
>>> space.utilisation_summary(use, "facility_kind")
>>> space.plot_utilisation(use, by="kind")

Each step is a function of its own: :func:`scenario_inventory` (or :func:`space_sites`
and hand-made :class:`Resource` values), :func:`with_training`, :func:`scenario_requests`
(or :func:`requests_from_frame`), :func:`allocate_space`; a :class:`SpaceBook` keeps the
bookings live (allocate, add, cancel, change). :func:`verify_bookings` checks bookings
against an inventory with no solver involved. docs/space.md explains the allocator.

Units differ by kind (``unit_of``): hours for workshop and mentoring, slots for
production, m2 for storage and display. Sums over several kinds add different units; their
shares of capacity are still shares, but filter to one kind for figures in one unit.

Frames (stable column names; enumerations are ``category`` with the names as categories,
text is ``string``):

=================== =========== ==========================================================
column              dtype       content
=================== =========== ==========================================================
**inventory_frame** (one row per resource, inventory order)
resource            int64       index into inventory.resources
facility            string      the site's facility id
facility_kind       category    uptp, uptd, blk_komunitas, plut, rpb
province            int64       province code
kind                category    workshop, mentoring, production, storage, display
label               string      feature tag (workshop), KBLI division (production) or ""
unit                category    hours, slots, m2
capacity_total      int64       capacity over the window's weeks
training_total      int64       what training uses over the window
free_total          int64       what shared use may take over the window
**requests_frame** (one row per request; also what :func:`requests_from_frame` reads)
id, business        string      the request's and the UMKM's ids
graduate            bool        a graduate of the program
priority            int64       0..1000, higher first
kind, label         category,   what is asked for
                    string
amount              int64       units per week
first_week, weeks   int64       0-based first week of the window, and how many
lat, lng            float64     where the business is
province            int64       its province code
max_distance_km     float64     how far it may travel
splittable          bool        may be served by several facilities, week by week
**bookings_frame** (one row per booking)
id, request         string      "<request>/<n>" and the request's id
resource            int64       index into inventory.resources
facility,           string,     where
facility_kind,      category,
province            int64
kind, label         category,   the resource
                    string
first_week, weeks   int64       the weeks held
amount              int64       units per week
distance_km         float64     from the business to the facility
**outcomes_frame** (one row per request, request order)
request, business   string      the ids
graduate, priority  bool, int64 how it was ranked
kind, label         category,   what was asked for
                    string
requested, served   int64       units (amount x weeks) asked for and booked
status              category    served, partly_served, no_resource, out_of_range, capacity
detail              string      a sentence with the numbers; empty when served
**utilisation_frame** (one row per resource and week, resource-major)
resource            int64       index into inventory.resources
facility ... unit               as in inventory_frame
week                int64       0-based week of the window
week_start          object      its Monday (datetime.date)
capacity            int64       units the resource offers that week
training            int64       used by the timetable's classes
shared              int64       booked by UMKM
idle                int64       capacity - training - shared
=================== =========== ==========================================================
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from balai import _core
from balai._core import (
    Booking,
    FacilityKind,
    Problem,
    RequestOutcome,
    RequestStatus,
    Resource,
    ResourceKind,
    SpaceAllocation,
    SpaceBook,
    SpaceInventory,
    SpaceOptions,
    SpaceRequest,
    SpaceScenarioOptions,
    SpaceSite,
    Timetable,
    ValidationError,
    space_utilisation,
    unit_of,
    verify_bookings,
)
from balai._files import file_errors
from balai._options import options_or_fields
from balai._progress import Progress, Reporter
from balai.dataset import Dataset

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from balai._report_space import SpaceReport

__all__ = [
    "Booking",
    "RequestOutcome",
    "RequestStatus",
    "Resource",
    "ResourceKind",
    "SpaceAllocation",
    "SpaceBook",
    "SpaceInventory",
    "SpaceOptions",
    "SpacePlan",
    "SpaceRequest",
    "SpaceScenarioOptions",
    "SpaceSite",
    "allocate_space",
    "bookings_frame",
    "inventory_frame",
    "outcomes_frame",
    "plan",
    "plot_utilisation",
    "plot_weekly",
    "report_section",
    "requests_frame",
    "requests_from_frame",
    "scenario_inventory",
    "scenario_requests",
    "space_sites",
    "space_utilisation",
    "summary_lines",
    "unit_of",
    "utilisation_frame",
    "utilisation_summary",
    "verify_bookings",
    "with_training",
    "write_outputs",
]

# ---- the steps ---------------------------------------------------------------------------


def space_sites(dataset: Dataset, start: dt.date, weeks: int) -> SpaceInventory:
    """An inventory of `weeks` weeks from the Monday `start` with a site per facility of
    `dataset` (dataset order, so a site's index is its facility's) and no resources yet:
    add :class:`Resource` values with ``inventory.replace(resources=[...])``."""
    with dataset._lock:
        return _core.space_sites(dataset._data, start, weeks)


def with_training(
    inventory: SpaceInventory, dataset: Dataset, timetable: Timetable
) -> SpaceInventory:
    """The inventory with each resource's training use from the timetable: a workshop for
    every session of a module needing its feature, mentoring for every session at its
    facility (whole hours per week). ValidationError naming the resource and week when
    training needs more than the capacity, or when the sites are not the dataset's
    facilities."""
    with dataset._lock:
        return _core.with_training(inventory, dataset._data, timetable)


def scenario_inventory(
    dataset: Dataset,
    start: dt.date,
    weeks: int,
    options: SpaceScenarioOptions | None = None,
    **fields: Any,
) -> SpaceInventory:
    """Plausible resources for every facility of `dataset` over `weeks` weeks from the
    Monday `start` (include/balai/scenario/space.hpp lists them by facility kind). Options
    as a :class:`SpaceScenarioOptions` or its keyword arguments."""
    chosen = options_or_fields(SpaceScenarioOptions, options, fields)
    with dataset._lock:
        return _core.scenario_inventory(dataset._data, start, weeks, chosen)


def scenario_requests(
    dataset: Dataset,
    inventory: SpaceInventory,
    options: SpaceScenarioOptions | None = None,
    **fields: Any,
) -> list[SpaceRequest]:
    """A seeded stream of ``options.requests`` UMKM requests for what `inventory` offers,
    ids "UMKM-REQ-000001" onwards, from graduates at their homes and other UMKM where the
    dataset's trainees live. Options as for :func:`scenario_inventory`."""
    chosen = options_or_fields(SpaceScenarioOptions, options, fields)
    with dataset._lock:
        return _core.scenario_requests(dataset._data, inventory, chosen)


def allocate_space(
    inventory: SpaceInventory,
    requests: Iterable[SpaceRequest],
    options: SpaceOptions | None = None,
    *,
    existing: Iterable[Booking] = (),
    progress: Progress = True,
    **fields: Any,
) -> SpaceAllocation:
    """Serves the requests from what training and the `existing` bookings leave free:
    graduates first, then by priority; whole requests at the nearest facility with room,
    splittable ones by an exact min-cost flow per week. Options as a :class:`SpaceOptions`
    or its keyword arguments. The GIL is released; `progress` as for
    :func:`balai.allocate`. ValidationError names each bad request by position and id."""
    chosen = options_or_fields(SpaceOptions, options, fields)
    with Reporter(progress) as report:
        return _core.allocate_space(inventory, list(requests), chosen, list(existing), report)


# ---- the chain ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SpacePlan:
    """What :func:`plan` made: the inventory (with training), the requests and how they
    were served."""

    inventory: SpaceInventory
    requests: list[SpaceRequest]
    allocation: SpaceAllocation

    # The frames the outputs below all read, made once per plan. They are shared: copy one
    # before changing it.
    @functools.cached_property
    def outcomes(self) -> pd.DataFrame:
        """:func:`outcomes_frame` of the requests and the allocation."""
        return outcomes_frame(self.requests, self.allocation)

    @functools.cached_property
    def utilisation(self) -> pd.DataFrame:
        """:func:`utilisation_frame` of the inventory and the allocation's bookings."""
        return utilisation_frame(self.inventory, self.allocation.bookings)


def plan(
    dataset: Dataset,
    timetable: Timetable,
    scenario: SpaceScenarioOptions | None = None,
    options: SpaceOptions | None = None,
    *,
    progress: Progress = True,
) -> SpacePlan:
    """Shared space over the timetable's window in one call: :func:`scenario_inventory` for
    the weeks the window spans (from its Monday), :func:`with_training` from the timetable,
    :func:`scenario_requests` and :func:`allocate_space`."""
    window = timetable.window
    start = window.first - dt.timedelta(days=window.first.weekday())
    weeks = (window.last - start).days // 7 + 1
    chosen = scenario or SpaceScenarioOptions()
    inventory = scenario_inventory(dataset, start, weeks, chosen)
    inventory = with_training(inventory, dataset, timetable)
    requests = scenario_requests(dataset, inventory, chosen)
    allocation = allocate_space(inventory, requests, options, progress=progress)
    return SpacePlan(inventory, requests, allocation)


# ---- outputs -----------------------------------------------------------------------------


def summary_lines(shared: SpacePlan) -> list[tuple[str, str]]:
    """The plan's key figures as (label, value) pairs, for the console and the report."""
    allocation, inventory = shared.allocation, shared.inventory
    statuses = shared.outcomes["status"].value_counts()
    served, partly = int(statuses.get("served", 0)), int(statuses.get("partly_served", 0))
    units = f"{allocation.served / allocation.requested:.1%}" if allocation.requested else "—"
    use = shared.utilisation
    blk = use[(use["kind"] == "workshop") & use["facility_kind"].isin(_BLK_KINDS)]
    capacity = int(blk["capacity"].sum())
    idle = f"{int(blk['idle'].sum()) / capacity:.1%}" if capacity else "—"
    return [
        (
            "Shared space",
            f"{len(inventory.resources):,} resources at "
            f"{len({r.site for r in inventory.resources}):,} facilities; "
            f"{len(shared.requests):,} UMKM requests, {served:,} served in full and "
            f"{partly:,} in part ({units} of requested units)",
        ),
        ("Idle BLK workshops", f"{idle} of {capacity:,} workshop hours after training and UMKM"),
    ]


# The files write_outputs writes, which balai.pilot.write_outputs's folder may hold.
_OUTPUT_FILES = ("space_inventory.csv", "space_requests.csv", "space_bookings.csv", "space_use.csv")


@file_errors
def write_outputs(shared: SpacePlan, folder: str | os.PathLike[str]) -> list[Path]:
    """Writes space_inventory.csv (inventory_frame), space_requests.csv (outcomes_frame),
    space_bookings.csv (bookings_frame) and space_use.csv (utilisation_frame) to `folder`
    (created if missing). Returns the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    frames = {
        "space_inventory.csv": inventory_frame(shared.inventory),
        "space_requests.csv": shared.outcomes,
        "space_bookings.csv": bookings_frame(shared.inventory, shared.allocation.bookings),
        "space_use.csv": shared.utilisation,
    }
    for name, frame in frames.items():
        frame.to_csv(out / name, index=False)
    return [out / name for name in frames]


def report_section(shared: SpacePlan) -> SpaceReport:
    """The frames the pilot report's shared-space section shows."""
    # Imported here: the report's modules need matplotlib, which `import balai` does not.
    from balai._report_space import SpaceReport

    return SpaceReport(
        utilisation=shared.utilisation,
        outcomes=shared.outcomes,
    )


_BLK_KINDS = ("uptp", "uptd", "blk_komunitas")


# ---- frames ------------------------------------------------------------------------------

_KEYS = ("resource", "facility", "facility_kind", "province", "kind", "label", "unit")


def _names(kind: type[Any]) -> list[str]:
    return [member.name for member in kind]


def _category(codes: np.ndarray[Any, Any], kind: type[Any]) -> pd.Categorical[str]:
    categories = pd.Index(_names(kind))
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=categories)


def _text(values: Sequence[str] | np.ndarray[Any, Any]) -> pd.arrays.StringArray:
    return pd.array(values, dtype="string")  # type: ignore[return-value]


def _invalid(where: str, field: str, value: object, message: str) -> ValidationError:
    return _core._validation_error(
        [Problem(where=where, field=field, value=str(value), message=message)]
    )


def inventory_frame(inventory: SpaceInventory) -> pd.DataFrame:
    """One row per resource of `inventory`: where it is, what it offers and its totals
    over the window (columns in the module's table)."""
    sites = _core._space_site_columns(inventory)
    resources = _core._space_resource_columns(inventory)
    site = np.asarray(resources["site"], dtype=np.int64)
    kinds = _category(resources["kind"], ResourceKind)
    units = np.array([unit_of(kind) for kind in ResourceKind], dtype=object)
    return pd.DataFrame(
        {
            "resource": np.arange(len(site), dtype=np.int64),
            "facility": _text(np.asarray(sites["facility"], dtype=object)[site]),
            "facility_kind": _category(np.asarray(sites["facility_kind"])[site], FacilityKind),
            "province": np.asarray(sites["province"], dtype=np.int64)[site],
            "kind": kinds,
            "label": _text(resources["label"]),
            "unit": pd.Categorical(units[kinds.codes], categories=["hours", "slots", "m2"]),
            "capacity_total": resources["capacity_total"],
            "training_total": resources["training_total"],
            "free_total": resources["free_total"],
        }
    )


def _by_resource(inventory: SpaceInventory, resource: np.ndarray[Any, Any]) -> pd.DataFrame:
    """The resource columns of inventory_frame for each of `resource` (indices); a
    ValidationError names the first index the inventory does not have."""
    count = len(inventory.resources)
    bad = np.flatnonzero((resource < 0) | (resource >= count))
    if len(bad):
        raise _invalid(
            f"row {bad[0]}", "resource", resource[bad[0]], f"names no resource ({count} resources)"
        )
    rows = inventory_frame(inventory)[list(_KEYS)].iloc[resource]
    return rows.reset_index(drop=True)


def requests_frame(requests: Sequence[SpaceRequest]) -> pd.DataFrame:
    """One row per request, in the columns :func:`requests_from_frame` reads back."""
    columns = _core._space_request_columns(list(requests))
    return pd.DataFrame(
        {
            "id": _text(columns["id"]),
            "business": _text(columns["business"]),
            "graduate": columns["graduate"],
            "priority": columns["priority"].astype(np.int64),
            "kind": _category(columns["kind"], ResourceKind),
            "label": _text(columns["label"]),
            "amount": columns["amount"].astype(np.int64),
            "first_week": columns["first_week"].astype(np.int64),
            "weeks": columns["weeks"].astype(np.int64),
            "lat": columns["lat"],
            "lng": columns["lng"],
            "province": columns["province"].astype(np.int64),
            "max_distance_km": columns["max_distance_km"],
            "splittable": columns["splittable"],
        }
    )


_REQUIRED = ("id", "business", "kind", "amount", "lat", "lng", "province")
_OPTIONAL = (
    "graduate",
    "priority",
    "label",
    "first_week",
    "weeks",
    "max_distance_km",
    "splittable",
)


def requests_from_frame(frame: pd.DataFrame) -> list[SpaceRequest]:
    """SpaceRequest values from a frame in the layout of :func:`requests_frame`: id,
    business, kind, amount, lat, lng and province are required, the other columns take the
    defaults of :class:`SpaceRequest` when absent. Bad cells raise ValidationError naming
    each by its row (position from 0) and column — those of the first 20 bad rows, then how
    many more rows are bad — and nothing is built. The rows are read in one pass in C++."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"requests must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [name for name in _REQUIRED if name not in frame.columns]
    if missing:
        raise _invalid("requests frame", ", ".join(missing), "", "required columns are missing")
    named = [name for name in (*_REQUIRED, *_OPTIONAL) if name in frame.columns]
    return _core._space_requests_from_columns({name: frame[name].tolist() for name in named})


def bookings_frame(inventory: SpaceInventory, bookings: Sequence[Booking]) -> pd.DataFrame:
    """One row per booking, with the facility and kind of its resource in `inventory`."""
    columns = _core._space_booking_columns(list(bookings))
    resource = np.asarray(columns["resource"], dtype=np.int64)
    where = _by_resource(inventory, resource)
    return pd.DataFrame(
        {
            "id": _text(columns["id"]),
            "request": _text(columns["request"]),
            "resource": resource,
            "facility": where["facility"],
            "facility_kind": where["facility_kind"],
            "province": where["province"],
            "kind": where["kind"],
            "label": where["label"],
            "first_week": columns["first_week"].astype(np.int64),
            "weeks": columns["weeks"].astype(np.int64),
            "amount": columns["amount"].astype(np.int64),
            "distance_km": columns["distance_km"],
        }
    )


def outcomes_frame(requests: Sequence[SpaceRequest], allocation: SpaceAllocation) -> pd.DataFrame:
    """One row per request (the ones allocated, in their order): how it fared."""
    asked = requests_frame(requests)
    outcomes = _core._space_outcome_columns(allocation)
    if len(asked) != len(outcomes["status"]):
        raise _invalid(
            "outcomes frame",
            "requests",
            f"{len(asked)} requests",
            f"the allocation has {len(outcomes['status'])} outcomes: give the requests it served",
        )
    return pd.DataFrame(
        {
            "request": asked["id"],
            "business": asked["business"],
            "graduate": asked["graduate"],
            "priority": asked["priority"],
            "kind": asked["kind"],
            "label": asked["label"],
            "requested": outcomes["requested"],
            "served": outcomes["served"],
            "status": _category(outcomes["status"], RequestStatus),
            "detail": _text(outcomes["detail"]),
        }
    )


def utilisation_frame(inventory: SpaceInventory, bookings: Sequence[Booking]) -> pd.DataFrame:
    """One row per resource and week: its capacity, and how much of it training, shared use
    (the bookings) and nothing took. ValidationError when the bookings do not verify."""
    columns = space_utilisation(inventory, list(bookings))
    resource = np.asarray(columns["resource"], dtype=np.int64)
    week = np.asarray(columns["week"], dtype=np.int64)
    mondays = np.array(
        [inventory.start + dt.timedelta(weeks=w) for w in range(inventory.weeks)], dtype=object
    )
    frame = _by_resource(inventory, resource)
    frame["week"] = week
    frame["week_start"] = mondays[week]
    for name in ("capacity", "training", "shared", "idle"):
        frame[name] = np.asarray(columns[name], dtype=np.int64)
    return frame


_GROUPS = ("facility", "facility_kind", "province", "kind", "label", "unit", "week", "week_start")
_USES = ("training", "shared", "idle")


def utilisation_summary(frame: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Sums of a :func:`utilisation_frame` by any of facility, facility_kind, province,
    kind, label, unit, week and week_start: capacity, training, shared, idle, and
    training_share, shared_share and idle_share of the capacity (0 where it is 0). Groups
    without rows are left out."""
    keys = [by] if isinstance(by, str) else list(by)
    unknown = [key for key in keys if key not in _GROUPS]
    if unknown or not keys:
        raise _invalid(
            "utilisation summary", "by", ", ".join(unknown), f"group by {', '.join(_GROUPS)}"
        )
    sums = frame.groupby(keys, observed=True, sort=True)[["capacity", *_USES]].sum().reset_index()
    capacity = sums["capacity"].to_numpy(dtype=np.float64)
    for use in _USES:
        part = sums[use].to_numpy(dtype=np.float64)
        sums[f"{use}_share"] = np.divide(
            part, capacity, out=np.zeros_like(part), where=capacity > 0
        )
    return sums


_PLOT_GROUPS = ("kind", "facility_kind", "province", "week")
_COLOURS = {"training": "tab:blue", "shared": "tab:orange", "idle": "0.8"}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only plotting needs matplotlib

    _, created = plt.subplots(figsize=size)
    return created


def plot_utilisation(frame: pd.DataFrame, by: str = "kind", ax: Axes | None = None) -> Axes:
    """Stacked bars of training, shared use and idle capacity as shares of the capacity,
    one bar per kind, facility_kind, province or week (its Monday) of a
    :func:`utilisation_frame`. Returns the Axes (a new figure's without `ax`)."""
    if by not in _PLOT_GROUPS:
        raise _invalid("plot_utilisation", "by", by, f"plot by {', '.join(_PLOT_GROUPS)}")
    summary = utilisation_summary(frame, "week_start" if by == "week" else by)
    labels = [str(value) for value in summary.iloc[:, 0]]
    ax = _axes(ax, (max(6.0, 0.35 * len(labels) + 2.0), 4.0))
    positions = np.arange(len(labels))
    bottom = np.zeros(len(labels))
    for use in _USES:
        share = summary[f"{use}_share"].to_numpy()
        ax.bar(positions, share, bottom=bottom, color=_COLOURS[use], label=use, width=0.8)
        bottom += share
    ax.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0, ha="right")
    ax.set_ylim(0.0, 1.0)
    ax.set_ylabel("share of capacity")
    ax.set_xlabel("week starting" if by == "week" else by.replace("_", " "))
    ax.set_title("Use of shared space")
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    return ax


def plot_weekly(frame: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Per week of a :func:`utilisation_frame`, the share of each kind's capacity in use
    (training and shared together, solid) and taken by shared use alone (dashed). Returns
    the Axes (a new figure's without `ax`)."""
    summary = utilisation_summary(frame, ["kind", "week_start"])
    ax = _axes(ax, (8.0, 4.0))
    for index, (kind, rows) in enumerate(summary.groupby("kind", observed=True, sort=True)):
        colour = f"C{index}"
        used = rows["training_share"] + rows["shared_share"]
        ax.plot(rows["week_start"], used, color=colour, marker="o", label=f"{kind} in use")
        ax.plot(rows["week_start"], rows["shared_share"], color=colour, linestyle="--")
    ax.set_ylim(0.0, 1.0)
    ax.set_ylabel("share of capacity (dashed: shared use)")
    ax.set_xlabel("week starting")
    ax.set_title("Shared space week by week")
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    ax.tick_params(axis="x", labelrotation=30)
    return ax
