"""Allocation from Python: options, problems, solutions and results as values; every mode
on scenario data, checked against verify(); frames; progress, cancellation and the GIL."""

from __future__ import annotations

import gc
import itertools
import math
import os
import pickle
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import balai
from balai import (
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
    allocation,
    scenario,
)

MODES = ["optimal", "nearest", "stable"]


@pytest.fixture(scope="module")
def world() -> balai.Dataset:
    """A national scenario small enough to solve in a blink."""
    return scenario.indonesia(seed=11, trainees=3000)


@pytest.fixture(scope="module")
def tight(world: balai.Dataset) -> AllocationOptions:
    """One place per facility: seats are contested, so the modes differ."""
    return AllocationOptions(capacity=np.ones(len(world.facilities), dtype=np.int32), k=8)


@pytest.fixture(scope="module")
def big() -> balai.Dataset:
    return scenario.indonesia(seed=5, trainees=100_000)


def small_problem(**changes: Any) -> AllocationProblem:
    """Three trainees, two facilities of one place each; trainee 2 has no candidate."""
    fields: dict[str, Any] = {
        "capacity": [1, 1],
        "province": [32, 32, 35],
        "first_arc": [0, 2, 3, 3],
        "arc_facility": [0, 1, 0],
        "arc_cost_m": [1000, 5000, 2000],
    }
    fields.update(changes)
    return AllocationProblem(**fields)


# ---- options ---------------------------------------------------------------------------


def test_options_defaults_and_fields() -> None:
    options = AllocationOptions()
    assert options.mode is AllocationMode.optimal
    assert options.max_distance_km == 50.0
    assert options.k == 16
    assert options.same_island_group is True
    assert options.phase == "pilot"
    assert options.teaching_hours_per_week == 30
    assert options.quotas == []
    assert options.priority == Priority()
    assert options.rankings == []
    assert len(options.capacity) == 0
    assert options.capacity.dtype == np.int32
    assert len(options.scores) == 0


def test_mode_by_name_equals_mode_by_member() -> None:
    assert AllocationOptions(mode="nearest") == AllocationOptions(mode=AllocationMode.nearest)
    assert AllocationOptions(mode="stable") != AllocationOptions()


