"""The pilot relaxed to what every plan must satisfy, by OR-Tools' CP-SAT, for small pilots.

The model relaxes the pilot to what every plan must satisfy and nothing more: each
trainee goes to at most one candidate site within range (the pilot's network, every
candidate open, no site budget, no capacity, no calendar); a trainee attends a module at
that site only if classes of it run there, each with ``class_min`` to min(``class_max``,
seats per room) attendees, and attending a module needs attending its prerequisites; a
trainee is fully timetabled when they attend every module of their track. Its optimum is
therefore at least what any plan achieves: a relaxed plan CP-SAT finds above
``PilotBound.bound`` would prove that bound wrong, and CP-SAT's own proven bound says how
tight it is. It is written apart from balai's class groups (pilot_class_groups.cpp),
which solve a coarser relaxation of the same kind exactly. Exponential in general: a peer
for checking the bound on small pilots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import balai
from balai._core import AllocationOptions, PilotOptions, allocation_problem, pilot_candidates


@dataclass(frozen=True)
class Relaxation:
    best: int  # the best plan found of the relaxation (a lower bound on its optimum)
    bound: int  # CP-SAT's proven upper bound on its optimum: no plan fully timetables more
    proven: bool  # best == bound: the optimum is known


def _network(world: balai.Dataset, options: PilotOptions) -> list[list[int]]:
    """Per trainee: the candidate sites within range, as the pilot's network lists them."""
    capacity = [0] * len(world.facilities)
    for site in pilot_candidates(world._data, options):
        capacity[int(site)] = 1 << 30
    problem = allocation_problem(world._data, AllocationOptions(k=1024, capacity=capacity), None)
    first, sites = list(problem.first_arc), [int(f) for f in problem.arc_facility]
    return [sites[first[t] : first[t + 1]] for t in range(len(first) - 1)]


def relaxed_optimum(
    world: balai.Dataset, options: PilotOptions, seconds: float = 30.0
) -> Relaxation:
    from ortools.sat.python import cp_model  # type: ignore[import-untyped]

    modules = list(world.modules)
    index = {module.code: m for m, module in enumerate(modules)}
    needs = {
        track: [index[module.code] for module in world.modules_for(track)]
        for track in {trainee.track for trainee in world.trainees}
    }
    model = cp_model.CpModel()
    attendees: dict[tuple[int, int], list[Any]] = {}
    fully: list[Any] = []
    for trainee, sites in zip(world.trainees, _network(world, options), strict=True):
        if not sites:
            continue
        goes = [model.NewBoolVar("") for _ in sites]
        model.AddAtMostOne(goes)
        completes = []
        for site, there in zip(sites, goes, strict=True):
            attends = {m: model.NewBoolVar("") for m in needs[trainee.track]}
            complete = model.NewBoolVar("")
            for m, attending in attends.items():
                model.AddImplication(attending, there)
                model.AddImplication(complete, attending)
                for before in modules[m].prerequisites:
                    if index[before] in attends:
                        model.AddImplication(attending, attends[index[before]])
                attendees.setdefault((site, m), []).append(attending)
            completes.append(complete)
        fully.append(model.NewBoolVar(""))
        model.Add(fully[-1] <= sum(completes))
    class_min, facilities = options.timetable.class_min, list(world.facilities)
    for (site, _), members in attendees.items():
        facility = facilities[site]
        class_most = min(options.timetable.class_max, facility.seats // facility.rooms)
        classes = model.NewIntVar(0, len(members) // class_min, "")
        model.Add(sum(members) >= class_min * classes)
        model.Add(sum(members) <= class_most * classes)
    model.Maximize(sum(fully))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1  # deterministic, and the machine has 2 cores
    solver.Solve(model)
    best, bound = round(solver.ObjectiveValue()), round(solver.BestObjectiveBound())
    return Relaxation(best, bound, best == bound)
