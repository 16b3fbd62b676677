"""The pilot planner from Python: options as values, each step, the chain, its frames, the
output folder and the snapshot's round trip."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import balai
from balai import pilot, scenario
from balai.pilot import (
    Behaviour,
    ForecastOptions,
    PilotOptions,
    SegmentBehaviour,
    SiteMinimum,
    SiteObjective,
    SiteSelectionOptions,
    TimetableOptions,
)

# Small enough to plan in a second or two, large enough for classes to form.
_OPTIONS = PilotOptions(
    sites=PilotOptions().sites.replace(sites=150),
    forecast=ForecastOptions(replications=40, seed=11),
)


@pytest.fixture(scope="module")
def world() -> balai.Dataset:
    return scenario.indonesia(seed=5, trainees=3_000)


@pytest.fixture(scope="module")
def plan(world: balai.Dataset) -> pilot.PilotPlan:
    return pilot.plan(world, _OPTIONS, progress=False)


# ---- options -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        SiteMinimum(province=32, min_sites=2),
        SiteSelectionOptions(objective="p_median", sites=12, minimums=[SiteMinimum(province=11)]),
        TimetableOptions(start=dt.date(2027, 2, 1), weeks=8, holidays=[dt.date(2027, 2, 6)]),
        Behaviour(attendance=0.5, weekly_dropout=0.0, pass_rate=1.0),
        SegmentBehaviour(track="new_entrepreneur", max_km=10.0),
        ForecastOptions(replications=3, segments=[]),
        balai.LedgerOptions(excused_excluded=False),
    ],
)
def test_options_are_values(value: Any) -> None:
    assert pickle.loads(pickle.dumps(value)) == value
    namespace = {name: getattr(balai.pilot, name, None) for name in pilot.__all__}
    namespace.update(datetime=dt, LedgerOptions=balai.LedgerOptions, Track=balai.Track)
    assert eval(repr(value), namespace) == value  # the repr is the constructor call


def test_options_replace_and_enum_names() -> None:
    options = SiteSelectionOptions(objective="p_median")
    assert options.objective is SiteObjective.p_median
    changed = options.replace(sites=7)
    assert (changed.sites, changed.objective, options.sites) == (7, SiteObjective.p_median, 300)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: SiteSelectionOptions(sites=0), "sites"),
        (lambda: SiteSelectionOptions(objective="nearest"), "objective"),
        (lambda: SiteSelectionOptions(radius_km=float("nan")), "radius_km"),
        (lambda: SiteSelectionOptions(sites="many"), "sites"),  # type: ignore[arg-type]
        (lambda: TimetableOptions(class_min=20, class_max=10), "class"),
        (lambda: TimetableOptions(working_days=[0]), "working_days"),
        (lambda: Behaviour(attendance=1.5), "attendance"),
        (lambda: SegmentBehaviour(min_km=10.0, max_km=5.0), "km"),
        (lambda: ForecastOptions(replications=0), "replications"),
    ],
)
def test_bad_options_name_the_field(make: Any, field: str) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        make()
    assert any(field in problem.field for problem in caught.value.problems)


def test_pilot_options_replace() -> None:
    options = PilotOptions()
    changed = options.replace(
        min_sites_per_province=2, sites=options.sites.replace(sites=40, kinds=["uptd"])
    )
    assert (changed.min_sites_per_province, changed.sites.sites) == (2, 40)
    assert changed.timetable == options.timetable
    assert changed.registration_namespace == options.registration_namespace
    assert options == PilotOptions()  # a copy: the original is unchanged
    assert options.replace() == options
    with pytest.raises(balai.ValidationError, match="min_sites_per_province"):
        options.replace(min_sites_per_province=-1)


def test_unknown_option_is_a_type_error() -> None:
    # PilotOptions.replace gives the message every other options value gives.
    options: Any
    for options in [PilotOptions(), SiteSelectionOptions(), TimetableOptions()]:
        name = type(options).__name__
        with pytest.raises(
            TypeError, match=rf"^{name}\(\) got an unexpected keyword argument 'radius'$"
        ):
            options.replace(radius=3.0)
    with pytest.raises(TypeError, match="radius"):
        SiteSelectionOptions(radius=3.0)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="not both"):
        pilot.timetable(None, None, TimetableOptions(), weeks=3)  # type: ignore[arg-type]


# ---- the chain ---------------------------------------------------------------------------


def test_plan_chains_the_steps(world: balai.Dataset, plan: pilot.PilotPlan) -> None:
    selected = np.asarray(plan.sites.selected)
    assert 0 < len(selected) <= 150  # a budget: sites that gather no class are not opened
    candidates = balai._core.pilot_candidates(world._data, _OPTIONS)
    assert np.isin(selected, candidates).all()
    facility = np.asarray(plan.allocation.facility)
    assert np.isin(facility[facility >= 0], selected).all()
    assert set(selected) == {c.facility for c in plan.timetable.cohorts}

    site_options = pilot.pilot_site_options(world, _OPTIONS)
    assert len(site_options.minimums) == 38  # one site in every province with candidates
    assert site_options.sites == min(150, len(candidates))

    # The steps after the consolidated allocation, again by hand, give the same values.
    table = pilot.timetable(world, plan.allocation, _OPTIONS.timetable)
    assert table == plan.timetable
    assert pilot.verify_timetable(world, plan.allocation, table) == []
    roster = balai._core.timetable_roster(world._data, table, _OPTIONS.registration_namespace)
    assert roster == plan.roster
    assert len(roster.registrations) == plan.timetabled == int(np.count_nonzero(table.complete))
    again = pilot.forecast(world, plan.roster, plan.distance_km, _OPTIONS.forecast, progress=False)
    assert again == plan.forecast


def test_forecast_is_deterministic_and_uses_the_ledger(
    world: balai.Dataset, plan: pilot.PilotPlan
) -> None:
    options = _OPTIONS.forecast.replace(replications=3)
    one = pilot.forecast(world, plan.roster, plan.distance_km, options, progress=False)
    two = pilot.forecast(
        world, plan.roster, plan.distance_km, options.replace(threads=1), progress=False
    )
    # Equal results; the values differ only in the options' thread count.
    assert list(one.completions) == list(two.completions)
    assert (one.by_province == two.by_province).all()
    other = pilot.forecast(
        world, plan.roster, plan.distance_km, options.replace(seed=12), progress=False
    )
    assert list(other.completions) != list(one.completions)

    # Replication 1's events through a real Ledger complete the same registrations.
    events = balai._core.forecast_events(world._data, plan.roster, plan.distance_km, options, 1)
    ledger = balai.Ledger(plan.roster)
    ledger.append_columns(**events)
    statuses = ledger.status_frame()
    completed = int((statuses["status"] == "completed").sum())
    assert completed == one.completions[1]


def test_frames(world: balai.Dataset, plan: pilot.PilotPlan) -> None:
    sites = pilot.sites_frame(plan, world)
    assert len(sites) == len(world.facilities)
    assert int(sites["selected"].sum()) == len(plan.sites.selected)
    assert int(sites["load"].sum()) == plan.allocation.objective.placed

    trainees = pilot.trainees_frame(plan, world)
    assert len(trainees) == len(world.trainees)
    assert int(trainees["registration_id"].notna().sum()) == len(plan.roster)
    assert (trainees["facility_id"].isna() == (trainees["status"] != "placed")).all()

    cohorts = pilot.cohorts_frame(plan.timetable, world)
    assert len(cohorts) == len(plan.timetable.cohorts)
    assert (cohorts["first_session"] <= cohorts["last_session"]).all()
    assert (
        cohorts["trainees"]
        .between(_OPTIONS.timetable.class_min, _OPTIONS.timetable.class_max)
        .all()
    )

    weekly = pilot.weekly_frame(plan.timetable)
    assert len(weekly) == 13
    assert int(weekly["sessions"].sum()) == int(cohorts["sessions"].sum())
    assert int(weekly["trainee_days"].sum()) == int(
        (cohorts["sessions"] * cohorts["trainees"]).sum()
    )

    unscheduled = pilot.unscheduled_frame(plan.timetable, world)
    assert set(unscheduled["reason"]) <= {r.name for r in pilot.UnscheduledReason}

    assert (
        (unscheduled["root_module"] == unscheduled["module"])
        .where(unscheduled["reason"] != "prerequisite", True)
        .all()
    )
    assert (unscheduled["root_reason"] != "prerequisite").all()

    bands = pilot.bands_frame(plan.forecast, plan.roster)
    assert int(bands["registrations"].sum()) == len(plan.roster)
    assert (bands["p5"] <= bands["p50"]).all()
    assert (bands["p50"] <= bands["p95"]).all()


def test_groups_frame(world: balai.Dataset, plan: pilot.PilotPlan) -> None:
    groups = pilot.groups_frame(plan.forecast)
    assert list(groups["group"]) == [
        "female",
        "male",
        "any accessibility need",
        "no accessibility need",
    ]
    assert list(groups.columns) == [
        "group", "gender", "accessibility_need", "registrations", "p5", "p50", "p95", "mean",
    ]  # fmt: skip
    assert groups["gender"].isna().tolist() == [False, False, True, True]
    assert groups["accessibility_need"].isna().tolist() == [True, True, False, False]
    # Each pair splits the registrations, counted from the dataset by hand.
    trainees = world.to_frame("trainees")
    registered = trainees.iloc[np.asarray(plan.roster._columns()["trainee"], dtype=np.int64)]
    female = int((registered["gender"] == "female").sum())
    assert list(groups["registrations"][:2]) == [female, len(plan.roster) - female]
    assert int(groups["registrations"][2:].sum()) == len(plan.roster)
    by_group = plan.forecast.by_group
    np.testing.assert_array_equal(by_group[0] + by_group[1], plan.forecast.completions)
    np.testing.assert_array_equal(by_group[2] + by_group[3], plan.forecast.completions)
    assert groups.loc[0, "p50"] == plan.forecast.group(0).p50


def test_outputs_and_snapshot_round_trip(
    world: balai.Dataset, plan: pilot.PilotPlan, tmp_path: Path
) -> None:
    written = pilot.write_outputs(plan, world, tmp_path / "out")
    names = {path.name for path in written}
    assert names == {
        "sites.csv",
        "allocation.csv",
        "cohorts.csv",
        "unscheduled.csv",
        "weekly.csv",
        "forecast.csv",
        "forecast_provinces.csv",
        "forecast_groups.csv",
        "pilot.xlsx",
        "plan.json",
        "dataset.snapshot",
        "report.html",
    }
    assert all(path.is_file() for path in written)
    sites = pd.read_csv(tmp_path / "out" / "sites.csv")
    assert len(sites) == len(plan.sites.selected)
    forecast = pd.read_csv(tmp_path / "out" / "forecast.csv")
    assert list(forecast["completions"]) == list(plan.forecast.completions)

    again = balai.load_snapshot(tmp_path / "out" / "dataset.snapshot")
    assert again == world
    roster = pilot.load_roster(tmp_path / "out" / "plan.json", again)
    assert list(roster.cohorts) == list(plan.roster.cohorts)
    assert list(roster.registrations) == list(plan.roster.registrations)


def test_workbook_reads_back_as_the_csvs(
    world: balai.Dataset, plan: pilot.PilotPlan, tmp_path: Path
) -> None:
    written = pilot.write_outputs(plan, world, tmp_path, report=False)
    sheets = pd.read_excel(tmp_path / "pilot.xlsx", sheet_name=None)
    tables = [path for path in written if path.suffix == ".csv"]
    assert list(sheets) == ["summary", *(path.stem for path in tables)]
    for path in tables:
        csv = pd.read_csv(path)
        for column in {"first_session", "last_session", "week_start"} & set(csv.columns):
            csv[column] = pd.to_datetime(csv[column])  # Excel keeps dates as dates
        pd.testing.assert_frame_equal(sheets[path.stem], csv, check_dtype=False, obj=path.name)
    summary = sheets["summary"]
    assert list(zip(summary["figure"], summary["value"], strict=True)) == pilot.summary_lines(
        plan, world
    )

    # The same bytes every time (no clock time inside), written whole.
    before = (tmp_path / "pilot.xlsx").read_bytes()
    pilot.write_outputs(plan, world, tmp_path, report=False)
    assert (tmp_path / "pilot.xlsx").read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))
    skipped = pilot.write_outputs(plan, world, tmp_path / "plain", report=False, excel=False)
    assert "pilot.xlsx" not in {path.name for path in skipped}


def test_workbook_cells_keep_their_types(tmp_path: Path) -> None:
    from balai._workbook import workbook_bytes

    eight_thirty = pd.Timestamp("2027-01-04 08:30")
    expected: dict[str, list[Any]] = {
        "flag": [True, None, False],
        "count": [1, None, 3],
        "share": [0.5, None, 1e-9],
        "text": ["a < b & c", None, "  spaced  "],
        "mixed": [7, "seven", 7.5],
        "when": [eight_thirty, None, pd.Timestamp("2027-02-01")],
        "day": [pd.Timestamp("2027-01-04"), None, eight_thirty],
    }
    frame = pd.DataFrame(
        {
            "flag": pd.array(expected["flag"], dtype="boolean"),
            "count": pd.array(expected["count"], dtype="Int64"),
            "share": [0.5, np.nan, 1e-9],
            "text": expected["text"],
            "mixed": expected["mixed"],
            "when": pd.to_datetime(pd.Series(expected["when"])),
            # Dates and times as Python objects, as the cohorts' session days come.
            "day": pd.Series(
                [dt.date(2027, 1, 4), None, eight_thirty.to_pydatetime()], dtype=object
            ),
        }
    )
    (tmp_path / "w.xlsx").write_bytes(workbook_bytes({"a sheet": frame}))
    back = pd.read_excel(tmp_path / "w.xlsx", sheet_name="a sheet")
    read = {name: [None if pd.isna(v) else v for v in back[name]] for name in back.columns}
    assert read == expected


def test_workbook_refuses_times_with_a_time_zone() -> None:
    from balai._workbook import workbook_bytes

    aware = dt.datetime(2027, 1, 4, 8, 30, tzinfo=dt.timezone.utc)
    for column in (pd.Series([aware], dtype=object), pd.Series(pd.to_datetime([aware]))):
        with pytest.raises(ValueError, match="time zone"):
            workbook_bytes({"a sheet": pd.DataFrame({"when": column})})


def test_snapshot_of_another_dataset_is_refused(
    world: balai.Dataset, plan: pilot.PilotPlan, tmp_path: Path
) -> None:
    pilot.write_snapshot(plan, world, tmp_path / "plan.json")
    with pytest.raises(balai.FormatError, match="another dataset"):
        pilot.load_roster(tmp_path / "plan.json", scenario.indonesia(seed=6, trainees=50))
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(balai.FormatError, match="not a balai plan snapshot"):
        pilot.load_roster(tmp_path / "bad.json", world)


def test_summary_lines(world: balai.Dataset, plan: pilot.PilotPlan) -> None:
    lines = dict(pilot.summary_lines(plan, world))
    assert lines["Trainees"] == "3,000"
    assert lines["Window"] == "2027-01-04 to 2027-04-04"
    assert f"{len(plan.sites.selected)} of" in lines["Sites"]
    assert f"{plan.timetabled:,} of {plan.bound.bound:,}" in lines["Timetabled"]
    assert "Partly planned" in lines
    assert "runs" in lines["Forecast"]


def test_national_holidays() -> None:
    days = pilot.national_holidays(2027)
    assert dt.date(2027, 1, 1) in days
    assert dt.date(2027, 8, 17) in days
    assert dt.date(2027, 12, 25) in days
    assert days == sorted(days)
    assert pilot.national_holidays(1999) == []
