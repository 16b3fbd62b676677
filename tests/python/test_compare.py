"""balai.pilot.compare: two plans of one scenario side by side, per province and for the
nation, with every province present."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import balai
from balai import pilot, scenario
from balai.pilot import ForecastOptions, PilotOptions

_MEASURES = ["sites", "placed", "timetabled", "completions_p50"]


def _options(sites: int) -> PilotOptions:
    return PilotOptions(
        sites=PilotOptions().sites.replace(sites=sites),
        forecast=ForecastOptions(replications=20, seed=4),
    )


@pytest.fixture(scope="module")
def world() -> balai.Dataset:
    return scenario.indonesia(trainees=2_000, seed=13)


@pytest.fixture(scope="module")
def plans(world: balai.Dataset) -> tuple[pilot.PilotPlan, pilot.PilotPlan]:
    return (
        pilot.plan(world, _options(60), progress=False),
        pilot.plan(world, _options(120), progress=False),
    )


@pytest.fixture(scope="module")
def table(world: balai.Dataset, plans: tuple[pilot.PilotPlan, pilot.PilotPlan]) -> pd.DataFrame:
    return pilot.compare(*plans, world)


def test_a_row_per_province_then_the_nation(table: pd.DataFrame) -> None:
    codes = sorted(province.code for province in balai.provinces())
    assert list(table.index) == [*codes, 0]
    assert table.index.name == "province"
    assert list(table.columns) == [
        "name",
        *(f"{measure}_{side}" for measure in _MEASURES for side in ("a", "b", "diff")),
    ]
    assert table.loc[0, "name"] == "Indonesia"
    assert table.loc[32, "name"] == "Jawa Barat"
    assert table["sites_a"].dtype == np.int64
    assert table["completions_p50_a"].dtype == np.float64


def test_counts_match_the_plans(
    table: pd.DataFrame, plans: tuple[pilot.PilotPlan, pilot.PilotPlan]
) -> None:
    provinces = table.drop(index=0)
    for side, plan in zip("ab", plans, strict=True):
        total = table.loc[0]
        assert total[f"sites_{side}"] == len(plan.sites.selected)
        assert total[f"placed_{side}"] == plan.allocation.objective.placed
        assert total[f"timetabled_{side}"] == int(np.count_nonzero(plan.timetable.complete))
        assert total[f"completions_p50_{side}"] == plan.forecast.national().p50
        for measure in ["sites", "placed", "timetabled"]:
            assert provinces[f"{measure}_{side}"].sum() == total[f"{measure}_{side}"]
        forecast = plan.forecast
        for row, code in enumerate(forecast.provinces):
            assert provinces.loc[int(code), f"completions_p50_{side}"] == forecast.province(row).p50
    # The site count is a budget: no plan opens more, though the best may open fewer.
    assert table.loc[[0], "sites_a"].between(1, 60).all()
    assert table.loc[[0], "sites_b"].between(1, 120).all()


def test_differences_are_b_minus_a(table: pd.DataFrame) -> None:
    for measure in _MEASURES:
        diff = table[f"{measure}_b"] - table[f"{measure}_a"]
        pd.testing.assert_series_equal(table[f"{measure}_diff"], diff, check_names=False)


def test_a_plan_against_itself_differs_nowhere(
    world: balai.Dataset, plans: tuple[pilot.PilotPlan, pilot.PilotPlan]
) -> None:
    same = pilot.compare(plans[0], plans[0], world)
    assert (same[[f"{measure}_diff" for measure in _MEASURES]] == 0).all().all()


def test_a_plan_of_another_dataset_is_refused(
    plans: tuple[pilot.PilotPlan, pilot.PilotPlan],
) -> None:
    with pytest.raises(balai.ValidationError, match="dataset"):
        pilot.compare(*plans, scenario.indonesia(trainees=50, seed=13))
