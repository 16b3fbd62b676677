"""The pilot planner: which facilities to open, who trains where, when each class runs, and
how many will complete against the program's target.

>>> from balai import pilot, scenario
>>> world = scenario.indonesia(trainees=10_000)
>>> plan = pilot.plan(world)                  # sites → allocation → timetable → forecast
>>> pilot.sites_frame(plan, world)            # one row per candidate facility
>>> pilot.bands_frame(plan.forecast)          # completions per province, with percentiles
>>> pilot.groups_frame(plan.forecast)         # ... per gender and accessibility need
>>> other = pilot.plan(world, pilot.PilotOptions().replace(min_sites_per_province=2))
>>> pilot.compare(plan, other, world)         # what the change does, per province
>>> pilot.write_outputs(plan, world, "balai-pilot")  # CSVs, plan snapshot, HTML report

Each step is a function of its own too — :func:`select_sites`, :func:`balai.allocate`,
:func:`timetable`, :func:`forecast` — taking the previous step's value; :func:`plan` chains
them in C++ exactly as ``balai::plan_pilot`` does. docs/pilot.md explains the steps, their
options and every column below.

Frames (stable column names):

================ ============ ===========================================================
column           dtype        content
================ ============ ===========================================================
**sites_frame** (one row per facility, dataset order)
facility_id      string       the facility's id
name, kind       string       its name and kind (uptp, uptd, blk_komunitas, plut, rpb)
province         int64        province code
latitude,        float64      location
longitude
selected         bool         chosen as a pilot site
capacity         int64        places allocation could use (0 unless selected)
load             int64        trainees placed there
utilisation      float64      load / capacity; 0 when the capacity is 0
**trainees_frame** (one row per trainee, dataset order)
trainee_id       string       the trainee's id
province         int64        home province code
latitude,        float64      home location
longitude
facility_id      string       allocated facility; NA when unplaced
distance_km      float64      travel distance; NaN when unplaced
status           string       placed, out_of_range, capacity, quota, no_class
complete         bool         every module of the track is timetabled
timetable        string       complete, partial (placed, some module without a class:
                              reported in unscheduled_frame, no registration) or none
registration_id  string       the pilot registration (a UUID); NA when none
**cohorts_frame** (one row per class)
code             string       "<facility>/<module>/<n>"
facility_id      string       where it runs
province         int64        the facility's province
module           string       module code
room             int64        0-based room
first_session,   date         local dates of its first and last session
last_session
sessions         int64        teaching days
trainees         int64        class size
**unscheduled_frame** (one row per facility and module with trainees left out)
facility_id      string       the facility
module           string       module code
trainees         int64        trainees without a class for the module
reason           string       class_too_small, window, prerequisite, no_room,
                              too_many_sessions
detail           string       the numbers behind the reason
root_module,     string       the failure that left them out: module and reason
root_reason                   themselves unless reason is prerequisite, else the first
                              module at the facility whose failure (for another
                              reason) left out one of these trainees
**weekly_frame** (one row per week of the window)
week_start       date         Monday of the week
sessions         int64        class-days taught
trainee_days     int64        trainee attendances planned
**bands_frame** (one row per province with registrations)
province         int64        province code
name             string       province name
registrations    int64        pilot registrations
p5, p50, p95,    float64      completions over the replications
mean
**groups_frame** (one row per group of forecast registrations, in the forecast's order:
female, male, any accessibility need, no accessibility need)
group            string       "female", "male", "any accessibility need", ...
gender           string       female or male; NA when the group takes either
accessibility_   boolean      True: at least one need; False: none; NA: either
need
registrations    int64        pilot registrations in the group
p5, p50, p95,    float64      completions over the replications
mean
**compare** (plan a against plan b: one row per province, all 38, index ``province``
(code, ascending), then the nation, index 0)
name             string       province name; "Indonesia" for the nation
sites_a, _b,     int64        selected sites in the province in plan a, in plan b, and
sites_diff                    b - a
placed_a, _b,    int64        trainees of the province (by home) placed by the allocation
placed_diff
timetabled_a,    int64        trainees of the province with every module timetabled
_b, _diff
completions_     float64      median forecast completions (the nation: the median of
p50_a, _b, _diff              national completions, not a sum of medians)
================ ============ ===========================================================
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from balai import _core, io, space, summary
from balai._compare import compare
from balai._core import (
    Behaviour,
    Cohort,
    Forecast,
    ForecastGroup,
    ForecastOptions,
    Percentiles,
    PilotBound,
    PilotOptions,
    PilotPlan,
    Problem,
    Registration,
    ScheduledCohort,
    SegmentBehaviour,
    SiteMinimum,
    SiteObjective,
    SiteSelection,
    SiteSelectionOptions,
    Timetable,
    TimetableOptions,
    Unscheduled,
    UnscheduledReason,
    default_segments,
    national_holidays,
)
from balai._files import (
    check_replaceable,
    file_errors,
    names_in,
    recover_folder,
    replaced_folder,
    write_atomically,
)
from balai._options import options_or_fields
from balai._progress import Progress, Reporter
from balai._workbook import workbook_bytes
from balai.allocation import facility_frame
from balai.allocation import to_frame as placement_frame
from balai.dataset import Dataset
from balai.tracking import Roster

__all__ = [
    "SNAPSHOT_FORMAT",
    "Behaviour",
    "Forecast",
    "ForecastGroup",
    "ForecastOptions",
    "Percentiles",
    "PilotBound",
    "PilotOptions",
    "PilotPlan",
    "ScheduledCohort",
    "SegmentBehaviour",
    "SiteMinimum",
    "SiteObjective",
    "SiteSelection",
    "SiteSelectionOptions",
    "Timetable",
    "TimetableOptions",
    "Unscheduled",
    "UnscheduledReason",
    "bands_frame",
    "bound",
    "check_output_folder",
    "cohorts_frame",
    "compare",
    "default_segments",
    "forecast",
    "groups_frame",
    "load_roster",
    "national_holidays",
    "pilot_site_options",
    "plan",
    "select_sites",
    "sites_frame",
    "summary_lines",
    "timetable",
    "trainees_frame",
    "unscheduled_frame",
    "verify_timetable",
    "weekly_frame",
    "write_outputs",
    "write_snapshot",
]

SNAPSHOT_FORMAT = 1
"""The version of plan.json that :func:`write_snapshot` writes and :func:`load_roster`
reads."""

# ---- the steps ---------------------------------------------------------------------------


def select_sites(
    dataset: Dataset,
    options: SiteSelectionOptions | None = None,
    *,
    progress: Progress = True,
    **fields: Any,
) -> SiteSelection:
    """Chooses the pilot's sites among the dataset's facilities, with its trainees as
    demand. Options as a :class:`SiteSelectionOptions` or its keyword arguments (objective
    "max_coverage" or "p_median", sites, radius_km, max_distance_km, k, same_island_group,
    minimums, max_swaps, kinds, phase). `progress` as for :func:`balai.allocate`."""
    chosen = options_or_fields(SiteSelectionOptions, options, fields)
    with Reporter(progress) as report, dataset._lock:
        return _core.select_sites(dataset._data, chosen, report)


def pilot_site_options(dataset: Dataset, options: PilotOptions) -> SiteSelectionOptions:
    """The site selection options :func:`plan` uses: ``options.sites`` with at least
    ``options.min_sites_per_province`` sites in every province that has candidates."""
    with dataset._lock:
        return _core.pilot_site_options(dataset._data, options)


def timetable(
    dataset: Dataset,
    allocation: _core.Allocation,
    options: TimetableOptions | None = None,
    **fields: Any,
) -> Timetable:
    """Forms the classes of an allocation and schedules them in the phase's window. Options
    as a :class:`TimetableOptions` or its keyword arguments."""
    chosen = options_or_fields(TimetableOptions, options, fields)
    with dataset._lock:
        return _core.timetable(dataset._data, allocation, chosen)


def verify_timetable(
    dataset: Dataset, allocation: _core.Allocation, timetable: Timetable
) -> list[Problem]:
    """Every rule `timetable` breaks (rooms, class sizes, window, holidays, prerequisites,
    trainees' days); empty when it is sound."""
    with dataset._lock:
        return _core.verify_timetable(dataset._data, allocation, timetable)


def forecast(
    dataset: Dataset,
    roster: _core.Roster,
    distance_km: np.ndarray[Any, Any] | None = None,
    options: ForecastOptions | None = None,
    *,
    progress: Progress = True,
    **fields: Any,
) -> Forecast:
    """Simulates the roster's run `replications` times through the ledger's completion
    rules. `distance_km` per registration (roster order) picks the segments; None counts
    0 km. Options as a :class:`ForecastOptions` or its keyword arguments."""
    chosen = options_or_fields(ForecastOptions, options, fields)
    with Reporter(progress) as report, dataset._lock:
        return _core.forecast(dataset._data, roster, distance_km, chosen, report)


def bound(dataset: Dataset, options: PilotOptions | None = None) -> PilotBound:
    """How many trainees any pilot plan under `options` could fully timetable (the same
    value :func:`plan` records in ``PilotPlan.bound``); docs/pilot.md says how."""
    with dataset._lock:
        return _core.pilot_bound(dataset._data, options or PilotOptions())


def plan(
    dataset: Dataset, options: PilotOptions | None = None, *, progress: Progress = True
) -> PilotPlan:
    """Sites, allocation among them, timetable, roster and forecast in one call (with the
    GIL released), consolidated in rounds so that every trainee who can be trained gets a
    complete timetable; a tqdm bar per long stage when `progress` is True."""
    with Reporter(progress) as report, dataset._lock:
        return _core.plan_pilot(dataset._data, options or PilotOptions(), report)


# ---- frames ------------------------------------------------------------------------------


def _ids(dataset: Dataset, table: str, column: str = "id") -> np.ndarray[Any, Any]:
    return dataset.to_frame(table, columns=[column])[column].to_numpy(dtype=object)


def sites_frame(plan: PilotPlan, dataset: Dataset) -> pd.DataFrame:
    """One row per facility of `dataset` (the one planned): whether it was selected, and its
    capacity, load and utilisation in the allocation."""
    facilities = dataset.to_frame("facilities", columns=["name", "kind", "province", "lat", "lng"])
    use = facility_frame(plan.allocation, dataset)
    selected = np.zeros(len(facilities), dtype=bool)
    selected[np.asarray(plan.sites.selected, dtype=np.int64)] = True
    return pd.DataFrame(
        {
            "facility_id": use["facility_id"],
            "name": facilities["name"].astype("string"),
            "kind": facilities["kind"].astype("string"),
            "province": facilities["province"].astype("int64"),
            "latitude": facilities["lat"],
            "longitude": facilities["lng"],
            "selected": selected,
            "capacity": use["capacity"],
            "load": use["load"],
            "utilisation": use["utilisation"],
        }
    )


def trainees_frame(plan: PilotPlan, dataset: Dataset) -> pd.DataFrame:
    """One row per trainee of `dataset`: home, allocated facility and distance, placement
    status, whether every module is timetabled, and the pilot registration id."""
    placements = placement_frame(plan.allocation, dataset)
    homes = dataset.to_frame("trainees", columns=["lat", "lng"])
    registration = np.full(len(placements), None, dtype=object)
    roster = plan.roster._columns()
    registration[np.asarray(roster["trainee"], dtype=np.int64)] = roster["registration_id"]
    complete = np.asarray(plan.timetable.complete, dtype=bool)
    placed = placements["facility_id"].notna().to_numpy()
    timetable = np.where(complete, "complete", np.where(placed, "partial", "none"))
    return pd.DataFrame(
        {
            "trainee_id": placements["trainee_id"],
            "province": placements["province"],
            "latitude": homes["lat"],
            "longitude": homes["lng"],
            "facility_id": placements["facility_id"],
            "distance_km": placements["distance_km"],
            "status": placements["status"].astype("string"),
            "complete": complete,
            "timetable": pd.array(timetable, dtype="string"),
            "registration_id": pd.array(registration, dtype="string"),
        }
    )


def cohorts_frame(timetable: Timetable, dataset: Dataset) -> pd.DataFrame:
    """One row per class of `timetable` (made from `dataset`)."""
    facility_ids = _ids(dataset, "facilities")
    provinces = dataset.to_frame("facilities", columns=["province"])["province"].to_numpy()
    module_codes = _ids(dataset, "modules", "code")
    cohorts = timetable.cohorts
    return pd.DataFrame(
        {
            "code": pd.array([c.code for c in cohorts], dtype="string"),
            "facility_id": pd.array([facility_ids[c.facility] for c in cohorts], dtype="string"),
            "province": np.array([provinces[c.facility] for c in cohorts], dtype=np.int64),
            "module": pd.array([module_codes[c.module] for c in cohorts], dtype="string"),
            "room": np.array([c.room for c in cohorts], dtype=np.int64),
            "first_session": [c.sessions[0] for c in cohorts],
            "last_session": [c.sessions[-1] for c in cohorts],
            "sessions": np.array([len(c.sessions) for c in cohorts], dtype=np.int64),
            "trainees": np.array([len(c.trainees) for c in cohorts], dtype=np.int64),
        }
    )


def unscheduled_frame(timetable: Timetable, dataset: Dataset) -> pd.DataFrame:
    """One row per facility and module whose trainees could not all get a class, and why,
    with the root cause of a cascade (see :func:`_roots`)."""
    facility_ids = _ids(dataset, "facilities")
    module_codes = _ids(dataset, "modules", "code")
    groups = timetable.unscheduled
    roots = [groups[root] for root in _roots(groups)]
    return pd.DataFrame(
        {
            "facility_id": pd.array([facility_ids[u.facility] for u in groups], dtype="string"),
            "module": pd.array([module_codes[u.module] for u in groups], dtype="string"),
            "trainees": np.array([len(u.trainees) for u in groups], dtype=np.int64),
            "reason": pd.array([u.reason.name for u in groups], dtype="string"),
            "detail": pd.array([u.detail for u in groups], dtype="string"),
            "root_module": pd.array([module_codes[u.module] for u in roots], dtype="string"),
            "root_reason": pd.array([u.reason.name for u in roots], dtype="string"),
        }
    )


def _roots(groups: list[Unscheduled]) -> list[int]:
    """Per group, the group whose failure left its trainees out: itself, unless its reason
    is prerequisite; then the first group at the same facility (in module order, the
    timetable's order) that failed for another reason and held one of its trainees."""
    roots: list[int] = []
    root_of: dict[int, int] = {}  # trainee -> their first failed group at `facility`
    facility = None
    for i, group in enumerate(groups):
        if group.facility != facility:
            facility = group.facility
            root_of.clear()
        trainees = [int(t) for t in group.trainees]
        if group.reason == UnscheduledReason.prerequisite:
            roots.append(min((root_of[t] for t in trainees if t in root_of), default=i))
        else:
            roots.append(i)
            for trainee in trainees:
                root_of.setdefault(trainee, i)
    return roots


def weekly_frame(timetable: Timetable) -> pd.DataFrame:
    """One row per week of the window: class-days taught and trainee attendances planned."""
    first = timetable.window.first
    monday = first - dt.timedelta(days=first.weekday())
    weeks = (timetable.window.last - monday).days // 7 + 1
    sessions = np.zeros(weeks, dtype=np.int64)
    trainee_days = np.zeros(weeks, dtype=np.int64)
    for cohort in timetable.cohorts:
        size = len(cohort.trainees)
        for day in cohort.sessions:
            week = (day - monday).days // 7
            sessions[week] += 1
            trainee_days[week] += size
    return pd.DataFrame(
        {
            "week_start": [monday + dt.timedelta(weeks=w) for w in range(weeks)],
            "sessions": sessions,
            "trainee_days": trainee_days,
        }
    )


def bands_frame(forecast: Forecast, roster: _core.Roster | None = None) -> pd.DataFrame:
    """Completions per province over the replications (5th, 50th, 95th percentile and
    mean), with the pilot registrations per province when `roster` is given (else NA)."""
    names = summary.provinces_frame().set_index("code")["name"]
    codes = [int(code) for code in forecast.provinces]
    registrations: pd.Series[Any] | None = None
    if roster is not None:
        registrations = pd.Series(roster._columns()["province"]).value_counts()
    rows = []
    for row, code in enumerate(codes):
        band = forecast.province(row)
        rows.append(
            {
                "province": code,
                "name": names.get(code, str(code)),
                "registrations": (
                    pd.NA if registrations is None else int(registrations.get(code, 0))
                ),
                "p5": band.p5,
                "p50": band.p50,
                "p95": band.p95,
                "mean": band.mean,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["province", "name", "registrations", "p5", "p50", "p95", "mean"]
    )
    return frame.astype({"province": "int64", "name": "string", "registrations": "Int64"})


def groups_frame(forecast: Forecast) -> pd.DataFrame:
    """Completions per group of registrations (women, men, any accessibility need, none)
    over the replications: 5th, 50th and 95th percentile and mean. Empty for a forecast
    unpickled from a balai before the groups (pickle format 1)."""
    rows = []
    for row, group in enumerate(forecast.groups):
        band = forecast.group(row)
        rows.append(
            {
                "group": _group_name(group),
                "gender": pd.NA if group.gender is None else group.gender.name,
                "accessibility_need": (
                    pd.NA if group.accessibility_need is None else group.accessibility_need
                ),
                "registrations": group.registrations,
                "p5": band.p5,
                "p50": band.p50,
                "p95": band.p95,
                "mean": band.mean,
            }
        )
    columns = ["group", "gender", "accessibility_need", "registrations", "p5", "p50", "p95"]
    frame = pd.DataFrame(rows, columns=[*columns, "mean"])
    return frame.astype(
        {
            "group": "string",
            "gender": "string",
            "accessibility_need": "boolean",
            "registrations": "int64",
            **{column: "float64" for column in ["p5", "p50", "p95", "mean"]},
        }
    )


def _group_name(group: ForecastGroup) -> str:
    parts = [] if group.gender is None else [group.gender.name]
    if group.accessibility_need is not None:
        parts.append(
            "any accessibility need" if group.accessibility_need else "no accessibility need"
        )
    return ", ".join(parts) or "everyone"


# ---- summary and outputs -----------------------------------------------------------------


def summary_lines(plan: PilotPlan, dataset: Dataset) -> list[tuple[str, str]]:
    """The plan's key figures as (label, value) pairs, for the console and the report."""
    sites, allocation, table, result = plan.sites, plan.allocation, plan.timetable, plan.forecast
    trainees = len(dataset.trainees)
    placed = allocation.objective.placed
    distances = np.asarray(allocation.distance_km)
    complete = int(np.count_nonzero(np.asarray(table.complete)))
    reasons = pd.Series([u.reason.name for u in table.unscheduled], dtype="string")
    left_out = ", ".join(f"{name} {count}" for name, count in reasons.value_counts().items())
    national = result.national()
    options = sites.options
    reach = (
        f"within {options.radius_km:g} km"
        if options.objective == SiteObjective.max_coverage
        else f"median objective, cap {options.max_distance_km:g} km"
    )
    return [
        ("Trainees", f"{trainees:,}"),
        ("Window", f"{table.window.first} to {table.window.last}"),
        (
            "Sites",
            f"{len(sites.selected):,} of {len(dataset.facilities):,} facilities "
            f"({options.objective.name}, {reach}); "
            f"{_share(sites.covered_weight, sites.total_weight)} of trainees in reach",
        ),
        (
            "Placed",
            f"{placed:,} of {trainees:,} ({_share(placed, trainees)}); mean travel "
            f"{np.nanmean(distances) if placed else 0:.1f} km",
        ),
        (
            "Classes",
            f"{len(table.cohorts):,} in {len({c.facility for c in table.cohorts}):,} sites",
        ),
        (
            "Timetabled",
            f"{complete:,} of {plan.bound.bound:,} ({_share(complete, plan.bound.bound)}) "
            "trainees any plan could fully timetable; "
            f"{plan.bound.with_class:,} have a class-forming site in reach, "
            f"{plan.bound.in_reach:,} a capable site",
        ),
        (
            "Partly planned",
            f"{placed - complete:,} placed without every module"
            f"{' (' + left_out + ')' if left_out else ''}; "
            f"{plan.rounds:,} consolidation rounds",
        ),
        (
            "Forecast",
            f"completions p5 {national.p5:,.0f} · median {national.p50:,.0f} · "
            f"p95 {national.p95:,.0f} ({len(result.completions):,} runs)",
        ),
        (
            "Target",
            f"{result.target_min:,} to {result.target_max:,} completions: reached in "
            f"{result.probability_target_met():.0%} of runs",
        ),
    ]


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


@file_errors
def write_snapshot(plan: PilotPlan, dataset: Dataset, path: str | os.PathLike[str]) -> None:
    """Writes plan.json: the options (as constructor calls), the selected sites, the
    roster (cohorts with their session dates, registrations with their cohorts) and the
    forecast's summary — everything tracking needs to start, loadable with
    :func:`load_roster`. Written atomically."""
    facility_ids = _ids(dataset, "facilities")
    roster = plan.roster
    national = plan.forecast.national()
    document = {
        "format": SNAPSHOT_FORMAT,
        "balai": _core.__version__,
        "dataset_digest": _core.dataset_digest(dataset._data),
        "options": repr(plan.options),
        "sites": [str(facility_ids[s]) for s in plan.sites.selected],
        "cohorts": [
            {
                "code": c.code,
                "module": c.module,
                "facility": c.facility,
                "sessions": [day.isoformat() for day in c.sessions],
                "deadline": None if c.deadline is None else c.deadline.isoformat(),
            }
            for c in roster.cohorts
        ],
        "registrations": [
            {"id": r.id, "trainee": r.trainee, "cohorts": list(r.cohorts)}
            for r in roster.registrations
        ],
        "forecast": {
            "replications": len(plan.forecast.completions),
            "seed": plan.forecast.options.seed,
            "p5": national.p5,
            "p50": national.p50,
            "p95": national.p95,
            "mean": national.mean,
            "target_min": plan.forecast.target_min,
            "target_max": plan.forecast.target_max,
        },
    }
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    write_atomically(Path(path), text.encode("utf-8"))


@file_errors
def load_roster(path: str | os.PathLike[str], dataset: Dataset) -> Roster:
    """The roster in a plan.json written by :func:`write_snapshot`, resolved against
    `dataset` (the one planned: FormatError when its digest differs). A file that is not
    such a document (not UTF-8 JSON, a key missing, an entry of the wrong shape, a session
    that is no date) is a FormatError naming the file and what is wrong; a roster the
    dataset refuses is the Roster's ValidationError."""
    source = Path(path)
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise _not_a_plan(source, str(error)) from error
    if not isinstance(document, dict):
        raise _not_a_plan(source, f"the document is a {_json_type(document)}, not an object")
    _require(source, "the document", document, ("format", "dataset_digest"))
    version = document["format"]
    if version != SNAPSHOT_FORMAT:
        raise _core.FormatError(f"{source}: plan snapshot format {version!r}, this balai reads 1")
    if document["dataset_digest"] != _core.dataset_digest(dataset._data):
        raise _core.FormatError(f"{source}: the plan was made from another dataset")
    cohorts = [
        _cohort(source, f"cohorts[{i}]", entry)
        for i, entry in enumerate(
            _entries(source, document, "cohorts", ("code", "module", "facility", "sessions"))
        )
    ]
    registrations = [
        _registration(source, f"registrations[{i}]", entry)
        for i, entry in enumerate(
            _entries(source, document, "registrations", ("id", "trainee", "cohorts"))
        )
    ]
    return Roster(dataset, cohorts, registrations)


def _not_a_plan(source: Path, what: str) -> _core.FormatError:
    return _core.FormatError(f"{source}: not a balai plan snapshot ({what})")


def _json_type(value: object) -> str:
    names = {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _require(source: Path, where: str, entry: dict[str, Any], keys: tuple[str, ...]) -> None:
    missing = [key for key in keys if key not in entry]
    if missing:
        raise _not_a_plan(source, f"{where} lacks {', '.join(map(repr, missing))}")


def _list(source: Path, where: str, value: object) -> list[Any]:
    if not isinstance(value, list):
        raise _not_a_plan(source, f"{where} is a {_json_type(value)}, not a list")
    return value


def _entries(
    source: Path, document: dict[str, Any], key: str, keys: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The objects listed under `key`, each holding `keys`."""
    _require(source, "the document", document, (key,))
    entries = _list(source, repr(key), document[key])
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise _not_a_plan(source, f"{key}[{i}] is a {_json_type(entry)}, not an object")
        _require(source, f"{key}[{i}]", entry, keys)
    return entries


def _cohort(source: Path, where: str, entry: dict[str, Any]) -> Cohort:
    deadline = entry.get("deadline")
    return Cohort(
        str(entry["code"]),
        module=str(entry["module"]),
        facility=str(entry["facility"]),
        sessions=[
            _day(source, f"{where}.sessions", day)
            for day in _list(source, f"{where}.sessions", entry["sessions"])
        ],
        deadline=None if deadline is None else _day(source, f"{where}.deadline", deadline),
    )


def _registration(source: Path, where: str, entry: dict[str, Any]) -> Registration:
    return Registration(
        str(entry["id"]),
        trainee=str(entry["trainee"]),
        cohorts=[str(code) for code in _list(source, f"{where}.cohorts", entry["cohorts"])],
    )


def _day(source: Path, where: str, text: object) -> dt.date:
    if isinstance(text, str):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise _not_a_plan(source, f"{where}: {text!r} is not a date (YYYY-MM-DD)")


# Every file write_outputs may write: the output folder may hold these and nothing else.
_PILOT_FILES = (
    "sites.csv",
    "allocation.csv",
    "cohorts.csv",
    "unscheduled.csv",
    "weekly.csv",
    "forecast.csv",
    "forecast_provinces.csv",
    "forecast_groups.csv",
    "pilot.xlsx",
    "plan.json",
    "dataset.snapshot",
    "report.html",
)
_OUTPUT_FILES = names_in((*_PILOT_FILES, *space._OUTPUT_FILES))


@file_errors
def check_output_folder(folder: str | os.PathLike[str]) -> None:
    """Raises Error unless write_outputs may replace `folder`: it is missing, or holds only
    files write_outputs writes. First completes or undoes a write a kill interrupted
    (see write_outputs), so a command can check its output folder before it computes."""
    recover_folder(folder)
    check_replaceable(folder, _OUTPUT_FILES)


@file_errors
def write_outputs(
    plan: PilotPlan,
    dataset: Dataset,
    folder: str | os.PathLike[str],
    *,
    report: bool = True,
    excel: bool = True,
    shared: space.SpacePlan | None = None,
) -> list[Path]:
    """Writes the plan to `folder` (created if missing): sites.csv (the selected sites),
    allocation.csv (trainees_frame), cohorts.csv, unscheduled.csv, weekly.csv,
    forecast.csv (national completions per replication), forecast_provinces.csv
    (bands_frame), forecast_groups.csv (groups_frame), with `excel` pilot.xlsx (a sheet
    of the key figures, "summary", then one sheet per CSV above, named as the file
    without .csv), plan.json (write_snapshot), dataset.snapshot (the input, so the plan
    can be made again), with `shared` the shared-space tables (balai.space.write_outputs)
    and, with `report`, report.html. Returns the paths written.

    The folder is replaced as a whole: the files are written to a staging folder beside
    it, synced and swapped in by renaming, so after an error, a kill or Ctrl-C it holds the
    complete old set of files or the complete new one (the next call completes or undoes
    a swap a kill interrupted). Error if `folder` holds files write_outputs does not
    write, which the swap would lose, or if another process is writing it."""
    out = Path(folder)
    sites = sites_frame(plan, dataset)
    frames = {
        "sites.csv": sites[sites["selected"]].drop(columns="selected"),
        "allocation.csv": trainees_frame(plan, dataset),
        "cohorts.csv": cohorts_frame(plan.timetable, dataset),
        "unscheduled.csv": unscheduled_frame(plan.timetable, dataset),
        "weekly.csv": weekly_frame(plan.timetable),
        "forecast.csv": pd.DataFrame(
            {
                "replication": np.arange(len(plan.forecast.completions)),
                "completions": np.asarray(plan.forecast.completions),
            }
        ),
        "forecast_provinces.csv": bands_frame(plan.forecast, plan.roster),
        "forecast_groups.csv": groups_frame(plan.forecast),
    }
    lines = summary_lines(plan, dataset)
    with replaced_folder(out, _OUTPUT_FILES) as staging:
        written = []
        for name, frame in frames.items():
            frame.to_csv(staging / name, index=False)
            written.append(staging / name)
        if excel:
            sheets = {"summary": pd.DataFrame(lines, columns=["figure", "value"])}
            sheets |= {name.removesuffix(".csv"): frame for name, frame in frames.items()}
            write_atomically(staging / "pilot.xlsx", workbook_bytes(sheets))
            written.append(staging / "pilot.xlsx")
        write_snapshot(plan, dataset, staging / "plan.json")
        io.save_snapshot(dataset, staging / "dataset.snapshot")
        written += [staging / "plan.json", staging / "dataset.snapshot"]
        if shared is not None:
            written += space.write_outputs(shared, staging)
        if report:
            from balai import report as html

            inputs = _report_inputs(plan, dataset, lines, sites, frames)
            if shared is not None:
                inputs = dataclasses.replace(
                    inputs,
                    summary=inputs.summary + space.summary_lines(shared),
                    space=space.report_section(shared),
                )
            html.write_report(inputs, staging / "report.html")
            written.append(staging / "report.html")
    return [out / path.name for path in written]


def _report_inputs(
    plan: PilotPlan,
    dataset: Dataset,
    lines: list[tuple[str, str]],
    sites: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
) -> Any:
    from balai import report as html

    program = dataset.program
    name = program.name if program is not None else "the program"
    return html.ReportInputs(
        title=f"Pilot plan — {name}",
        summary=lines,
        sites=sites,
        trainees=frames["allocation.csv"],
        cohorts=frames["cohorts.csv"],
        weekly=frames["weekly.csv"],
        unscheduled=frames["unscheduled.csv"],
        completions=np.asarray(plan.forecast.completions),
        bands=frames["forecast_provinces.csv"],
        target_min=plan.forecast.target_min,
        target_max=plan.forecast.target_max,
        provinces=summary.provinces_frame()[["code", "name"]],
        groups=frames["forecast_groups.csv"],
    )
