"""Two pilot plans side by side, per province: what a planner's what-if changes (more sites,
other kinds, a longer trip) does to sites, placements, timetabled trainees and the forecast.
Re-exported as :func:`balai.pilot.compare`; the columns are listed in pilot.py's table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from balai import summary
from balai._core import PilotPlan
from balai.allocation import to_frame as placement_frame
from balai.dataset import Dataset

__all__ = ["MEASURES", "TOTAL", "compare"]

MEASURES = ("sites", "placed", "timetabled", "completions_p50")
"""The measures compared, in column order; each gives columns <measure>_a, _b and _diff."""

TOTAL = 0
"""The index of the national total row: 0 is no province code, so it cannot clash."""


def compare(plan_a: PilotPlan, plan_b: PilotPlan, dataset: Dataset) -> pd.DataFrame:
    """Per province (all 38, zeros included, indexed by code, ascending) and for the nation
    (the last row, index :data:`TOTAL`): the selected sites, placed trainees, fully
    timetabled trainees and the forecast's median completions of both plans, each as
    ``<measure>_a``, ``<measure>_b`` and ``<measure>_diff`` (b - a). Trainees count in their
    home province. The national median is the median of national completions, not the sum
    of the provinces' medians. Both plans must be plans of `dataset` (ValidationError
    otherwise)."""
    provinces = summary.provinces_frame()[["code", "name"]]
    codes = pd.Index(provinces["code"].astype("int64"), name="province")
    a, b = _measures(plan_a, dataset, codes), _measures(plan_b, dataset, codes)
    columns: dict[str, Any] = {"name": [*provinces["name"], "Indonesia"]}
    for measure in MEASURES:
        columns[f"{measure}_a"] = a[measure]
        columns[f"{measure}_b"] = b[measure]
        columns[f"{measure}_diff"] = b[measure] - a[measure]
    frame = pd.DataFrame(columns, index=pd.Index([*codes, TOTAL], dtype="int64", name="province"))
    return frame.astype({"name": "string"})


def _measures(
    plan: PilotPlan, dataset: Dataset, codes: pd.Index
) -> dict[str, np.ndarray[Any, Any]]:
    """Each measure per province in `codes` order, then the national value."""
    placements = placement_frame(plan.allocation, dataset)  # ValidationError for another dataset
    home = placements["province"].to_numpy(dtype=np.int64)
    facility_province = dataset.to_frame("facilities", columns=["province"])["province"]
    selected = facility_province.to_numpy(dtype=np.int64)[np.asarray(plan.sites.selected)]
    placed = home[placements["facility_id"].notna().to_numpy()]
    timetabled = home[np.asarray(plan.timetable.complete, dtype=bool)]
    forecast = plan.forecast
    median = pd.Series(
        [forecast.province(row).p50 for row in range(len(forecast.provinces))],
        index=[int(code) for code in forecast.provinces],
        dtype="float64",
    )
    return {
        "sites": _counts(selected, codes),
        "placed": _counts(placed, codes),
        "timetabled": _counts(timetabled, codes),
        "completions_p50": np.append(
            median.reindex(codes, fill_value=0.0).to_numpy(), forecast.national().p50
        ),
    }


def _counts(province_of_each: np.ndarray[Any, Any], codes: pd.Index) -> np.ndarray[Any, Any]:
    """How many of the items are in each province of `codes`, then how many in all."""
    per_province = pd.Series(province_of_each).value_counts().reindex(codes, fill_value=0)
    return np.append(per_province.to_numpy(dtype=np.int64), len(province_of_each))
