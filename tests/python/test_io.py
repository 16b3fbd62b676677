"""CSV directories and tables, and snapshots: round trips and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

import balai
from balai import Dataset, NikKey


def test_csv_directory_round_trip(dataset: Dataset, tmp_path: Path) -> None:
    balai.write_csv(dataset, tmp_path / "data")
    names = sorted(path.name for path in (tmp_path / "data").iterdir())
    assert names == [
        "facilities.csv",
        "modules.csv",
        "phases.csv",
        "program.csv",
        "regencies.csv",
        "trainees.csv",
    ]
    assert balai.read_csv(tmp_path / "data") == dataset
    assert balai.read_csv(str(tmp_path / "data")) == dataset


def test_csv_header_is_the_frame_columns(dataset: Dataset, tmp_path: Path) -> None:
    balai.write_csv(dataset, tmp_path)
    header = (tmp_path / "facilities.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(dataset.facilities.to_frame().columns)


def test_single_tables_round_trip(dataset: Dataset, tmp_path: Path) -> None:
    balai.write_facilities(list(dataset.facilities), tmp_path / "f.csv")
    assert balai.read_facilities(tmp_path / "f.csv") == list(dataset.facilities)
    balai.write_modules(list(dataset.modules), tmp_path / "m.csv")
    assert balai.read_modules(tmp_path / "m.csv") == list(dataset.modules)
    balai.write_trainees(list(dataset.trainees), tmp_path / "t.csv")
    assert balai.read_trainees(tmp_path / "t.csv") == list(dataset.trainees)
    balai.write_regencies(list(dataset.regencies), tmp_path / "r.csv")
    assert balai.read_regencies(tmp_path / "r.csv") == list(dataset.regencies)
    assert dataset.program is not None
    balai.write_program(dataset.program, tmp_path / "p.csv", tmp_path / "ph.csv")
    assert balai.read_program(tmp_path / "p.csv", tmp_path / "ph.csv") == dataset.program


def test_reference_regencies(repository: Path) -> None:
    regencies = balai.read_regencies(repository.parent / "shared" / "data" / "regencies.csv")
    assert len(regencies) == 514
    dataset = Dataset(regencies)
    assert dataset.regency("32.73").name == "Kota Bandung"
    frame = dataset.regencies.to_frame()
    assert frame["population_2024"].sum() > 280_000_000
    assert Dataset.from_frames({}, regencies=frame) == dataset


def test_clear_niks_are_read_only_with_the_key(tmp_path: Path, nik_key: NikKey) -> None:
    (tmp_path / "trainees.csv").write_text(
        "id,nik,gender,birth_year,province,lat,lng,track,umkm_class,kbli_version,kbli_code\n"
        "REG-1,3273015203880001,female,1988,32,-6.9,107.6,umkm_owner,micro,2020,10792\n",
        encoding="utf-8",
    )
    dataset = balai.read_csv(tmp_path, nik_key)
    nik = dataset.trainee("REG-1").nik
    assert nik is not None
    assert nik.matches("3273015203880001", nik_key)
    with pytest.raises(balai.ParseError, match="nik") as caught:
        balai.read_csv(tmp_path)
    assert caught.value.file.endswith("trainees.csv")


def test_bad_cell_is_a_parse_error_naming_file_line_and_column(
    dataset: Dataset, tmp_path: Path
) -> None:
    balai.write_csv(dataset, tmp_path)
    path = tmp_path / "facilities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("blk_komunitas", "warehouse")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(balai.ParseError) as caught:
        balai.read_csv(tmp_path)
    error = caught.value
    assert (Path(error.file).name, error.line, error.column, error.field) == (
        "facilities.csv",
        3,
        3,
        "kind",
    )
    assert "warehouse" in str(error)


def test_dataset_problems_in_csv_name_the_file(dataset: Dataset, tmp_path: Path) -> None:
    balai.write_csv(dataset, tmp_path)
    path = tmp_path / "trainees.csv"
    text = path.read_text(encoding="utf-8").replace("REG-0003", "REG-0001")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(balai.ValidationError, match=r"trainees\.csv"):
        balai.read_csv(tmp_path)


def test_snapshot_file_round_trip(dataset: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "dataset.snap"
    balai.save_snapshot(dataset, path)
    assert balai.load_snapshot(path) == dataset
    assert path.read_bytes() == balai.to_snapshot_bytes(dataset)


def test_damaged_snapshots_are_a_format_error(dataset: Dataset, tmp_path: Path) -> None:
    data = balai.to_snapshot_bytes(dataset)
    path = tmp_path / "damaged.snap"
    for damaged in [data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 0xFF]), b""]:
        path.write_bytes(damaged)
        with pytest.raises(balai.FormatError, match=str(path.name)):
            balai.load_snapshot(path)
        with pytest.raises(balai.FormatError):
            balai.from_snapshot_bytes(damaged)


def test_missing_files_are_balai_errors(tmp_path: Path) -> None:
    with pytest.raises(balai.Error, match=r"missing\.snap"):
        balai.load_snapshot(tmp_path / "missing.snap")
    with pytest.raises(balai.Error, match=r"missing\.csv"):
        balai.read_facilities(tmp_path / "missing.csv")
