"""Facilities, modules, completion rules, programs, phases and regencies: construction,
bad input, equality, repr and pickling."""

from __future__ import annotations

import datetime
import pickle
from typing import Any

import pytest

import balai
from balai import (
    BlkGrade,
    CompletionRule,
    DateRange,
    Facility,
    FacilityKind,
    GeoPoint,
    Module,
    MoveOnRule,
    OwnerLevel,
    Phase,
    Program,
    Regency,
    Track,
)

VALUES = ["facilities", "modules", "program", "regencies"]


def _values(request: pytest.FixtureRequest, name: str) -> list[Any]:
    value = request.getfixturevalue(name)
    return value if isinstance(value, list) else [value]


def _facility(**changes: Any) -> Facility:
    arguments: dict[str, Any] = {
        "name": "BLK Kota Bandung",
        "kind": FacilityKind.uptd,
        "owner": OwnerLevel.province,
        "location": GeoPoint(-6.9175, 107.6191),
        "regency": "32.73",
        "rooms": 4,
        "seats": 80,
    }
    arguments.update(changes)
    return Facility(arguments.pop("id", "BLK-1"), **arguments)


@pytest.mark.parametrize("name", VALUES)
def test_repr_reads_like_the_constructor_call(
    request: pytest.FixtureRequest, name: str, namespace: dict[str, Any]
) -> None:
    for value in _values(request, name):
        assert repr(value).startswith(type(value).__name__ + "(")
        assert eval(repr(value), namespace) == value


@pytest.mark.parametrize("name", VALUES)
def test_pickle_round_trip(request: pytest.FixtureRequest, name: str) -> None:
    for value in _values(request, name):
        assert pickle.loads(pickle.dumps(value)) == value


@pytest.mark.parametrize("name", VALUES)
def test_unknown_pickle_versions_are_refused(request: pytest.FixtureRequest, name: str) -> None:
    value = _values(request, name)[0]
    cls: Any = type(value)
    state = value.__getstate__()
    assert state[0] == 1
    with pytest.raises(balai.FormatError, match="pickle format version 2 is not 1"):
        cls.__new__(cls).__setstate__((2, *state[1:]))
    with pytest.raises(balai.FormatError, match="versioned tuple"):
        cls.__new__(cls).__setstate__("garbage")


