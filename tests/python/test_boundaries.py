"""The province boundaries shipped with the package, and their drawing on a matplotlib
Axes: plain, as a choropleth, and under the public plots."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath

import balai
from balai import _boundaries, scenario

matplotlib.use("Agg")


def test_the_installed_package_ships_the_boundaries_and_their_notice(repository: Path) -> None:
    data = resources.files("balai") / "data"
    installed = Path(str(data))
    # Imported from the installed package, not the source tree.
    assert repository / "python" not in installed.parents
    features = json.loads((data / "provinces.geojson").read_text(encoding="utf-8"))["features"]
    assert len(features) == 38
    codes = [feature["properties"]["code"] for feature in features]
    assert codes == [province.code for province in balai.provinces()]
    notice = (data / "NOTICE").read_text(encoding="utf-8")
    assert "Deny Herianto" in notice
    assert "CC BY 4.0" in notice


def test_shapes_keep_every_polygon_of_a_province() -> None:
    shapes = _boundaries.province_shapes()
    assert shapes is _boundaries.province_shapes()  # read once
    assert [shape.code for shape in shapes] == [p.code for p in balai.provinces()]
    source = resources.files("balai") / "data" / "provinces.geojson"
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    for shape, feature in zip(shapes, features, strict=True):
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings = sum(len(polygon) for polygon in polygons)
        codes = np.asarray(shape.path.codes)
        assert int((codes == MplPath.MOVETO).sum()) == rings, shape.name
        lng, lat = np.asarray(shape.path.vertices).T
        assert 94 < lng.min() <= lng.max() < 142
        assert -12 < lat.min() <= lat.max() < 7


def test_draw_lays_every_province_in_light_grey_and_leaves_the_limits() -> None:
    axes = Figure().add_subplot()
    axes.set_xlim(100, 110)
    axes.set_ylim(-8, -5)
    provinces = _boundaries.draw(axes)
    assert list(axes.collections) == [provinces]
    assert len(provinces.get_paths()) == 38
    assert axes.get_xlim() == (100, 110)
    assert axes.get_ylim() == (-8, -5)
    assert np.allclose(provinces.get_facecolor(), to_rgba(_boundaries.FILL))
    assert np.allclose(provinces.get_linewidth(), _boundaries.OUTLINE_WIDTH)


def test_draw_colours_provinces_by_value_and_the_others_neutral() -> None:
    axes = Figure().add_subplot()
    provinces = _boundaries.draw(axes, {32: 30.0, 35: 10.0, 91: float("nan")})
    provinces.update_scalarmappable()
    colours = provinces.get_facecolor()
    codes = [shape.code for shape in _boundaries.province_shapes()]
    west, east = colours[codes.index(32)], colours[codes.index(35)]
    assert not np.allclose(west, east)
    neutral = to_rgba(_boundaries.NEUTRAL)
    for code, colour in zip(codes, colours, strict=True):
        assert np.allclose(colour, neutral) == (code not in (32, 35)), code
    assert provinces.norm.vmin == 0.0
    assert provinces.norm.vmax == 30.0


def test_plot_provinces_draws_a_choropleth_with_a_colour_bar_and_credit() -> None:
    import matplotlib.pyplot as plt

    ax = scenario.plot_provinces(values={34: 5.0}, label="completions")
    assert len(ax.collections[0].get_paths()) == 38
    assert len(ax.figure.axes) == 2  # the map and its colour bar
    assert any(text.get_text() == _boundaries.CREDIT for text in ax.texts)
    plt.close("all")
