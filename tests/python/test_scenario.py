"""balai.scenario: the national generator, its options, the builder and the map."""

from __future__ import annotations

import datetime
import os
import pickle
import threading
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest

import balai
from balai import scenario
from balai.scenario import ScenarioBuilder, ScenarioOptions

matplotlib.use("Agg")

SHARED_DATA = Path(
    os.environ.get("BALAI_SHARED_DATA_DIR", Path(__file__).resolve().parents[3] / "shared" / "data")
)
REGENCIES = SHARED_DATA / "regencies.csv"
needs_regencies = pytest.mark.skipif(not REGENCIES.exists(), reason="no shared regencies.csv")

# The C++ tests pin the same digest (tests/cpp/test_scenario.cpp).
TINY_DIGEST = "04f0358d59214a4c70d79dab7b1a72d497dd0761a365fddd70e153212af3cfd5"


@pytest.fixture(scope="module")
def world() -> balai.Dataset:
    return scenario.indonesia(trainees=3_000)


def test_indonesia_gives_a_national_dataset(world: balai.Dataset) -> None:
    assert isinstance(world, balai.Dataset)
    assert len(world.trainees) == 3_000
    kinds = world.to_frame("facilities")["kind"].value_counts()
    assert kinds["uptp"] == 21
    assert kinds["uptd"] == 300
    assert kinds["blk_komunitas"] == 3_800
    assert kinds["plut"] == 100
    assert kinds["rpb"] == 6
    assert world.program is not None
    assert [phase.name for phase in world.program.phases] == ["pilot", "rollout"]
    assert world.program.phases[0].window.first == datetime.date(2027, 1, 4)


def test_trainee_mix_reads_like_the_program(world: balai.Dataset) -> None:
    trainees = world.to_frame("trainees")
    assert (trainees["umkm_class"] == "micro").mean() > 0.9
    assert (trainees["track"] == "new_entrepreneur").mean() == pytest.approx(0.4, abs=0.04)
    assert trainees["nik_masked"].str.contains(r"^\d{4}\*{8}\d{4}$").all()
    assert trainees["kbli_code"].str.len().eq(5).all()
    ages = 2027 - trainees["birth_year"]
    assert ages.between(18, 70).all()


def test_the_default_scenario_lives_at_the_embedded_regencies(world: balai.Dataset) -> None:
    assert len(world.regencies) == 514
    assert list(world.regencies) == list(balai.regencies())
    trainees = world.to_frame("trainees", columns=["province", "regency"])
    assert trainees["regency"].notna().all()
    assert set(trainees["regency"]) <= {regency.code for regency in world.regencies}
    # Weighted by population, 3,000 trainees reach most of the 514 regencies.
    assert trainees["regency"].nunique() > 300
    provinces = trainees["regency"].str[:2].astype(int)
    assert (provinces == trainees["province"]).all()


def test_the_embedded_regencies_are_a_table_like_the_provinces() -> None:
    table = balai.regencies()
    assert len(table) == 514
    assert table[0].code == "11.01"
    frame = table.to_frame()
    assert list(frame.columns) == ["code", "province_code", "name", "lat", "lng", "population_2024"]
    assert set(frame["province_code"]) == {province.code for province in balai.provinces()}


@needs_regencies
def test_the_embedded_regencies_are_the_shared_table() -> None:
    assert list(balai.regencies()) == balai.read_regencies(REGENCIES)
    assert scenario.indonesia(trainees=200) == scenario.indonesia(trainees=200, regencies=REGENCIES)


def test_a_given_regency_table_replaces_the_embedded_one() -> None:
    yogyakarta = [regency for regency in balai.regencies() if regency.province == 34]
    world = scenario.indonesia(trainees=1_000, regencies=yogyakarta)
    assert [regency.code for regency in world.regencies] == [r.code for r in yogyakarta]
    trainees = world.to_frame("trainees", columns=["province", "regency"])
    in_yogyakarta = trainees["province"] == 34
    assert in_yogyakarta.any()
    assert set(trainees.loc[in_yogyakarta, "regency"]) <= {r.code for r in yogyakarta}
    # The other provinces have no regency in the table: served from their capitals.
    assert trainees.loc[~in_yogyakarta, "regency"].isna().all()
    capitals = scenario.indonesia(trainees=1_000, regencies=[])
    assert len(capitals.regencies) == 0
    assert capitals.to_frame("trainees", columns=["regency"])["regency"].isna().all()


