"""Site selection against an exact optimum: the same instances as mixed-integer programs
solved by HiGHS (scipy.optimize.milp). The heuristic must come within 1% of the optimum
on every small instance, and its reported objective must be the objective of its sites."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
from scipy.sparse import lil_matrix  # type: ignore[import-untyped]

import balai
from balai.pilot import SiteMinimum, SiteSelectionOptions

_EARTH_RADIUS_KM = 6371.0088


def _distances(a_lat: Any, a_lng: Any, b_lat: Any, b_lng: Any) -> Any:
    """Haversine distances (km) between every point of a and every point of b."""
    p1, p2 = np.radians(a_lat)[:, None], np.radians(b_lat)[None, :]
    dl = np.radians(b_lng)[None, :] - np.radians(a_lng)[:, None]
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def _instance(seed: int) -> dict[str, Any]:
    """Candidates and weighted demand scattered over ~100 km of West Java, two provinces."""
    rng = np.random.default_rng(seed)
    candidates = int(rng.integers(10, 19))
    demand = int(rng.integers(30, 91))
    return {
        "candidate_lat": -6.9 + rng.uniform(-0.45, 0.45, candidates),
        "candidate_lng": 107.6 + rng.uniform(-0.45, 0.45, candidates),
        "candidate_province": np.where(np.arange(candidates) % 3 == 0, 36, 32),
        "demand_lat": -6.9 + rng.uniform(-0.5, 0.5, demand),
        "demand_lng": 107.6 + rng.uniform(-0.5, 0.5, demand),
        "weight": rng.integers(1, 6, demand).astype(float),
    }


def _optimum(instance: dict[str, Any], options: SiteSelectionOptions) -> float:
    """The minimum of the objective select_sites minimises, as a MIP: open y_j (binary),
    assign x_ij (continuous, to an open candidate in reach) or leave unserved u_i, at cost
    0 within the radius (coverage) or the distance (median), unserved at 1 or the cap."""
    d = _distances(
        instance["demand_lat"],
        instance["demand_lng"],
        instance["candidate_lat"],
        instance["candidate_lng"],
    )
    weight = instance["weight"]
    n, m = d.shape
    coverage = options.objective == balai.pilot.SiteObjective.max_coverage
    reach = options.radius_km if coverage else options.max_distance_km
    pairs = [(i, j) for i in range(n) for j in range(m) if d[i, j] <= reach]
    unserved_cost = 1.0 if coverage else options.max_distance_km
    # Variables: y (m), x (one per pair), u (n).
    cost = np.concatenate(
        [
            np.zeros(m),
            [0.0 if coverage else weight[i] * d[i, j] for i, j in pairs],
            weight * unserved_cost,
        ]
    )
    size = m + len(pairs) + n
    rows = lil_matrix((n + len(pairs) + 1 + len(options.minimums), size))
    lower: list[float] = []
    upper: list[float] = []
    for p, (i, j) in enumerate(pairs):
        rows[i, m + p] = 1.0  # sum_j x_ij + u_i = 1
        rows[n + p, m + p] = 1.0  # x_ij - y_j <= 0
        rows[n + p, j] = -1.0
    for i in range(n):
        rows[i, m + len(pairs) + i] = 1.0
    lower += [1.0] * n + [-np.inf] * len(pairs)
    upper += [1.0] * n + [0.0] * len(pairs)
    rows[n + len(pairs), :m] = 1.0  # exactly K sites
    lower.append(float(options.sites))
    upper.append(float(options.sites))
    for r, minimum in enumerate(options.minimums):
        in_province = instance["candidate_province"] == minimum.province
        for site in np.flatnonzero(in_province):
            rows[n + len(pairs) + 1 + r, site] = 1.0
        lower.append(float(minimum.min_sites))
        upper.append(np.inf)
    integrality = np.concatenate([np.ones(m), np.zeros(size - m)])
    result = milp(
        cost,
        constraints=LinearConstraint(rows.tocsr(), lower, upper),
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 1e-9},
    )
    assert result.success, result.message
    return float(result.fun)


_CASES = [
    (seed, objective, sites, minimums)
    for seed in range(12)
    for objective in ("max_coverage", "p_median")
    for sites, minimums in ((2 + seed % 4, False), (3 + seed % 3, True))
]


@pytest.mark.parametrize(("seed", "objective", "sites", "minimums"), _CASES)
def test_within_one_percent_of_the_exact_optimum(
    seed: int, objective: str, sites: int, minimums: bool
) -> None:
    instance = _instance(seed)
    options = SiteSelectionOptions(
        objective=objective,
        sites=sites,
        radius_km=15.0,
        max_distance_km=40.0,
        k=64,
        same_island_group=False,
        minimums=[SiteMinimum(province=36, min_sites=2)] if minimums else [],
    )
    selection = balai._core.select_sites_points(**instance, options=options)
    chosen = list(selection.selected)
    assert len(chosen) == sites
    assert selection.truncated == 0  # every candidate in reach is listed: the MIP's model
    if minimums:
        assert sum(instance["candidate_province"][j] == 36 for j in chosen) >= 2
    recomputed = balai._core.site_objective(**instance, options=options, open_sites=chosen)
    assert recomputed == pytest.approx(selection.objective, rel=1e-9, abs=1e-9)
    optimum = _optimum(instance, options)
    assert selection.objective <= optimum * 1.01 + 1e-6
    # Never better than the optimum, up to the rounding of distances to metres.
    assert selection.objective >= optimum - 1e-4 * max(1.0, optimum)


def test_an_interrupt_while_the_arrays_are_read_stays_an_interrupt() -> None:
    """Ctrl-C raised while numpy converts an input is KeyboardInterrupt, as anywhere else,
    not a ValidationError about the values (the CLI answers it with exit code 130)."""

    class Interrupting:
        def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray[Any, Any]:
            raise KeyboardInterrupt

    instance = dict(_instance(0), candidate_lat=Interrupting())
    options = SiteSelectionOptions(objective="p_median", sites=2, same_island_group=False)
    with pytest.raises(KeyboardInterrupt):
        balai._core.select_sites_points(**instance, options=options)
    # Any other exception is still a problem of the field.
    instance["candidate_lat"] = object()
    with pytest.raises(balai.ValidationError, match="candidate_lat"):
        balai._core.select_sites_points(**instance, options=options)
