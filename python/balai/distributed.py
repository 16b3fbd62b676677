"""The planning chain on a Dask cluster, with the same results as one process.

>>> from dask.distributed import Client, LocalCluster
>>> from balai import distributed, scenario
>>> world = scenario.indonesia(trainees=100_000)
>>> with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
...     plan = distributed.plan(world, client=client)   # == balai.pilot.plan(world)

Each step is split where it is independent and merged in C++:

* **allocation** (optimal mode): the min-cost flow splits into one part per island group,
  since no trainee may travel across the sea (``same_island_group``; groups that candidate
  arcs join form one part). Each part is solved on a worker with the whole problem's
  penalties, so the merged solution is ``solve_optimal``'s own: the single-process solver
  splits and merges the same way. The baselines (nearest, stable) run as one task.
* **timetable**: one part per province, over the facilities with trainees there.
* **forecast**: replications in contiguous ranges; each replication is its own random
  stream, so the ranges merge into the one-process forecast whatever their number.
* **the pilot** (:func:`plan`): the sites, the consolidated allocation and timetable and the
  roster run as one task (``schedule_pilot``: its rounds of allocation and timetable couple
  the whole country, and its site swaps are national); the forecast then runs in ranges.

The dataset is sent to every worker once per call (it pickles as a snapshot), and each
step's value stays on the cluster until the next step needs it. Results come back as the
same immutable values the single-process functions return, and are equal to them (``==``)
for the same inputs and seed. Errors are raised here with their own types
(ValidationError, InfeasibleError, ...), as the single-process call raises them.

``client`` is a ``distributed.Client``: to a ``LocalCluster`` as above, or to an existing
cluster by its scheduler's address (``Client("tcp://scheduler:8786")``), whose workers
must have this version of balai installed (:func:`check_cluster`, called by every
function here, says which do not). Without ``client``, the current default client is
used (``distributed.get_client()``). docs/distributed.md has the details.
"""

from __future__ import annotations

import itertools
import operator
from typing import TYPE_CHECKING, Any

import numpy as np

from balai import _core
from balai._core import (
    Allocation,
    AllocationMode,
    AllocationOptions,
    Forecast,
    ForecastOptions,
    PilotOptions,
    PilotPlan,
    Roster,
    Timetable,
    TimetableOptions,
)
from balai.dataset import Dataset

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = ["allocate", "check_cluster", "forecast", "plan", "timetable"]

# ---- what runs on the workers: module-level functions, so pickle ships them by name ------
# A worker's dataset is its own copy, which nothing adds to, so no task takes its lock.


def _version() -> str:
    return _core.__version__


def _allocation_problem(dataset: Dataset, options: AllocationOptions) -> Any:
    return _core.allocation_problem(dataset._data, options)


def _allocate_whole(dataset: Dataset, options: AllocationOptions) -> Allocation:
    return _core.allocate(dataset._data, options)


def _allocation_result(
    dataset: Dataset, options: AllocationOptions, problem: Any, solution: Any
) -> Allocation:
    return _core.allocation_result(dataset._data, options, problem, solution)


def _timetable_part(
    dataset: Dataset, allocation: Allocation, options: TimetableOptions, facilities: list[int]
) -> Timetable:
    return _core.timetable_part(dataset._data, allocation, options, facilities)


def _forecast_part(
    dataset: Dataset,
    roster: Roster,
    distance_km: np.ndarray[Any, Any] | None,
    options: ForecastOptions,
    first: int,
    count: int,
) -> Forecast:
    return _core.forecast_part(dataset._data, roster, distance_km, options, first, count)


def _schedule(dataset: Dataset, options: PilotOptions) -> PilotPlan:
    return _core.schedule_pilot(dataset._data, options)


# ---- the client side ---------------------------------------------------------------------


def check_cluster(client: Client | None = None) -> None:
    """Raises RuntimeError naming every worker whose balai is not this one's version (or
    that has none): a cluster of mixed versions could not promise equal results."""
    client = _client(client)
    try:
        versions = client.run(_version)
    except ImportError as error:  # a worker that cannot import balai at all
        raise RuntimeError(f"a worker cannot import balai: {error}") from error
    wrong = {worker: v for worker, v in sorted(versions.items()) if v != _core.__version__}
    if wrong:
        listed = ", ".join(f"{worker} has {v}" for worker, v in wrong.items())
        raise RuntimeError(f"this is balai {_core.__version__}, but {listed}")


def allocate(
    dataset: Dataset, options: AllocationOptions | None = None, *, client: Client | None = None
) -> Allocation:
    """:func:`balai.allocate` on the cluster: equal to it for the same dataset and options."""
    session = _Session(client, dataset)
    return session.allocate(options or AllocationOptions()).result()


def timetable(
    dataset: Dataset,
    allocation: Allocation,
    options: TimetableOptions | None = None,
    *,
    client: Client | None = None,
) -> Timetable:
    """:func:`balai.pilot.timetable` on the cluster, one part per province."""
    session = _Session(client, dataset)
    return session.timetable(allocation, options or TimetableOptions())