def test_same_seed_same_dataset_other_seed_other_dataset() -> None:
    first = scenario.indonesia(seed=11, trainees=500)
    assert scenario.indonesia(seed=11, trainees=500, threads=1) == first
    assert scenario.digest(scenario.indonesia(seed=11, trainees=500)) == scenario.digest(first)
    other = scenario.indonesia(seed=12, trainees=500)
    assert other != first
    assert scenario.digest(other) != scenario.digest(first)


def test_digest_matches_the_cpp_tests() -> None:
    assert scenario.digest(scenario.tiny_scenario()) == TINY_DIGEST


def test_options_object_or_keywords_but_not_both() -> None:
    options = ScenarioOptions(seed=3, trainees=50)
    assert scenario.indonesia(options) == scenario.indonesia(seed=3, trainees=50)
    with pytest.raises(TypeError, match="not both"):
        scenario.indonesia(options, seed=4)


@needs_regencies
def test_regencies_from_a_path_a_frame_or_values() -> None:
    from_path = scenario.indonesia(trainees=200, regencies=REGENCIES)
    assert len(from_path.regencies) == 514
    frame = from_path.regencies.to_frame()
    assert scenario.indonesia(trainees=200, regencies=frame) == from_path
    assert scenario.indonesia(trainees=200, regencies=list(from_path.regencies)) == from_path
    assert scenario.indonesia(trainees=200, regencies=from_path) == from_path
    sragen = [
        f for f in from_path.facilities if f.kind == balai.FacilityKind.rpb and f.province == 33
    ]
    assert len(sragen) == 1
    assert sragen[0].regency == "33.14"


def test_builder_takes_the_embedded_regencies_when_asked() -> None:
    small = ScenarioBuilder(seed=1).facility("uptd", province=32).trainees(4, province=32)
    assert len(small.build().regencies) == 0  # a hand-shaped scenario stays small
    world = small.regencies().trainees(3, regency="32.73").build()
    assert len(world.regencies) == 514
    assert [trainee.regency for trainee in world.trainees][-3:] == ["32.73"] * 3


def test_options_are_validated_values() -> None:
    options = ScenarioOptions(seed=5, trainees=10, grade_shares=(0.5, 0.3, 0.2))
    assert options.grade_shares == (0.5, 0.3, 0.2)
    assert options.start_date == datetime.date(2027, 1, 4)
    assert options == ScenarioOptions(seed=5, trainees=10, grade_shares=[0.5, 0.3, 0.2])
    assert options != ScenarioOptions(seed=6, trainees=10, grade_shares=[0.5, 0.3, 0.2])
    assert pickle.loads(pickle.dumps(options)) == options
    assert (
        eval(repr(options), {"ScenarioOptions": ScenarioOptions, "datetime": datetime}) == options
    )
    with pytest.raises(AttributeError):
        options.seed = 9  # type: ignore[misc]


@pytest.mark.parametrize(
    ("fields", "option"),
    [
        ({"trainees": -1}, "trainees"),
        ({"uptd": 10}, "uptd"),
        ({"rpb": 7}, "rpb"),
        ({"female_share": 1.5}, "female_share"),
        ({"grade_shares": (0, 0, 0)}, "grade_shares"),
        ({"pilot_weeks": 0}, "pilot_weeks"),
        ({"target_min": 10, "target_max": 5}, "target_max"),
        ({"start_date": datetime.date(1990, 1, 1)}, "start_date"),
    ],
)
def test_bad_options_name_the_option(fields: dict[str, Any], option: str) -> None:
    with pytest.raises(balai.ValidationError, match=option) as raised:
        scenario.indonesia(**fields)
    assert isinstance(raised.value, ValueError)


def test_tiny_scenario_is_two_provinces_three_facilities_twenty_trainees() -> None:
    tiny = scenario.tiny_scenario()
    assert len(tiny.facilities) == 3
    assert len(tiny.trainees) == 20
    provinces = {f.province for f in tiny.facilities} | {t.province for t in tiny.trainees}
    assert provinces == {32, 34}
    assert tiny.facility("UPTD-32-0001").owner == balai.OwnerLevel.province
    assert scenario.tiny_scenario(2) != tiny


