"""The pilot plan against its bound, and its wall time.

Quality, in one process on the built-in (regency-based) scenario for each size and seed:

* balai's pilot chain with consolidation (``PilotOptions()``: five starts, allocation and
  timetable in rounds, docs/pilot.md §3);
* the same chain without it (``max_rounds=0``: select, allocate, timetable once), the
  peer: what the steps give when chained as they come;

each against the plan's bound (``PilotPlan.bound``: how many trainees any plan could fully
timetable, the smaller of its seats' flow and its class groups, marked ``*`` where the
groups are solved exactly), and on small pilots also against OR-Tools CP-SAT on a
relaxation that never counts a trainee at two sites (``pilot_relaxation.py``; ``pip
install '.[bench]'``), an independent check of the bound: CP-SAT's best relaxed plan may
never exceed it. No forecast here: it does not change who is timetabled.

Wall time, in the same run: ``pilot.plan`` on the default 10,000 trainees (forecast of
1,000 replications included), and the default ``balai`` command (pilot, shared space,
report, CSVs) as a subprocess, each against the figures the issue measured before this
chain (pilot about 6 s, ``balai`` about 12 s) with the goal of at most 1.5 times those,
and the default run against issue 20's goal of at most 8 s.

    .venv/bin/python bench/bench_pilot.py [--sizes 10000,5000,1000,300] [--seeds 1,2,3,4,5]
                                          [--relax-up-to 300]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pilot_relaxation import relaxed_optimum

import balai
from balai import pilot, scenario
from balai._core import PilotOptions

# Wall times before the consolidated chain, on this 2-core machine (issue 16).
REFERENCE_PILOT_S = 6.0
REFERENCE_RUN_S = 12.0
GOAL_FACTOR = 1.5
RUN_GOAL_S = 8.0  # issue 20


def quality(sizes: list[int], seeds: list[int], relax_up_to: int) -> None:
    print(
        " size seed  seated  grouped   bound  chain once  share  consolidated  share"
        "  rounds  sites  seconds   CP-SAT best..bound"
    )
    for size in sizes:
        for seed in seeds:
            world = scenario.indonesia(trainees=size, seed=seed)
            once = balai._core.schedule_pilot(world._data, PilotOptions(max_rounds=0))
            start = time.perf_counter()
            plan = balai._core.schedule_pilot(world._data, PilotOptions())
            seconds = time.perf_counter() - start
            bound = plan.bound
            exact = "*" if bound.grouped_exact else " "
            line = (
                f"{size:>5} {seed:>4} {bound.seated:>7} {bound.grouped:>7}{exact} "
                f"{bound.bound:>7} {once.timetabled:>11} {once.timetabled / bound.bound:>6.1%} "
                f"{plan.timetabled:>13} {plan.timetabled / bound.bound:>6.1%} "
                f"{plan.rounds:>7} {len(plan.sites.selected):>6} {seconds:>8.2f}"
            )
            if size <= relax_up_to:
                relaxed = relaxed_optimum(world, PilotOptions())
                valid = "" if relaxed.best <= bound.bound else "  BOUND BELOW A PLAN"
                line += f" {relaxed.best:>10}..{relaxed.bound}{valid}"
            print(line, flush=True)


def wall_times() -> None:
    world = scenario.indonesia(trainees=10_000)
    start = time.perf_counter()
    plan = pilot.plan(world, progress=False)
    pilot_s = time.perf_counter() - start
    out = Path(tempfile.mkdtemp(prefix="bench-pilot-"))
    command = [str(Path(sys.executable).with_name("balai")), "--out", str(out / "run"), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    run_s = time.perf_counter() - start
    shutil.rmtree(out)
    print(f"\npilot.plan, 10,000 trainees: {plan.timetabled:,} of {plan.bound.bound:,} timetabled")
    for label, seconds, reference in (
        ("pilot.plan (forecast included)", pilot_s, REFERENCE_PILOT_S),
        ("balai default run", run_s, REFERENCE_RUN_S),
    ):
        ratio = seconds / reference
        met = "met" if ratio <= GOAL_FACTOR else "NOT met"
        print(
            f"{label:<32} {seconds:6.2f} s  {ratio:.2f}x the {reference:g} s before "
            f"(goal <= {GOAL_FACTOR}x: {met})"
        )
    met = "met" if run_s <= RUN_GOAL_S else "NOT met"
    print(f"{'balai default run':<32} {run_s:6.2f} s  (issue 20 goal <= {RUN_GOAL_S:g} s: {met})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,5000,1000,300")
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument(
        "--relax-up-to",
        type=int,
        default=300,
        help="check the bound against CP-SAT's relaxed plans on pilots of at most this many",
    )
    arguments = parser.parse_args()
    print(f"balai {balai.__version__}, load average before {os.getloadavg()[0]:.2f}")
    quality(
        [int(s) for s in arguments.sizes.split(",")],
        [int(s) for s in arguments.seeds.split(",")],
        arguments.relax_up_to,
    )
    wall_times()
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
