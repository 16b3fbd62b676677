"""Trainees, KBLI sectors, UMKM classes and protected NIKs."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import balai
from balai import (
    Gender,
    GeoPoint,
    Kbli,
    KbliVersion,
    Need,
    NikKey,
    ProtectedNik,
    Track,
    Trainee,
    UmkmClass,
)


def _trainee(**changes: Any) -> Trainee:
    arguments: dict[str, Any] = {
        "gender": Gender.female,
        "birth_year": 1990,
        "regency": "32.73",
        "location": GeoPoint(-6.90, 107.62),
        "track": Track.umkm_owner,
        "umkm_class": UmkmClass.micro,
        "sector": Kbli(KbliVersion.kbli2020, "10792"),
    }
    arguments.update(changes)
    return Trainee(arguments.pop("id", "REG-1"), **arguments)


def test_trainee_fields(trainees: list[Trainee]) -> None:
    first, second, third = trainees
    assert first.province == 32
    assert first.nik is not None
    assert first.nik.masked == "3273********0001"
    assert second.nik is None
    assert second.needs == [Need.mobility]
    assert third.needs == [Need.visual, Need.hearing]  # in the enum's order
    assert third.regency is None
    assert third.sector == Kbli(KbliVersion.kbli2020, "47")


def test_trainee_value_semantics(trainees: list[Trainee], namespace: dict[str, Any]) -> None:
    for trainee in trainees:
        assert eval(repr(trainee), namespace) == trainee
        assert pickle.loads(pickle.dumps(trainee)) == trainee
    assert trainees[0] != trainees[1]
    assert _trainee(needs=[Need.other, Need.other]) == _trainee(needs=[Need.other])


def test_trainee_repr_shows_no_clear_nik(trainees: list[Trainee]) -> None:
    assert "3273015203880001" not in repr(trainees[0])
    assert "masked='3273********0001'" in repr(trainees[0])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": ""}, "id"),
        ({"birth_year": 1850}, "birth_year"),
        ({"regency": "35.78", "province": 32}, "regency"),
        ({"regency": None}, "province"),
    ],
)
def test_trainee_bad_input(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        _trainee(**changes)
    assert [problem.field for problem in caught.value.problems] == [field]


def test_kbli() -> None:
    assert Kbli(KbliVersion.kbli2025, "C").code == "C"
    assert [version.name for version in KbliVersion] == ["kbli2020", "kbli2025"]
    for bad in ["", "V", "1", "123456", "12a"]:
        with pytest.raises(balai.ValidationError, match="KBLI code") as caught:
            Kbli(KbliVersion.kbli2020, bad)
        assert caught.value.problems[0].field == "code"


def test_umkm_class_by_capital_and_sales() -> None:
    billion = 1_000_000_000
    assert balai.umkm_class_by_capital(0) is UmkmClass.micro
    assert balai.umkm_class_by_capital(1 * billion) is UmkmClass.micro
    assert balai.umkm_class_by_capital(1 * billion + 1) is UmkmClass.small
    assert balai.umkm_class_by_capital(10 * billion) is UmkmClass.medium
    assert balai.umkm_class_by_capital(10 * billion + 1) is None
    assert balai.umkm_class_by_sales(15 * billion) is UmkmClass.small
    assert balai.umkm_class_by_sales(50 * billion + 1) is None
    with pytest.raises(balai.ValidationError) as caught:
        balai.umkm_class_by_sales(-1)
    assert caught.value.problems[0].field == "annual_sales"


def test_protect_nik(nik_key: NikKey) -> None:
    protected = balai.protect_nik("3273015203880001", nik_key)
    assert protected.masked == "3273********0001"
    assert len(protected.digest) == 32
    assert protected.digest.hex() == protected.digest_hex
    assert protected.matches("3273015203880001", nik_key)
    assert not protected.matches("3273015203880002", nik_key)
    assert not protected.matches("3273015203880001", NikKey(b"another-key-0123456789"))
    assert ProtectedNik(protected.digest_hex, protected.masked) == protected
    assert pickle.loads(pickle.dumps(protected)) == protected
    assert balai.mask_nik("3273015203880001") == "3273********0001"


@pytest.mark.parametrize("nik", ["123", "9973015203880001", "3273019903880001"])
def test_protect_nik_rejects_bad_numbers_without_repeating_them(nik_key: NikKey, nik: str) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        balai.protect_nik(nik, nik_key)
    assert caught.value.problems[0].field == "nik"
    if len(nik) == 16:
        assert nik not in str(caught.value)


def test_protected_nik_bad_parts() -> None:
    with pytest.raises(balai.ValidationError) as caught:
        ProtectedNik("abc", "3273********0001")
    assert caught.value.problems[0].field == "nik_digest"
    with pytest.raises(balai.ValidationError) as caught:
        ProtectedNik("0" * 64, "short")
    assert caught.value.problems[0].field == "nik_masked"


def test_nik_key_is_secret() -> None:
    key = NikKey(b"super-secret-key-material")
    assert "super" not in repr(key)
    assert repr(key) == "NikKey(<25 secret bytes>)"
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(balai.ValidationError, match="at least 16 bytes"):
        NikKey(b"short")
    with pytest.raises(TypeError):
        NikKey("a str is not bytes")  # type: ignore[arg-type]
