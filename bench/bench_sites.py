"""Race balai's site selection (greedy, swaps, tabu search) against exact MIPs in OR-Tools
(SCIP, through pywraplp), on instances cut from the national scenario: the first
`candidates` facilities of Jawa and `demand` of its trainees as demand points.

For each size and objective it prints balai's time, the MIP's time and status, the gap
(balai / MIP - 1: 0 when balai found an optimum, negative when the MIP stopped at its time
limit with a worse solution; n/a when it found none) and the time ratio. The MIP model is
the one balai minimises (include/balai/planning/sites/site_selection.hpp): open y_j, assignment
x_ij to an open candidate in reach, unserved u_i at cost 1
(max_coverage) or max_distance_km (p_median). bench_sites (C++) times the national scale.

    .venv/bin/pip install '.[bench]'   # ortools
    .venv/bin/python bench/bench_sites.py [--time-limit 120]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

import balai
from balai import scenario
from balai.pilot import SiteObjective, SiteSelectionOptions

_EARTH_RADIUS_KM = 6371.0088
_SIZES = [(30, 300, 4), (100, 2_000, 10), (300, 10_000, 30)]


def _instance(candidates: int, demand: int) -> dict[str, Any]:
    world = scenario.indonesia(seed=2027, trainees=60_000)
    facilities = world.to_frame("facilities", columns=["lat", "lng", "province"])
    trainees = world.to_frame("trainees", columns=["lat", "lng", "province"])
    java = facilities[facilities["province"].between(31, 36)].head(candidates)
    people = trainees[trainees["province"].between(31, 36)].head(demand)
    return {
        "candidate_lat": java["lat"].to_numpy(),
        "candidate_lng": java["lng"].to_numpy(),
        "candidate_province": java["province"].to_numpy(),
        "demand_lat": people["lat"].to_numpy(),
        "demand_lng": people["lng"].to_numpy(),
    }


def _distances(instance: dict[str, Any]) -> Any:
    p1 = np.radians(instance["demand_lat"])[:, None]
    p2 = np.radians(instance["candidate_lat"])[None, :]
    dl = (
        np.radians(instance["candidate_lng"])[None, :] - np.radians(instance["demand_lng"])[:, None]
    )
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def _mip(
    instance: dict[str, Any], options: SiteSelectionOptions, limit_s: float
) -> tuple[str, float]:
    from ortools.linear_solver import pywraplp  # type: ignore[import-untyped]

    d = _distances(instance)
    n, m = d.shape
    coverage = options.objective == SiteObjective.max_coverage
    reach = options.radius_km if coverage else options.max_distance_km
    solver = pywraplp.Solver.CreateSolver("SCIP")
    solver.SetTimeLimit(int(limit_s * 1000))
    y = [solver.BoolVar(f"y{j}") for j in range(m)]
    solver.Add(solver.Sum(y) == options.sites)
    terms = []
    for i in range(n):
        in_reach = np.flatnonzero(d[i] <= reach)
        x = [solver.NumVar(0, 1, "") for _ in in_reach]
        u = solver.NumVar(0, 1, "")
        solver.Add(solver.Sum([*x, u]) == 1)
        for var, j in zip(x, in_reach, strict=True):
            solver.Add(var <= y[j])
            if not coverage:
                terms.append(float(d[i, j]) * var)
        terms.append((1.0 if coverage else options.max_distance_km) * u)
    solver.Minimize(solver.Sum(terms))
    status = solver.Solve()
    names = {pywraplp.Solver.OPTIMAL: "optimal", pywraplp.Solver.FEASIBLE: "time limit"}
    return names.get(status, "no solution"), solver.Objective().Value()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=120.0, help="per MIP, seconds")
    arguments = parser.parse_args()
    print(
        f"{'candidates':>10} {'demand':>7} {'K':>3} {'objective':<12} {'balai s':>8} "
        f"{'MIP s':>8} {'MIP status':<11} {'gap':>7} {'time ratio':>10}"
    )
    for candidates, demand, sites in _SIZES:
        instance = _instance(candidates, demand)
        for objective in ("max_coverage", "p_median"):
            options = SiteSelectionOptions(
                objective=objective, sites=sites, radius_km=10.0, max_distance_km=50.0, k=1024
            )
            start = time.perf_counter()
            selection = balai._core.select_sites_points(**instance, options=options)
            ours = time.perf_counter() - start
            start = time.perf_counter()
            status, optimum = _mip(instance, options, arguments.time_limit)
            theirs = time.perf_counter() - start
            solved = status != "no solution" and optimum > 0
            gap = f"{selection.objective / optimum - 1:.2%}" if solved else "n/a"
            print(
                f"{candidates:>10,} {demand:>7,} {sites:>3} {objective:<12} {ours:>8.3f} "
                f"{theirs:>8.2f} {status:<11} {gap:>7} {ours / theirs:>10.4f}"
            )


if __name__ == "__main__":
    main()
