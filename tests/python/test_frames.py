"""Tables as pandas DataFrames: columns and dtypes as documented, round trips, and bad
frames reported by table, row and column."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import balai
from balai import Dataset, Regency, frames

CSV_TABLES = ["regencies", "facilities", "modules", "trainees", "program", "phases"]


def _documented(text: str) -> dict[str, list[tuple[str, str]]]:
    """(column, dtype) per table from a table of `table column dtype content` rows."""
    tables: dict[str, list[tuple[str, str]]] = {}
    known = "|".join(frames.SCHEMAS)
    for match in re.finditer(rf"^\|? *({known}) *\|? *(\w+) *\|? *([\w\[\]]+) ", text, re.M):
        tables.setdefault(match[1], []).append((match[2], match[3]))
    return tables


def _schema() -> dict[str, list[tuple[str, str]]]:
    return {
        table: [(column.name, column.dtype) for column in columns]
        for table, columns in frames.SCHEMAS.items()
    }


def test_dtypes_produced_are_the_documented_ones(dataset: Dataset) -> None:
    produced = {**dataset.to_frames(), "provinces": balai.provinces().to_frame()}
    assert set(produced) == set(frames.SCHEMAS)
    for table, frame in produced.items():
        assert [(name, str(dtype)) for name, dtype in frame.dtypes.items()] == _schema()[table]


def test_the_docstring_and_the_user_guide_document_the_schema(repository: Path) -> None:
    assert frames.__doc__ is not None
    assert _documented(frames.__doc__) == _schema()
    guide = (repository / "docs" / "python.md").read_text(encoding="utf-8")
    assert _documented(guide) == _schema()


@pytest.mark.parametrize("table", CSV_TABLES)
def test_frame_columns_are_the_csv_columns(dataset: Dataset, table: str) -> None:
    assert list(dataset.to_frame(table).columns) == balai._core.csv_columns(table)


def test_frame_values(dataset: Dataset) -> None:
    facilities = dataset.facilities.to_frame()
    assert facilities["kind"].tolist() == ["uptd", "blk_komunitas", "plut"]
    assert list(facilities["kind"].cat.categories) == [k.name for k in balai.FacilityKind]
    assert facilities["grade"].isna().tolist() == [True, False, True]
    assert facilities["regency"].isna().tolist() == [False, False, True]
    assert facilities["features"][0] == "classroom;computer_lab;kitchen"
    assert facilities["active_from"][0] == pd.Timestamp("2027-01-01")
    assert facilities["active_to"].isna().tolist() == [False, True, True]
    modules = dataset.modules.to_frame()
    assert np.isnan(modules["pass_mark"][0])
    assert modules["tracks"][2] == "umkm_owner"
    trainees = dataset.trainees.to_frame()
    assert trainees["kbli_version"].tolist() == ["2020", "2025", "2020"]
    assert trainees["needs"].tolist() == ["", "mobility", "visual;hearing"]
    assert trainees["nik_masked"].isna().tolist() == [False, True, True]
    program = dataset.to_frame("program")
    assert program["ministries"][0] == "Kementerian UMKM;Kementerian Ketenagakerjaan"
    assert len(Dataset().to_frame("program")) == 0


def test_selected_columns(dataset: Dataset) -> None:
    frame = dataset.trainees.to_frame(["umkm_class", "id"])
    assert list(frame.columns) == ["id", "umkm_class"]  # in table order
    assert len(frame) == 3
    with pytest.raises(balai.ValidationError, match="not a column of the table"):
        dataset.trainees.to_frame(["age"])
    with pytest.raises(balai.ValidationError, match="expected one of"):
        dataset.to_frame("cohorts")


def test_round_trip(dataset: Dataset) -> None:
    assert Dataset.from_frames(dataset.to_frames()) == dataset


def test_round_trip_of_an_empty_dataset() -> None:
    assert Dataset.from_frames(Dataset().to_frames()) == Dataset()
    assert Dataset.from_frames({}) == Dataset()


def test_regencies_given_apart(dataset: Dataset, regencies: list[Regency]) -> None:
    frames_by_table = dataset.to_frames()
    regency_frame = frames_by_table.pop("regencies")
    assert Dataset.from_frames(frames_by_table, regencies=regencies) == dataset
    assert Dataset.from_frames(frames_by_table, regencies=regency_frame) == dataset


def test_round_trip_through_plain_text_columns(dataset: Dataset) -> None:
    # Frames as pandas reads a CSV file with every cell as text: numbers, dates and
    # enumerations convert on the way in.
    texts = {}
    for table, frame in dataset.to_frames().items():
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        buffer.seek(0)
        texts[table] = pd.read_csv(buffer, dtype=str)
    assert texts["facilities"]["rooms"].dtype != np.int64
    assert Dataset.from_frames(texts) == dataset


def test_columns_that_may_be_empty_may_be_left_out(dataset: Dataset) -> None:
    frames_by_table = dataset.to_frames()
    facilities = frames_by_table["facilities"].drop(
        columns=["grade", "regency", "features", "active_from", "active_to"]
    )
    facilities = facilities[facilities["kind"] != "blk_komunitas"]
    trainees = frames_by_table["trainees"].drop(
        columns=["nik_digest", "nik_masked", "regency", "needs"]
    )
    result = Dataset.from_frames({"facilities": facilities, "trainees": trainees})
    assert [facility.regency for facility in result.facilities] == [None, None]
    assert result.trainees[0].nik is None
    assert result.trainees[2].needs == []


def _problems(error: pytest.ExceptionInfo[balai.ValidationError]) -> list[tuple[str, str]]:
    return [(problem.where, problem.field) for problem in error.value.problems]


def test_missing_and_unknown_columns(dataset: Dataset) -> None:
    frames_by_table = dataset.to_frames()
    frames_by_table["modules"] = frames_by_table["modules"].drop(columns=["title"])
    frames_by_table["modules"]["pass_marks"] = 1.0
    with pytest.raises(balai.ValidationError) as caught:
        Dataset.from_frames(frames_by_table)
    assert _problems(caught) == [("modules", "pass_marks"), ("modules", "title")]
    assert "missing column" in str(caught.value)
    with pytest.raises(balai.ValidationError, match="expected one of"):
        Dataset.from_frames({"cohorts": pd.DataFrame()})


def test_bad_cells_are_located_by_table_row_and_column(dataset: Dataset) -> None:
    frames_by_table = dataset.to_frames()
    facilities = frames_by_table["facilities"].astype({"kind": object, "rooms": object})
    facilities.loc[0, "kind"] = "warehouse"
    facilities.loc[2, "rooms"] = "three"
    facilities.loc[1, "lat"] = 123.0
    frames_by_table["facilities"] = facilities
    with pytest.raises(balai.ValidationError) as caught:
        Dataset.from_frames(frames_by_table)
    assert _problems(caught) == [("facilities row 2", "rooms")]
    assert caught.value.problems[0].value == "three"

    facilities.loc[2, "rooms"] = 3
    with pytest.raises(balai.ValidationError) as caught:
        Dataset.from_frames(frames_by_table)
    assert _problems(caught) == [("facilities row 0", "kind"), ("facilities row 1", "lat")]
    assert "expected one of uptp, uptd" in caught.value.problems[0].message


def test_whole_numbers_and_dates_are_checked(dataset: Dataset) -> None:
    frames_by_table = dataset.to_frames()
    frames_by_table["trainees"]["birth_year"] = [1988.5, 1999, 1975]
    phases = frames_by_table["phases"].astype({"last": object})
    phases.loc[1, "last"] = "someday"
    frames_by_table["phases"] = phases
    with pytest.raises(balai.ValidationError) as caught:
        Dataset.from_frames(frames_by_table)
    assert _problems(caught) == [("phases row 1", "last")]
    phases.loc[1, "last"] = None
    with pytest.raises(balai.ValidationError) as caught:
        Dataset.from_frames(frames_by_table)
    assert _problems(caught) == [("trainees row 0", "birth_year"), ("phases row 1", "last")]


def test_dataset_problems_come_out_of_from_frames(dataset: Dataset) -> None:
    frames_by_table = dataset.to_frames()
    frames_by_table["trainees"].loc[2, "id"] = "REG-0001"
    with pytest.raises(balai.ValidationError, match="duplicate"):
        Dataset.from_frames(frames_by_table)


def test_phases_need_a_program(dataset: Dataset) -> None:
    frames_by_table = dataset.to_frames()
    del frames_by_table["program"]
    with pytest.raises(balai.ValidationError, match="phases need a program"):
        Dataset.from_frames(frames_by_table)


def test_province_frame() -> None:
    frame = balai.provinces().to_frame()
    assert len(frame) == 38
    assert frame.loc[frame["code"] == 21, "island_group"].item() == "Sumatra"
    assert frame["island_group"].notna().all()
    assert frame["time_zone"].value_counts()["WIT"] == 8
    assert list(balai.provinces().to_frame(["name"]).columns) == ["name"]


def test_numbers_out_of_range_are_refused(dataset: Dataset) -> None:
    regencies = dataset.regencies.to_frame()
    regencies["population_2024"] = regencies["population_2024"].astype("float64")
    regencies.loc[1, "population_2024"] = 2.0**63
    facilities = dataset.facilities.to_frame()
    facilities["rooms"] = facilities["rooms"].astype("float64")
    facilities.loc[0, "rooms"] = 2.0**31
    with pytest.raises(balai.ValidationError) as caught:
        Dataset.from_frames({"regencies": regencies})
    assert _problems(caught) == [("regencies row 1", "population_2024")]
    with pytest.raises(balai.ValidationError, match="whole number in range") as caught:
        Dataset.from_frames({"facilities": facilities})
    assert _problems(caught) == [("facilities row 0", "rooms")]
