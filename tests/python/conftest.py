"""Shared fixtures: a small hand-made dataset around Bandung and Surabaya, valid as a
whole, so each test changes only what it is about."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

import balai
from balai import (
    BlkGrade,
    CompletionRule,
    DateRange,
    Facility,
    FacilityKind,
    Gender,
    GeoPoint,
    Kbli,
    KbliVersion,
    Module,
    MoveOnRule,
    Need,
    NikKey,
    OwnerLevel,
    Phase,
    Program,
    Regency,
    Track,
    Trainee,
    UmkmClass,
)

BOTH_TRACKS = [Track.umkm_owner, Track.new_entrepreneur]


@pytest.fixture
def repository() -> Path:
    """The root of the checkout the tests run from."""
    return Path(__file__).resolve().parents[2]


@pytest.fixture
def namespace() -> dict[str, Any]:
    """What eval() needs to rebuild a value from its repr."""
    return {**vars(balai), "datetime": datetime}


@pytest.fixture
def nik_key() -> NikKey:
    return NikKey(b"balai-test-key-0123456789")


@pytest.fixture
def regencies() -> list[Regency]:
    return [
        Regency("32.73", name="Kota Bandung", seat=GeoPoint(-6.9147, 107.6098), population=2591763),
        Regency(
            "32.04", name="Kabupaten Bandung", seat=GeoPoint(-7.0251, 107.5197), population=3753120
        ),
        Regency(
            "35.78", name="Kota Surabaya", seat=GeoPoint(-7.2575, 112.7521), population=3017382
        ),
    ]


@pytest.fixture
def facilities() -> list[Facility]:
    return [
        Facility(
            "UPTD-3273-001",
            name="UPTD BLK Kota Bandung",
            kind=FacilityKind.uptd,
            owner=OwnerLevel.province,
            location=GeoPoint(-6.9175, 107.6191),
            regency="32.73",
            rooms=6,
            seats=120,
            features=["classroom", "kitchen", "computer_lab"],
            active=DateRange(datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)),
        ),
        Facility(
            "BLKK-3204-017",
            name="BLK Komunitas Pesantren Al-Ikhlas",
            kind=FacilityKind.blk_komunitas,
            owner=OwnerLevel.community,
            grade=BlkGrade.berkembang,
            location=GeoPoint(-7.0312, 107.5301),
            province=32,
            regency="32.04",
            rooms=2,
            seats=32,
            features=["classroom", "sewing"],
        ),
        Facility(
            "PLUT-35",
            name="PLUT-KUMKM Jawa Timur",
            kind=FacilityKind.plut,
            owner=OwnerLevel.province,
            location=GeoPoint(-7.2891, 112.7342),
            province=35,
            rooms=3,
            seats=60,
            features=["classroom", "coaching"],
        ),
    ]


@pytest.fixture
def modules() -> list[Module]:
    return [
        Module(
            "ENT-101",
            title="Pola pikir wirausaha",
            hours_jp=16,
            required_features=["classroom"],
            tracks=BOTH_TRACKS,
            rule=CompletionRule(min_attendance=0.8, move_on=MoveOnRule.completed),
        ),
        Module(
            "FIN-101",
            title="Pembukuan usaha kecil",
            hours_jp=24,
            prerequisites=["ENT-101"],
            required_features=["classroom"],
            tracks=BOTH_TRACKS,
            rule=CompletionRule(
                min_attendance=0.75, pass_mark=70.0, move_on=MoveOnRule.completed_and_passed
            ),
        ),
        Module(
            "DIG-201",
            title="Pemasaran digital",
            hours_jp=32,
            prerequisites=["ENT-101"],
            required_features=["computer_lab"],
            tracks=[Track.umkm_owner],
            rule=CompletionRule(pass_mark=60.0, move_on=MoveOnRule.completed_or_passed),
        ),
    ]


@pytest.fixture
def trainees(nik_key: NikKey) -> list[Trainee]:
    return [
        Trainee(
            "REG-0001",
            nik=balai.protect_nik("3273015203880001", nik_key),
            gender=Gender.female,
            birth_year=1988,
            regency="32.73",
            location=GeoPoint(-6.9034, 107.6181),
            track=Track.umkm_owner,
            umkm_class=UmkmClass.micro,
            sector=Kbli(KbliVersion.kbli2020, "10792"),
        ),
        Trainee(
            "REG-0002",
            gender=Gender.male,
            birth_year=1999,
            province=32,
            regency="32.04",
            location=GeoPoint(-7.0102, 107.5523),
            track=Track.new_entrepreneur,
            umkm_class=UmkmClass.micro,
            sector=Kbli(KbliVersion.kbli2025, "C"),
            needs=[Need.mobility],
        ),
        Trainee(
            "REG-0003",
            gender=Gender.female,
            birth_year=1975,
            province=35,
            location=GeoPoint(-7.2504, 112.7688),
            track=Track.umkm_owner,
            umkm_class=UmkmClass.small,
            sector=Kbli(KbliVersion.kbli2020, "47"),
            needs=[Need.hearing, Need.visual],
        ),
    ]


@pytest.fixture
def program() -> Program:
    return Program(
        "Pelatihan Kewirausahaan Nasional",
        ministries=["Kementerian UMKM", "Kementerian Ketenagakerjaan"],
        target_min=5000,
        target_max=10000,
        phases=[
            Phase("pilot", DateRange(datetime.date(2027, 1, 4), datetime.date(2027, 4, 4))),
            Phase("rollout", DateRange(datetime.date(2027, 4, 5), datetime.date(2027, 12, 31))),
        ],
    )


@pytest.fixture
def dataset(
    regencies: list[Regency],
    facilities: list[Facility],
    modules: list[Module],
    trainees: list[Trainee],
    program: Program,
) -> balai.Dataset:
    return balai.Dataset(regencies, facilities, modules, trainees, program)


def weekly(first: datetime.date, count: int) -> list[datetime.date]:
    return [first + datetime.timedelta(days=7 * i) for i in range(count)]


@pytest.fixture
def cohorts() -> list[balai.Cohort]:
    """ENT-101 and FIN-101 at the Bandung UPTD (4 weekly sessions from 2027-01-04; FIN
    must be done by March 31st), DIG-201 there too (2 sessions)."""
    start = datetime.date(2027, 1, 4)
    return [
        balai.Cohort(
            "C-ENT", module="ENT-101", facility="UPTD-3273-001", sessions=weekly(start, 4)
        ),
        balai.Cohort(
            "C-FIN",
            module="FIN-101",
            facility="UPTD-3273-001",
            sessions=weekly(start, 4),
            deadline=datetime.date(2027, 3, 31),
        ),
        balai.Cohort(
            "C-DIG", module="DIG-201", facility="UPTD-3273-001", sessions=weekly(start, 2)
        ),
    ]


REGISTRATION_IDS = [
    "5f0c6f0e-2d4b-4c1a-9a53-000000000001",
    "5f0c6f0e-2d4b-4c1a-9a53-000000000002",
    "5f0c6f0e-2d4b-4c1a-9a53-000000000003",
]


@pytest.fixture
def roster(dataset: balai.Dataset, cohorts: list[balai.Cohort]) -> balai.Roster:
    """REG-0001 and REG-0003 (umkm_owner) in all three cohorts, REG-0002 (new_entrepreneur)
    in ENT and FIN."""
    return balai.Roster(
        dataset,
        cohorts,
        [
            balai.Registration(
                REGISTRATION_IDS[0], trainee="REG-0001", cohorts=["C-ENT", "C-FIN", "C-DIG"]
            ),
            balai.Registration(REGISTRATION_IDS[1], trainee="REG-0002", cohorts=["C-ENT", "C-FIN"]),
            balai.Registration(
                REGISTRATION_IDS[2], trainee="REG-0003", cohorts=["C-ENT", "C-FIN", "C-DIG"]
            ),
        ],
    )
