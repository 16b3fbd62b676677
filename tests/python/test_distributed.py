"""balai.distributed on a two-worker LocalCluster (separate processes): every step, and the
whole pilot chain, equal to the single-process call for the same inputs and seed; errors
keep their types across the cluster."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import numpy as np
import pytest
from distributed import Client, LocalCluster

import balai
from balai import _core, distributed, pilot, scenario
from balai.pilot import ForecastOptions, PilotOptions

# The pilot test's scale: classes form, and several island groups and provinces take part.
_OPTIONS = PilotOptions(
    sites=PilotOptions().sites.replace(sites=150),
    forecast=ForecastOptions(replications=40, seed=11),
)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def world() -> balai.Dataset:
    return scenario.indonesia(seed=5, trainees=3_000)


@pytest.fixture(scope="module")
def expected(world: balai.Dataset) -> pilot.PilotPlan:
    return pilot.plan(world, _OPTIONS, progress=False)


def test_plan_equals_the_single_process_plan(
    client: Client, world: balai.Dataset, expected: pilot.PilotPlan
) -> None:
    got = distributed.plan(world, _OPTIONS, client=client, forecast_parts=7)
    assert got.options == expected.options
    assert got.sites == expected.sites
    assert got.allocation == expected.allocation
    assert got.timetable == expected.timetable
    assert got.roster == expected.roster
    np.testing.assert_array_equal(got.distance_km, expected.distance_km)
    assert got.forecast == expected.forecast
    # Not a vacuous equality: the plan placed and timetabled people.
    assert got.allocation.objective.placed > 1_000
    assert len(got.timetable.cohorts) > 50


def test_allocation_is_solved_in_island_group_parts(
    client: Client, world: balai.Dataset, expected: pilot.PilotPlan
) -> None:
    options = expected.allocation.options
    problem = balai.allocation_problem(world, options)
    parts = _core.split_by_island_group(problem)
    assert len(parts) > 3  # Sumatra, Java, Kalimantan, Sulawesi, ... each its own part
    assert sorted(np.concatenate([p.trainees for p in parts]).tolist()) == list(
        range(problem.trainees)
    )
    single = balai.allocate(world, options, progress=False)
    assert distributed.allocate(world, options, client=client) == single


def test_allocation_with_quotas_and_every_mode(client: Client, world: balai.Dataset) -> None:
    shortage = balai.AllocationOptions(
        capacity=np.full(len(world.facilities), 3, dtype=np.int32),
        quotas=[balai.ProvinceQuota(province=32, min_placed=10, max_placed=40)],
        priority=balai.Priority(female_km=5.0),
    )
    for options in (shortage, shortage.replace(mode="nearest"), shortage.replace(mode="stable")):
        single = balai.allocate(world, options, progress=False)
        assert distributed.allocate(world, options, client=client) == single


@pytest.mark.parametrize("parts", [1, 3, 40, 100])
def test_forecast_in_any_number_of_parts(
    client: Client, world: balai.Dataset, expected: pilot.PilotPlan, parts: int
) -> None:
    got = distributed.forecast(
        world, expected.roster, expected.distance_km, _OPTIONS.forecast, client=client, parts=parts
    )
    assert got == expected.forecast
    assert len(got.completions) == 40


def test_timetable_in_province_parts(
    client: Client, world: balai.Dataset, expected: pilot.PilotPlan
) -> None:
    facilities = {c.facility for c in expected.timetable.cohorts}
    provinces = {world.facilities[f].province for f in facilities}
    assert len(provinces) > 10  # so many parts
    got = distributed.timetable(world, expected.allocation, _OPTIONS.timetable, client=client)
    assert got == expected.timetable


def test_errors_keep_their_types(client: Client, world: balai.Dataset) -> None:
    with pytest.raises(balai.ValidationError, match="max_distance_km"):
        distributed.allocate(world, balai.AllocationOptions(max_distance_km=-1.0), client=client)
    impossible = balai.AllocationOptions(
        capacity=np.zeros(len(world.facilities), dtype=np.int32),
        quotas=[balai.ProvinceQuota(province=32, min_placed=5)],
    )
    with pytest.raises(balai.InfeasibleError, match="32"):
        distributed.allocate(world, impossible, client=client)
    with pytest.raises(balai.ValidationError, match="replications"):
        distributed.forecast(
            world, balai.Roster(world, [], []), None, ForecastOptions(replications=0), client=client
        )
    with pytest.raises(ValueError, match="parts must be at least 1"):
        distributed.forecast(world, balai.Roster(world, [], []), None, client=client, parts=0)


def test_the_cluster_runs_this_version(client: Client) -> None:
    distributed.check_cluster(client)
    assert set(client.run(distributed._version).values()) == {balai.__version__}


def test_an_allocation_part_pickles(world: balai.Dataset) -> None:
    problem = balai.allocation_problem(world)
    part = _core.split_by_island_group(problem)[0]
    again = pickle.loads(pickle.dumps(part))
    assert again == part
    assert again.problem.trainees == len(part.trainees) > 0
    assert again.unplaced_penalty == problem.unplaced_penalty
    assert _core.solve_part(again) == _core.solve_part(part)
