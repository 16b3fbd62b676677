"""The Dataset: construction, all-or-nothing batches, tables, lookups, equality, repr,
the Jupyter summary and pickling."""

from __future__ import annotations

import copy
import datetime
import pickle
import threading

import pytest

import balai
from balai import Dataset, Facility, Module, Program, Regency, Track, Trainee


def test_construction(dataset: Dataset, facilities: list[Facility], program: Program) -> None:
    assert len(dataset.regencies) == 3
    assert len(dataset.facilities) == 3
    assert len(dataset.modules) == 3
    assert len(dataset.trainees) == 3
    assert list(dataset.facilities) == facilities
    assert dataset.facilities[-1] == facilities[-1]
    assert dataset.facilities[1:] == facilities[1:]
    assert dataset.program == program


def test_empty_dataset() -> None:
    dataset = Dataset()
    assert len(dataset.facilities) == 0
    assert dataset.program is None
    assert dataset == Dataset(regencies=[], facilities=(), modules=(), trainees=())


def test_regencies_are_kept_in_code_order(regencies: list[Regency]) -> None:
    dataset = Dataset(regencies)
    assert [regency.code for regency in dataset.regencies] == ["32.04", "32.73", "35.78"]


def test_lookups(dataset: Dataset, trainees: list[Trainee], modules: list[Module]) -> None:
    assert dataset.trainee("REG-0002") == trainees[1]
    assert dataset.module("FIN-101") == modules[1]
    assert dataset.facility("PLUT-35").province == 35
    assert dataset.regency("35.78").name == "Kota Surabaya"
    with pytest.raises(balai.UnknownReferenceError, match="unknown facility 'BLK-9'") as caught:
        dataset.facility("BLK-9")
    assert (caught.value.kind, caught.value.key) == ("facility", "BLK-9")
    with pytest.raises(KeyError):
        dataset.regency("32.01")
    with pytest.raises(IndexError):
        dataset.trainees[3]


def test_modules_for_a_track_and_hosting(dataset: Dataset) -> None:
    assert [m.code for m in dataset.modules_for(Track.umkm_owner)] == [
        "ENT-101",
        "FIN-101",
        "DIG-201",
    ]
    assert [m.code for m in dataset.modules_for(Track.new_entrepreneur)] == ["ENT-101", "FIN-101"]
    assert dataset.can_host("UPTD-3273-001", "DIG-201")
    assert not dataset.can_host("PLUT-35", "DIG-201")
    assert "computer_lab" in dataset.features


def test_add_is_all_or_nothing(dataset: Dataset, facilities: list[Facility]) -> None:
    before = copy.deepcopy(dataset)
    good = Facility(
        "PLUT-32",
        name="PLUT Jawa Barat",
        kind=balai.FacilityKind.plut,
        owner=balai.OwnerLevel.province,
        location=balai.GeoPoint(-6.9, 107.6),
        regency="32.73",
        rooms=1,
        seats=20,
        features=["classroom"],
    )
    orphan = Module("X-1", title="X", hours_jp=4, prerequisites=["NOPE"])
    with pytest.raises(balai.ValidationError) as caught:
        dataset.add(facilities=[good, facilities[0]], modules=[orphan])
    problems = {(p.where, p.field) for p in caught.value.problems}
    assert ("facility UPTD-3273-001", "id") in problems
    assert ("module X-1", "prerequisites") in problems
    assert dataset == before

    view = dataset.facilities
    dataset.add(facilities=[good])
    assert len(dataset.facilities) == 4
    assert view[-1] == good  # views show the dataset as it is now
    assert dataset != before


def test_prerequisite_cycles_are_spelled_out() -> None:
    modules = [
        Module("A", title="A", hours_jp=1, prerequisites=["B"]),
        Module("B", title="B", hours_jp=1, prerequisites=["A"]),
    ]
    with pytest.raises(balai.ValidationError, match="A -> B -> A"):
        Dataset(modules=modules)


def test_regencies_must_be_in_the_table(regencies: list[Regency], trainees: list[Trainee]) -> None:
    with pytest.raises(balai.ValidationError, match="not in the dataset's regency table"):
        Dataset(regencies[2:], trainees=trainees)


def test_a_second_program_is_refused(dataset: Dataset, program: Program) -> None:
    with pytest.raises(balai.ValidationError, match="already has a program"):
        dataset.add(program=program)


def test_equality(dataset: Dataset, regencies: list[Regency]) -> None:
    assert dataset == copy.deepcopy(dataset)
    assert dataset != Dataset(regencies)
    assert dataset != "a dataset"
    with pytest.raises(TypeError):
        hash(dataset)


def test_repr(dataset: Dataset) -> None:
    assert repr(dataset) == (
        "Dataset(regencies=<3 regencies>, facilities=<3 facilities>, modules=<3 modules>, "
        "trainees=<3 trainees>, program=<Program 'Pelatihan Kewirausahaan Nasional'>)"
    )
    assert repr(dataset.facilities) == "<balai.Table facilities: 3 rows>"


def test_html_summary(dataset: Dataset) -> None:
    page = dataset._repr_html_()
    assert page.startswith("<div>")
    for text in [
        "3 facilities",
        "Pelatihan Kewirausahaan Nasional",
        "Kementerian UMKM",
        "5,000 to 10,000",
        "blk_komunitas",
        "new_entrepreneur",
        "medium",
        "rollout",
        "2027-04-05",
    ]:
        assert text in page
    assert "<h4>Phases</h4>" not in Dataset()._repr_html_()


def test_pickle_round_trip(dataset: Dataset) -> None:
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(dataset, protocol=protocol)) == dataset


def test_unknown_pickle_version_is_refused(dataset: Dataset) -> None:
    state = dataset.__getstate__()
    assert state[0] == 1
    with pytest.raises(balai.FormatError, match="pickle format version 2 is not 1"):
        Dataset.__new__(Dataset).__setstate__((2, state[1]))
    with pytest.raises(balai.FormatError):
        Dataset.__new__(Dataset).__setstate__((1, b"garbage"))


def test_snapshot_bytes_round_trip(dataset: Dataset) -> None:
    data = balai.to_snapshot_bytes(dataset)
    assert data.startswith(b"BALAISNP")
    assert balai.from_snapshot_bytes(data) == dataset


def test_dates_round_trip_through_the_dataset(dataset: Dataset) -> None:
    assert dataset.facilities[0].active is not None
    assert dataset.facilities[0].active.first == datetime.date(2027, 1, 1)


def test_readers_in_other_threads_see_whole_batches(dataset: Dataset) -> None:
    # Snapshots are written without the GIL while batches are added in this thread: each
    # snapshot holds the dataset before or after a batch, never half of one.
    seen: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(len(balai.from_snapshot_bytes(balai.to_snapshot_bytes(dataset)).trainees))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        template = dataset.trainees[0]
        for batch in range(20):
            dataset.add(
                trainees=[
                    Trainee(
                        f"T-{batch}-{i}",
                        gender=template.gender,
                        birth_year=template.birth_year,
                        regency=template.regency,
                        location=template.location,
                        track=template.track,
                        umkm_class=template.umkm_class,
                        sector=template.sector,
                    )
                    for i in range(50)
                ]
            )
    finally:
        stop.set()
        reader.join()
    assert len(dataset.trainees) == 3 + 20 * 50
    assert seen
    assert all((count - 3) % 50 == 0 for count in seen)
