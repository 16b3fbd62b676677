"""Race balai.distributed on a two-worker LocalCluster against the single process.

Two workloads, each run both ways in this one script and checked equal (``==``):

* **plan**: the national pilot plan (``pilot.plan`` vs ``distributed.plan``) of
  ``indonesia(trainees=N)``, default options (300 sites, 1,000 replications);
* **forecast**: R replications of the forecast of the default 10,000-trainee pilot plan
  (``pilot.forecast`` vs ``distributed.forecast``).

The cluster has two worker processes of one thread each (``LocalCluster(n_workers=2,
threads_per_worker=1)``); the single process uses every core through its C++ threads. The
cluster's time includes sending the dataset to both workers and the results back, but
not starting the cluster (reported separately). Ratios are distributed over single (below
1: the cluster is faster).

    .venv/bin/python bench/bench_distributed.py [--trainees 1000000] [--replications 10000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from distributed import Client, LocalCluster

from balai import distributed, pilot, scenario

T = TypeVar("T")


def timed(run: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def report(name: str, single: float, cluster: float) -> None:
    print(
        f"{name:<44} single {single:8.1f} s   cluster {cluster:8.1f} s   "
        f"ratio {cluster / single:5.2f}x",
        flush=True,
    )


def same_plan(a: pilot.PilotPlan, b: pilot.PilotPlan) -> bool:
    return (
        a.sites == b.sites
        and a.allocation == b.allocation
        and a.timetable == b.timetable
        and a.roster == b.roster
        and np.array_equal(a.distance_km, b.distance_km)
        and a.forecast == b.forecast
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=1_000_000)
    parser.add_argument("--replications", type=int, default=10_000)
    args = parser.parse_args()

    (cluster, client), started = timed(
        lambda: (
            c := LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None),
            Client(c),
        )
    )
    print(f"LocalCluster (2 workers x 1 thread) started in {started:.1f} s", flush=True)
    try:
        world, made = timed(lambda: scenario.indonesia(trainees=args.trainees))
        print(f"indonesia(trainees={args.trainees:,}) made in {made:.1f} s", flush=True)
        single, single_s = timed(lambda: pilot.plan(world, progress=False))
        spread, cluster_s = timed(lambda: distributed.plan(world, client=client))
        assert same_plan(single, spread), "the cluster's plan differs"
        report(f"plan of {args.trainees:,} trainees", single_s, cluster_s)
        print(
            f"  placed {single.allocation.objective.placed:,}, "
            f"{len(single.timetable.cohorts):,} classes, "
            f"{len(single.roster):,} registrations",
            flush=True,
        )

        base = scenario.indonesia(trainees=10_000)
        plan = pilot.plan(base, progress=False)
        options = plan.forecast.options.replace(replications=args.replications)
        single_f, single_s = timed(
            lambda: pilot.forecast(base, plan.roster, plan.distance_km, options, progress=False)
        )
        spread_f, cluster_s = timed(
            lambda: distributed.forecast(
                base, plan.roster, plan.distance_km, options, client=client
            )
        )
        assert single_f == spread_f, "the cluster's forecast differs"
        report(
            f"forecast, {args.replications:,} replications, {len(plan.roster):,} registrations",
            single_s,
            cluster_s,
        )
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
