"""The pilot plan against its bound, and its wall time.

Quality, in one process on the built-in (regency-based) scenario for each size and seed:

* balai's pilot chain with consolidation (``PilotOptions()``: allocation and timetable in
  rounds, docs/pilot.md §3);
* the same chain without it (``max_rounds=0``: select, allocate, timetable once), the
  peer: what the steps give when chained as they come;

each against the plan's bound (``PilotPlan.bound``: how many trainees any plan could fully
timetable), and on small pilots also against the exact optimum of a relaxation that never
counts a trainee at two sites (CP-SAT, ``pilot_relaxation.py``; ``pip install '.[bench]'``):
where the two bounds differ, the gap is the bound's, not the plan's. No forecast here: it
does not change who is timetabled.

Wall time, in the same run: ``pilot.plan`` on the default 10,000 trainees (forecast of
1,000 replications included), and the default ``balai`` command (pilot, shared space,
report, CSVs) as a subprocess, each against the figures the issue measured before this
chain (pilot about 6 s, ``balai`` about 12 s) with the goal of at most 1.5 times those.

    .venv/bin/python bench/bench_pilot.py [--sizes 10000,5000,300] [--seeds 1,2,3,4,5]
                                          [--relax-up-to 1000]
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


def quality(sizes: list[int], seeds: list[int], relax_up_to: int) -> None:
    print(
        "size  seed  bound  chain once  share   consolidated  share   rounds  sites  seconds"
        "   CP-SAT bound  share"
    )
    for size in sizes:
        for seed in seeds:
            world = scenario.indonesia(trainees=size, seed=seed)
            once = balai._core.schedule_pilot(world._data, PilotOptions(max_rounds=0))
            start = time.perf_counter()
            plan = balai._core.schedule_pilot(world._data, PilotOptions())
            seconds = time.perf_counter() - start
            bound = plan.bound.bound
            line = (
                f"{size:>5} {seed:>5} {bound:>6} {once.timetabled:>11} "
                f"{once.timetabled / bound:>6.1%} {plan.timetabled:>13} "
                f"{plan.timetabled / bound:>6.1%} {plan.rounds:>8} "
                f"{len(plan.sites.selected):>6} {seconds:>8.2f}"
            )
            if size <= relax_up_to:
                relaxed = relaxed_optimum(world, PilotOptions())
                proven = "" if relaxed.proven else f" (best found {relaxed.best})"
                line += f" {relaxed.bound:>14} {plan.timetabled / relaxed.bound:>6.1%}{proven}"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,5000,300")
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument(
        "--relax-up-to",
        type=int,
        default=1000,
        help="judge pilots of at most this many trainees against CP-SAT's exact bound too",
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
