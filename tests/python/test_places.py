"""Plausible places (balai.places): a point outside Indonesia is refused wherever it
enters; a point far from its regency's seat warns, or is refused by option; the shared
regency data and every scenario the project generates pass."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import balai
from balai import Dataset, GeoPoint, PlaceWarning, Trainee, places, scenario

LONDON = GeoPoint(51.5074, -0.1278)
DENPASAR = GeoPoint(-8.65, 115.22)  # about 790 km from Kota Bandung's seat
SHARED_REGENCIES = Path("/work/shared/data/regencies.csv")


def moved(dataset: Dataset, location: GeoPoint, id: str = "REG-0100") -> Trainee:
    """The dataset's first trainee (in Kota Bandung, 32.73) under `id`, at `location`."""
    first = dataset.trainees[0]
    return Trainee(
        id,
        gender=first.gender,
        birth_year=first.birth_year,
        regency=first.regency,
        location=location,
        track=first.track,
        umkm_class=first.umkm_class,
        sector=first.sector,
    )


def test_a_trainee_in_jawa_barat_at_londons_coordinates_is_refused(dataset: Dataset) -> None:
    with pytest.raises(balai.ValidationError, match=r"location = '51\.5074, -0\.1278': lies "):
        moved(dataset, LONDON)


def test_a_facility_with_its_latitude_flipped_is_refused(dataset: Dataset) -> None:
    bandung = dataset.facilities[0]
    flipped = GeoPoint(-bandung.location.lat, bandung.location.lng)
    with pytest.raises(balai.ValidationError, match=r"lies outside Indonesia \(lat -11\.5\.\.6\.5"):
        balai.Facility(
            "BLK-FLIP",
            name=bandung.name,
            kind=bandung.kind,
            owner=bandung.owner,
            location=flipped,
            regency=bandung.regency,
            rooms=bandung.rooms,
            seats=bandung.seats,
        )


def test_frames_and_csv_refuse_a_point_outside_indonesia_naming_record_and_line(
    dataset: Dataset, tmp_path: Path
) -> None:
    frames = dataset.to_frames()
    frames["trainees"].loc[0, ["lat", "lng"]] = [51.5074, -0.1278]
    with pytest.raises(balai.ValidationError, match=r"trainee REG-0001: location = '51\.5074"):
        Dataset.from_frames(frames)
    balai.write_csv(dataset, tmp_path)
    table = tmp_path / "trainees.csv"
    table.write_text(table.read_text().replace("-6.9034,107.6181", "51.5074,-0.1278"))
    with pytest.raises(balai.Error, match=r"trainees\.csv:2: .*lies outside Indonesia"):
        balai.read_csv(tmp_path)


def test_far_from_the_regency_seat_warns_or_is_refused_by_option(
    dataset: Dataset, tmp_path: Path
) -> None:
    far = moved(dataset, DENPASAR)
    with pytest.warns(PlaceWarning, match=r"trainee REG-0100: location = '-8\.65, 115\.22': "):
        dataset.add(trainees=[far])
    assert dataset.trainee("REG-0100") == far

    other = moved(dataset, DENPASAR, "REG-0101")
    before = len(dataset.trainees)
    with pytest.raises(balai.ValidationError, match=r"km from the seat of Kota Bandung \(32\.73\)"):
        dataset.add(trainees=[other], far_from_seat="refuse")
    assert len(dataset.trainees) == before

    balai.write_csv(dataset, tmp_path)
    with pytest.warns(PlaceWarning):
        assert balai.read_csv(tmp_path) == dataset
    with pytest.raises(balai.ValidationError, match="trainee REG-0100"):
        balai.read_csv(tmp_path, far_from_seat="refuse")
    with pytest.raises(balai.ValidationError, match="trainee REG-0100"):
        Dataset.from_frames(dataset.to_frames(), far_from_seat="refuse")
    with pytest.raises(balai.ValidationError, match="far_from_seat = ''later'': must be"):
        balai.read_csv(tmp_path, far_from_seat="later")  # type: ignore[arg-type]


def test_the_shared_regency_seats_are_inside_and_at_their_seats() -> None:
    with SHARED_REGENCIES.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 514
    trainees = []
    for row in rows:
        point = GeoPoint(float(row["lat"]), float(row["lng"]))
        trainees.append(
            Trainee(
                f"SEAT-{row['code']}",
                gender=balai.Gender.female,
                birth_year=1990,
                regency=row["code"],
                location=point,  # refused here if outside Indonesia
                track=balai.Track.umkm_owner,
                umkm_class=balai.UmkmClass.micro,
                sector=balai.Kbli(balai.KbliVersion.kbli2020, "47"),
            )
        )
    assert balai._core.far_from_seats_of([], trainees) == []


@pytest.mark.parametrize("seed", [1, 7, 2027])
def test_every_generated_scenario_is_plausible(seed: int) -> None:
    world = scenario.indonesia(seed=seed, trainees=20_000)
    assert balai._core.far_from_seats(world._data) == []
    shared = scenario.indonesia(
        seed=seed, trainees=5_000, regencies=balai.read_regencies(SHARED_REGENCIES)
    )
    assert balai._core.far_from_seats(shared._data) == []
    assert balai._core.far_from_seats(scenario.tiny_scenario(seed)._data) == []
    assert places.MAX_KM_FROM_REGENCY_SEAT == 400
