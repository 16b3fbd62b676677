"""The built-in national scenario: a seeded, realistic Indonesia to plan with before real
registrations exist, a builder for small hand-shaped scenarios in tests, and a map.

>>> import balai.scenario as scenario
>>> world = scenario.indonesia(seed=7, trainees=100_000)
>>> tiny = (
...     scenario.ScenarioBuilder(seed=1)
...     .facility("uptd", province=32)
...     .facility("blk_komunitas", province=34, grade="mandiri")
...     .trainees(12, province=32)
...     .trainees(8, province=34, track="new_entrepreneur")
...     .build()
... )

The same options give the same Dataset on every platform; ``digest(dataset)`` pins it.
docs/scenario.md describes the distributions and which numbers are facts.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from balai import _boundaries, _core, frames
from balai._core import (
    BlkGrade,
    FacilityKind,
    Gender,
    Module,
    Need,
    NikKey,
    OwnerLevel,
    Program,
    Regency,
    ScenarioOptions,
    Track,
    UmkmClass,
)
from balai._options import options_or_fields
from balai.dataset import Dataset

if TYPE_CHECKING:
    from matplotlib.axes import Axes

RegencySource = str | os.PathLike[str] | pd.DataFrame | Dataset | Iterable[Regency] | None
"""A regency table: a CSV file in the layout of regencies.csv, its DataFrame, the regency
table of a Dataset, or Regency values; None stands for the embedded 514 regencies and
cities (:func:`balai.regencies`)."""

E = TypeVar("E", bound=enum.Enum)

# Pickles name the class where it can be imported from, whether or not balai re-exports it.
ScenarioOptions.__module__ = __name__

__all__ = [
    "ScenarioBuilder",
    "ScenarioOptions",
    "digest",
    "indonesia",
    "modules",
    "nik_key",
    "plot_map",
    "plot_provinces",
    "program",
    "tiny_scenario",
]


def indonesia(
    options: ScenarioOptions | None = None,
    *,
    regencies: RegencySource = None,
    **fields: Any,
) -> Dataset:
    """A national scenario: facilities, the module catalog, trainees and the program.

    Give the options as a :class:`ScenarioOptions` or as its keyword arguments (``seed``,
    ``trainees``, ``uptp``, ``uptd``, ``blk_komunitas``, ``plut``, ``rpb``,
    ``grade_shares``, ``new_entrepreneur_share``, ``female_share``,
    ``accessibility_share``, ``start_date``, ``pilot_weeks``, ``rollout_weeks``,
    ``target_min``, ``target_max``, ``threads``). Facilities and trainees sit at the seats
    of the 514 regencies and cities, weighted by population; `regencies` replaces that
    table, and a province it does not cover is served from its capital (so
    ``regencies=[]`` gives trainees around the 38 capitals). ValidationError names a bad
    option. The GIL is released while generating.
    """
    chosen = options_or_fields(ScenarioOptions, options, fields)
    return Dataset._wrap(_core.scenario_indonesia(chosen, _regencies(regencies)))


def tiny_scenario(seed: int = 1) -> Dataset:
    """Jawa Barat and DI Yogyakarta, three facilities (the provincial UPTD in Bandung, a BLK
    Komunitas and a PLUT in Yogyakarta) and twenty trainees (twelve and eight)."""
    return Dataset._wrap(_core.tiny_scenario(seed))


def digest(dataset: Dataset) -> str:
    """SHA-256 of a canonical text of the whole dataset (64 hex digits): equal datasets,
    and only those, have equal digests, on every platform."""
    return _core.dataset_digest(dataset._data)


def modules(include_practical: bool = True) -> list[Module]:
    """The scenario's module catalog, prerequisites first; the practical modules (which
    need workshops) are left out with ``include_practical=False``."""
    return _core.entrepreneurship_modules(include_practical)


def program(options: ScenarioOptions | None = None, **fields: Any) -> Program:
    """The national program the options describe: target, pilot and rollout phases."""
    return _core.national_program(options_or_fields(ScenarioOptions, options, fields))


def nik_key(seed: int) -> NikKey:
    """The key that protects the synthetic NIKs of the scenario with this seed."""
    return _core.scenario_nik_key(seed)


class ScenarioBuilder:
    """A small hand-shaped scenario for tests: name the facilities and trainees a test
    needs; everything else is generated the way :func:`indonesia` does it.

    Places are a province (``province=32`` or ``"32"``) or a regency (``regency="33.14"``,
    which needs a regency table: ``regencies()`` gives the embedded one). Without a table
    each province is served from its capital, which keeps a small scenario small.
    Enumerations may be given by name (``"uptd"``). The result carries the full module
    catalog, so it needs a facility offering every module's features: a UPTP or a
    province's first UPTD has them all; otherwise call ``practical_modules(False)`` or
    ``build()`` raises ValidationError naming the modules.
    """

    __slots__ = ("_builder",)

    def __init__(self, options: ScenarioOptions | None = None, **fields: Any) -> None:
        self._builder = _core._ScenarioBuilder(options_or_fields(ScenarioOptions, options, fields))

    def regencies(self, regencies: RegencySource = None) -> ScenarioBuilder:
        """Use this regency table (the embedded 514 without one); places are then regency
        seats weighted by population."""
        self._builder.regencies(_regencies(regencies))
        return self

    def facility(
        self,
        kind: FacilityKind | str,
        province: int | str | None = None,
        *,
        regency: str | None = None,
        id: str | None = None,
        owner: OwnerLevel | str | None = None,
        grade: BlkGrade | str | None = None,
        rooms: int | None = None,
        seats: int | None = None,
        features: Iterable[str] | None = None,
    ) -> ScenarioBuilder:
        """One facility; what is not given is generated to fit its kind."""
        self._builder.facility(
            _enum(FacilityKind, kind, "kind"),
            province=_province(province),
            regency=regency,
            id=id,
            owner=_maybe_enum(OwnerLevel, owner, "owner"),
            grade=_maybe_enum(BlkGrade, grade, "grade"),
            rooms=rooms,
            seats=seats,
            features=None if features is None else list(features),
        )
        return self

    def trainees(
        self,
        count: int,
        province: int | str | None = None,
        *,
        regency: str | None = None,
        track: Track | str | None = None,
        gender: Gender | str | None = None,
        birth_year: int | None = None,
        umkm_class: UmkmClass | str | None = None,
        sector: str | None = None,
        needs: Iterable[Need | str] | None = None,
    ) -> ScenarioBuilder:
        """`count` trainees; what is not given is drawn like the national population."""
        self._builder.trainees(
            count,
            province=_province(province),
            regency=regency,
            track=_maybe_enum(Track, track, "track"),
            gender=_maybe_enum(Gender, gender, "gender"),
            birth_year=birth_year,
            umkm_class=_maybe_enum(UmkmClass, umkm_class, "umkm_class"),
            sector=sector,
            needs=None if needs is None else [_enum(Need, need, "needs") for need in needs],
        )
        return self

    def practical_modules(self, include: bool = True) -> ScenarioBuilder:
        """Whether the catalog keeps the practical modules that need workshops."""
        self._builder.practical_modules(include)
        return self

    def build(self) -> Dataset:
        """The Dataset; ValidationError if it cannot be one."""
        return Dataset._wrap(self._builder.build())


def plot_map(
    dataset: Dataset,
    ax: Axes | None = None,
    *,
    max_trainees: int = 20_000,
    title: str | None = None,
) -> Axes:
    """Facilities (by kind) and trainees (grey dots) over the province boundaries.

    At most `max_trainees` trainees are drawn, evenly spaced through the table, so that a
    national scenario plots in a second. Returns the Axes (a new figure's without `ax`).
    """
    import matplotlib.pyplot as plt  # only plotting needs matplotlib

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.6))
    plot_provinces(ax)
    trainees = dataset.trainees.to_frame(columns=["lat", "lng"])
    if len(trainees) > max_trainees > 0:
        trainees = trainees.iloc[:: -(-len(trainees) // max_trainees)]
    if len(trainees) and max_trainees > 0:
        ax.scatter(
            trainees["lng"],
            trainees["lat"],
            s=2,
            c="0.45",
            alpha=0.4,
            linewidths=0,
            label=f"trainees ({len(dataset.trainees):,})",
            rasterized=True,
        )
    facilities = dataset.facilities.to_frame(columns=["kind", "lat", "lng"])
    for kind, label, marker, size, color in _FACILITY_STYLE:
        rows = facilities[facilities["kind"] == kind]
        if len(rows):
            ax.scatter(
                rows["lng"],
                rows["lat"],
                s=size,
                marker=marker,
                c=color,
                linewidths=0.3,
                edgecolors="black",
                label=f"{label} ({len(rows):,})",
                zorder=3,
            )
    _show_indonesia(ax)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.grid(True, linewidth=0.3, alpha=0.5)
    ax.set_title(title if title is not None else "balai scenario: facilities and trainees")
    ax.legend(loc="lower left", fontsize="small", markerscale=1.5, framealpha=0.9)
    return ax


def plot_provinces(
    ax: Axes | None = None,
    values: Mapping[int, float] | None = None,
    *,
    cmap: str = "Blues",
    label: str | None = None,
) -> Axes:
    """The 38 province boundaries, under whatever is drawn on `ax` next.

    Light grey without `values`; with `values` (by province code) a choropleth in `cmap`
    with a colour bar named `label`, provinces without a value in a neutral grey. The
    boundaries (Deny Herianto, CC BY 4.0; see balai/data/NOTICE) are credited in the
    lower right corner. The axes' limits are left alone when `ax` is given; a new
    figure's show all of Indonesia.
    """
    import matplotlib.pyplot as plt  # only plotting needs matplotlib

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.6))
        _show_indonesia(ax)
    provinces = _boundaries.draw(ax, values, cmap=cmap)
    if values is not None:
        ax.figure.colorbar(provinces, ax=ax, label=label, shrink=0.8)
    _boundaries.credit(ax)
    return ax


# kind, legend label, marker, size, colour: the most numerous kind drawn first and smallest.
_FACILITY_STYLE = (
    ("blk_komunitas", "BLK Komunitas", "o", 4, "tab:green"),
    ("plut", "PLUT", "s", 14, "tab:orange"),
    ("uptd", "UPTD (regional BLK)", "^", 18, "tab:blue"),
    ("uptp", "UPTP (central BLK)", "D", 40, "tab:red"),
    ("rpb", "RPB pilot", "*", 120, "gold"),
)


def _show_indonesia(ax: Axes) -> None:
    ax.set_xlim(94.0, 142.0)
    ax.set_ylim(-11.5, 7.0)
    ax.set_aspect("equal")


def _regencies(regencies: RegencySource) -> list[Regency]:
    if regencies is None:
        return _core.indonesia_regencies()
    if isinstance(regencies, str | os.PathLike):
        return _core.read_regencies(os.fspath(regencies))
    if isinstance(regencies, pd.DataFrame):
        return _core.regencies_from_columns(frames.columns_of("regencies", regencies))
    if isinstance(regencies, Dataset):
        return list(regencies.regencies)
    return list(regencies)


def _invalid(field: str, value: object, message: str) -> Exception:
    problem = _core.Problem(
        where="scenario builder", field=field, value=str(value), message=message
    )
    return _core._validation_error([problem])


def _enum(kind: type[E], value: E | str, field: str) -> E:
    if isinstance(value, kind):
        return value
    try:
        return kind[str(value)]
    except KeyError:
        names = ", ".join(member.name for member in kind)
        raise _invalid(field, value, f"expected one of {names}") from None


def _maybe_enum(kind: type[E], value: E | str | None, field: str) -> E | None:
    return None if value is None else _enum(kind, value, field)


def _province(province: int | str | None) -> int | None:
    if province is None or isinstance(province, int):
        return province
    if province.isdigit():
        return int(province)
    raise _invalid("province", province, "not a province code (two digits, 11 to 96)")
