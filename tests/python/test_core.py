"""Core values: geographic points, dates and date ranges, time zones and provinces."""

from __future__ import annotations

import datetime
import pickle
from typing import Any

import pytest

import balai
from balai import DateRange, GeoPoint, TimeZone


def test_geo_point_construction_and_distance() -> None:
    bandung = GeoPoint(lat=-6.9217, lng=107.6060)
    jakarta = GeoPoint(-6.1702, 106.8310)
    assert (bandung.lat, bandung.lng) == (-6.9217, 107.6060)
    assert 110 < bandung.distance_km(jakarta) < 125
    assert balai.haversine_km(bandung, jakarta) == bandung.distance_km(jakarta)
    assert bandung.distance_km(bandung) == 0


@pytest.mark.parametrize(
    ("lat", "lng", "field"),
    [(90.5, 0.0, "lat"), (0.0, -181.0, "lng"), (float("nan"), 0.0, "lat")],
)
def test_geo_point_rejects_bad_degrees(lat: float, lng: float, field: str) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        GeoPoint(lat, lng)
    assert caught.value.problems[0].field == field


def test_geo_point_value_semantics(namespace: dict[str, Any]) -> None:
    point = GeoPoint(-6.9217, 107.6060)
    assert repr(point) == "GeoPoint(lat=-6.9217, lng=107.606)"
    assert eval(repr(point), namespace) == point
    assert pickle.loads(pickle.dumps(point)) == point
    assert point != GeoPoint(-6.9217, 107.6061)
    assert point != (-6.9217, 107.6060)


def test_date_range(namespace: dict[str, Any]) -> None:
    window = DateRange(datetime.date(2027, 1, 4), datetime.date(2027, 4, 4))
    assert window.first == datetime.date(2027, 1, 4)
    assert window.last == datetime.date(2027, 4, 4)
    assert window.days == 91
    assert datetime.date(2027, 2, 1) in window
    assert datetime.date(2027, 4, 5) not in window
    assert window.overlaps(DateRange(datetime.date(2027, 4, 4), datetime.date(2027, 5, 1)))
    assert repr(window) == (
        "DateRange(first=datetime.date(2027, 1, 4), last=datetime.date(2027, 4, 4))"
    )
    assert eval(repr(window), namespace) == window
    assert pickle.loads(pickle.dumps(window)) == window


def test_date_range_rejects_a_backwards_range() -> None:
    with pytest.raises(balai.ValidationError, match="ends before the range starts") as caught:
        DateRange(datetime.date(2027, 2, 1), datetime.date(2027, 1, 31))
    assert caught.value.problems[0].field == "last"


def test_dates_outside_the_supported_years_are_a_validation_error() -> None:
    with pytest.raises(balai.ValidationError, match="1800-01-01"):
        DateRange(datetime.date(1800, 1, 1), datetime.date(2027, 1, 1))


def test_a_datetime_is_not_silently_truncated_to_a_date() -> None:
    with pytest.raises(TypeError):
        DateRange(datetime.datetime(2027, 1, 1, 12, 0), datetime.date(2027, 2, 1))


def test_time_zones() -> None:
    assert [zone.name for zone in TimeZone] == ["wib", "wita", "wit"]
    assert [balai.utc_offset_hours(zone) for zone in TimeZone] == [7, 8, 9]


def test_provinces_table() -> None:
    provinces = balai.provinces()
    assert len(provinces) == 38
    codes = [province.code for province in provinces]
    assert codes == sorted(codes)
    west_java = balai.province(32)
    assert provinces[11] == west_java
    assert (west_java.name, west_java.capital) == ("Jawa Barat", "Bandung")
    assert west_java.time_zone is TimeZone.wib
    assert west_java.island_group_name == "Java"
    assert provinces[-1].code == 96
    assert provinces[1:3] == [balai.province(12), balai.province(13)]
    assert sum(province.population for province in provinces) > 280_000_000


def test_every_province_belongs_to_a_named_island_group() -> None:
    names = {province.island_group_name for province in balai.provinces()}
    assert names == {
        "Sumatra",
        "Java",
        "Bali and Nusa Tenggara",
        "Kalimantan",
        "Sulawesi",
        "Maluku",
        "Papua",
    }
    assert balai.province(21).island_group_name == "Sumatra"  # Kepulauan Riau


@pytest.mark.parametrize("code", [0, 20, 99, 300, -1])
def test_unknown_province_codes(code: int) -> None:
    with pytest.raises(balai.UnknownReferenceError, match=f"unknown province '{code}'"):
        balai.province(code)


def test_province_repr_and_pickle() -> None:
    bali = balai.province(51)
    assert repr(bali) == (
        "Province(code=51, name='Bali', capital='Denpasar', time_zone=TimeZone.wita, "
        "population=4375263)"
    )
    assert pickle.loads(pickle.dumps(bali)) == bali


def test_province_table_index_errors() -> None:
    provinces = balai.provinces()
    with pytest.raises(IndexError):
        provinces[38]
    assert provinces[-38] == balai.province(11)
