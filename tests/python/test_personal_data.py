"""No NIK enters balai in clear: a masked NIK must be masked and a digest a digest at every
entry point (ProtectedNik, CSV, DataFrames, pickles), and a NIK in an id or a free text
is refused. No message repeats the number."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

import balai
from balai import Dataset, ProtectedNik

NIK = "3273015203880001"  # a valid NIK: province 32, born 12-03-1988, a woman
SHOWN = "3273########0001"  # how a refused masked form shows it
DIGEST = "ab" * 32


def _refused(error: pytest.ExceptionInfo[Any]) -> str:
    message = str(error.value)
    assert NIK not in message
    return message


@pytest.mark.parametrize(
    ("masked", "reason"),
    [
        (NIK, "must be '\\*'"),  # the number itself
        ("3273015203******", "4 digits, 8 '\\*' and 4 digits"),
        ("****************", "4 digits, 8 '\\*' and 4 digits"),
        ("3273****0388*001", "4 digits, 8 '\\*' and 4 digits"),
        ("3273****52030001", "must be '\\*'"),
    ],
)
def test_protected_nik_needs_a_masked_form(masked: str, reason: str) -> None:
    with pytest.raises(balai.ValidationError, match=reason) as error:
        ProtectedNik(DIGEST, masked)
    assert error.value.problems[0].field == "nik_masked"
    message = _refused(error)
    assert "0388" not in message
    assert "5203" not in message


def test_a_digest_must_look_like_one() -> None:
    for digest in (NIK, "ab" * 31, "zz" * 32, "ab" * 33):
        with pytest.raises(balai.ValidationError, match="64 hexadecimal digits") as error:
            ProtectedNik(digest, "3273********0001")
        assert error.value.problems[0].field == "nik_digest"
        _refused(error)


def test_a_pickle_cannot_carry_a_clear_nik(nik_key: balai.NikKey) -> None:
    forged = pickle.dumps(balai.protect_nik(NIK, nik_key)).replace(
        b"3273********0001", NIK.encode()
    )
    assert NIK.encode() in forged
    with pytest.raises(balai.ValidationError, match="nik_masked") as error:
        pickle.loads(forged)
    _refused(error)


def _trainee_csv(tmp_path: Path, dataset: Dataset, column: str, value: str) -> Path:
    balai.write_csv(dataset, tmp_path)
    path = tmp_path / "trainees.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = value
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_csv_refuses_a_clear_nik_as_the_masked_one(tmp_path: Path, dataset: Dataset) -> None:
    _trainee_csv(tmp_path, dataset, "nik_masked", NIK)
    with pytest.raises(balai.ParseError, match=r"trainees\.csv:2:.*nik_masked") as error:
        balai.read_csv(tmp_path)
    assert SHOWN in _refused(error)


def test_csv_refuses_a_clear_nik_as_the_digest(tmp_path: Path, dataset: Dataset) -> None:
    _trainee_csv(tmp_path, dataset, "nik_digest", NIK)
    with pytest.raises(balai.ParseError, match="nik_digest") as error:
        balai.read_csv(tmp_path)
    _refused(error)


def test_csv_refuses_a_nik_as_the_trainee_id(tmp_path: Path, dataset: Dataset) -> None:
    _trainee_csv(tmp_path, dataset, "id", NIK)
    with pytest.raises(balai.ParseError, match=r"trainees\.csv:2:1: field 'id'") as error:
        balai.read_csv(tmp_path)
    assert "holds a NIK" in _refused(error)
    assert "3273********0001" in str(error.value)


def test_csv_cells_of_other_columns_do_not_echo_a_nik(tmp_path: Path, dataset: Dataset) -> None:
    _trainee_csv(tmp_path, dataset, "birth_year", NIK)
    with pytest.raises(balai.ParseError, match="birth_year") as error:
        balai.read_csv(tmp_path)
    _refused(error)


def test_frames_refuse_a_clear_nik_as_the_masked_one(dataset: Dataset) -> None:
    frames = dataset.to_frames()
    frames["trainees"].loc[0, "nik_masked"] = NIK
    with pytest.raises(balai.ValidationError, match="trainees row 0") as error:
        Dataset.from_frames(frames)
    assert error.value.problems[0].field == "nik_masked"
    assert SHOWN in _refused(error)


def test_frames_refuse_a_nik_in_an_id_or_a_name(dataset: Dataset) -> None:
    frames = dataset.to_frames()
    frames["trainees"].loc[1, "id"] = NIK
    frames["facilities"].loc[0, "name"] = f"Rumah {NIK}"
    with pytest.raises(balai.ValidationError) as error:
        Dataset.from_frames(frames)
    fields = {problem.field for problem in error.value.problems}
    assert {"id", "name"} <= fields
    _refused(error)


def test_frames_do_not_echo_a_nik_given_as_a_number(dataset: Dataset) -> None:
    frames = dataset.to_frames()
    frames["trainees"]["birth_year"] = frames["trainees"]["birth_year"].astype("int64")
    frames["trainees"].loc[0, "birth_year"] = int(NIK)
    with pytest.raises(balai.ValidationError, match="birth_year") as error:
        Dataset.from_frames(frames)
    _refused(error)


def test_a_trainee_id_holding_a_nik_is_refused(dataset: Dataset) -> None:
    other = dataset.trainees[1]
    with pytest.raises(balai.ValidationError, match="holds a NIK") as error:
        balai.Trainee(
            f"REG-{NIK}",
            gender=other.gender,
            birth_year=other.birth_year,
            location=other.location,
            track=other.track,
            umkm_class=other.umkm_class,
            sector=other.sector,
            province=other.province,
        )
    assert "REG-3273********0001" in _refused(error)


def test_event_texts_holding_a_nik_are_refused(roster: balai.Roster, tmp_path: Path) -> None:
    event = balai.Event(
        1, kind=balai.EventKind.enrolled, registration=0, time=1799020800, actor=f"nik {NIK}"
    )
    with balai.Journal(tmp_path / "events.journal", roster) as journal:
        size = (tmp_path / "events.journal").stat().st_size
        with pytest.raises(balai.ValidationError, match=r"actor.*holds a NIK") as error:
            journal.append([event])
        _refused(error)
        assert len(journal.snapshot()) == 0
    assert (tmp_path / "events.journal").stat().st_size == size