def test_replace_changes_only_the_named_fields() -> None:
    options = AllocationOptions(k=4, quotas=[ProvinceQuota(32, max_placed=10)])
    changed = options.replace(max_distance_km=25.0)
    assert changed.max_distance_km == 25.0
    assert changed.k == 4
    assert changed.quotas == options.quotas
    assert options.max_distance_km == 50.0
    with pytest.raises(balai.ValidationError):
        options.replace(k=0)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"k": 0}, "k"),
        ({"k": -3}, "k"),
        ({"max_distance_km": math.nan}, "max_distance_km"),
        ({"max_distance_km": math.inf}, "max_distance_km"),
        ({"max_distance_km": 0.0}, "max_distance_km"),
        ({"capacity": [3, -1, 2]}, "capacity[1]"),
        ({"capacity": [1.5, 2.0]}, "capacity"),
        ({"capacity": [2**40]}, "capacity[0]"),
        ({"teaching_hours_per_week": 0}, "teaching_hours_per_week"),
        ({"phase": ""}, "phase"),
        ({"mode": "fastest"}, "mode"),
        ({"scores": [1.0, math.nan]}, "scores[1]"),
        ({"rankings": [[0, 1], [-1]]}, "rankings[1][0]"),
        ({"quotas": [ProvinceQuota(32), ProvinceQuota(32, min_placed=1)]}, "quotas"),
    ],
)
def test_bad_options_raise_validation_error_naming_the_field(
    fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        AllocationOptions(**fields)
    assert isinstance(caught.value, ValueError)
    assert [problem.field for problem in caught.value.problems] == [field]
    assert caught.value.problems[0].where == "allocation options"


def test_every_bad_option_is_reported_at_once() -> None:
    with pytest.raises(balai.ValidationError) as caught:
        AllocationOptions(k=0, max_distance_km=math.nan, capacity=[-1])
    fields = {problem.field for problem in caught.value.problems}
    assert fields == {"k", "max_distance_km", "capacity[0]"}


@pytest.mark.parametrize(
    "fields",
    [
        {"female_km": -1.0},
        {"accessibility_km": math.nan},
        {"micro_km": math.inf},
    ],
)
def test_bad_priority_raises(fields: dict[str, float]) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        Priority(**fields)
    assert caught.value.problems[0].field == next(iter(fields))


def test_quota_bounds_and_province_are_checked() -> None:
    quota = ProvinceQuota(32, min_placed=5)
    assert (quota.province, quota.min_placed, quota.max_placed) == (32, 5, None)
    with pytest.raises(balai.ValidationError, match="max_placed"):
        ProvinceQuota(32, min_placed=5, max_placed=4)
    with pytest.raises(balai.ValidationError, match="min_placed"):
        ProvinceQuota(32, min_placed=-1)
    with pytest.raises(balai.ValidationError, match="province"):
        ProvinceQuota(99)


def test_bad_options_raise_from_allocate(world: balai.Dataset) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        balai.allocate(world, k=0)
    assert caught.value.problems[0].field == "k"
    with pytest.raises(balai.ValidationError):
        balai.allocate(world, max_distance_km=math.nan)
    with pytest.raises(balai.ValidationError):
        balai.allocate(world, capacity=np.full(len(world.facilities), -1))


def test_capacity_of_the_wrong_length_is_refused_by_the_dataset_check(
    world: balai.Dataset,
) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        balai.allocate(world, capacity=[1, 2, 3])
    assert any("capacity" in problem.field for problem in caught.value.problems)


def test_options_and_keywords_are_not_mixed(world: balai.Dataset) -> None:
    with pytest.raises(TypeError, match="not both"):
        balai.allocate(world, AllocationOptions(), k=4)
    with pytest.raises(TypeError, match="not both"):
        balai.allocation_problem(world, AllocationOptions(), k=4)


# ---- values: repr, equality, pickles -----------------------------------------------------


VALUES = [
    Priority(female_km=2.5, micro_km=1.0),
    ProvinceQuota(34, min_placed=2, max_placed=9),
    ProvinceQuota(11),
    AllocationOptions(
        mode=AllocationMode.stable,
        k=3,
        capacity=[4, 0, 2],
        quotas=[ProvinceQuota(32, max_placed=1)],
        priority=Priority(accessibility_km=5.0),
        rankings=[[2, 0], [], [1]],
        scores=[0.5, 1.0, 2.0],
    ),
    ProvinceCount(32, placed=4, unplaced=1),
    Objective(placed=4, unplaced=1, distance_km=12.5, cost=123),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_values_repr_evaluates_to_an_equal_value(value: object, namespace: dict[str, Any]) -> None:
    assert eval(repr(value), namespace) == value


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_values_pickle(value: object) -> None:
    assert pickle.loads(pickle.dumps(value)) == value


def test_long_lists_are_elided_in_repr() -> None:
    text = repr(AllocationOptions(capacity=np.ones(4000, dtype=np.int32)))
    assert "capacity=<4000 values>" in text
    assert len(text) < 400


def test_equality_is_by_content() -> None:
    assert Priority(female_km=1.0) == Priority(female_km=1.0)
    assert Priority(female_km=1.0) != Priority(micro_km=1.0)
    assert AllocationOptions(capacity=[1, 2]) == AllocationOptions(capacity=np.array([1, 2]))
    assert AllocationOptions(capacity=[1, 2]) != AllocationOptions(capacity=[1, 3])


def test_pickle_of_a_newer_format_is_refused() -> None:
    blank: Any = Priority.__new__(Priority)
    with pytest.raises(balai.FormatError, match="version 99"):
        blank.__setstate__((99, 0.0, 0.0, 0.0))


def test_names_are_public_under_balai() -> None:
    for cls in (Allocation, AllocationOptions, AllocationProblem, AllocationSolution, Priority):
        assert cls.__module__ == "balai"
    assert [member.name for member in PlacementStatus] == list(Allocation.status_names)
    assert [member.name for member in AllocationMode] == MODES


def test_cancelled_error_is_a_balai_error_and_a_runtime_error() -> None:
    assert issubclass(balai.CancelledError, balai.Error)
    assert issubclass(balai.CancelledError, RuntimeError)
    assert balai.CancelledError.__module__ == "balai"


# ---- problems and solutions ----------------------------------------------------------


def test_problem_from_arrays() -> None:
    problem = small_problem()
    assert (problem.trainees, problem.facilities, problem.arcs) == (3, 2, 3)
    assert problem.capacity.dtype == np.int32
    assert problem.province.dtype == np.uint8
    assert problem.first_arc.dtype == np.uint32
    assert problem.arc_facility.dtype == np.uint32
    assert problem.arc_cost_m.dtype == np.int32
    assert list(problem.bonus_m) == [0, 0, 0]
    assert list(problem.candidates(0)) == [0, 1]
    assert list(problem.candidates(2)) == []
    with pytest.raises(IndexError):
        problem.candidates(3)
    assert problem.unplaced_penalty > 5000
    assert problem.quota_penalty == 3 * problem.unplaced_penalty


def test_optimal_solution_of_a_small_problem_is_verified() -> None:
    problem = small_problem()
    solution = balai.solve_optimal(problem)
    # Trainee 1 can only go to facility 0; trainee 0 then takes facility 1.
    assert list(solution.facility) == [1, 0, -1]
    assert solution.cost == problem.objective(solution.facility)
    assert len(solution.facility_price) == problem.facilities
    assert balai.verify(problem, solution) == []


def test_nearest_solution_of_a_small_problem_is_greedy() -> None:
    problem = small_problem()
    solution = balai.solve_nearest(problem)
    assert list(solution.facility) == [0, -1, -1]
    assert len(solution.facility_price) == 0
    assert balai.verify(problem, solution) == []
    assert solution.cost > balai.solve_optimal(problem).cost


def test_stable_solution_follows_rankings_and_scores() -> None:
    problem = small_problem()
    # Trainee 0 prefers facility 0 and facility 0 prefers trainee 1.
    solution = balai.solve_stable(problem, rankings=[[0, 1], [0], []], scores=[1.0, 2.0, 0.0])
    assert list(solution.facility) == [1, 0, -1]
    assert balai.verify(problem, solution) == []


def test_verify_reports_a_plan_that_breaks_the_rules() -> None:
    problem = small_problem()
    overfull = AllocationSolution(facility=[0, 0, -1], cost=problem.objective([0, 0, -1]))
    problems = balai.verify(problem, overfull)
    assert problems
    assert all(isinstance(p, balai.Problem) for p in problems)
    not_a_candidate = AllocationSolution(facility=[0, 1, 1])
    assert balai.verify(problem, not_a_candidate)


def test_problem_inconsistencies_raise_validation_error() -> None:
    with pytest.raises(balai.ValidationError):
        small_problem(capacity=[1, -1])
    with pytest.raises(balai.ValidationError):
        small_problem(arc_cost_m=[1000, -5, 2000])
    with pytest.raises(balai.ValidationError):
        small_problem(arc_facility=[0, 7, 0])
    with pytest.raises(balai.ValidationError):
        small_problem(first_arc=[0, 2, 3])
    with pytest.raises(balai.ValidationError) as caught:
        small_problem(arc_facility=[0, -1, 0])
    assert caught.value.problems[0].field == "arc_facility[1]"
    with pytest.raises(balai.ValidationError):
        small_problem(capacity=[[1, 1]])
    with pytest.raises(balai.ValidationError):
        AllocationSolution(facility=[0, -2])


def test_arcs_out_of_nearest_first_order_are_refused() -> None:
    # Trainee 0's farther facility listed first: solve_nearest took it, and verify agreed.
    with pytest.raises(balai.ValidationError) as caught:
        small_problem(arc_facility=[1, 0, 0], arc_cost_m=[5000, 1000, 2000])
    (problem,) = caught.value.problems
    assert (problem.where, problem.field, problem.value) == ("trainee 0", "arc_cost_m", "1000")
    assert "nearest first" in str(caught.value)


def test_zero_capacity_and_no_candidates_do_not_crash() -> None:
    problem = small_problem(capacity=[0, 0])
    for solution in (
        balai.solve_optimal(problem),
        balai.solve_nearest(problem),
        balai.solve_stable(problem),
    ):
        assert list(solution.facility) == [-1, -1, -1]
        assert balai.verify(problem, solution) == []
    empty = AllocationProblem(
        capacity=[], province=[], first_arc=[0], arc_facility=[], arc_cost_m=[]
    )
    assert len(balai.solve_optimal(empty).facility) == 0


def test_problem_and_solution_pickle_and_compare() -> None:
    problem = small_problem(quotas=[ProvinceQuota(32, max_placed=1)])
    assert pickle.loads(pickle.dumps(problem)) == problem
    assert problem != small_problem()
    solution = balai.solve_optimal(problem)
    assert pickle.loads(pickle.dumps(solution)) == solution
    assert "3 trainees" in repr(problem)


# ---- allocations on scenario data ------------------------------------------------------


def check_consistent(plan: Allocation, dataset: balai.Dataset) -> None:
    trainees, facilities = len(dataset.trainees), len(dataset.facilities)
    assert (plan.trainees, plan.facilities) == (trainees, facilities)
    facility, distance, status = plan.facility, plan.distance_km, plan.status
    assert facility.dtype == np.int32
    assert facility.shape == (trainees,)
    assert distance.dtype == np.float64
    assert distance.shape == (trainees,)
    assert status.dtype == np.uint8
    assert status.shape == (trainees,)
    assert plan.capacity.shape == plan.load.shape == (facilities,)
    placed = facility >= 0
    assert np.all(facility < facilities)
    assert np.all(facility >= -1)
    np.testing.assert_array_equal(placed, status == PlacementStatus.placed.value)
    assert np.all(np.isnan(distance) == ~placed)
    assert np.all(distance[placed] <= plan.options.max_distance_km + 1e-9)
    assert np.all(status < len(Allocation.status_names))
    np.testing.assert_array_equal(plan.load, np.bincount(facility[placed], minlength=facilities))
    assert np.all(plan.load <= plan.capacity)
    assert plan.objective.placed == int(placed.sum())
    assert plan.objective.unplaced == trainees - int(placed.sum())
    assert plan.objective.distance_km == pytest.approx(float(distance[placed].sum()))
    assert sum(count.placed for count in plan.provinces) == plan.objective.placed
    assert sum(count.unplaced for count in plan.provinces) == plan.objective.unplaced
    homes = dataset.trainees.to_frame(columns=["province"])["province"].to_numpy()
    for count in plan.provinces:
        mine = homes == count.province
        assert count.placed == int((mine & placed).sum())
        assert count.unplaced == int((mine & ~placed).sum())
    assert [s.value for s in plan.statuses()] == status.tolist()


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_returns_consistent_arrays(
    mode: str, world: balai.Dataset, tight: AllocationOptions
) -> None:
    for options in (AllocationOptions(mode=mode), tight.replace(mode=mode)):
        plan = balai.allocate(world, options, progress=False)
        assert plan.mode is AllocationMode[mode]
        assert plan.options == options
        check_consistent(plan, world)
        assert len(plan.price) == (len(world.facilities) if mode == "optimal" else 0)


def test_tight_capacity_leaves_trainees_unplaced_with_reasons(
    world: balai.Dataset, tight: AllocationOptions
) -> None:
    plan = balai.allocate(world, tight, progress=False)
    assert plan.objective.unplaced > 0
    names = {Allocation.status_names[code] for code in np.unique(plan.status)}
    assert "capacity" in names


def test_out_of_range_is_the_reason_when_nothing_is_near(world: balai.Dataset) -> None:
    plan = balai.allocate(world, max_distance_km=0.001, progress=False)
    assert plan.objective.placed < len(world.trainees)
    unplaced = plan.facility < 0
    assert np.all(plan.status[unplaced] == PlacementStatus.out_of_range.value)


def test_quota_caps_a_province(world: balai.Dataset) -> None:
    province = int(world.trainees.to_frame(columns=["province"])["province"].mode()[0])
    plan = balai.allocate(world, quotas=[ProvinceQuota(province, max_placed=3)], progress=False)
    (count,) = [c for c in plan.provinces if c.province == province]
    assert count.placed == 3
    assert PlacementStatus.quota.value in set(plan.status.tolist())


def test_default_keywords_are_the_default_options(world: balai.Dataset) -> None:
    assert balai.allocate(world, progress=False).options == AllocationOptions()


@pytest.mark.parametrize("capacity", ["phase", "tight"])
def test_optimal_is_verified_and_beats_the_baselines(
    capacity: str, world: balai.Dataset, tight: AllocationOptions
) -> None:
    options = tight if capacity == "tight" else AllocationOptions()
    problem = balai.allocation_problem(world, options)
    assert problem.trainees == len(world.trainees)
    assert problem.facilities == len(world.facilities)
    optimal = balai.solve_optimal(problem)
    nearest = balai.solve_nearest(problem)
    stable = balai.solve_stable(problem)
    for solution in (optimal, nearest, stable):
        assert balai.verify(problem, solution) == []
        assert solution.cost == problem.objective(solution.facility)
    placed = {name: int((s.facility >= 0).sum()) for name, s in [("o", optimal), ("n", nearest)]}
    assert placed["o"] >= placed["n"]
    assert optimal.cost <= nearest.cost
    assert optimal.cost <= stable.cost
    # allocate() solves the same problem to the same optimum.
    plan = balai.allocate(world, options, progress=False)
    assert plan.objective.cost == optimal.cost
    assert plan.objective.placed == placed["o"]
    assert balai.allocate(world, options.replace(mode="nearest")).objective.cost == nearest.cost


def test_phase_capacity_is_what_allocate_uses(world: balai.Dataset) -> None:
    capacity = allocation.phase_capacity(world)
    assert capacity.shape == (len(world.facilities),)
    assert np.all(capacity >= 0)
    plan = balai.allocate(world, progress=False)
    np.testing.assert_array_equal(plan.capacity, capacity)


def test_allocation_pickles_and_compares(world: balai.Dataset, tight: AllocationOptions) -> None:
    plan = balai.allocate(world, tight, progress=False)
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan
    np.testing.assert_array_equal(again.facility, plan.facility)
    assert again.options == tight
    assert again != balai.allocate(world, progress=False)
    assert "Allocation(mode=AllocationMode.optimal" in repr(plan)


def test_a_corrupt_allocation_pickle_is_refused(world: balai.Dataset) -> None:
    plan: Any = balai.allocate(world, progress=False)
    state = list(plan.__getstate__())
    state[2] = state[2][:-1]  # one facility entry fewer than trainees
    blank: Any = Allocation.__new__(Allocation)
    with pytest.raises(balai.FormatError, match="one entry per trainee"):
        blank.__setstate__(tuple(state))


def test_arrays_are_read_only_views_that_keep_their_owner_alive(world: balai.Dataset) -> None:
    plan = balai.allocate(world, progress=False)
    arrays: list[np.ndarray[Any, Any]] = [
        plan.facility,
        plan.distance_km,
        plan.status,
        plan.capacity,
        plan.load,
        plan.price,
    ]
    arrays += [plan.utilisation, plan.options.capacity]
    for array in arrays:
        assert not array.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        plan.facility[0] = 3
    with pytest.raises(ValueError, match="read-only"):
        small_problem().capacity[0] = 3
    expected = plan.facility.copy()
    facility = plan.facility
    del plan, arrays
    gc.collect()
    np.testing.assert_array_equal(facility, expected)


# ---- frames --------------------------------------------------------------------------


def test_to_frame_has_the_documented_columns(
    world: balai.Dataset, tight: AllocationOptions
) -> None:
    plan = balai.allocate(world, tight, progress=False)
    frame = plan.to_frame(world)
    assert list(frame.columns) == ["trainee_id", "facility_id", "province", "distance_km", "status"]
    assert frame["trainee_id"].dtype == "string"
    assert frame["facility_id"].dtype == "string"
    assert frame["province"].dtype == np.int64
    assert frame["distance_km"].dtype == np.float64
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert list(frame["status"].cat.categories) == list(Allocation.status_names)
    assert len(frame) == len(world.trainees)
    unplaced = plan.facility < 0
    assert frame["facility_id"].isna().to_numpy().tolist() == unplaced.tolist()
    first = int(np.flatnonzero(~unplaced)[0])
    assert frame["facility_id"][first] == world.facilities[int(plan.facility[first])].id
    assert frame["trainee_id"][first] == world.trainees[first].id
    assert (frame["status"] == "placed").sum() == plan.objective.placed
    pd.testing.assert_frame_equal(frame, allocation.to_frame(plan, world))


@pytest.mark.parametrize("mode", ["optimal", "nearest"])
def test_facility_and_province_frames(mode: str, world: balai.Dataset) -> None:
    plan = balai.allocate(world, mode=mode, progress=False)
    facilities = allocation.facility_frame(plan, world)
    assert list(facilities.columns) == ["facility_id", "capacity", "load", "utilisation", "price"]
    assert [str(t) for t in facilities.dtypes] == ["string", "int64", "int64", "float64", "Int64"]
    assert facilities["load"].sum() == plan.objective.placed
    assert facilities["price"].isna().all() == (mode != "optimal")
    with_room = facilities["capacity"] > 0
    np.testing.assert_allclose(
        facilities["utilisation"][with_room],
        facilities["load"][with_room] / facilities["capacity"][with_room],
    )
    provinces = allocation.province_frame(plan)
    assert list(provinces.columns) == ["province", "placed", "unplaced"]
    assert all(str(t) == "int64" for t in provinces.dtypes)
    assert provinces["placed"].sum() + provinces["unplaced"].sum() == len(world.trainees)
    assert provinces["province"].is_monotonic_increasing


def test_frames_refuse_another_dataset(world: balai.Dataset) -> None:
    plan = balai.allocate(world, progress=False)
    with pytest.raises(balai.ValidationError, match="not the dataset allocated"):
        plan.to_frame(scenario.tiny_scenario())


# ---- progress, cancellation and the GIL --------------------------------------------------


def test_progress_callable_is_called_with_stages(world: balai.Dataset) -> None:
    calls: list[tuple[str, int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        calls.append((stage, done, total))

    plan = balai.allocate(world, progress=progress)
    assert plan.objective.placed > 0
    assert calls
    for stage, done, total in calls:
        assert isinstance(stage, str)
        assert stage
        assert 0 <= done <= total
    stages = {stage for stage, _, _ in calls}
    assert "candidates" in stages
    # Each stage ends with a report of all its work done.
    for stage in stages:
        assert max(done - total for s, done, total in calls if s == stage) == 0


def test_progress_returning_false_cancels(world: balai.Dataset) -> None:
    with pytest.raises(balai.CancelledError, match="cancelled"):
        balai.allocate(world, progress=lambda stage, done, total: False)
    problem = balai.allocation_problem(world)
    with pytest.raises(balai.CancelledError):
        balai.solve_optimal(problem, progress=lambda stage, done, total: False)


def test_an_exception_in_progress_propagates(world: balai.Dataset) -> None:
    def progress(stage: str, done: int, total: int) -> bool:
        raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        balai.allocate(world, progress=progress)


class SimulatedCtrlCError(Exception):
    pass


@pytest.fixture
def interrupt_handler() -> Iterator[None]:
    """SIGINT raises SimulatedCtrlCError, as Ctrl-C raises KeyboardInterrupt, without upsetting
    pytest's own Ctrl-C handling."""

    def handler(signum: int, frame: object) -> None:
        raise SimulatedCtrlCError

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("interrupt_handler")
def test_ctrl_c_stops_a_long_solve(big: balai.Dataset) -> None:
    finished: list[Allocation] = []
    timer = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(SimulatedCtrlCError):  # noqa: PT012
            finished.append(balai.allocate(big, progress=False))
            time.sleep(2.0)  # had allocate ignored the signal, the handler would run here
    finally:
        timer.cancel()
    assert not finished


def test_the_gil_is_released_while_allocating(big: balai.Dataset) -> None:
    # The main thread ticks while another allocates; had the solve kept the GIL, the
    # ticks would stop for as long as it runs.
    result: list[Allocation] = []
    worker = threading.Thread(target=lambda: result.append(balai.allocate(big, progress=True)))
    ticks = [time.perf_counter()]
    worker.start()
    while worker.is_alive():
        time.sleep(0.001)
        ticks.append(time.perf_counter())
    worker.join()
    (plan,) = result
    assert plan.objective.placed > 0
    duration = ticks[-1] - ticks[0]
    longest_gap = max(b - a for a, b in itertools.pairwise(ticks))
    assert len(ticks) > 10
    assert longest_gap < max(0.1, duration / 4), (longest_gap, duration)


def test_progress_true_on_a_small_dataset_prints_nothing(
    world: balai.Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    balai.allocate(world, progress=True)
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_bad_progress_argument_is_a_type_error(world: balai.Dataset) -> None:
    with pytest.raises(TypeError, match="progress"):
        balai.allocate(world, progress="yes")  # type: ignore[arg-type]


def test_the_guide_examples_run(repository: Path) -> None:
    guide = (repository / "docs" / "allocation.md").read_text(encoding="utf-8")
    examples = re.findall(r"^```python\n(.*?)^```", guide, re.M | re.S)
    assert len(examples) == 3
    for example in examples:
        exec(compile(example, "docs/allocation.md", "exec"), {})


def test_allocate_on_the_tiny_scenario() -> None:
    tiny = scenario.tiny_scenario()
    plan = balai.allocate(tiny, mode="optimal")
    check_consistent(plan, tiny)
    assert plan.objective.placed > 0