def forecast(
    dataset: Dataset,
    roster: Roster,
    distance_km: np.ndarray[Any, Any] | None = None,
    options: ForecastOptions | None = None,
    *,
    client: Client | None = None,
    parts: int | None = None,
) -> Forecast:
    """:func:`balai.pilot.forecast` on the cluster, its replications in `parts` ranges
    (default: four per worker thread, so a slow worker holds up little)."""
    session = _Session(client, dataset)
    roster_f = session.client.scatter(roster, hash=False)
    return session.forecast(roster_f, distance_km, options or ForecastOptions(), parts)


def plan(
    dataset: Dataset,
    options: PilotOptions | None = None,
    *,
    client: Client | None = None,
    forecast_parts: int | None = None,
) -> PilotPlan:
    """:func:`balai.pilot.plan` on the cluster: the sites, the consolidated allocation and
    timetable and the roster as one task (their rounds couple the whole country), then the
    forecast by ranges of replications."""
    options = options or PilotOptions()
    session = _Session(client, dataset)
    scheduled_f = session.client.submit(_schedule, session.dataset, options)
    roster_f = session.client.submit(operator.attrgetter("roster"), scheduled_f)
    scheduled = scheduled_f.result()
    forecast_ = session.forecast(roster_f, scheduled.distance_km, options.forecast, forecast_parts)
    return PilotPlan(
        options=options,
        sites=scheduled.sites,
        allocation=scheduled.allocation,
        timetable=scheduled.timetable,
        roster=scheduled.roster,
        distance_km=scheduled.distance_km,
        forecast=forecast_,
        bound=scheduled.bound,
        rounds=scheduled.rounds,
    )


def _client(client: Client | None) -> Client:
    if client is not None:
        return client
    from distributed import get_client

    try:
        return get_client()
    except ValueError as error:
        raise ValueError(
            "no Dask client: pass client=Client(...) (a LocalCluster or a scheduler's address) "
            "or create one first; see docs/distributed.md"
        ) from error


class _Session:
    """One call's client and the dataset, sent once to every worker."""

    def __init__(self, client: Client | None, dataset: Dataset) -> None:
        self.client = _client(client)
        check_cluster(self.client)
        self.dataset = self.client.scatter(dataset, broadcast=True, hash=False)

    def allocate(self, options: AllocationOptions) -> Future[Allocation]:
        submit = self.client.submit
        if options.mode != AllocationMode.optimal:
            return submit(_allocate_whole, self.dataset, options)
        problem = submit(_allocation_problem, self.dataset, options)
        parts = submit(_core.split_by_island_group, problem)
        count = submit(len, parts).result()
        solutions = [
            submit(_core.solve_part, submit(operator.getitem, parts, i)) for i in range(count)
        ]
        solution = submit(_core.merge_solutions, problem, parts, solutions)
        return submit(_allocation_result, self.dataset, options, problem, solution)

    def timetable(
        self,
        allocation: Allocation,
        options: TimetableOptions,
        allocation_f: Future[Allocation] | None = None,
    ) -> Timetable:
        if allocation_f is None:
            allocation_f = self.client.scatter(allocation, hash=False)
        provinces = self.client.submit(_facility_provinces, self.dataset).result()
        parts = [
            self.client.submit(_timetable_part, self.dataset, allocation_f, options, facilities)
            for facilities in _by_province(provinces, np.asarray(allocation.load))
        ]
        return self.client.submit(_core.merge_timetables, parts).result()

    def forecast(
        self,
        roster: Future[Roster],
        distance_km: np.ndarray[Any, Any] | None,
        options: ForecastOptions,
        parts: int | None,
    ) -> Forecast:
        if parts is None:
            threads = sum(self.client.nthreads().values())
            parts = 4 * max(threads, 1)
        if parts < 1:
            raise ValueError(f"parts must be at least 1, not {parts}")
        replications = options.replications
        parts = min(parts, max(replications, 1))
        edges = [replications * i // parts for i in range(parts + 1)]
        distances = None if distance_km is None else self.client.scatter(distance_km, hash=False)
        results = [
            self.client.submit(
                _forecast_part, self.dataset, roster, distances, options, first, last - first
            )
            for first, last in itertools.pairwise(edges)
        ]
        return self.client.submit(_core.merge_forecasts, results).result()


def _facility_provinces(dataset: Dataset) -> np.ndarray[Any, Any]:
    return np.asarray(dataset.to_frame("facilities", ["province"])["province"])


def _by_province(provinces: np.ndarray[Any, Any], load: np.ndarray[Any, Any]) -> list[list[int]]:
    """The facilities with trainees, as one list of indices per province (one empty list
    when there are none: the timetable of nothing still has its window and holidays)."""
    busy = np.flatnonzero(load > 0)
    return [busy[provinces[busy] == p].tolist() for p in np.unique(provinces[busy])] or [[]]