def test_facility_fields(facilities: list[Facility]) -> None:
    facility = facilities[0]
    assert facility.id == "UPTD-3273-001"
    assert facility.kind is FacilityKind.uptd
    assert facility.province == 32  # from the regency
    assert facility.regency == "32.73"
    assert facility.features == ["classroom", "computer_lab", "kitchen"]  # sorted
    assert facility.active == DateRange(datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    assert facilities[1].grade is BlkGrade.berkembang
    assert facilities[2].regency is None


def test_facility_features_are_normalised_so_equal_means_equal() -> None:
    assert _facility(features=["b", "a", "b"]) == _facility(features=["a", "b"])
    assert _facility(features=["a"]) != _facility(features=["a", "b"])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id": "BLK 1"}, "id", "printable ASCII"),
        ({"name": ""}, "name", "must not be empty"),
        ({"owner": OwnerLevel.central}, "owner", "a uptd cannot have this owner"),
        ({"grade": BlkGrade.mandiri}, "grade", "only a BLK Komunitas has a grade"),
        ({"regency": "32.7", "province": 32}, "regency", "not a Kemendagri regency code"),
        ({"regency": None}, "province", "give a province or a regency"),
        ({"province": 35}, "regency", "lies outside province 35"),
        ({"province": 300}, "province", "not a province code"),
        ({"rooms": -1}, "rooms", "must not be negative"),
        ({"rooms": 0}, "seats", "seats need at least one room"),
        ({"features": ["Kitchen"]}, "features", "a feature tag is"),
    ],
)
def test_facility_bad_input(changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(balai.ValidationError, match=message) as caught:
        _facility(**changes)
    assert [problem.field for problem in caught.value.problems] == [field]
    assert caught.value.problems[0].where.startswith("facility ")


def test_facility_with_a_bad_regency_reports_it_once() -> None:
    with pytest.raises(balai.ValidationError) as caught:
        _facility(regency="99.01")
    assert [p.field for p in caught.value.problems] == ["regency", "province"]
    assert caught.value.problems[0].value == "99.01"


def test_facility_arguments_are_keywords() -> None:
    with pytest.raises(TypeError):
        Facility("BLK-1", "BLK Kota Bandung")  # type: ignore[call-arg]


def test_completion_rule() -> None:
    rule = CompletionRule()
    assert (rule.min_attendance, rule.pass_mark, rule.move_on) == (
        0.8,
        None,
        MoveOnRule.completed,
    )
    with pytest.raises(balai.ValidationError, match="needs a pass mark") as caught:
        CompletionRule(move_on=MoveOnRule.passed)
    assert caught.value.problems[0].where == "completion rule"
    with pytest.raises(balai.ValidationError, match="fraction between 0 and 1"):
        CompletionRule(min_attendance=1.5)
    with pytest.raises(balai.ValidationError, match="score between 0 and 100"):
        CompletionRule(pass_mark=101.0, move_on=MoveOnRule.passed)


def test_module_fields_and_normalisation(modules: list[Module]) -> None:
    module = Module(
        "M-1",
        title="T",
        hours_jp=8,
        required_features=["sewing", "classroom", "sewing"],
        tracks=[Track.new_entrepreneur, Track.umkm_owner],
    )
    assert module.required_features == ["classroom", "sewing"]
    assert module.tracks == [Track.umkm_owner, Track.new_entrepreneur]
    assert module.rule == CompletionRule()
    assert modules[1].prerequisites == ["ENT-101"]
    assert modules[2].required_by(Track.umkm_owner)
    assert not modules[2].required_by(Track.new_entrepreneur)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"hours_jp": 0}, "hours_jp"),
        ({"hours_jp": 2001}, "hours_jp"),
        ({"title": ""}, "title"),
        ({"prerequisites": ["M-1"]}, "prerequisites"),
        ({"required_features": ["no spaces"]}, "required_features"),
    ],
)
def test_module_bad_input(arguments: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {"title": "T", "hours_jp": 8, **arguments}
    with pytest.raises(balai.ValidationError) as caught:
        Module("M-1", **values)
    assert [problem.field for problem in caught.value.problems] == [field]
    assert caught.value.problems[0].where == "module M-1"


def test_program_and_phases(program: Program) -> None:
    assert program.phase("rollout").window.last == datetime.date(2027, 12, 31)
    with pytest.raises(balai.UnknownReferenceError, match="unknown phase 'evaluation'"):
        program.phase("evaluation")
    assert [phase.name for phase in program.phases] == ["pilot", "rollout"]


def test_program_bad_input() -> None:
    window = DateRange(datetime.date(2027, 1, 1), datetime.date(2027, 3, 1))
    with pytest.raises(balai.ValidationError) as caught:
        Program("", target_min=10, target_max=5, phases=[Phase("a", window), Phase("a", window)])
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["name", "target_max", "phases.name", "phases.window"]


def test_phase_bad_name() -> None:
    window = DateRange(datetime.date(2027, 1, 1), datetime.date(2027, 3, 1))
    with pytest.raises(balai.ValidationError) as caught:
        Phase("pilot phase", window)
    assert [(p.where, p.field) for p in caught.value.problems] == [("phase", "name")]


def test_regency(regencies: list[Regency]) -> None:
    bandung = regencies[0]
    assert (bandung.code, bandung.province, bandung.name) == ("32.73", 32, "Kota Bandung")
    with pytest.raises(balai.ValidationError, match="must not be negative"):
        Regency("32.73", name="Kota Bandung", seat=GeoPoint(0, 0), population=-1)
    with pytest.raises(balai.ValidationError) as caught:
        Regency("3273", name="Kota Bandung", seat=GeoPoint(0, 0), population=1)
    assert caught.value.problems[0].field == "code"