def test_builder_scripts_a_readable_scenario() -> None:
    world = (
        ScenarioBuilder(seed=1)
        .facility("uptd", province=32)
        .facility("blk_komunitas", "34", grade="mandiri", id="BLKK-JOGJA")
        .trainees(12, province=32)
        .trainees(8, province=34, track="new_entrepreneur", gender=balai.Gender.male)
        .build()
    )
    assert [f.id for f in world.facilities] == ["UPTD-32-0001", "BLKK-JOGJA"]
    assert world.facility("BLKK-JOGJA").grade == balai.BlkGrade.mandiri
    newcomers = [t for t in world.trainees if t.province == 34]
    assert len(newcomers) == 8
    assert all(t.track == balai.Track.new_entrepreneur for t in newcomers)
    assert all(t.gender == balai.Gender.male for t in newcomers)


@needs_regencies
def test_builder_pins_regencies_and_trainee_fields() -> None:
    world = (
        ScenarioBuilder(seed=2)
        .regencies(REGENCIES)
        .facility("uptp", regency="35.78")
        .trainees(
            4,
            regency="33.14",
            birth_year=1985,
            umkm_class="small",
            sector="31001",
            needs=["visual"],
        )
        .build()
    )
    assert world.facilities[0].regency == "35.78"
    for trainee in world.trainees:
        assert trainee.regency == "33.14"
        assert trainee.birth_year == 1985
        assert trainee.umkm_class == balai.UmkmClass.small
        assert trainee.sector.code == "31001"
        assert trainee.needs == [balai.Need.visual]


def test_builder_refuses_what_cannot_be_built() -> None:
    with pytest.raises(balai.ValidationError, match="kind"):
        ScenarioBuilder().facility("castle", province=32)
    with pytest.raises(balai.ValidationError, match="province"):
        ScenarioBuilder().facility("uptd", province="Jabar")
    with pytest.raises(balai.ValidationError, match="count"):
        ScenarioBuilder().trainees(-1, province=32)
    only_a_classroom = ScenarioBuilder().facility("blk_komunitas", 32, features=["classroom"])
    with pytest.raises(balai.ValidationError, match="required_features"):
        only_a_classroom.build()
    enough = (
        ScenarioBuilder()
        .practical_modules(False)
        .facility("blk_komunitas", 32, features=["classroom", "computer_lab"])
        .build()
    )
    assert len(enough.modules) == len(scenario.modules(include_practical=False))


def test_catalog_and_program() -> None:
    codes = [module.code for module in scenario.modules()]
    assert codes[0] == "KWU-100"
    assert len(codes) == len(set(codes))
    assert len(scenario.modules()) - len(scenario.modules(include_practical=False)) == 5
    program = scenario.program(start_date=datetime.date(2026, 7, 6), rollout_weeks=0)
    assert [phase.name for phase in program.phases] == ["pilot"]
    assert program.phases[0].window.days == 91
    assert "secret" in repr(scenario.nik_key(7))


def test_generation_runs_beside_other_python_threads() -> None:
    # The GIL is released while generating, so two generations in threads both finish
    # and agree with a run on the main thread.
    results: list[balai.Dataset] = []
    threads = [
        threading.Thread(target=lambda: results.append(scenario.indonesia(seed=9, trainees=2_000)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert results[0] == results[1] == scenario.indonesia(seed=9, trainees=2_000)


def test_plot_map_draws_facilities_and_trainees(world: balai.Dataset) -> None:
    import matplotlib.pyplot as plt

    ax = scenario.plot_map(world, max_trainees=1_000)
    legend = ax.get_legend()
    assert legend is not None
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels[0] == "trainees (3,000)"
    assert "BLK Komunitas (3,800)" in labels
    assert "RPB pilot (6)" in labels
    # The provinces lie underneath, then the trainees, then the facilities.
    assert len(ax.collections[0].get_paths()) == 38
    offsets = np.asarray(ax.collections[1].get_offsets())
    assert 900 <= offsets.shape[0] <= 1_000
    figure, own = plt.subplots()
    assert scenario.plot_map(scenario.tiny_scenario(), ax=own) is own
    plt.close("all")
    del figure


def test_scenario_frames_support_a_summary(world: balai.Dataset) -> None:
    facilities = world.to_frame("facilities")
    by_province = facilities.groupby("province")["seats"].sum()
    assert len(by_province) == 38
    assert isinstance(by_province, pd.Series)
    assert by_province.loc[32] > by_province.loc[65]
